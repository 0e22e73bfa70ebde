#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Profiles: New-PhotaProfile, Get-PhotaProfile, Wait-PhotaProfile, Remove-PhotaProfile, Save-PhotaProfilePicture,
# the [[id]] string form and tab completion.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    # Full Train takes hours here (profiles that stay in training); Quick Train a fraction of a second.
    $script:ctx = Initialize-PhotaTestFile -EmulatorArgument '--full-train-s', '50000000'
    $script:urls = @(Get-TestPortraitUrl -Count 5)
    $script:readyId = New-TestReadyProfile -Tag 'ready-profile'
}

AfterAll {
    Complete-PhotaTestFile $script:ctx
}

Describe 'New-PhotaProfile' {
    It 'all piped URLs form one profile; it is charged at the Quick Train price' {
        $delta = Measure-TestAccountChange { $script:trained = $urls | New-PhotaProfile -TrainingTier Fast }
        $delta.Profiles | Should -Be 1
        $delta.Charged | Should -Be 1.49
        @($trained).Count | Should -Be 1
        $trained.GetType().FullName | Should -Be 'Phota.PowerShell.PhotaProfile'
        $trained.ProfileId | Should -Not -BeNullOrEmpty
        $trained.Status | Should -BeIn 'VALIDATING', 'QUEUING', 'IN_PROGRESS', 'READY'
    }

    It 'its string form is [[profile_id]], so "$alice" references it in a prompt' {
        $trained = Get-PhotaProfile -ProfileId $readyId
        "$trained" | Should -Be "[[$readyId]]"
        "A headshot of $trained in an office" | Should -Be "A headshot of [[$readyId]] in an office"
    }

    It 'Full Train (the default tier) is charged at its price; -Tag is kept' {
        $delta = Measure-TestAccountChange { $script:trained = New-PhotaProfile -ImageUrl (Get-TestPortraitUrl -Count 10) -Tag 'full-train' }
        $delta.Charged | Should -Be 2.90
        $trained.Tag | Should -Be 'full-train'
    }

    It '-Wait waits for training and emits the READY profile' {
        $trained = New-PhotaProfile -ImageUrl $urls -TrainingTier Fast -Wait -TimeoutSec 60
        $trained.Status | Should -Be 'READY'
        $trained.IsReady | Should -BeTrue
    }

    It '-TimeoutSec without -Wait warns that it has no effect' {
        $null = New-PhotaProfile -ImageUrl $urls -TrainingTier Fast -TimeoutSec 5 -WarningVariable warned -WarningAction SilentlyContinue
        $warned | Should -HaveCount 1
        "$warned" | Should -Match 'no effect without -Wait'
        $null = New-PhotaProfile -ImageUrl $urls -TrainingTier Fast -WarningVariable quiet
        $quiet | Should -BeNullOrEmpty
    }

    It '-WhatIf creates nothing and spends nothing' {
        $delta = Measure-TestAccountChange { New-PhotaProfile -ImageUrl $urls -TrainingTier Fast -WhatIf }
        $delta.Profiles | Should -Be 0
        $delta.Charged | Should -Be 0
    }

    It 'refuses, before spending money: <Case>' -ForEach @(
        @{ Case = 'too few images for Quick Train'; Count = 4; Tier = 'Fast'; Tag = $null }
        @{ Case = 'too many images for Quick Train'; Count = 11; Tier = 'Fast'; Tag = $null }
        @{ Case = 'too few images for Full Train'; Count = 9; Tier = 'Standard'; Tag = $null }
        @{ Case = 'a tag of 129 characters'; Count = 5; Tier = 'Fast'; Tag = ('t' * 129) }
    ) {
        $new = @{ ImageUrl = @(Get-TestPortraitUrl -Count $Count); TrainingTier = $Tier }
        if ($Tag) { $new.Tag = $Tag }
        $delta = Measure-TestAccountChange { $script:e = { New-PhotaProfile @new } | Should -Throw -PassThru }
        $e.FullyQualifiedErrorId | Should -BeLike 'Phota.InvalidInput*'
        $delta.Profiles | Should -Be 0
        $delta.Charged | Should -Be 0
    }
}

Describe 'Get-PhotaProfile' {
    It 'lists the account''s profiles, and only those with a tag when given -Tag' {
        $all = Get-PhotaProfile
        $all.ProfileId | Should -Contain $readyId
        $tagged = Get-PhotaProfile -Tag 'ready-profile'
        @($tagged).Count | Should -Be 1
        $tagged.ProfileId | Should -Be $readyId
        Get-PhotaProfile -Tag 'no-such-tag' | Should -BeNullOrEmpty
    }

    It 'gets the status of given ids, [[id]] forms and piped profiles; a missing one is a non-terminating Phota.ProfileNotFound' {
        $out = Get-PhotaProfile -ProfileId $readyId, "[[$readyId]]", 'prof_missing' -ErrorAction SilentlyContinue -ErrorVariable err
        $out.Count | Should -Be 2
        $out.Status | Sort-Object -Unique | Should -Be 'READY'
        $err[0].FullyQualifiedErrorId | Should -BeLike 'Phota.ProfileNotFound*'
        $err[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $err[0].TargetObject | Should -Be 'prof_missing'
        (Get-PhotaProfile -ProfileId $readyId | Get-PhotaProfile).ProfileId | Should -Be $readyId
    }
}

Describe 'Wait-PhotaProfile' {
    It 'waits for piped profiles at once, with one progress bar, and emits each when READY' {
        $ids = 1..2 | ForEach-Object { (Invoke-TestApi 'v1/phota/profiles/add' -Method Post -Body @{ image_urls = $urls; training_tier = 'fast' }).profile_id }
        $c = Invoke-CapturedProgress -Session (New-TestSession) -Variables @{ ids = $ids } -ScriptBlock { $ids | Get-PhotaProfile | Wait-PhotaProfile -TimeoutSec 60 }
        $c.Thrown | Should -BeNullOrEmpty
        $c.Error | Should -BeNullOrEmpty
        ($c.Output.ProfileId | Sort-Object) | Should -Be ($ids | Sort-Object)
        $c.Output.Status | Sort-Object -Unique | Should -Be 'READY'
        $c.Progress.Count | Should -BeGreaterThan 0
        @($c.Progress.ActivityId | Sort-Object -Unique).Count | Should -Be 1
        ($c.Progress.StatusDescription -join "`n") | Should -Match 'of 2 profile'
    }

    It 'a profile whose training fails is an error carrying the server''s message; the others are still emitted' {
        # Images under 64 px show no subject: training ends in ERROR.
        $tiny = Join-Path $ctx.Images 'tiny'
        New-Item -ItemType Directory -Path $tiny -Force | Out-Null
        $tinyUrls = 1..5 | ForEach-Object { New-TestPng -Path (Join-Path $tiny "t$_.png") -Width 32 -Height 32 -Seed $_ | Out-Null; Get-TestImageUrl "tiny/t$_.png" }
        $failed = (Invoke-TestApi 'v1/phota/profiles/add' -Method Post -Body @{ image_urls = @($tinyUrls); training_tier = 'fast' }).profile_id
        $out = Wait-PhotaProfile -ProfileId $failed, $readyId -TimeoutSec 60 -ErrorAction SilentlyContinue -ErrorVariable err
        $out.ProfileId | Should -Be $readyId
        $err | Should -HaveCount 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'Phota.ProfileTrainingFailed*'
        $err[0].TargetObject | Should -Be $failed
        "$($err[0].ErrorDetails) $($err[0].Exception.Message)" | Should -Match 'No subject was detected'
    }

    It 'a profile that became INACTIVE is an error carrying the server''s message' {
        # Profiles left unused become INACTIVE (90 days on the service; half a second here).
        $idle = Start-TestEmulator -ArgumentList '--inactive-after-s', '500'
        $id = New-TestReadyProfile -Emulator $idle
        Start-Sleep -Milliseconds 1500
        $out = Wait-PhotaProfile -ProfileId $id -Session (New-TestSession $idle) -TimeoutSec 30 -ErrorAction SilentlyContinue -ErrorVariable err
        $out | Should -BeNullOrEmpty
        $err | Should -HaveCount 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'Phota.ProfileTrainingFailed*'
        "$($err[0].ErrorDetails) $($err[0].Exception.Message)" | Should -Match 'INACTIVE'
        $idle | Stop-PhotaEmulator
    }

    It 'Ctrl+C (StopProcessing) ends a wait at once, as stopped and without an error' {
        $training = New-PhotaProfile -ImageUrl (Get-TestPortraitUrl -Count 10)
        $run = Start-TestPipeline -Session (New-TestSession) -Variables @{ id = $training.ProfileId } -ScriptBlock { Wait-PhotaProfile -ProfileId $id }
        Start-Sleep -Milliseconds 1500
        $stopped = Stop-TestPipeline $run
        $stopped.Stopped | Should -BeTrue
        $stopped.State | Should -Be 'Stopped'
        $stopped.StopSeconds | Should -BeLessThan 5
        $stopped.Error | Should -BeNullOrEmpty
        $stopped.Output | Should -BeNullOrEmpty
    }

    It '-TimeoutSec ends the wait with a Phota.Timeout error for a profile still training' {
        $training = New-PhotaProfile -ImageUrl (Get-TestPortraitUrl -Count 10)
        $sw = [System.Diagnostics.Stopwatch]::StartNew()
        $training | Wait-PhotaProfile -TimeoutSec 1 -ErrorAction SilentlyContinue -ErrorVariable err | Should -BeNullOrEmpty
        $sw.Elapsed.TotalSeconds | Should -BeLessThan 10
        $err[0].FullyQualifiedErrorId | Should -BeLike 'Phota.Timeout*'
        $err[0].CategoryInfo.Category | Should -Be 'OperationTimeout'
    }
}

Describe 'Remove-PhotaProfile' {
    It 'asks first (ConfirmImpact High): -WhatIf deletes nothing' {
        (Get-Command Remove-PhotaProfile).ImplementingType.GetCustomAttributes($true) |
            Where-Object { $_ -is [System.Management.Automation.CmdletAttribute] } |
            ForEach-Object { $_.ConfirmImpact | Should -Be 'High' }
        $id = New-TestReadyProfile
        Remove-PhotaProfile -ProfileId $id -WhatIf
        (Get-PhotaProfile -ProfileId $id).Status | Should -Be 'READY'
    }

    It 'deletes piped profiles (-PassThru emits them); afterwards they are not found' {
        $id = New-TestReadyProfile
        $removed = Get-PhotaProfile -ProfileId $id | Remove-PhotaProfile -Confirm:$false -PassThru
        $removed.ProfileId | Should -Be $id
        Get-PhotaProfile -ProfileId $id -ErrorAction SilentlyContinue -ErrorVariable err | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike 'Phota.ProfileNotFound*'
        (Get-PhotaProfile).ProfileId | Should -Not -Contain $id
    }
}

Describe 'Save-PhotaProfilePicture' {
    BeforeEach { Set-Location (New-TestDirectory 'picture') }

    It 'saves the picture as the profile id .jpg in the current location, or into a given folder' {
        $file = Save-PhotaProfilePicture -ProfileId $readyId
        $file | Should -BeOfType ([System.IO.FileInfo])
        $file.FullName | Should -Be (Join-Path (Get-Location).ProviderPath "$readyId.jpg")
        (Get-TestImageInfo $file.FullName).Format | Should -Be 'jpg'
        New-Item -ItemType Directory pics | Out-Null
        $inFolder = Get-PhotaProfile -ProfileId $readyId | Save-PhotaProfilePicture -Path pics
        $inFolder.FullName | Should -Be (Join-Path (Get-Location).ProviderPath "pics/$readyId.jpg")
    }

    It 'overwrites an existing file with -Force' {
        Set-Content -LiteralPath 'me.jpg' -Value 'old'
        $file = Save-PhotaProfilePicture -ProfileId $readyId -Path me.jpg -Force
        $file.FullName | Should -Be (Join-Path (Get-Location).ProviderPath 'me.jpg')
        (Get-TestImageInfo $file.FullName).Format | Should -Be 'jpg'
    }

    It 'does not overwrite an existing file without -Force' {
        Set-Content -LiteralPath 'me.jpg' -Value 'keep'
        Save-PhotaProfilePicture -ProfileId $readyId -Path me.jpg -ErrorAction SilentlyContinue -ErrorVariable err | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike 'Phota.OutputFailed*'
        $err[0].TargetObject | Should -Be $readyId
        Get-Content -LiteralPath 'me.jpg' | Should -Be 'keep'
        Get-ChildItem -Force | Should -HaveCount 1 -Because 'no partial file is left behind'
    }

    # A refused save once left the process unable to save anything else (seen when its output was assigned to $null).
    It 'a refused save does not block the next one' {
        Set-Content -LiteralPath 'me.jpg' -Value 'keep'
        $null = Save-PhotaProfilePicture -ProfileId $readyId -Path me.jpg -ErrorAction SilentlyContinue
        $run = Start-TestPipeline -Session (New-TestSession) -Variables @{ id = $readyId } -ScriptBlock { Save-PhotaProfilePicture -ProfileId $id -Path other.jpg }
        $run.Async.AsyncWaitHandle.WaitOne(10000) | Should -BeTrue
        (Stop-TestPipeline $run).Output.Name | Should -Be 'other.jpg'
    }
}

Describe 'Tab completion' {
    It 'completes profile ids for -ProfileId' {
        foreach ($command in 'Invoke-PhotaEdit -Prompt x -ProfileId ', 'Get-PhotaProfile -ProfileId ', 'Wait-PhotaProfile -ProfileId ') {
            $result = TabExpansion2 -inputScript $command -cursorColumn $command.Length
            $result.CompletionMatches.CompletionText | Should -Contain $readyId -Because $command
        }
    }

    It 'completes the enumerated values: <Parameter>' -ForEach @(
        @{ Parameter = 'AspectRatio'; Expected = '16:9' }
        @{ Parameter = 'Resolution'; Expected = '4K' }
        @{ Parameter = 'BaseModel'; Expected = 'gpt-image-2' }
        @{ Parameter = 'Quality'; Expected = 'medium' }
    ) {
        $line = "Invoke-PhotaGenerate x -$Parameter "
        $result = TabExpansion2 -inputScript $line -cursorColumn $line.Length
        ($result.CompletionMatches.CompletionText -replace "^'|'$") | Should -Contain $Expected
    }
}
