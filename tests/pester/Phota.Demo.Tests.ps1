#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# The demo (build.ps1 -Task Demo): the quickstart end to end on the sample photos against its own emulator.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:repoRoot = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
    $script:output = Join-Path ([System.IO.Path]::GetTempPath()) ('phota-demo-' + [guid]::NewGuid().ToString('n').Substring(0, 8))
}

AfterAll {
    Remove-Item -LiteralPath $script:output -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'demo/Start-PhotaDemo.ps1' {
    It 'runs every quickstart step against a fresh emulator and prints where each file went' {
        $journal = $env:PHOTA_JOURNAL_PATH
        $text = Invoke-TestPowerShell -NoProfile -NonInteractive -File (Join-Path $repoRoot 'demo/Start-PhotaDemo.ps1') `
            -ModuleManifest (Get-TestModulePath) -EmulatorDll (Get-TestEmulatorPath) -OutputDirectory $output
        $LASTEXITCODE | Should -Be 0 -Because $text
        $env:PHOTA_JOURNAL_PATH | Should -Be $journal
        foreach ($step in 'New-PhotaProfile', 'Wait-PhotaProfile', 'Invoke-PhotaEdit', 'Invoke-PhotaGenerate "A professional headshot of \$person',
            'Get-ChildItem photos/\*.jpg \| Invoke-PhotaEnhance', 'Invoke-PhotaRemix', 'Receive-PhotaJob') {
            $text | Should -Match $step
        }
        $text | Should -Match 'What was produced, and where'
        $files = @(Get-ChildItem -LiteralPath $output -Recurse -File -Filter *.jpg)
        $byFolder = $files | Group-Object { $_.Directory.Name } -AsHashTable -AsString
        $byFolder['edit'].Count | Should -Be 1
        $byFolder['generate'].Count | Should -Be 2
        $byFolder['enhance'].Count | Should -Be (Get-ChildItem -LiteralPath (Join-Path $repoRoot 'samples/photos') -Filter *.jpg).Count
        $byFolder['remix'].Count | Should -Be 1
        $byFolder['async'].Count | Should -Be 1
        foreach ($file in $files) {
            (Get-TestImageInfo $file.FullName).Complete | Should -BeTrue
            $text | Should -Match ([regex]::Escape($file.Directory.Name + '/' + $file.Name.Substring(0, [Math]::Min(20, $file.Name.Length))))
        }
        Get-ChildItem -LiteralPath (Join-Path $repoRoot 'samples') -Recurse -File | Where-Object Name -Match '\.(enhanced|edited|remixed)' |
            Should -BeNullOrEmpty -Because 'the demo writes only to its output folder'
    }
}
