#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# The README's five-minute tour runs as written: its PowerShell blocks, in order, in one PowerShell started at the
# repository root, against an emulator serving samples/ as the tour says, with only the documented address replaced.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:repoRoot = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
    $script:samples = Join-Path $repoRoot 'samples'
    $script:ctx = Initialize-PhotaTestFile -StaticDirectory $samples -NoConnect

    $readme = (Get-Content -LiteralPath (Join-Path $repoRoot 'README.md') -Raw) -replace "`r`n", "`n"
    $script:tour = [regex]::Match($readme, '(?ms)^## A five-minute tour\n(.*?)(?=^## )').Groups[1].Value
    $script:blocks = @([regex]::Matches($tour, '(?ms)^```powershell\n(.*?)^```') | ForEach-Object { $_.Groups[1].Value })
    $script:documentedUrl = 'http://127.0.0.1:5080'
    # Where the tour writes its results (out/ is the build's output folder, ignored by git).
    $script:tourOutput = Join-Path $repoRoot 'out/tour'
    $script:samplesBefore = @(Get-ChildItem -LiteralPath $samples -Recurse -File | ForEach-Object { "$($_.FullName) $($_.Length)" })
    Remove-Item -LiteralPath $tourOutput -Recurse -Force -ErrorAction SilentlyContinue
}

AfterAll {
    Remove-Item -LiteralPath $script:tourOutput -Recurse -Force -ErrorAction SilentlyContinue
    Complete-PhotaTestFile $script:ctx
}

Describe 'README.md: A five-minute tour' {
    It 'starts the emulator from the repository root serving samples/, and imports the module the build made' {
        $blocks.Count | Should -BeGreaterOrEqual 5
        $tour | Should -Match ([regex]::Escape('dotnet run --project src/Phota.Emulator -- --time-scale 0.01 --static-dir samples'))
        Test-Path -LiteralPath (Join-Path $repoRoot 'src/Phota.Emulator/Phota.Emulator.csproj') | Should -BeTrue
        $blocks[0] | Should -Match ([regex]::Escape('Import-Module ./out/Phota/0.1.0/Phota.psd1'))
        $manifest = Import-PowerShellDataFile (Join-Path $repoRoot 'Phota.psd1')
        $blocks[0] | Should -Match ([regex]::Escape("out/Phota/$($manifest.ModuleVersion)/Phota.psd1")) -Because 'the tour imports the version the build writes'
        ($blocks -join "`n") | Should -Match ([regex]::Escape($documentedUrl))
    }

    It 'runs block by block without an error and produces every file it promises' {
        $script = [System.Text.StringBuilder]::new()
        [void]$script.AppendLine("`$ErrorActionPreference = 'Stop'")
        for ($i = 0; $i -lt $blocks.Count; $i++) {
            [void]$script.AppendLine("Write-Host '=== tour block $($i + 1)'")
            [void]$script.AppendLine($blocks[$i].Replace($documentedUrl, $ctx.Emulator.Url))
        }
        # Run in the global scope as a user would type it: the tour must not overwrite automatic variables.
        [void]$script.AppendLine('if ($PROFILE -isnot [string]) { throw "The tour overwrote `$PROFILE." }')
        [void]$script.AppendLine("Write-Host '=== tour done'")
        $file = Join-Path $ctx.Root 'tour.ps1'
        Set-Content -LiteralPath $file -Value $script.ToString()

        Push-Location -LiteralPath $repoRoot
        try { $text = Invoke-TestPowerShell -NoProfile -NonInteractive -File $file }
        finally { Pop-Location }

        $LASTEXITCODE | Should -Be 0 -Because $text
        $text | Should -Match '=== tour done'
        # What the tour says the output looks like is what it prints.
        foreach ($line in [regex]::Matches(($blocks -join "`n"), '(?m)^# (What if: .*)$')) {
            $expected = [regex]::Escape($line.Groups[1].Value).Replace('\.\.\.', '.*')
            $text | Should -Match $expected
        }

        $photos = @(Get-ChildItem -LiteralPath (Join-Path $samples 'photos') -Filter *.jpg).Count
        $expectedFiles = [ordered]@{ enhanced = $photos; sharp = $photos; winter = $photos; generated = 1; edited = 1; remixed = $photos; later = $photos; nightly = $photos }
        foreach ($folder in $expectedFiles.Keys) {
            $files = @(Get-ChildItem -LiteralPath (Join-Path $tourOutput $folder) -File -ErrorAction SilentlyContinue)
            $files.Count | Should -Be $expectedFiles[$folder] -Because "out/tour/$folder holds the tour's results ($text)"
            foreach ($f in $files) { (Get-TestImageInfo $f.FullName).Complete | Should -BeTrue -Because $f.FullName }
        }
        Test-Path -LiteralPath (Join-Path $tourOutput 'enhanced/beach.enhanced.jpg') | Should -BeTrue -Because 'the tour names this file'
        @(Get-TestJournalRecord).Count | Should -BeGreaterThan 0 -Because 'the tour ran with the test journal, not the user''s'
    }

    It 'leaves samples/ as it was' {
        @(Get-ChildItem -LiteralPath $samples -Recurse -File | ForEach-Object { "$($_.FullName) $($_.Length)" }) | Should -Be $samplesBefore
    }
}
