#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# The job journal's compaction: Optimize-PhotaJobJournal, and compacting while another PowerShell process appends.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:ctx = Initialize-PhotaTestFile

    # Journal lines of $Count whole jobs as the module writes them; each job's id is "$Prefix-<n>".
    function script:New-JournalText([string] $Prefix, [int] $Count, [datetimeoffset] $Time, [switch] $Outstanding) {
        $t = $Time.ToString('o')
        $text = [System.Text.StringBuilder]::new()
        for ($i = 0; $i -lt $Count; $i++) {
            $id = "$Prefix-$i"
            [void]$text.Append("{`"type`":`"intent`",`"time`":`"$t`",`"client_request_id`":`"$id`",`"operation`":`"enhance`",`"inputs`":[`"/photos/$id.jpg`"],`"output_directory`":`"/out`"}`n")
            [void]$text.Append("{`"type`":`"submitted`",`"time`":`"$t`",`"client_request_id`":`"$id`",`"job_id`":`"job_$id`"}`n")
            if (-not $Outstanding) { [void]$text.Append("{`"type`":`"downloaded`",`"time`":`"$t`",`"client_request_id`":`"$id`"}`n") }
        }
        $text.ToString()
    }

    # Appends lines holding the journal's lock file, as every writer does.
    function script:Add-JournalText([string] $Journal, [string] $Text) {
        $bytes = [System.Text.Encoding]::UTF8.GetBytes($Text)
        $deadline = [DateTime]::UtcNow.AddSeconds(15)
        while ($true) {
            try { $lock = [System.IO.File]::Open("$Journal.lock", 'OpenOrCreate', 'ReadWrite', 'None'); break }
            catch [System.IO.IOException] { if ([DateTime]::UtcNow -gt $deadline) { throw }; Start-Sleep -Milliseconds 2 }
        }
        try {
            $stream = [System.IO.FileStream]::new($Journal, 'Append', 'Write', 'ReadWrite, Delete')
            try { $stream.Write($bytes, 0, $bytes.Length) } finally { $stream.Dispose() }
        }
        finally { $lock.Dispose() }
    }

    function script:Add-JournalJob([string] $Journal, [string] $Prefix, [int] $Count, [datetimeoffset] $Time, [switch] $Outstanding) {
        Add-JournalText $Journal (New-JournalText $Prefix $Count $Time -Outstanding:$Outstanding)
    }
}

AfterAll {
    Complete-PhotaTestFile $script:ctx
}

Describe 'Optimize-PhotaJobJournal' {
    BeforeEach {
        $script:journal = Use-TestJournal
        Set-Location (New-TestDirectory 'journal')
    }

    It '-WhatIf says what it would remove and changes nothing; then it removes only finished jobs older than 24 hours' {
        $old = [DateTimeOffset]::UtcNow.AddDays(-2)
        Add-JournalJob $journal 'old-done' 30 $old
        Add-JournalJob $journal 'old-pending' 3 $old -Outstanding
        $recent = Invoke-PhotaGenerate 'A recent job' -NoWait
        $recent | Receive-PhotaJob -Wait | Should -HaveCount 1
        $before = Get-Content -LiteralPath $journal -Raw

        $c = Invoke-Captured { Optimize-PhotaJobJournal -WhatIf -Verbose }
        $c.Output | Should -BeNullOrEmpty
        ($c.Information + $c.Verbose | Out-String) | Should -Match '34 job\(s\), 3 outstanding'
        Get-Content -LiteralPath $journal -Raw | Should -BeExactly $before

        $result = Optimize-PhotaJobJournal -Confirm:$false
        $result.GetType().FullName | Should -Be 'Phota.Jobs.JournalCompaction'
        $result.Applied | Should -BeTrue
        $result.JobsBefore | Should -Be 34
        $result.JobsRemoved | Should -Be 30
        $result.Outstanding | Should -Be 3
        $result.BytesAfter | Should -Be (Get-Item -LiteralPath $journal).Length
        $result.BytesAfter | Should -BeLessThan $result.BytesBefore

        $ids = (Get-TestJournalRecord).client_request_id | Where-Object { $_ } | Sort-Object -Unique
        $ids | Should -Not -Contain 'old-done-0'
        ($ids | Where-Object { $_ -like 'old-pending-*' }) | Should -HaveCount 3
        (Get-PhotaJob -All).JobId | Should -Contain $recent.JobId

        # Nothing old enough is left: the journal is not rewritten.
        $again = Optimize-PhotaJobJournal -Confirm:$false
        $again.Applied | Should -BeFalse
        $again.JobsRemoved | Should -Be 0
    }

    It 'compacts the file given by -Path, relative to the current location' {
        $other = Join-Path (Get-Location).ProviderPath 'other.jsonl'
        Add-JournalJob $other 'elsewhere' 5 ([DateTimeOffset]::UtcNow.AddDays(-3))
        $result = Optimize-PhotaJobJournal other.jsonl -Confirm:$false
        $result.Path | Should -Be $other
        $result.JobsRemoved | Should -Be 5
        Test-Path -LiteralPath $journal | Should -BeFalse -Because 'the default journal was not touched'
    }
}

Describe 'Compaction while another process appends' {
    BeforeAll {
        # Each submit waits 100 ms in the emulator, so the child keeps appending for several seconds.
        $script:latent = Start-TestEmulator -ArgumentList '--fault-latency-ms', '100'
    }
    BeforeEach {
        $script:journal = Use-TestJournal
        Set-Location (New-TestDirectory 'concurrent')
    }

    It 'loses no outstanding job and tears no line' {
        Add-JournalJob $journal 'kept-pending' 5 ([DateTimeOffset]::UtcNow.AddDays(-5)) -Outstanding
        $log = Join-Path (Get-Location).ProviderPath 'child.log'
        $script = "Import-Module '$(Get-TestModulePath)'; Connect-Phota -BaseUri '$($latent.Url)' -ApiKey '$($latent.ApiKey)' -SkipCheck; " +
            "foreach (`$i in 1..60) { (Invoke-PhotaGenerate ('photo ' + `$i) -NoWait).JobId }; 'FINISHED'"
        $child = Start-TestPowerShell -ArgumentList '-NoProfile', '-NonInteractive', '-Command', $script -StartProcess @{ RedirectStandardOutput = $log; RedirectStandardError = "$log.err" }
        $deadline = [DateTime]::UtcNow.AddSeconds(60)
        while (-not (Get-TestJournalRecord | Where-Object { $_.type -eq 'submitted' -and $_.client_request_id -like 'phota-ps-*' }) -and -not $child.HasExited -and [DateTime]::UtcNow -lt $deadline) {
            Start-Sleep -Milliseconds 20
        }

        $aged = New-JournalText 'AGED' 300 ([DateTimeOffset]::UtcNow.AddDays(-2))
        $whileAppending = 0; $round = 0
        while (-not $child.HasExited -and $round -lt 60 -and [DateTime]::UtcNow -lt $deadline) {
            Add-JournalText $journal $aged.Replace('AGED', "aged$round")
            $result = Optimize-PhotaJobJournal -Confirm:$false
            $result.Applied | Should -BeTrue
            $result.JobsRemoved | Should -Be 300 -Because 'only the jobs aged in this round are old and finished'
            if (-not $child.HasExited) { $whileAppending++ }
            $round++
        }
        $child.WaitForExit(60000) | Should -BeTrue
        $whileAppending | Should -BeGreaterOrEqual 2 -Because 'compactions ran while the other process was submitting'

        $submitted = @(Get-Content -LiteralPath $log | Where-Object { $_ -match '^job_' })
        Get-Content -LiteralPath $log -Raw | Should -Match 'FINISHED'
        $submitted | Should -HaveCount 60

        # Every line is whole JSON: nothing torn, nothing glued together.
        foreach ($line in Get-Content -LiteralPath $journal) { { $line | ConvertFrom-Json -ErrorAction Stop } | Should -Not -Throw }
        $records = Get-TestJournalRecord
        $records | Where-Object { $_.client_request_id -like 'aged*' } | Should -BeNullOrEmpty
        @($records | Where-Object type -EQ 'submitted' | Where-Object job_id -In $submitted) | Should -HaveCount 60

        # Still outstanding: submitted, or seen finished by the status check (Completed), results not saved.
        $outstanding = Get-PhotaJob -Session (New-TestSession $latent) -All | Where-Object JournalState -In 'Submitted', 'Completed'
        foreach ($id in $submitted) { $outstanding.JobId | Should -Contain $id }
        ($outstanding | Where-Object ClientRequestId -Like 'kept-pending-*') | Should -HaveCount 5
    }
}
