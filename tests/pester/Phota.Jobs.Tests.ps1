#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Jobs: Get-PhotaJob, Wait-PhotaJob and Receive-PhotaJob, the local journal, and collecting the jobs of an
# interrupted run with Get-PhotaJob | Receive-PhotaJob.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:ctx = Initialize-PhotaTestFile
    $script:photos = Get-TestImage photos
    # Jobs that take 3 s of wall-clock time, for waits, timeouts and interruptions.
    $script:slow = Start-TestEmulator -ArgumentList '--job-ms', '3000'
    $script:slowSession = New-TestSession $slow

    function script:Wait-EmulatorIdle($Emulator, [int] $TimeoutSec = 20) {
        $deadline = [DateTime]::UtcNow.AddSeconds($TimeoutSec)
        while ((Get-TestAccount $Emulator).jobs_pending_or_running -gt 0 -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 100 }
    }
}

AfterAll {
    Complete-PhotaTestFile $script:ctx
}

Describe 'Get-PhotaJob' {
    BeforeEach {
        Use-TestJournal | Out-Null
        Set-Location (New-TestDirectory 'jobs')
    }

    It 'gets the status of given job ids, by parameter and from the pipeline' {
        $job = Invoke-PhotaGenerate 'A red bicycle' -NoWait
        $status = Get-PhotaJob -JobId $job.JobId
        $status.JobId | Should -Be $job.JobId
        $status.Operation | Should -Be 'generate'
        $status.Status | Should -BeIn 'pending', 'running', 'succeeded'
        ($job.JobId | Get-PhotaJob).JobId | Should -Be $job.JobId
    }

    It 'an unknown job id is a non-terminating Phota.NotFound error' {
        $known = Invoke-PhotaGenerate 'A kite' -NoWait
        $out = Get-PhotaJob -JobId 'job_unknown', $known.JobId -ErrorAction SilentlyContinue -ErrorVariable err
        $out.JobId | Should -Be $known.JobId
        $err[0].FullyQualifiedErrorId | Should -BeLike 'Phota.NotFound*'
        $err[0].TargetObject | Should -Be 'job_unknown'
    }

    It 'without ids lists the journal''s outstanding jobs for this base URI with their current status' {
        $jobs = 'One', 'Two' | Invoke-PhotaGenerate -NoWait
        # A job submitted to another emulator is not this session's.
        Invoke-PhotaGenerate 'Elsewhere' -NoWait -Session $slowSession | Out-Null
        Wait-EmulatorIdle $ctx.Emulator
        $listed = Get-PhotaJob
        ($listed.JobId | Sort-Object) | Should -Be ($jobs.JobId | Sort-Object)
        $listed | ForEach-Object {
            $_.Status | Should -Be 'succeeded'
            $_.JournalState | Should -Be 'Completed' -Because 'the check records the finish it saw, so the two agree'
        }
    }

    It 'after the results are saved the jobs are no longer outstanding; -All still lists them' {
        $jobs = 'Three', 'Four' | Invoke-PhotaGenerate -NoWait
        $jobs | Receive-PhotaJob -Wait | Should -HaveCount 2
        Get-PhotaJob | Should -BeNullOrEmpty
        $all = Get-PhotaJob -All
        ($all.JobId | Sort-Object) | Should -Be ($jobs.JobId | Sort-Object)
        $all.JournalState | Sort-Object -Unique | Should -Be 'Downloaded'
    }
}

Describe 'Wait-PhotaJob' {
    BeforeEach { Use-TestJournal | Out-Null }

    It 'waits for piped jobs at once and emits each when it has finished, with one progress bar' {
        $jobs = 'A', 'B' | Invoke-PhotaGenerate -NoWait -Session $slowSession
        $c = Invoke-CapturedProgress -Session $slowSession -Variables @{ jobs = $jobs } -ScriptBlock { $jobs | Wait-PhotaJob }
        $c.Thrown | Should -BeNullOrEmpty
        $c.Error | Should -BeNullOrEmpty
        ($c.Output.JobId | Sort-Object) | Should -Be ($jobs.JobId | Sort-Object)
        $c.Output.Status | Sort-Object -Unique | Should -Be 'succeeded'
        @($c.Progress.ActivityId | Sort-Object -Unique).Count | Should -Be 1
        ($c.Progress.StatusDescription -join "`n") | Should -Match 'of 2 job\(s\) finished'
    }

    It '-TimeoutSec ends the wait with a Phota.Timeout error; the job keeps running' {
        $job = Invoke-PhotaGenerate 'Slow' -NoWait -Session $slowSession
        $sw = [System.Diagnostics.Stopwatch]::StartNew()
        $job | Wait-PhotaJob -TimeoutSec 1 -Session $slowSession -ErrorAction SilentlyContinue -ErrorVariable err | Should -BeNullOrEmpty
        $sw.Elapsed.TotalSeconds | Should -BeLessThan 2.9 -Because 'the job takes 3 s'
        $err[0].FullyQualifiedErrorId | Should -BeLike 'Phota.Timeout*'
        $err[0].CategoryInfo.Category | Should -Be 'OperationTimeout'
        (Get-PhotaJob -JobId $job.JobId -Session $slowSession).Status | Should -BeIn 'pending', 'running'
    }

    It 'a studio cmdlet''s -TimeoutSec limits its wait for the job the same way; the job stays in the journal' {
        Invoke-PhotaGenerate 'Slow' -TimeoutSec 1 -Session $slowSession -ErrorAction SilentlyContinue -ErrorVariable err | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike 'Phota.Timeout*'
        (Get-PhotaJob -Session $slowSession).Status | Should -BeIn 'pending', 'running'
    }
}

Describe 'Receive-PhotaJob' {
    BeforeEach {
        Use-TestJournal | Out-Null
        Set-Location (New-TestDirectory 'receive')
    }

    It 'a job still running is a Phota.JobNotFinished error unless -Wait' {
        $job = Invoke-PhotaEnhance -Image $photos[0].FullName -NoWait -Session $slowSession
        $job | Receive-PhotaJob -Session $slowSession -ErrorAction SilentlyContinue -ErrorVariable err | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike 'Phota.JobNotFinished*'
        "$($err[0].TargetObject)" | Should -Be $job.JobId
        $images = $job | Receive-PhotaJob -Wait -Session $slowSession
        $images.Name | Should -Be "$($photos[0].BaseName).enhanced.jpg"
        $images.JobId | Should -Be $job.JobId
    }

    It 'collects a job by id that is not in this journal, into -OutputDirectory, as the studio cmdlets name it' {
        $job = Invoke-PhotaGenerate 'A green door' -NoWait -Count 2
        Use-TestJournal | Out-Null
        $images = Receive-PhotaJob -JobId $job.JobId -Wait -OutputDirectory got
        $images.Count | Should -Be 2
        $images[0].GetType().FullName | Should -Be 'Phota.PowerShell.PhotaImage'
        $images.Variation | Should -Be 1, 2
        $images | ForEach-Object {
            $_.DirectoryName | Should -Be (Join-Path (Get-Location).ProviderPath 'got')
            $_.Operation | Should -Be 'generate'
            (Get-TestImageInfo $_.FullName).Complete | Should -BeTrue
        }
    }

    It 'received images carry the same Source as the studio cmdlets'' (the prompt for generate)' {
        $job = Invoke-PhotaGenerate 'A prompt to remember' -NoWait
        ($job | Receive-PhotaJob -Wait).Source | Should -Be 'A prompt to remember'
    }

    It 'received images carry the input as Source for jobs with input images' {
        $job = Invoke-PhotaEnhance -Image $photos[0].FullName -NoWait
        ($job | Receive-PhotaJob -Wait).Source | Should -Be $photos[0].FullName
    }

    It 'receiving again saves nothing twice' {
        $job = Invoke-PhotaGenerate 'Once' -NoWait
        $first = $job | Receive-PhotaJob -Wait
        $second = Get-PhotaJob | Receive-PhotaJob
        $first | Should -HaveCount 1
        $second | Should -BeNullOrEmpty
        Get-ChildItem -File | Should -HaveCount 1
    }
}

Describe 'Batches' {
    BeforeEach {
        Use-TestJournal | Out-Null
        Set-Location (New-TestDirectory 'batch')
    }

    It 'keeps at most -ThrottleLimit requests in flight and writes each result as it completes' {
        $inputs = New-TestDirectory 'throttle-in'
        1..4 | ForEach-Object { Copy-Item -LiteralPath $photos[0].FullName -Destination (Join-Path $inputs "t$_.jpg") }
        $run = Start-TestPipeline -Session $slowSession -Variables @{ dir = $inputs } -ScriptBlock {
            Get-ChildItem -LiteralPath $dir | Invoke-PhotaEnhance -ThrottleLimit 2
        }
        $maxInFlight = 0; $outputBeforeEnd = 0
        $deadline = [DateTime]::UtcNow.AddSeconds(40)
        while (-not $run.Async.IsCompleted -and [DateTime]::UtcNow -lt $deadline) {
            $maxInFlight = [Math]::Max($maxInFlight, (Get-TestAccount $slow).jobs_pending_or_running)
            if (-not $run.Async.IsCompleted) { $outputBeforeEnd = [Math]::Max($outputBeforeEnd, $run.Output.Count) }
            Start-Sleep -Milliseconds 100
        }
        $run.PowerShell.EndInvoke($run.Async) | Out-Null
        $run.Output | Should -HaveCount 4
        $run.PowerShell.Dispose(); $run.Runspace.Dispose()
        $maxInFlight | Should -Be 2
        $outputBeforeEnd | Should -BeGreaterOrEqual 2 -Because 'the first results are written while later items still run'
    }
}

Describe 'Many jobs through one engine' {
    BeforeAll {
        # Every API request waits 400 ms, so how many run at once shows in the elapsed time.
        $script:latent = Start-TestEmulator -ArgumentList '--fault-latency-ms', '400'
        $script:latentSession = New-TestSession $latent

        function script:Invoke-OnFiftyJobs([string] $Prompt, [scriptblock] $ScriptBlock) {
            # Fifty jobs submitted and finished, then $ScriptBlock on them ($jobs) timed: it must take them all, and only them.
            $jobs = 1..50 | ForEach-Object { "$Prompt $_" } | Invoke-PhotaGenerate -NoWait -ThrottleLimit 16 -Session $latentSession
            $jobs | Should -HaveCount 50
            Wait-EmulatorIdle $latent
            $sw = [System.Diagnostics.Stopwatch]::StartNew()
            $c = Invoke-CapturedProgress -Session $latentSession -Variables @{ jobs = $jobs } -ScriptBlock $ScriptBlock
            $sw.Stop()
            $c.Thrown | Should -BeNullOrEmpty
            $c.Error | Should -BeNullOrEmpty
            ($c.Output.JobId | Sort-Object) | Should -Be ($jobs.JobId | Sort-Object)
            $c | Add-Member -NotePropertyName Seconds -NotePropertyValue $sw.Elapsed.TotalSeconds -PassThru
        }
    }
    BeforeEach {
        Use-TestJournal | Out-Null
        Set-Location (New-TestDirectory 'many')
    }

    It 'Wait-PhotaJob waits for 50 jobs at most -ThrottleLimit at a time, with one progress bar' {
        $c = Invoke-OnFiftyJobs 'Prompt' { $jobs | Wait-PhotaJob -ThrottleLimit 5 }
        $c.Output.Status | Sort-Object -Unique | Should -Be 'succeeded'
        # One status check each, 400 ms apiece, five at a time: at least 10 rounds.
        $c.Seconds | Should -BeGreaterThan 3.6
        @($c.Progress.ActivityId | Sort-Object -Unique).Count | Should -Be 1
        $waiting = $c.Progress.StatusDescription | Where-Object { $_ -match '(\d+) waiting' } | ForEach-Object { [int]($_ -replace '.*?(\d+) waiting.*', '$1') }
        ($waiting | Measure-Object -Maximum).Maximum | Should -BeLessOrEqual 5
        ($c.Progress.StatusDescription -join "`n") | Should -Match 'of 50 job\(s\) finished'
    }

    It 'Receive-PhotaJob collects 50 jobs at most -ThrottleLimit at a time, each written as it is saved' {
        $c = Invoke-OnFiftyJobs 'Picture' { $jobs | Receive-PhotaJob -ThrottleLimit 10 }
        $c.Output | Should -HaveCount 50
        $c.Output | ForEach-Object { Test-Path -LiteralPath $_.FullName | Should -BeTrue }
        # Collecting a job checks it (400 ms) before saving it: ten at a time is at least 5 rounds.
        $c.Seconds | Should -BeGreaterThan 1.8
        @($c.Progress.ActivityId | Sort-Object -Unique).Count | Should -Be 1
        ($c.Progress.StatusDescription -join "`n") | Should -Match 'of 50 job\(s\) collected'
        Get-PhotaJob -Session $latentSession | Should -BeNullOrEmpty
    }
}

Describe 'Collecting an interrupted run' {
    BeforeAll {
        function script:Stop-WithCtrlC($Child, [string] $Log) {
            # SIGINT to the child, which must stop promptly and unfinished; returns what it wrote.
            $sw = [System.Diagnostics.Stopwatch]::StartNew()
            & kill -INT $Child.Id
            $Child.WaitForExit(10000) | Should -BeTrue
            $sw.Elapsed.TotalSeconds | Should -BeLessThan 5 -Because 'Ctrl+C stops promptly, without waiting for the 3 s jobs'
            $text = Get-Content -LiteralPath $Log -Raw
            $text | Should -Not -Match 'FINISHED'
            $text
        }
    }
    BeforeEach {
        Use-TestJournal | Out-Null
        Set-Location (New-TestDirectory 'interrupted')
    }

    # Ctrl+C is delivered as SIGINT to a child PowerShell process, the one a terminal's Ctrl+C reaches (POSIX only; the
    # StopProcessing test below runs everywhere).
    It 'Ctrl+C stops promptly and warns with the submitted job ids; Get-PhotaJob | Receive-PhotaJob collects them' -Skip:$IsWindows {
        $out = Join-Path (Get-Location).ProviderPath 'out'
        $script = "Import-Module '$(Get-TestModulePath)'; Connect-Phota -BaseUri '$($slow.Url)' -ApiKey '$($slow.ApiKey)'; " +
            "Get-ChildItem -LiteralPath '$($photos[0].DirectoryName)' -Filter *.jpg | Invoke-PhotaEnhance -OutputDirectory '$out'; 'FINISHED'"
        $log = Join-Path (Get-Location).ProviderPath 'run.log'
        $child = Start-TestPowerShell -ArgumentList '-NoProfile', '-NonInteractive', '-Command', $script -StartProcess @{ RedirectStandardOutput = $log; RedirectStandardError = "$log.err" }
        $deadline = [DateTime]::UtcNow.AddSeconds(30)
        # Interrupt once every submit has been answered (the jobs then run for 3 s).
        while (@(Get-TestJournalRecord | Where-Object type -EQ 'submitted').Count -lt $photos.Count -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 50 }
        $text = Stop-WithCtrlC $child $log
        $text | Should -Match "$($photos.Count) job\(s\) were submitted"
        $text | Should -Match 'Get-PhotaJob \| Receive-PhotaJob'

        $outstanding = Get-PhotaJob -Session $slowSession
        $outstanding | Should -HaveCount $photos.Count
        foreach ($job in $outstanding) { $text | Should -Match $job.JobId }
        Test-Path -LiteralPath $out | Should -BeFalse -Because 'nothing was downloaded before the interruption'

        Wait-EmulatorIdle $slow
        Connect-Phota -Session $slowSession
        try {
            $images = Get-PhotaJob | Receive-PhotaJob
            ($images.Name | Sort-Object) | Should -Be ($photos.BaseName | ForEach-Object { "$_.enhanced.jpg" } | Sort-Object)
            $images | ForEach-Object { $_.DirectoryName | Should -Be $out }
            Get-ChildItem -LiteralPath $out -Force | Should -HaveCount $photos.Count -Because 'no temporary or partial files remain'
            Get-PhotaJob | Should -BeNullOrEmpty
        }
        finally { Connect-Phota -BaseUri $ctx.Emulator.Url -ApiKey $ctx.Emulator.ApiKey }
    }

    It 'Ctrl+C during a many-job Receive-PhotaJob stops promptly and warns with the jobs still uncollected' -Skip:$IsWindows {
        $log = Join-Path (Get-Location).ProviderPath 'receive.log'
        $go = Join-Path (Get-Location).ProviderPath 'go'
        $script = "Import-Module '$(Get-TestModulePath)'; Connect-Phota -BaseUri '$($slow.Url)' -ApiKey '$($slow.ApiKey)' -SkipCheck; 'READY'; " +
            "while (-not (Test-Path -LiteralPath '$go')) { Start-Sleep -Milliseconds 20 }; " +
            "`$jobs = Get-PhotaJob; 'RECEIVING'; `$jobs | Receive-PhotaJob -Wait -ThrottleLimit 2 | ForEach-Object { 'SAVED ' + `$_.JobId }; 'FINISHED'"
        $child = Start-TestPowerShell -ArgumentList '-NoProfile', '-NonInteractive', '-Command', $script -StartProcess @{ RedirectStandardOutput = $log; RedirectStandardError = "$log.err" }
        function Wait-LogLine([string] $Pattern) {
            $deadline = [DateTime]::UtcNow.AddSeconds(30)
            while (-not ((Test-Path -LiteralPath $log) -and (Get-Content -LiteralPath $log -Raw) -match $Pattern) -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 20 }
        }
        Wait-LogLine 'READY'
        # Submitted now, the jobs run for 3 s while the child collects them.
        $jobs = 1..12 | ForEach-Object { "Later $_" } | Invoke-PhotaGenerate -NoWait -Session $slowSession
        New-Item -ItemType File -Path $go | Out-Null
        Wait-LogLine 'RECEIVING'
        # The jobs take 3 s: let the first waits start, then interrupt.
        Start-Sleep -Milliseconds 1000
        $text = Stop-WithCtrlC $child $log
        $saved = @([regex]::Matches($text, 'SAVED (job_\w+)') | ForEach-Object { $_.Groups[1].Value })
        $text | Should -Match "$($jobs.Count - $saved.Count) job\(s\) were not collected"
        $text | Should -Match 'Get-PhotaJob \| Receive-PhotaJob'
        foreach ($job in $jobs | Where-Object JobId -NotIn $saved) { $text | Should -Match $job.JobId }

        $outstanding = Get-PhotaJob -Session $slowSession
        $outstanding | Should -HaveCount ($jobs.Count - $saved.Count)
        Wait-EmulatorIdle $slow
        $images = Get-PhotaJob -Session $slowSession | Receive-PhotaJob -Session $slowSession
        $images | Should -HaveCount ($jobs.Count - $saved.Count)
        Get-PhotaJob -Session $slowSession | Should -BeNullOrEmpty
    }

    It 'a pipeline stopped in process (StopProcessing) leaves every submitted job in the journal' {
        $out = Join-Path (Get-Location).ProviderPath 'out'
        $run = Start-TestPipeline -Session $slowSession -Variables @{ dir = $photos[0].DirectoryName; out = $out } -ScriptBlock {
            Get-ChildItem -LiteralPath $dir -Filter *.jpg | Invoke-PhotaEnhance -OutputDirectory $out
        }
        $deadline = [DateTime]::UtcNow.AddSeconds(30)
        # Interrupt once every submit has been answered (the jobs then run for 3 s).
        while (@(Get-TestJournalRecord | Where-Object type -EQ 'submitted').Count -lt $photos.Count -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 50 }
        $stopped = Stop-TestPipeline $run
        $stopped.Stopped | Should -BeTrue
        $stopped.State | Should -Be 'Stopped'
        $stopped.StopSeconds | Should -BeLessThan 5
        $stopped.Output | Should -BeNullOrEmpty

        $journal = Get-TestJournalRecord
        @($journal | Where-Object type -EQ 'submitted').Count | Should -Be $photos.Count
        Wait-EmulatorIdle $slow
        $images = Get-PhotaJob -Session $slowSession | Receive-PhotaJob -Session $slowSession
        $images | Should -HaveCount $photos.Count
        Get-ChildItem -LiteralPath $out -Force | Should -HaveCount $photos.Count
    }
}

Describe 'Jobs that fail or expire on the server' {
    BeforeAll {
        $script:failing = Start-TestEmulator -ArgumentList '--fault-job-fail-rate', '1', '--fault-job-fail-code', 'dispatch_failed'
        $script:failingSession = New-TestSession $failing
        # Results kept 1.5 s (scaled) after the job ends.
        $script:expiring = Start-TestEmulator -ArgumentList '--result-expiry-s', '1500'
        $script:expiringSession = New-TestSession $expiring
    }
    BeforeEach {
        Use-TestJournal | Out-Null
        Set-Location (New-TestDirectory 'failed')
    }

    It 'a job that fails is a Phota.JobFailed error with the server''s reason, recorded in the journal' {
        $sw = [System.Diagnostics.Stopwatch]::StartNew()
        Invoke-PhotaEnhance -Image $photos[0].FullName, $photos[1].FullName -Session $failingSession -ErrorAction SilentlyContinue -ErrorVariable err |
            Should -BeNullOrEmpty
        $sw.Elapsed.TotalSeconds | Should -BeLessThan 30
        $err | Should -HaveCount 2
        $err | ForEach-Object {
            $_.FullyQualifiedErrorId | Should -BeLike 'Phota.JobFailed*'
            $_.CategoryInfo.Category | Should -Be 'InvalidResult'
            "$($_.ErrorDetails.Message) $($_.Exception.Message)" | Should -Match 'dispatch_failed'
        }
        ($err.TargetObject | Sort-Object) | Should -Be ($photos[0..1].FullName | Sort-Object)
        Get-ChildItem -File | Should -BeNullOrEmpty
        $jobs = Get-PhotaJob -All -Session $failingSession
        $jobs | Should -HaveCount 2
        $jobs.JournalState | Sort-Object -Unique | Should -Be 'Failed'
        $jobs.ErrorCode | Sort-Object -Unique | Should -Be 'dispatch_failed'
        Get-PhotaJob -Session $failingSession | Should -BeNullOrEmpty
    }

    It 'a job whose result expired is a Phota.ResultExpired error (Receive-PhotaJob -Wait), recorded in the journal' {
        $job = Invoke-PhotaGenerate 'Gone soon' -NoWait -Session $expiringSession
        Start-Sleep -Seconds 3
        $job | Receive-PhotaJob -Wait -Session $expiringSession -ErrorAction SilentlyContinue -ErrorVariable err | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike 'Phota.ResultExpired*'
        $err[0].CategoryInfo.Category | Should -Be 'ResourceUnavailable'
        $err[0].ErrorDetails.RecommendedAction | Should -Match 'submit'
        $entry = Get-PhotaJob -All -Session $expiringSession
        $entry.JournalState | Should -Be 'Expired'
        Get-PhotaJob -Session $expiringSession | Should -BeNullOrEmpty
    }

    It 'a job whose result expired is recorded in the journal by Receive-PhotaJob without -Wait too' {
        $job = Invoke-PhotaGenerate 'Gone soon' -NoWait -Session $expiringSession
        Start-Sleep -Seconds 3
        $job | Receive-PhotaJob -Session $expiringSession -ErrorAction SilentlyContinue -ErrorVariable err | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike 'Phota.ResultExpired*'
        (Get-PhotaJob -All -Session $expiringSession).JournalState | Should -Be 'Expired'
        Get-PhotaJob -Session $expiringSession | Should -BeNullOrEmpty
    }
}
