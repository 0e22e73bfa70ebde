#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Ops automation: scripts that are run again never pay twice (-ClientRequestId, -SkipExisting), webhooks a listener can
# act on (ConvertFrom-PhotaWebhook), prompts and confirmations a non-interactive script can live with, and output
# objects that export as values.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:ctx = Initialize-PhotaTestFile
    $script:photos = Get-TestImage photos

    function script:Get-SignedCallback([string] $JobId) {
        # The body a callback carries is the job's final status; sign it as the server does.
        $secret = Get-PhotaWebhookSecret -AsPlainText
        $body = (Invoke-WebRequest -Uri "$($ctx.Emulator.Url)/v1/phota/jobs/$JobId" -Headers @{ 'X-API-Key' = $ctx.Emulator.ApiKey }).Content
        $hmac = [System.Security.Cryptography.HMACSHA256]::new([System.Text.Encoding]::UTF8.GetBytes($secret))
        $signature = [Convert]::ToHexString($hmac.ComputeHash([System.Text.Encoding]::UTF8.GetBytes($body))).ToLowerInvariant()
        [pscustomobject]@{ Body = $body; Signature = $signature; Secret = $secret }
    }
}

AfterAll {
    Complete-PhotaTestFile $script:ctx
}

Describe 'Re-running a script with -ClientRequestId' {
    BeforeEach { Set-Location (New-TestDirectory 'rerun') }

    It 'a re-run with the same keys from a second, empty journal adds no job and no charge, and gets the original results' {
        $first = Use-TestJournal
        $delta1 = Measure-TestAccountChange { $script:run1 = Get-ChildItem -LiteralPath $photos[0].DirectoryName -Filter *.jpg | Invoke-PhotaEnhance -ClientRequestId { "nightly-2026-12-02-$($_.Name)" } -OutputDirectory run1 }
        $delta1.Jobs | Should -Be $photos.Count
        $delta1.Charged | Should -Be (0.12 * $photos.Count)

        $second = Use-TestJournal
        $second | Should -Not -Be $first
        $delta2 = Measure-TestAccountChange { $script:run2 = Get-ChildItem -LiteralPath $photos[0].DirectoryName -Filter *.jpg | Invoke-PhotaEnhance -ClientRequestId { "nightly-2026-12-02-$($_.Name)" } -OutputDirectory run2 }
        $delta2.Jobs | Should -Be 0 -Because 'the server answered every key with its original job'
        $delta2.Charged | Should -Be 0
        ($run2.JobId | Sort-Object) | Should -Be ($run1.JobId | Sort-Object)
        ($run2.Name | Sort-Object) | Should -Be ($run1.Name | Sort-Object)
        foreach ($image in $run2) { (Get-TestImageInfo $image.FullName).Complete | Should -BeTrue }
        (Get-TestJournalRecord -Path $second | Where-Object type -EQ 'intent').client_request_id | Sort-Object |
            Should -Be ($photos.Name | ForEach-Object { "nightly-2026-12-02-$_" } | Sort-Object)
    }

    It 'a re-run in the same journal makes the key outstanding again until it is collected' {
        $journal = Use-TestJournal
        $null = Invoke-PhotaGenerate 'A lighthouse at dusk' -ClientRequestId 'lighthouse-1' -NoWait
        $null = Get-PhotaJob | Receive-PhotaJob -Wait
        Get-PhotaJob | Should -BeNullOrEmpty
        $delta = Measure-TestAccountChange { $script:again = Invoke-PhotaGenerate 'A lighthouse at dusk' -ClientRequestId 'lighthouse-1' -NoWait }
        $delta.Charged | Should -Be 0
        (Get-PhotaJob).ClientRequestId | Should -Be 'lighthouse-1'
        $null = $again | Receive-PhotaJob -Wait
        Get-PhotaJob | Should -BeNullOrEmpty
    }

    It 'one key for several requests of one item is refused before anything is sent' {
        $delta = Measure-TestAccountChange { Invoke-PhotaEnhance -Image (Join-Path $photos[0].DirectoryName '*.jpg') -ClientRequestId 'one-key' -ErrorAction SilentlyContinue -ErrorVariable script:err }
        $delta.Submits | Should -Be 0
        $err[0].FullyQualifiedErrorId | Should -BeLike 'Phota.InvalidInput*'
        $err[0].Exception.Message | Should -Match "-ClientRequestId 'one-key' would be shared by $($photos.Count) requests"
        $err[0].Exception.Message | Should -Match 'ClientRequestId \{'
    }

    It 'a key with -Synchronous is refused: synchronous calls have no idempotency' {
        $delta = Measure-TestAccountChange { Invoke-PhotaEnhance -Image $photos[0].FullName -Synchronous -ClientRequestId 'sync-key' -ErrorAction SilentlyContinue -ErrorVariable script:err }
        $delta.Submits | Should -Be 0
        $err[0].FullyQualifiedErrorId | Should -BeLike 'Phota.InvalidInput*'
        $err[0].Exception.Message | Should -Match 'client_request_id.*only used by asynchronous submits'
    }

    It '-SkipExisting sends nothing for inputs whose results are already saved' {
        $null = Invoke-PhotaEnhance -Image $photos[0].FullName -OutputDirectory out
        $delta = Measure-TestAccountChange { $script:c = Invoke-Captured { Get-ChildItem -LiteralPath $photos[0].DirectoryName -Filter *.jpg | Invoke-PhotaEnhance -OutputDirectory out -SkipExisting -Verbose } }
        $delta.Submits | Should -Be ($photos.Count - 1) -Because 'the first photo''s result exists'
        @($c.Output).Count | Should -Be ($photos.Count - 1)
        ($c.Verbose.Message -join "`n") | Should -Match "Skipped .*$([regex]::Escape($photos[0].Name)).*$([regex]::Escape($photos[0].BaseName)).enhanced.jpg"
        Get-ChildItem out -Filter '*(2)*' | Should -BeNullOrEmpty
    }
}

Describe 'ConvertFrom-PhotaWebhook' {
    BeforeAll {
        $script:job = Invoke-PhotaGenerate 'A red kite over a beach' -NoWait | Wait-PhotaJob
        $script:callback = Get-SignedCallback $job.JobId
    }

    It 'returns the job a verified callback reports, with its status and download URLs' {
        $result = ConvertFrom-PhotaWebhook -Body $callback.Body -Signature $callback.Signature -Secret $callback.Secret
        $result.GetType().FullName | Should -Be 'Phota.PowerShell.PhotaJob'
        $result.JobId | Should -Be $job.JobId
        $result.Status | Should -Be 'succeeded'
        $result.Operation | Should -Be 'generate'
        $result.DownloadUrls | Should -HaveCount 1
        $result.Urls | Should -Match '^https?://'
    }

    It 'refuses a tampered body or a missing signature with Phota.InvalidSignature and returns nothing' {
        $tampered = $callback.Body -replace 'succeeded', 'failed'
        ConvertFrom-PhotaWebhook -Body $tampered -Signature $callback.Signature -Secret $callback.Secret -ErrorAction SilentlyContinue -ErrorVariable bad | Should -BeNullOrEmpty
        $bad[0].FullyQualifiedErrorId | Should -BeLike 'Phota.InvalidSignature*'
        $bad[0].CategoryInfo.Category | Should -Be 'SecurityError'
        ConvertFrom-PhotaWebhook -Body $callback.Body -Signature '' -Secret $callback.Secret -ErrorAction SilentlyContinue -ErrorVariable missing | Should -BeNullOrEmpty
        $missing[0].FullyQualifiedErrorId | Should -BeLike 'Phota.InvalidSignature*'
        $missing[0].Exception.Message | Should -Match 'no X-Phota-Signature'
    }

    It 'binds Body and X-Phota-Signature from piped objects, fetching the secret with the session' {
        $received = @(
            [pscustomobject]@{ Body = $callback.Body; 'X-Phota-Signature' = "sha256=$($callback.Signature.ToUpperInvariant())" }
            [pscustomobject]@{ Body = $callback.Body + ' '; 'X-Phota-Signature' = $callback.Signature }
            [pscustomobject]@{ Body = [System.Text.Encoding]::UTF8.GetBytes($callback.Body); Signature = $callback.Signature }
        )
        $jobs = $received | ConvertFrom-PhotaWebhook -ErrorAction SilentlyContinue -ErrorVariable refused
        $jobs | Should -HaveCount 2
        $jobs.JobId | Should -Be $job.JobId, $job.JobId
        $refused | Should -HaveCount 1
    }
}

Describe 'Scripts that must not prompt' {
    BeforeEach { Set-Location (New-TestDirectory 'prompt') }

    It 'Remove-PhotaProfile -Force deletes without a prompt in a non-interactive script; without it the script cannot' {
        $ids = 1..2 | ForEach-Object { New-TestReadyProfile }
        $script = "Import-Module '$(Get-TestModulePath)'; Connect-Phota -BaseUri '$($ctx.Emulator.Url)' -ApiKey '$($ctx.Emulator.ApiKey)' -SkipCheck; "
        $asked = Invoke-TestPowerShell -NoProfile -NonInteractive -Command ($script + "Remove-PhotaProfile -ProfileId '$($ids[0])' -ErrorAction Stop")
        $LASTEXITCODE | Should -Not -Be 0 -Because "a confirmation prompt cannot be answered non-interactively: $asked"
        $asked | Should -Match 'NonInteractive'
        (Get-PhotaProfile -ProfileId $ids[0]).Status | Should -Not -Be 'DELETED'

        $forced = Invoke-TestPowerShell -NoProfile -NonInteractive -Command ($script + "Remove-PhotaProfile -ProfileId '$($ids[1])' -Force -PassThru -ErrorAction Stop | ForEach-Object Status")
        $LASTEXITCODE | Should -Be 0 -Because $forced
        $forced | Should -Match 'DELETED'
        Get-PhotaProfile -ProfileId $ids[1] -ErrorAction SilentlyContinue -ErrorVariable gone | Should -BeNullOrEmpty
        $gone[0].FullyQualifiedErrorId | Should -BeLike 'Phota.ProfileNotFound*'
    }

    It 'Remove-PhotaProfile -Force -WhatIf still deletes nothing' {
        $id = New-TestReadyProfile
        Remove-PhotaProfile -ProfileId $id -Force -WhatIf
        (Get-PhotaProfile -ProfileId $id).IsReady | Should -BeTrue
    }

    It 'Save-PhotaProfilePicture -OutputDirectory names the file after the profile; -WhatIf writes nothing' {
        $id = New-TestReadyProfile
        Save-PhotaProfilePicture -ProfileId $id -OutputDirectory pics -WhatIf
        Test-Path pics | Should -BeFalse
        $file = Save-PhotaProfilePicture -ProfileId $id -OutputDirectory pics
        $file.FullName | Should -Be (Join-Path (Get-Location).ProviderPath "pics/$id.jpg")
        (Get-TestImageInfo $file.FullName).Format | Should -Be 'jpg'
    }
}

Describe 'Prompts, limits and prices as the API documents them' {
    BeforeEach { Set-Location (New-TestDirectory 'api') }

    It 'an empty prompt is the API''s default: edit without -Prompt and generate with '''' both produce images' {
        $edited = Invoke-PhotaEdit -Image $photos[0].FullName
        (Get-TestImageInfo $edited.FullName).Complete | Should -BeTrue
        $generated = Invoke-PhotaGenerate ''
        $generated.Name | Should -Be 'generate.jpg'
        (Get-TestImageInfo $generated.FullName).Complete | Should -BeTrue
    }

    It '-WhatIf for edit and generate names what the unpublished price depends on' {
        # -WhatIf writes to the host, so a child PowerShell's output is read.
        $text = Invoke-TestPowerShell -NoProfile -NonInteractive -Command ("Import-Module '$(Get-TestModulePath)'; " +
            "`$s = New-PhotaSession -ApiKey '$($ctx.Emulator.ApiKey)' -BaseUri '$($ctx.Emulator.Url)'; " +
            "Invoke-PhotaGenerate 'A red bicycle' -BaseModel gpt-image-2 -Resolution 2K -Quality high -Count 2 -Session `$s -WhatIf")
        $text | Should -Match 'price not published.*base model gpt-image-2, resolution 2K, quality high, 2 output images'
    }

    It 'a synchronous call past the server''s time limit is Phota.TimeLimitExceeded: refunded, with the advice to use a job' {
        $slow = Start-TestEmulator -ArgumentList '--time-scale', '0.01', '--sync-limit-s', '20', '--job-ms', '2000'
        $session = New-TestSession $slow
        $delta = Measure-TestAccountChange -Emulator $slow { Invoke-PhotaEnhance -Image $photos[0].FullName -Synchronous -Session $session -ErrorAction SilentlyContinue -ErrorVariable script:err }
        $delta.Charged | Should -Be 0.12 -Because 'the reserved cost is charged, then refunded'
        (Get-TestAccount $slow).refunded_usd | Should -Be 0.12
        $err[0].FullyQualifiedErrorId | Should -BeLike 'Phota.TimeLimitExceeded*'
        $err[0].CategoryInfo.Category | Should -Be 'OperationTimeout'
        $err[0].Exception.Message | Should -Match 'ran past the server''s time limit.*refunds its cost.*HTTP 504'
        $err[0].ErrorDetails.RecommendedAction | Should -Match 'without -Synchronous'
        Get-ChildItem | Should -BeNullOrEmpty
    }
}

Describe 'Output objects export as values' {
    BeforeEach { Set-Location (New-TestDirectory 'csv') }

    It 'Export-Csv of images and jobs writes values, never type names; the lists stay available' {
        $profileId = New-TestReadyProfile
        $image = Invoke-PhotaGenerate "A portrait of [[$profileId]]"
        $job = Invoke-PhotaEnhance -Image $photos[0].FullName -NoWait
        $image | Export-Csv images.csv
        $job | Export-Csv jobs.csv
        $text = (Get-Content images.csv -Raw) + (Get-Content jobs.csv -Raw)
        $text | Should -Not -Match 'System\.Collections|System\.String\[\]|Dictionary'
        (Import-Csv images.csv).KnownSubjects | Should -Match "^$profileId=\d+$"
        (Import-Csv jobs.csv).Inputs | Should -Be $photos[0].FullName
        $image.KnownSubjectCounts[$profileId] | Should -BeGreaterThan 0
        $job.InputList | Should -Be $photos[0].FullName
        $null = $job | Receive-PhotaJob -Wait
    }
}

Describe 'Results without files: -NoDownload' {
    BeforeEach { Set-Location (New-TestDirectory 'nodownload') }

    It 'the studio cmdlets emit signed URLs that work, write nothing, and leave nothing outstanding' {
        $journal = Use-TestJournal
        $links = Invoke-PhotaEnhance -Image $photos[0].FullName -Count 2 -NoDownload
        $links | Should -HaveCount 2
        $links[0].GetType().FullName | Should -Be 'Phota.PowerShell.PhotaImageUrl'
        ($links.Variation | Sort-Object) | Should -Be 1, 2
        $links | ForEach-Object {
            $_.Operation | Should -Be 'enhance'
            $_.Source | Should -Be $photos[0].FullName
            $_.ExpiresAt | Should -BeGreaterThan ([DateTimeOffset]::UtcNow.AddHours(23))
            $_.ExpiresAt | Should -BeLessThan ([DateTimeOffset]::UtcNow.AddHours(25))
            $bytes = (Invoke-WebRequest -Uri $_.Url).Content
            $bytes[0..2] | Should -Be 0xFF, 0xD8, 0xFF -Because 'the URL serves the JPEG, with no key'
        }
        Get-ChildItem -Recurse | Should -BeNullOrEmpty -Because '-NoDownload writes nothing'
        Get-PhotaJob | Should -BeNullOrEmpty -Because 'the results were handed over'
        (Get-PhotaJob -All).JournalState | Should -Be 'Linked'
        Get-TestJournalRecord -Path $journal | Where-Object type -EQ 'linked' | Should -HaveCount 1
    }

    It 'URLs pipe into the next cmdlet''s -Image, so results chain without downloading' {
        $edited = Invoke-PhotaEnhance -Image $photos[0].FullName -NoDownload | Invoke-PhotaEdit -Prompt 'make it a winter scene'
        $edited | Should -HaveCount 1
        (Get-TestImageInfo $edited.FullName).Complete | Should -BeTrue
        @(Get-ChildItem -File) | Should -HaveCount 1 -Because 'only the edit was saved'
    }

    It 'Receive-PhotaJob -NoDownload emits the URLs of submitted jobs and writes nothing' {
        $null = Use-TestJournal
        $jobs = $photos | Select-Object -First 2 | ForEach-Object { Invoke-PhotaEnhance -Image $_.FullName -NoWait }
        $links = $jobs | Receive-PhotaJob -Wait -NoDownload
        $links | Should -HaveCount 2
        ($links.JobId | Sort-Object) | Should -Be ($jobs.JobId | Sort-Object)
        Get-ChildItem -Recurse | Should -BeNullOrEmpty
        Get-PhotaJob | Should -BeNullOrEmpty
    }

    It '-NoWait with -NoDownload is refused before anything is sent' {
        $delta = Measure-TestAccountChange { { Invoke-PhotaEnhance -Image $photos[0].FullName -NoWait -NoDownload -ErrorAction Stop } | Should -Throw -ErrorId 'Phota.InvalidInput*' }
        $delta.Submits | Should -Be 0
    }
}

Describe 'Receive-PhotaJob -WhatIf and -JobId completion' {
    BeforeEach { Set-Location (New-TestDirectory 'receive') }

    It '-WhatIf downloads and writes nothing, and the job stays outstanding' {
        $null = Use-TestJournal
        $job = Invoke-PhotaEnhance -Image $photos[0].FullName -NoWait -OutputDirectory results | Wait-PhotaJob
        $job | Receive-PhotaJob -WhatIf | Should -BeNullOrEmpty
        Test-Path results | Should -BeFalse
        (Get-PhotaJob).JobId | Should -Be $job.JobId
        $saved = $job | Receive-PhotaJob
        $saved.DirectoryName | Should -Be (Join-Path (Get-Location).ProviderPath 'results')
    }

    It 'tab completion of -JobId offers the journal''s outstanding job ids' {
        $null = Use-TestJournal
        $jobs = $photos | Select-Object -First 2 | ForEach-Object { Invoke-PhotaEnhance -Image $_.FullName -NoWait }
        foreach ($command in 'Receive-PhotaJob -JobId ', 'Wait-PhotaJob -JobId ', 'Get-PhotaJob -JobId ') {
            $line = $command + 'job_'
            $completions = (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText
            ($completions | Sort-Object) | Should -Be ($jobs.JobId | Sort-Object) -Because $command
        }
        $null = $jobs | Receive-PhotaJob -Wait
        $line = 'Receive-PhotaJob -JobId job_'
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches | Should -BeNullOrEmpty -Because 'collected jobs are not offered'
    }
}

Describe 'Waiting for profiles' {
    It 'Wait-PhotaProfile checks a READY profile at once: no wait before the answer' {
        $id = New-TestReadyProfile
        $c = Invoke-Captured { Wait-PhotaProfile -ProfileId $id -Verbose }
        $c.Output.ProfileId | Should -Be $id
        $c.Output.IsReady | Should -BeTrue
        ($c.Verbose.Message -match '^Waiting ') | Should -BeNullOrEmpty -Because 'the first check is made at once'
        @($c.Verbose.Message -match "GET /v1/phota/profiles/$id/status") | Should -HaveCount 1
    }

    It 'New-PhotaProfile -Wait moves its progress bar while training and removes it at the end' {
        $slow = Start-TestEmulator -ArgumentList '--time-scale', '0.02'
        $urls = Get-TestPortraitUrl -Count 5
        $c = Invoke-CapturedProgress -Session (New-TestSession $slow) -Variables @{ urls = $urls } -ScriptBlock { $urls | New-PhotaProfile -TrainingTier Fast -Wait }
        $c.Output.IsReady | Should -BeTrue
        $bar = @($c.Progress | Where-Object Activity -EQ 'New-PhotaProfile')
        $seconds = @($bar | Where-Object RecordType -EQ 'Processing' | ForEach-Object { if ($_.StatusDescription -match 'after (\d+) s') { [int]$Matches[1] } } | Sort-Object -Unique)
        $seconds.Count | Should -BeGreaterThan 1 -Because 'the time waited moves while training (about 2 s here)'
        $bar[-1].RecordType | Should -Be 'Completed'
    }
}

Describe 'Get-PhotaJob states that agree' {
    It 'a checked job that finished is shown succeeded and Completed; -All shows a status for jobs not checked' {
        $null = Use-TestJournal
        $job = Invoke-PhotaEnhance -Image $photos[0].FullName -NoWait
        $null = $job | Wait-PhotaJob
        $checked = Get-PhotaJob
        $checked.Status | Should -Be 'succeeded'
        $checked.JournalState | Should -Be 'Completed' -Because 'the check recorded what it saw'
        $null = $job | Receive-PhotaJob
        $all = Get-PhotaJob -All
        $all.Status | Should -Be 'succeeded'
        $all.JournalState | Should -Be 'Downloaded'
    }
}
