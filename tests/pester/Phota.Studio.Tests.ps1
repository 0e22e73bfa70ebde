#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Studio: Invoke-PhotaEdit, Invoke-PhotaGenerate, Invoke-PhotaEnhance and Invoke-PhotaRemix end to end, with the
# pipelines of the module's documentation, output objects and files, options, local rules and API errors.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    # Full Train takes hours here (for "not ready" profiles); Quick Train a fraction of a second.
    $script:ctx = Initialize-PhotaTestFile -EmulatorArgument '--full-train-s', '50000000'
    $script:photos = Get-TestImage photos
    $script:style = (Get-TestImage styles)[0]
    $script:profileId = New-TestReadyProfile
}

AfterAll {
    Complete-PhotaTestFile $script:ctx
}

Describe 'Invoke-PhotaEnhance' {
    BeforeEach { Set-Location (New-TestDirectory 'enhance') }

    It 'Get-ChildItem | Invoke-PhotaEnhance enhances each file with one request per item, into the current location' {
        $delta = Measure-TestAccountChange { $script:out = Get-ChildItem -LiteralPath $photos[0].DirectoryName -Filter *.jpg | Invoke-PhotaEnhance }
        $delta.Submits | Should -Be $photos.Count
        $delta.Charged | Should -Be (0.12 * $photos.Count)
        $out.Count | Should -Be $photos.Count
        ($out.Name | Sort-Object) | Should -Be ($photos.BaseName | ForEach-Object { "$_.enhanced.jpg" } | Sort-Object)
        foreach ($image in $out) {
            $image.GetType().FullName | Should -Be 'Phota.PowerShell.PhotaImage'
            $image.Operation | Should -Be 'enhance'
            $image.Format | Should -Be 'jpg'
            $image.Variation | Should -Be 1
            $image.JobId | Should -BeLike 'job_*'
            $image.RequestId | Should -BeLike 'req_*'
            $image.Source | Should -BeIn $photos.FullName
            $image.DirectoryName | Should -Be (Get-Location).ProviderPath
            $info = Get-TestImageInfo $image.FullName
            $info.Format | Should -Be 'jpg'
            $info.Complete | Should -BeTrue
        }
    }

    It 'writes to the PowerShell location, not the process directory' {
        [Environment]::CurrentDirectory = $ctx.Root
        $out = Invoke-PhotaEnhance -Image $photos[0].FullName
        $out.DirectoryName | Should -Be (Get-Location).ProviderPath
        Test-Path -LiteralPath (Join-Path $ctx.Root $out.Name) | Should -BeFalse
    }

    It '-OutputDirectory is resolved against the current location and created; -Count and -Format png give numbered PNG variations' {
        $out = Invoke-PhotaEnhance -Image $photos[0].FullName -OutputDirectory 'sub/dir' -Count 2 -Format Png
        $out.Count | Should -Be 2
        $out.Variation | Should -Be 1, 2
        $out.Name | Should -Be "$($photos[0].BaseName).enhanced.png", "$($photos[0].BaseName).enhanced-2.png"
        $out[0].DirectoryName | Should -Be (Join-Path (Get-Location).ProviderPath 'sub/dir')
        $out | ForEach-Object { (Get-TestImageInfo $_.FullName).Format | Should -Be 'png' }
    }

    It 'never overwrites an existing file unless -Force' {
        $first = Invoke-PhotaEnhance -Image $photos[0].FullName
        $second = Invoke-PhotaEnhance -Image $photos[0].FullName
        $second.FullName | Should -Not -Be $first.FullName
        $second.Name | Should -Be "$($photos[0].BaseName).enhanced (2).jpg"
        $third = Invoke-PhotaEnhance -Image $photos[0].FullName -Force
        $third.FullName | Should -Be $first.FullName
    }

    It 'takes -LiteralPath (names with wildcard characters) and FileInfo objects' {
        $odd = Copy-Item -LiteralPath $photos[0].FullName -Destination (Join-Path (Get-Location) 'shot [1].jpg') -PassThru
        $out = Invoke-PhotaEnhance -LiteralPath $odd.FullName -OutputDirectory out
        $out.Name | Should -Be 'shot [1].enhanced.jpg'
        $out2 = Invoke-PhotaEnhance -Image (Get-Item -LiteralPath $photos[1].FullName) -OutputDirectory out
        $out2.Source | Should -Be $photos[1].FullName
    }

    It 'binds piped objects by their Path property' {
        $out = [pscustomobject]@{ Path = $photos[2].FullName } | Invoke-PhotaEnhance
        $out.Source | Should -Be $photos[2].FullName
    }

    It 'takes an http(s) URL, named after the URL''s file' {
        $url = Get-TestImageUrl "photos/$($photos[0].Name)"
        $out = Invoke-PhotaEnhance -Image $url
        $out.Source | Should -Be $url
        $out.Name | Should -Be "$($photos[0].BaseName).enhanced.jpg"
    }

    It '-Synchronous uses the synchronous mode: no job id, the same files' {
        $out = Invoke-PhotaEnhance -Image $photos[0].FullName -Synchronous
        $out.JobId | Should -BeNullOrEmpty
        (Get-TestImageInfo $out.FullName).Complete | Should -BeTrue
    }

    It 'writes one progress bar for the whole batch' {
        $c = Invoke-CapturedProgress -Session (New-TestSession) -Variables @{ dir = $photos[0].DirectoryName } -ScriptBlock {
            Get-ChildItem -LiteralPath $dir -Filter *.jpg | Invoke-PhotaEnhance
        }
        $c.Thrown | Should -BeNullOrEmpty
        $c.Output.Count | Should -Be $photos.Count
        $c.Progress.Count | Should -BeGreaterThan 0
        @($c.Progress.ActivityId | Sort-Object -Unique).Count | Should -Be 1
        ($c.Progress.StatusDescription -join "`n") | Should -Match "of $($photos.Count) done"
        $c.Progress[-1].RecordType | Should -Be 'Completed'
    }
}

Describe 'Invoke-PhotaEdit' {
    BeforeEach { Set-Location (New-TestDirectory 'edit') }

    It 'an array passed to -Image is one multi-image edit' {
        $delta = Measure-TestAccountChange { $script:out = Invoke-PhotaEdit -Image $photos[0].FullName, $photos[1].FullName -Prompt 'Put them side by side' }
        $delta.Submits | Should -Be 1
        $out.Count | Should -Be 1
        $out.Operation | Should -Be 'edit'
        $out.Name | Should -Be "$($photos[0].BaseName).edited.jpg"
    }

    It 'a wildcard in -Image makes one edit of every file it matches' {
        $delta = Measure-TestAccountChange { $script:out = Invoke-PhotaEdit -Image (Join-Path $photos[0].DirectoryName '*.jpg') -Prompt 'A collage' }
        $delta.Submits | Should -Be 1
        @($out).Count | Should -Be 1
    }

    It 'maps every option: profile, aspect ratio, resolution, base model, quality, count and format' {
        $out = Invoke-PhotaEdit -Image $photos[0].FullName -Prompt "Make [[$profileId]] smile" -ProfileId $profileId `
            -AspectRatio '16:9' -Resolution '1K' -BaseModel 'gpt-image-2' -Quality high -Count 2 -Format Png
        $out.Count | Should -Be 2
        foreach ($image in $out) {
            $info = Get-TestImageInfo $image.FullName
            $info.Format | Should -Be 'png'
            $info.Width | Should -Be 1024
            $info.Height | Should -Be 576
            $image.KnownSubjectCounts.Keys | Should -Contain $profileId
            $image.KnownSubjects | Should -Match "$profileId=\d"
        }
    }

    It 'pipes: Get-ChildItem *.jpg | Invoke-PhotaEnhance | Invoke-PhotaEdit -Prompt ''winter scene''' {
        Push-Location $photos[0].DirectoryName
        try { $out = Get-ChildItem *.jpg | Invoke-PhotaEnhance -OutputDirectory "$($ctx.Root)/chain" | Invoke-PhotaEdit -Prompt 'winter scene' -OutputDirectory "$($ctx.Root)/chain" }
        finally { Pop-Location }
        $edits = $out | Where-Object Operation -EQ 'edit'
        $edits.Count | Should -Be $photos.Count
        ($edits.Name | Sort-Object) | Should -Be ($photos.BaseName | ForEach-Object { "$_.enhanced.edited.jpg" } | Sort-Object)
        $edits | ForEach-Object { $_.Source | Should -BeLike '*.enhanced.jpg' }
    }

    It 'checks the API''s rules before spending money: <Case>' -ForEach @(
        @{ Case = '-Quality only with gpt-image-2'; Extra = @{ BaseModel = 'nb2'; Quality = 'high' }; Id = 'Phota.InvalidInput*' }
        @{ Case = 'no 4K on flux-2'; Extra = @{ BaseModel = 'flux-2'; Resolution = '4K' }; Id = 'Phota.InvalidInput*' }
        @{ Case = 'no 4K on qwen-image-2'; Extra = @{ BaseModel = 'qwen-image-2'; Resolution = '4K' }; Id = 'Phota.InvalidInput*' }
        # -Count is checked by parameter validation, before the command runs at all.
        @{ Case = '-Count at most 4'; Extra = @{ Count = 5 }; Id = 'ParameterArgumentValidationError*'; Category = 'InvalidData' }
        @{ Case = '-Count at least 1'; Extra = @{ Count = 0 }; Id = 'ParameterArgumentValidationError*'; Category = 'InvalidData' }
    ) {
        $delta = Measure-TestAccountChange {
            # A parameter validation error ends the statement, so it is caught rather than collected.
            try { $script:out = Invoke-PhotaEdit -Image $photos[0].FullName -Prompt 'x' @Extra -ErrorAction SilentlyContinue -ErrorVariable script:err }
            catch { $script:out = $null; $script:err = @($_) }
        }
        $out | Should -BeNullOrEmpty
        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -BeLike $Id
        $err[0].CategoryInfo.Category | Should -Be $(if ($Category) { $Category } else { 'InvalidArgument' })
        $delta.Submits | Should -Be 0
        $delta.Charged | Should -Be 0
        Get-ChildItem | Should -BeNullOrEmpty
    }

    It 'a profile that does not exist is a Phota.ProfileNotFound error naming the input and the request id' {
        Invoke-PhotaEdit -Image $photos[0].FullName -Prompt 'x' -ProfileId 'prof_does_not_exist' -ErrorAction SilentlyContinue -ErrorVariable err | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike 'Phota.ProfileNotFound*'
        $err[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $err[0].TargetObject | Should -Be $photos[0].FullName
        "$($err[0].ErrorDetails.Message)" | Should -Match 'req_'
    }

    It 'a profile still training is a Phota.ProfileNotReady error' {
        $training = (Invoke-TestApi 'v1/phota/profiles/add' -Method Post -Body @{ image_urls = @(Get-TestPortraitUrl -Count 10); training_tier = 'standard' }).profile_id
        Invoke-PhotaEdit -Image $photos[0].FullName -Prompt 'x' -ProfileId $training -ErrorAction SilentlyContinue -ErrorVariable err | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike 'Phota.ProfileNotReady*'
        $err[0].CategoryInfo.Category | Should -Be 'ResourceUnavailable'
        $err[0].ErrorDetails.RecommendedAction | Should -Match 'Wait-PhotaProfile'
    }

    It 'a blocked prompt is a Phota.ContentModeration error and costs nothing' {
        $delta = Measure-TestAccountChange { Invoke-PhotaEdit -Image $photos[0].FullName -Prompt 'make it nsfw' -ErrorAction SilentlyContinue -ErrorVariable script:err }
        $err[0].FullyQualifiedErrorId | Should -BeLike 'Phota.ContentModeration*'
        $err[0].CategoryInfo.Category | Should -Be 'SecurityError'
        "$($err[0].ErrorDetails)" | Should -Match 'req_'
        $delta.Charged | Should -Be 0
    }
}

Describe 'Invoke-PhotaGenerate' {
    BeforeEach { Set-Location (New-TestDirectory 'generate') }

    It 'prompts pipe in: one request per prompt, files named after the prompt' {
        $out = 'A red bicycle', 'A blue kite' | Invoke-PhotaGenerate
        $out.Count | Should -Be 2
        ($out.Name | Sort-Object) | Should -Be 'generate-a-blue-kite.jpg', 'generate-a-red-bicycle.jpg'
        ($out.Source | Sort-Object) | Should -Be 'A blue kite', 'A red bicycle'
        $out.Operation | Sort-Object -Unique | Should -Be 'generate'
    }

    It 'a profile referenced as [[id]] in the prompt is a known subject of the output' {
        $out = Invoke-PhotaGenerate "A headshot of [[$profileId]] in an office" -AspectRatio '9:16'
        $out.KnownSubjectCounts.Keys | Should -Contain $profileId
        $info = Get-TestImageInfo $out.FullName
        $info.Width | Should -Be 576
        $info.Height | Should -Be 1024
    }

    It 'binds Prompt by property name' {
        $out = [pscustomobject]@{ Prompt = 'A lighthouse' } | Invoke-PhotaGenerate
        $out.Name | Should -Be 'generate-a-lighthouse.jpg'
    }
}

Describe 'Invoke-PhotaRemix' {
    BeforeEach { Set-Location (New-TestDirectory 'remix') }

    It 'restyles each piped photo after -ReferenceImage, at 2K' {
        $out = Get-ChildItem -LiteralPath $photos[0].DirectoryName -Filter *.jpg | Invoke-PhotaRemix -ReferenceImage $style.FullName -Prompt 'soft light'
        $out.Count | Should -Be $photos.Count
        foreach ($image in $out) {
            $image.Operation | Should -Be 'remix'
            $image.Name | Should -BeLike '*.remixed.jpg'
            $info = Get-TestImageInfo $image.FullName
            [Math]::Max($info.Width, $info.Height) | Should -Be 2048
        }
    }

    It 'a missing -ReferenceImage ends the command before anything is sent' {
        $delta = Measure-TestAccountChange {
            $script:e = { Invoke-PhotaRemix -Image $photos[0].FullName -ReferenceImage (Join-Path $ctx.Root 'missing.jpg') } | Should -Throw -PassThru
        }
        $e.FullyQualifiedErrorId | Should -BeLike 'Phota.InvalidInput*'
        $delta.Submits | Should -Be 0
    }
}

Describe '-NoWait and -WhatIf' {
    BeforeEach { Set-Location (New-TestDirectory 'nowait') }

    It '-NoWait submits and emits job objects that Receive-PhotaJob collects into the original folder' {
        $jobs = Get-ChildItem -LiteralPath $photos[0].DirectoryName -Filter *.jpg | Invoke-PhotaEnhance -NoWait -OutputDirectory later
        $jobs.Count | Should -Be $photos.Count
        foreach ($job in $jobs) {
            $job.GetType().FullName | Should -Be 'Phota.PowerShell.PhotaJob'
            $job.JobId | Should -BeLike 'job_*'
            $job.Operation | Should -Be 'enhance'
            $job.JournalState | Should -Be 'Submitted'
        }
        Test-Path later | Should -BeFalse -Because 'nothing is downloaded yet'
        Set-Location $ctx.Root
        $images = $jobs | Receive-PhotaJob -Wait
        $images.Count | Should -Be $photos.Count
        $images[0].GetType().FullName | Should -Be 'Phota.PowerShell.PhotaImage'
        $images | ForEach-Object { $_.DirectoryName | Should -BeLike '*later' }
    }

    It '-NoWait and -Synchronous together are refused' {
        $e = { Invoke-PhotaGenerate 'x' -NoWait -Synchronous } | Should -Throw -PassThru
        $e.FullyQualifiedErrorId | Should -BeLike 'Phota.InvalidInput*'
    }

    It '-WhatIf sends nothing, spends nothing and writes nothing' {
        $delta = Measure-TestAccountChange {
            Invoke-PhotaEnhance -Image $photos[0].FullName -WhatIf
            Invoke-PhotaEdit -Image $photos[0].FullName -Prompt 'x' -WhatIf
            Invoke-PhotaGenerate 'x' -WhatIf
            Invoke-PhotaRemix -Image $photos[0].FullName -ReferenceImage $style.FullName -WhatIf
        }
        $delta.Submits | Should -Be 0
        $delta.Charged | Should -Be 0
        Get-ChildItem | Should -BeNullOrEmpty
    }

    It '-WhatIf says what would be sent and what it would cost' {
        $script = @"
Import-Module '$(Get-TestModulePath)'
`$s = New-PhotaSession -ApiKey '$($ctx.Emulator.ApiKey)' -BaseUri '$($ctx.Emulator.Url)'
Invoke-PhotaEnhance -Image '$($photos[0].FullName)' -Count 2 -Session `$s -WhatIf
Invoke-PhotaRemix -Image '$($photos[0].FullName)' -ReferenceImage '$($style.FullName)' -Session `$s -WhatIf
Invoke-PhotaGenerate 'A red bicycle' -Format Png -Session `$s -WhatIf
Invoke-PhotaEdit -Image '$($photos[0].FullName)' -Prompt 'Add snow' -Session `$s -WhatIf
New-PhotaProfile -ImageUrl $((Get-TestPortraitUrl -Count 5 | ForEach-Object { "'$_'" }) -join ',') -TrainingTier Fast -Tag demo -Session `$s -WhatIf
"@
        $text = Invoke-TestPowerShell -NoProfile -NonInteractive -Command $script
        $text | Should -Match "What if:.*enhance.*2 output images.*US\`$0\.24.*$([regex]::Escape($photos[0].Name))"
        $text | Should -Match 'What if:.*remix.*US\$0\.12'
        $text | Should -Match "What if:.*generate.*png.*'A red bicycle'"
        $text | Should -Match "What if:.*edit.*prompt 'Add snow'"
        $text | Should -Match "What if:.*profile from 5 image URLs.*US\`$1\.49"
    }
}
