#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Reliability and security where the behaviour lives in the cmdlets: a table-driven corpus of bad input (each refused
# with a clear error naming the input, the rest of the batch carrying on), auth and credit failures ending the command,
# injected 503s and aborted connections, an emulator restarted mid-batch, and the API key never appearing anywhere.

BeforeDiscovery {
    # Bad input files: name in the corpus folder, how to make it, and what the error must say.
    $script:badFiles = @(
        @{ Case = 'a zero-byte file'; Name = 'empty.jpg'; Shown = 'empty.jpg'; Expect = 'empty' }
        @{ Case = 'a text file named .jpg'; Name = 'notes.jpg'; Shown = 'notes.jpg'; Expect = 'not a JPEG, PNG, WebP or HEIC' }
        @{ Case = 'a truncated JPEG'; Name = 'cut.jpg'; Shown = 'cut.jpg'; Expect = 'truncat|cut short|incomplete|end' }
        @{ Case = 'a 60 MB image'; Name = 'huge.jpg'; Shown = 'huge.jpg'; Expect = 'MB' }
        @{ Case = 'a directory'; Name = 'folder.jpg'; Shown = 'folder.jpg'; Expect = 'directory' }
        @{ Case = 'a missing file'; Name = 'missing.jpg'; Shown = 'missing.jpg'; Expect = 'not found' }
        @{ Case = 'a wildcard that matches nothing'; Name = 'nothing-*.jpg'; Shown = 'nothing-*.jpg'; Expect = 'matches no file' }
        @{ Case = 'a URL that is not http(s)'; Name = 'ftp://127.0.0.1/a.jpg'; Shown = 'ftp://127.0.0.1/a.jpg'; Expect = 'ftp' }
        @{ Case = 'a URL with credentials in it'; Name = 'https://user:hunter2@127.0.0.1/a.jpg'; Shown = '127.0.0.1/a.jpg'; Expect = 'credentials' }
    )
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    # A recognisable key, so that any leak of it can be found.
    $script:apiKey = 'phota-leakcheck-7Qz4W9xK2mV8'
    $script:ctx = Initialize-PhotaTestFile -ApiKey $apiKey -EmulatorArgument '--full-train-s', '50000000'
    $script:photos = Get-TestImage photos

    $script:corpus = Join-Path $ctx.Root 'corpus'
    New-Item -ItemType Directory -Path $corpus | Out-Null
    New-Item -ItemType File -Path (Join-Path $corpus 'empty.jpg') | Out-Null
    Set-Content -LiteralPath (Join-Path $corpus 'notes.jpg') -Value 'shopping list: eggs, milk'
    $jpeg = [System.IO.File]::ReadAllBytes($photos[0].FullName)
    [System.IO.File]::WriteAllBytes((Join-Path $corpus 'cut.jpg'), $jpeg[0..([int]($jpeg.Length / 2))])
    $huge = [System.IO.File]::Create((Join-Path $corpus 'huge.jpg'))
    try { $huge.Write($jpeg, 0, 1024); $huge.SetLength(60MB); $huge.Position = 60MB - 2; $huge.Write([byte[]](0xFF, 0xD9), 0, 2) } finally { $huge.Dispose() }
    New-Item -ItemType Directory -Path (Join-Path $corpus 'folder.jpg') | Out-Null

    $script:good = Join-Path $ctx.Root 'good'
    New-Item -ItemType Directory -Path $good | Out-Null
    $script:unicodeName = "fête d'été — 01.jpg"
    Copy-Item -LiteralPath $photos[0].FullName -Destination (Join-Path $good $unicodeName)
    $script:heic = New-TestHeic -Path (Join-Path $good 'phone.heic') -Width 640 -Height 480
}

AfterAll {
    Complete-PhotaTestFile $script:ctx
}

Describe 'Bad input files: refused by name, the batch carries on' {
    BeforeEach { Set-Location (New-TestDirectory 'bad') }

    It '<Case> is refused with a Phota.InvalidInput error naming it and the fix; the good image is still enhanced' -ForEach $badFiles {
        $given = if ($Name -match '://') { $Name } else { Join-Path $corpus $Name }
        $delta = Measure-TestAccountChange {
            $script:out = Invoke-PhotaEnhance -Image $given, $photos[0].FullName -ErrorAction SilentlyContinue -ErrorVariable script:err
        }
        @($out).Count | Should -Be 1
        $out.Source | Should -Be $photos[0].FullName
        (Get-TestImageInfo $out.FullName).Complete | Should -BeTrue
        $delta.Submits | Should -Be 1 -Because 'only the good image is sent'
        $err | Should -HaveCount 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'Phota.InvalidInput*'
        $err[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        $text = "$($err[0].TargetObject) $($err[0].ErrorDetails.Message) $($err[0].Exception.Message)"
        $text | Should -Match ([regex]::Escape($Shown))
        $text | Should -Match $Expect
        "$($err[0].ErrorDetails.Message) $($err[0].Exception.Message)" | Should -Not -Match 'hunter2'
        $err[0].ErrorDetails.RecommendedAction | Should -Not -BeNullOrEmpty -Because 'the record says what to do'
        $err[0].ErrorDetails.Message | Should -Not -Match ([regex]::Escape($err[0].ErrorDetails.RecommendedAction)) -Because 'the advice is shown once, under the message'
    }

    It 'a whole corpus piped in: one error per bad file, a result for each good one' {
        $items = @(Get-ChildItem -LiteralPath $corpus) + @(Get-ChildItem -LiteralPath $good) + @(Get-Item -LiteralPath $photos[1].FullName)
        $out = $items | Invoke-PhotaEnhance -ErrorAction SilentlyContinue -ErrorVariable err
        ($out.Source | Sort-Object) | Should -Be (@((Join-Path $good $unicodeName), $heic.FullName, $photos[1].FullName) | Sort-Object)
        $err | Should -HaveCount 5
        $err | ForEach-Object { $_.FullyQualifiedErrorId | Should -BeLike 'Phota.InvalidInput*' }
    }

    It 'unicode and space-laden paths work, and name the output after the input' {
        $out = Get-ChildItem -LiteralPath $good -Filter '*.jpg' | Invoke-PhotaEnhance
        $out.Name | Should -Be "fête d'été — 01.enhanced.jpg"
        Test-Path -LiteralPath (Join-Path (Get-Location).ProviderPath $out.Name) | Should -BeTrue
    }

    It 'a HEIC photo is accepted and enhanced to the size it declares' {
        $out = Invoke-PhotaEnhance -Image $heic.FullName
        $info = Get-TestImageInfo $out.FullName
        $info.Format | Should -Be 'jpg'
        "$($info.Width)x$($info.Height)" | Should -Be '1024x768'
    }
}

Describe 'Bad requests: refused before money is spent' {
    BeforeEach { Set-Location (New-TestDirectory 'badrequest') }

    It '<Case>' -ForEach @(
        @{ Case = '-Count 0'; Id = 'ParameterArgumentValidationError*'; Run = { Invoke-PhotaEnhance -Image $photos[0].FullName -Count 0 } }
        @{ Case = '-Count 9'; Id = 'ParameterArgumentValidationError*'; Run = { Invoke-PhotaEnhance -Image $photos[0].FullName -Count 9 } }
        @{ Case = '-Count 5 from the pipeline'; Id = 'ParameterArgumentValidationError*'; Run = { 'A red bicycle' | Invoke-PhotaGenerate -Count 5 } }
        @{ Case = 'eleven images for one edit'; Id = 'Phota.InvalidInput*'; Run = { Invoke-PhotaEdit -Image (@($photos.FullName) * 4)[0..10] -Prompt 'x' } }
        @{ Case = 'a non-https callback URL'; Id = 'Phota.InvalidInput*'; Run = { Invoke-PhotaGenerate 'x' -CallbackUrl 'http://example.com/hook' } }
        @{ Case = 'a profile id that does not exist'; Id = 'Phota.ProfileNotFound*'; Run = { Invoke-PhotaEnhance -Image $photos[0].FullName -ProfileId 'prof_nope' } }
        @{ Case = 'a tag of 129 characters'; Id = 'Phota.InvalidInput*'; Run = { New-PhotaProfile -ImageUrl (Get-TestPortraitUrl -Count 5) -TrainingTier Fast -Tag ('x' * 129) } }
    ) {
        $delta = Measure-TestAccountChange { $script:c = Invoke-Captured $Run }
        $c.Output | Should -BeNullOrEmpty
        $err = @($c.Error) + @($c.Thrown | Where-Object { $_ })
        $err.Count | Should -BeGreaterThan 0
        $err[0].FullyQualifiedErrorId | Should -BeLike $Id
        $delta.Charged | Should -Be 0
        Get-ChildItem | Should -BeNullOrEmpty
    }

    It 'a profile id that is not ready yet is a Phota.ProfileNotReady error and costs nothing' {
        $training = (Invoke-TestApi 'v1/phota/profiles/add' -Method Post -Body @{ image_urls = @(Get-TestPortraitUrl -Count 10) }).profile_id
        $delta = Measure-TestAccountChange { Invoke-PhotaGenerate "A portrait of [[$training]]" -ErrorAction SilentlyContinue -ErrorVariable script:err }
        $err[0].FullyQualifiedErrorId | Should -BeLike 'Phota.ProfileNotReady*'
        $delta.Charged | Should -Be 0
    }
}

Describe 'Auth and credit failures end the command' {
    BeforeEach { Set-Location (New-TestDirectory 'fatal') }

    It 'a wrong API key ends a batch at once with a terminating Phota.InvalidApiKey error' {
        $wrong = New-PhotaSession -ApiKey 'not-the-key' -BaseUri $ctx.Emulator.Url
        $e = { Get-ChildItem -LiteralPath $photos[0].DirectoryName -Filter *.jpg | Invoke-PhotaEnhance -Session $wrong } | Should -Throw -PassThru
        $e.FullyQualifiedErrorId | Should -BeLike 'Phota.InvalidApiKey*'
        $e.CategoryInfo.Category | Should -Be 'AuthenticationError'
        Get-ChildItem | Should -BeNullOrEmpty
    }

    It 'running out of credit ends the batch with a terminating Phota.InsufficientCredit error; the balance is never overdrawn' {
        $poor = Start-TestEmulator -ApiKey $apiKey -ArgumentList '--credit', '0.30'
        $session = New-TestSession $poor
        $e = { Get-ChildItem -LiteralPath $photos[0].DirectoryName -Filter *.jpg | Invoke-PhotaEnhance -Session $session -ThrottleLimit 1 } | Should -Throw -PassThru
        $e.FullyQualifiedErrorId | Should -BeLike 'Phota.InsufficientCredit*'
        $e.CategoryInfo.Category | Should -Be 'QuotaExceeded'
        $account = Get-TestAccount $poor
        [decimal]$account.balance_usd | Should -BeGreaterOrEqual 0
        [decimal]$account.charged_usd | Should -Be 0.24
        $poor | Stop-PhotaEmulator
    }
}

Describe 'Injected faults' {
    It 'a batch under 30% 503s and 5% aborted connections: every item ends as a result or an error, nothing charged twice, no partial file' {
        $flaky = Start-TestEmulator -ApiKey $apiKey -ArgumentList '--fault-503-rate', '0.3', '--fault-abort-rate', '0.05', '--fault-retry-after', '1', '--fault-seed', '11'
        $session = New-TestSession $flaky
        $inputs = New-TestDirectory 'flaky-in'
        1..24 | ForEach-Object { Copy-Item -LiteralPath $photos[$_ % $photos.Count].FullName -Destination (Join-Path $inputs ('p{0:00}.jpg' -f $_)) }
        Set-Location (New-TestDirectory 'flaky-out')
        $sw = [System.Diagnostics.Stopwatch]::StartNew()
        $out = Get-ChildItem -LiteralPath $inputs | Invoke-PhotaEnhance -Session $session -ThrottleLimit 12 -ErrorAction SilentlyContinue -ErrorVariable err
        $sw.Elapsed.TotalSeconds | Should -BeLessThan 120
        (@($out).Count + @($err).Count) | Should -Be 24
        @($out.Source | Sort-Object -Unique).Count | Should -Be @($out).Count -Because 'no item is saved twice'
        $err | ForEach-Object { $_.FullyQualifiedErrorId | Should -BeLike 'Phota.*' }
        $account = Get-TestAccount $flaky
        $account.jobs | Should -BeLessOrEqual 24 -Because 'a retried submit returns the original job'
        ([decimal]$account.charged_usd - [decimal]$account.refunded_usd) | Should -Be ([decimal]0.12 * $account.jobs)
        $account.jobs | Should -BeGreaterOrEqual @($out).Count
        $files = Get-ChildItem -Force
        $files | Should -HaveCount @($out).Count -Because 'no temporary or partial file remains'
        $files | ForEach-Object { (Get-TestImageInfo $_.FullName).Complete | Should -BeTrue }
        $flaky | Stop-PhotaEmulator
    }

    It 'retries a 503 after its Retry-After, says so under -Verbose, and is charged once' {
        $busy = Start-TestEmulator -ApiKey $apiKey -ArgumentList '--fault-503-burst', '2', '--fault-retry-after', '1'
        Set-Location (New-TestDirectory 'retry')
        $c = Invoke-Captured { param($s) Invoke-PhotaGenerate 'Retry me' -Session $s -Verbose } -Variables @{ s = (New-TestSession $busy) }
        $c.Error | Should -BeNullOrEmpty
        $c.Output | Should -HaveCount 1
        $verbose = $c.Verbose.Message -join "`n"
        $verbose | Should -Match 'POST /v1/phota/generate -> 503'
        $verbose | Should -Match 'Retrying POST /v1/phota/generate after 1 s'
        $verbose | Should -Match 'POST /v1/phota/generate -> 202'
        $account = Get-TestAccount $busy
        $account.jobs | Should -Be 1
        [decimal]$account.charged_usd | Should -Be 0.12
        $busy | Stop-PhotaEmulator
    }

    It 'after the emulator is killed and restarted (state kept), Get-PhotaJob | Receive-PhotaJob collects every job' {
        Use-TestJournal | Out-Null
        $state = Join-Path $ctx.Root 'emulator-state.json'
        $durable = Start-TestEmulator -ApiKey $apiKey -ArgumentList '--state-file', $state, '--job-ms', '1500'
        $session = New-TestSession $durable
        Set-Location (New-TestDirectory 'restart')
        $jobs = Get-ChildItem -LiteralPath $photos[0].DirectoryName -Filter *.jpg | Invoke-PhotaEnhance -Session $session -NoWait
        $jobs | Should -HaveCount $photos.Count
        Start-Sleep -Milliseconds 300
        $restarted = Restart-TestEmulator $durable
        (Get-TestAccount $restarted).jobs | Should -Be $photos.Count
        $images = Get-PhotaJob -Session $session | Receive-PhotaJob -Wait -Session $session
        ($images.JobId | Sort-Object) | Should -Be ($jobs.JobId | Sort-Object)
        Get-PhotaJob -Session $session | Should -BeNullOrEmpty
        (Get-TestAccount $restarted).charged_usd | Should -Be (0.12 * $photos.Count)
        $restarted | Stop-PhotaEmulator
    }
}

Describe 'Stopping a batch while its submits are in flight' {
    It 'Get-PhotaJob | Receive-PhotaJob afterwards collects every job, each run and charged once, and no partial file remains' {
        Use-TestJournal | Out-Null
        # Every API request waits 800 ms in the emulator, so the stop lands while submits are on the wire.
        $laggy = Start-TestEmulator -ApiKey $apiKey -ArgumentList '--fault-latency-ms', '800'
        $session = New-TestSession $laggy
        $out = New-TestDirectory 'inflight-out'
        $run = Start-TestPipeline -Session $session -Variables @{ dir = $photos[0].DirectoryName; out = $out } -ScriptBlock {
            Get-ChildItem -LiteralPath $dir -Filter *.jpg | Invoke-PhotaEnhance -OutputDirectory $out
        }
        Start-Sleep -Milliseconds 500
        $stopped = Stop-TestPipeline $run
        $stopped.Stopped | Should -BeTrue
        $stopped.StopSeconds | Should -BeLessThan 10
        Start-Sleep -Milliseconds 1500
        # Submits whose answer never arrived are journaled intents: collecting them resends them with the same
        # idempotency key, so the server runs (and charges) each at most once.
        $images = @(Get-PhotaJob -Session $session | Receive-PhotaJob -Wait -Session $session)
        $account = Get-TestAccount $laggy
        $account.jobs | Should -BeLessOrEqual $photos.Count
        $images.Count | Should -Be $account.jobs -Because 'every job the server ran is collected'
        @($images.Source | Sort-Object -Unique).Count | Should -Be $images.Count
        [decimal]$account.charged_usd | Should -Be ([decimal]0.12 * $account.jobs)
        @(Get-ChildItem -LiteralPath $out -Force -Recurse -File).Count | Should -Be $images.Count -Because 'no partial or temporary file remains'
        Get-ChildItem -LiteralPath $out -Force -Recurse -File | ForEach-Object { (Get-TestImageInfo $_.FullName).Complete | Should -BeTrue }
        Get-PhotaJob -Session $session | Should -BeNullOrEmpty
        $laggy | Stop-PhotaEmulator
    }
}

Describe 'The journal' {
    BeforeEach { Set-Location (New-TestDirectory 'journal') }

    It 'two pwsh processes submitting at once into one journal lose no job' {
        $journal = Use-TestJournal
        $script = "Import-Module '$(Get-TestModulePath)'; Connect-Phota -BaseUri '$($ctx.Emulator.Url)' -ApiKey `$env:PHOTA_TEST_KEY -SkipCheck; " +
            "Get-ChildItem -LiteralPath '$($photos[0].DirectoryName)' -Filter *.jpg | Invoke-PhotaEnhance -NoWait -Count 1 | Out-Null"
        $env:PHOTA_TEST_KEY = $apiKey
        try {
            $children = 1..2 | ForEach-Object { Start-TestPowerShell -ArgumentList '-NoProfile', '-NonInteractive', '-Command', $script }
            $children | ForEach-Object { $_.WaitForExit(60000) | Should -BeTrue; $_.ExitCode | Should -Be 0 }
        }
        finally { $env:PHOTA_TEST_KEY = $null }
        $records = Get-TestJournalRecord -Path $journal
        @($records | Where-Object type -EQ 'submitted').Count | Should -Be (2 * $photos.Count)
        $images = Get-PhotaJob | Receive-PhotaJob -Wait
        $images | Should -HaveCount (2 * $photos.Count)
        @($images.JobId | Sort-Object -Unique).Count | Should -Be (2 * $photos.Count)
    }

    It 'a line cut short by a crash does not hide the jobs recorded before it' {
        $journal = Use-TestJournal
        $jobs = 'Before the crash', 'Also before' | Invoke-PhotaGenerate -NoWait
        [System.IO.File]::AppendAllText($journal, '{"type":"submitted","time":"2026-01-01T00:00:00+00:00","client_request_id":"phota-ps-cut')
        $listed = Get-PhotaJob
        ($listed.JobId | Sort-Object) | Should -Be ($jobs.JobId | Sort-Object)
        Invoke-PhotaGenerate 'After the crash' -NoWait | Out-Null
        (Get-PhotaJob).Count | Should -Be 3 -Because 'a new line is not glued to the cut one'
    }

    It 'a journal that cannot be written stops the command before anything is paid for' {
        $blocker = Join-Path (New-TestDirectory 'blocked') 'a-file'
        Set-Content -LiteralPath $blocker -Value 'not a folder'
        $env:PHOTA_JOURNAL_PATH = Join-Path $blocker 'journal.jsonl'
        try {
            $delta = Measure-TestAccountChange { $script:e = { Invoke-PhotaEnhance -Image $photos[0].FullName } | Should -Throw -PassThru }
        }
        finally { Use-TestJournal | Out-Null }
        $e.FullyQualifiedErrorId | Should -BeLike 'Phota.JournalUnavailable*'
        $delta.Submits | Should -Be 0
        $delta.Charged | Should -Be 0
        Get-ChildItem | Should -BeNullOrEmpty
    }
}

Describe 'The API key never appears' {
    It 'in any stream, error record, object, journal line or file, across the scenarios' {
        Use-TestJournal | Out-Null
        $dir = New-TestDirectory 'leak'
        Set-Location $dir
        $captured = [System.Collections.Generic.List[string]]::new()
        $scenarios = @(
            { Connect-Phota -BaseUri $ctx.Emulator.Url -ApiKey $apiKey -Verbose -Debug -PassThru | Format-List * | Out-String }
            { New-PhotaSession -ApiKey (ConvertTo-SecureString $apiKey -AsPlainText -Force) -BaseUri $ctx.Emulator.Url | Format-List * | Out-String }
            { Get-ChildItem -LiteralPath $photos[0].DirectoryName -Filter *.jpg | Invoke-PhotaEnhance -Verbose -Debug }
            { Invoke-PhotaGenerate 'A kite' -NoWait -Verbose -Debug | Receive-PhotaJob -Wait -Verbose -Debug }
            { Invoke-PhotaEdit -Image $photos[0].FullName -Prompt 'x' -ProfileId 'prof_missing' -Verbose -Debug }
            { Invoke-PhotaEdit -Image (Join-Path $corpus 'notes.jpg') -Prompt 'x' -Verbose -Debug }
            { Invoke-PhotaGenerate 'make it nsfw' -Verbose -Debug }
            { Get-PhotaJob -All -Verbose -Debug | Format-List * | Out-String }
            { Get-PhotaJob -JobId 'job_missing' -Verbose -Debug }
            { Get-PhotaProfile -Verbose -Debug }
            { New-PhotaProfile -ImageUrl (Get-TestPortraitUrl -Count 5) -TrainingTier Fast -Verbose -Debug -WhatIf }
            { Get-PhotaWebhookSecret -AsPlainText -Verbose -Debug }
            { Connect-Phota -BaseUri $ctx.Emulator.Url -ApiKey ($apiKey + 'x') -Verbose -Debug }
        )
        foreach ($scenario in $scenarios) {
            $DebugPreference = 'Continue'
            $c = Invoke-Captured $scenario
            $DebugPreference = 'SilentlyContinue'
            foreach ($record in @($c.Output) + @($c.Warning) + @($c.Verbose) + @($c.Debug) + @($c.Information)) { $captured.Add("$record"); $captured.Add(($record | Format-List * -Force | Out-String)) }
            foreach ($e in @($c.Error) + @($c.Thrown | Where-Object { $_ })) {
                $captured.Add($e.ToString()); $captured.Add($e.Exception.ToString()); $captured.Add("$($e.ErrorDetails.Message) $($e.ErrorDetails.RecommendedAction)")
                $captured.Add(($e | Format-List * -Force | Out-String))
            }
        }
        Connect-Phota -BaseUri $ctx.Emulator.Url -ApiKey $apiKey
        $captured.Count | Should -BeGreaterThan 50
        ($captured -join "`n") | Should -Match 'GET /v1/phota' -Because 'the verbose HTTP log was captured'
        $leaks = $captured | Where-Object { $_ -and $_.Contains($apiKey) }
        $leaks | Should -BeNullOrEmpty
        (Get-Content -LiteralPath $env:PHOTA_JOURNAL_PATH -Raw) | Should -Not -Match ([regex]::Escape($apiKey))
        foreach ($file in Get-ChildItem -LiteralPath $dir -Recurse -File) {
            $file.Name | Should -Not -Match ([regex]::Escape($apiKey))
            [System.Text.Encoding]::Latin1.GetString([System.IO.File]::ReadAllBytes($file.FullName)) | Should -Not -Match ([regex]::Escape($apiKey))
        }
    }
}
