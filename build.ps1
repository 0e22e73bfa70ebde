#Requires -Version 7.4
<#
.SYNOPSIS
Builds, tests, documents, packages and demonstrates the Phota module.

.DESCRIPTION
Tasks:
  Build    Publish the assemblies and assemble the installable module folder out/Phota/<version>/
           (manifest, format file, dependencies in their own folder, and the committed MAML help from
           src/Phota.PowerShell/en-US), and the emulator in out/emulator/.
  Test     The xunit suites (dotnet test), then the Pester suite against a freshly started emulator.
  Pester   Build, then only the Pester suite.
  Docs     Regenerate the committed help (src/Phota.PowerShell/en-US) from the docs/en-US markdown with PlatyPS 0.14,
           which must be importable (Get-Module -ListAvailable platyPS), then Build.
  Package  A .nupkg of the module that Install-PSResource and Publish-PSResource accept, in out/packages/.
  Demo     Build, start the emulator on a free loopback port (or use the real API with -Live and
           PHOTA_API_KEY), and run the quickstart end to end on the sample photos.

.EXAMPLE
./build.ps1 -Task Demo

.EXAMPLE
./build.ps1 -Task Test
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Pester', 'Docs', 'Package', 'Demo')]
    [string[]] $Task = 'Build',

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release',

    # Run the demo against the real Phota API (needs PHOTA_API_KEY; costs money).
    [switch] $Live
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

$RepoRoot = $PSScriptRoot
$OutDir = Join-Path $RepoRoot 'out'
$Manifest = Import-PowerShellDataFile (Join-Path $RepoRoot 'Phota.psd1')
$ModuleVersion = $Manifest.ModuleVersion
$ModuleDir = Join-Path $OutDir "Phota/$ModuleVersion"
$EmulatorDir = Join-Path $OutDir 'emulator'
# The MAML help generated from docs/en-US, committed so that every build ships help without PlatyPS.
$HelpSourceDir = Join-Path $RepoRoot 'src/Phota.PowerShell/en-US'

function Assert-Prerequisite {
    param([string] $Name, [scriptblock] $Check, [string] $Fix)
    if (-not (& $Check)) { throw "Missing prerequisite: $Name. $Fix" }
}

function Assert-DotNet {
    Assert-Prerequisite '.NET SDK 8 or newer' { [bool](Get-Command dotnet -ErrorAction SilentlyContinue) } `
        'Install the .NET SDK (https://dot.net) and make sure dotnet is on PATH.'
}

function Invoke-Native {
    param([string] $Command, [string[]] $Arguments)
    & $Command @Arguments | Out-Host
    if ($LASTEXITCODE -ne 0) { throw "'$Command $($Arguments -join ' ')' failed with exit code $LASTEXITCODE." }
}

function Invoke-ModuleBuild {
    Assert-DotNet
    $publishDir = Join-Path $OutDir 'publish/module'
    Remove-Item $publishDir, $ModuleDir -Recurse -Force -ErrorAction SilentlyContinue
    Invoke-Native dotnet @('publish', (Join-Path $RepoRoot 'src/Phota.PowerShell'), '-c', $Configuration, '-o', $publishDir, '--nologo', '-v', 'quiet')
    Invoke-Native dotnet @('publish', (Join-Path $RepoRoot 'src/Phota.Emulator'), '-c', $Configuration, '-o', $EmulatorDir, '--nologo', '-v', 'quiet')

    $depsDir = Join-Path $ModuleDir 'dependencies'
    New-Item -ItemType Directory -Path $depsDir -Force | Out-Null
    # The cmdlet assembly is the root module; everything it depends on loads in the module's own
    # load context from dependencies/ (see src/Phota.PowerShell/Infrastructure/DependencyLoadContext.cs).
    Copy-Item (Join-Path $publishDir 'Phota.PowerShell.dll') $ModuleDir
    Get-ChildItem $publishDir -Filter *.dll |
        Where-Object Name -NotIn 'Phota.PowerShell.dll', 'System.Management.Automation.dll' |
        Copy-Item -Destination $depsDir
    Copy-Item (Join-Path $RepoRoot 'Phota.psd1') $ModuleDir
    Copy-Item (Join-Path $RepoRoot 'src/Phota.PowerShell/Phota.format.ps1xml') $ModuleDir
    Copy-Item $HelpSourceDir -Destination (Join-Path $ModuleDir 'en-US') -Recurse
    Write-Host "Module: $ModuleDir"
    Write-Host "Emulator: $EmulatorDir"
}

function Invoke-Docs {
    # PlatyPS 0.14 reads the docs/en-US pages (schema 2.0.0); PlatyPS 1.x reads another format.
    $platyPS = Get-Module -ListAvailable platyPS | Where-Object { $_.Version.Major -eq 0 -and $_.Version.Minor -eq 14 } |
        Sort-Object Version -Descending | Select-Object -First 1
    if (-not $platyPS) {
        throw "Missing prerequisite: PlatyPS 0.14 must be importable (Get-Module -ListAvailable platyPS finds none) to regenerate the help from docs/en-US. The committed help in $HelpSourceDir is used by every build without it."
    }
    Import-Module $platyPS -ErrorAction Stop
    New-ExternalHelp -Path (Join-Path $RepoRoot 'docs/en-US') -OutputPath $HelpSourceDir -Force | Out-Null
    Write-Host "Help: $HelpSourceDir (commit it with the pages it was made from)"
}

function Import-PinnedPester {
    # The repository pins Pester (Directory.Packages.props) and restores it from NuGet, so the suite needs no
    # PowerShell Gallery and no module installed by hand. A newer Pester 5 already installed is used instead.
    $pinned = [version](Select-Xml -Path (Join-Path $RepoRoot 'Directory.Packages.props') -XPath '//PesterVersion').Node.InnerText
    $installed = Get-Module -ListAvailable Pester |
        Where-Object { $_.Version.Major -eq 5 -and $_.Version -gt $pinned } |
        Sort-Object Version -Descending | Select-Object -First 1
    if ($installed) { Import-Module $installed -ErrorAction Stop; return }
    $restoreProject = Join-Path $RepoRoot 'tools/pester/Pester.Restore.csproj'
    Invoke-Native dotnet @('restore', $restoreProject, '--nologo', '-v', 'quiet')
    $packageRoot = (& dotnet msbuild $restoreProject -getProperty:NuGetPackageRoot -nologo).Trim()
    $psd1 = Join-Path $packageRoot "pester/$pinned/tools/Pester.psd1"
    if (-not (Test-Path $psd1)) { throw "Pester $pinned was restored, but '$psd1' does not exist. Run 'dotnet restore $restoreProject' and check its output." }
    Import-Module $psd1 -ErrorAction Stop
}

function Invoke-PesterSuite {
    Import-PinnedPester
    Write-Host "Pester $((Get-Module Pester).Version) from $((Get-Module Pester).ModuleBase)"
    $env:PHOTA_TEST_MODULE = Join-Path $ModuleDir 'Phota.psd1'
    $env:PHOTA_TEST_EMULATOR = Join-Path $EmulatorDir 'Phota.Emulator.dll'
    $config = New-PesterConfiguration
    $config.Run.Path = Join-Path $RepoRoot 'tests/pester'
    $config.Run.Exit = $false
    $config.Run.PassThru = $true
    $config.Output.Verbosity = 'Normal'
    # The suite runs with PowerShell's defaults: this script's strict mode and 'Stop' preference would turn the
    # non-terminating per-item errors under test into terminating ones.
    Set-StrictMode -Off
    $ErrorActionPreference = 'Continue'
    $result = Invoke-Pester -Configuration $config
    Write-Host "Pester: $($result.PassedCount) passed, $($result.FailedCount) failed, $($result.SkippedCount) skipped"
    [pscustomobject]@{ Suite = 'Pester'; Passed = $result.PassedCount; Failed = $result.FailedCount; Skipped = $result.SkippedCount; Ok = ($result.FailedCount -eq 0 -and $result.Result -eq 'Passed') }
}

function Invoke-XunitSuites {
    # Each test project writes a TRX file, whose counters give the totals for the summary line.
    $resultsDir = Join-Path $OutDir 'test-results'
    Remove-Item $resultsDir -Recurse -Force -ErrorAction SilentlyContinue
    & dotnet test (Join-Path $RepoRoot 'Phota.sln') -c $Configuration --nologo --logger trx --results-directory $resultsDir | Out-Host
    $exitCode = $LASTEXITCODE
    $counters = @(Get-ChildItem $resultsDir -Filter *.trx -ErrorAction SilentlyContinue |
        ForEach-Object { ([xml](Get-Content -LiteralPath $_.FullName -Raw)).TestRun.ResultSummary.Counters })
    $passed = ($counters | Measure-Object -Property passed -Sum).Sum
    $failed = ($counters | Measure-Object -Property failed -Sum).Sum
    $total = ($counters | Measure-Object -Property total -Sum).Sum
    [pscustomobject]@{ Suite = 'xunit'; Passed = [int]$passed; Failed = [int]$failed; Skipped = [int]($total - $passed - $failed); Ok = ($exitCode -eq 0) }
}

function Invoke-Test {
    Assert-DotNet
    # Both suites run even when the first fails, so one run reports everything.
    $suites = @(Invoke-XunitSuites)
    Invoke-ModuleBuild
    $suites += Invoke-PesterSuite
    foreach ($suite in $suites) { Write-Host "$($suite.Suite): $($suite.Passed) passed, $($suite.Failed) failed, $($suite.Skipped) skipped$(if (-not $suite.Ok) { ' (FAILED)' })" }
    $sum = { param($name) ($suites | Measure-Object -Property $name -Sum).Sum }
    Write-Host "Tests: $(& $sum Passed) passed, $(& $sum Failed) failed, $(& $sum Skipped) skipped"
    $bad = @($suites | Where-Object { -not $_.Ok })
    if ($bad) { throw "Failed: $($bad.Suite -join ', ')." }
}

function Invoke-Package {
    Invoke-ModuleBuild
    $packageDir = Join-Path $OutDir 'packages'
    New-Item -ItemType Directory -Path $packageDir -Force | Out-Null
    & (Join-Path $RepoRoot 'tools/New-ModulePackage.ps1') -ModuleDirectory $ModuleDir -OutputDirectory $packageDir
}

function Invoke-Demo {
    Invoke-ModuleBuild
    & (Join-Path $RepoRoot 'demo/Start-PhotaDemo.ps1') -ModuleManifest (Join-Path $ModuleDir 'Phota.psd1') -EmulatorDll (Join-Path $EmulatorDir 'Phota.Emulator.dll') -Live:$Live
}

foreach ($t in $Task) {
    Write-Host "==> $t" -ForegroundColor Cyan
    switch ($t) {
        'Build' { Invoke-ModuleBuild }
        'Test' { Invoke-Test }
        'Pester' { Invoke-ModuleBuild; if (-not (Invoke-PesterSuite).Ok) { throw 'The Pester suite failed.' } }
        'Docs' { Invoke-Docs; Invoke-ModuleBuild }
        'Package' { Invoke-Package }
        'Demo' { Invoke-Demo }
    }
}
