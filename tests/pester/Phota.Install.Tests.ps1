#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# The install the README promises: the built module packed into a .nupkg, served from a local repository, installed
# with Install-PSResource and with Install-Module, imported by name, used against the emulator, with its help.
# Each install runs in a child PowerShell whose home is a temporary folder, so the user's own modules, repositories
# and settings are neither used nor touched.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:ctx = Initialize-PhotaTestFile -NoConnect
    $script:repoRoot = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path

    function Invoke-IsolatedPowerShell {
        # Runs $Script in a child PowerShell whose home (and so its CurrentUser scope and PSResourceGet settings) is
        # $HomeDirectory; returns the object the script writes as JSON on its last line, or throws with its output.
        param([string] $HomeDirectory, [string] $Script)
        $saved = @{}
        $environment = @{
            HOME = $HomeDirectory; XDG_DATA_HOME = Join-Path $HomeDirectory '.local/share'
            XDG_CONFIG_HOME = Join-Path $HomeDirectory '.config'; XDG_CACHE_HOME = Join-Path $HomeDirectory '.cache'
            PSModulePath = $null; PHOTA_JOURNAL_PATH = Join-Path $HomeDirectory 'journal.jsonl'
        }
        # .NET reports a per-user folder only when it exists (otherwise an empty path, which would put PSResourceGet's
        # settings in the current folder), so the temporary home gets them first.
        foreach ($folder in 'XDG_DATA_HOME', 'XDG_CONFIG_HOME', 'XDG_CACHE_HOME') { New-Item -ItemType Directory -Path $environment[$folder] -Force | Out-Null }
        foreach ($name in $environment.Keys) { $saved[$name] = [Environment]::GetEnvironmentVariable($name); [Environment]::SetEnvironmentVariable($name, $environment[$name]) }
        try { $text = Invoke-TestPowerShell -NoProfile -NonInteractive -Command "`$ErrorActionPreference = 'Stop'; $Script" }
        finally { foreach ($name in $saved.Keys) { [Environment]::SetEnvironmentVariable($name, $saved[$name]) } }
        $exit = $LASTEXITCODE
        $json = ($text -split "`n" | Where-Object { $_ -like 'RESULT=*' } | Select-Object -Last 1)
        if ($exit -ne 0 -or -not $json) { throw "The child PowerShell failed (exit code $exit):`n$text" }
        $json.Substring('RESULT='.Length) | ConvertFrom-Json
    }

    # Packs the built module with the repository's own packaging script, as build.ps1 -Task Package does.
    $script:packages = New-TestDirectory 'packages'
    $packHome = New-TestDirectory 'pack-home'
    $moduleDir = Split-Path (Get-TestModulePath)
    $script:packed = Invoke-IsolatedPowerShell -HomeDirectory $packHome -Script @"
& '$repoRoot/tools/New-ModulePackage.ps1' -ModuleDirectory '$moduleDir' -OutputDirectory '$packages' | Out-Null
'RESULT=' + (@{ Packages = @(Get-ChildItem -LiteralPath '$packages' -Filter *.nupkg).Name } | ConvertTo-Json -Compress)
"@

    # What the installed module must do, the same for both installers: import by name, call the emulator, show help.
    $script:useInstalled = @"
Import-Module Phota
`$module = Get-Module Phota
`$session = New-PhotaSession -ApiKey '$($ctx.Emulator.ApiKey)' -BaseUri '$($ctx.Emulator.Url)'
`$image = Invoke-PhotaGenerate 'A red bicycle on a quiet street' -Session `$session -OutputDirectory (Join-Path `$HOME 'out')
`$examples = foreach (`$command in Get-Command -Module Phota) { [pscustomobject]@{ Name = `$command.Name; Count = @((Get-Help `$command.Name -Examples).examples.example | Where-Object code).Count } }
`$about = Get-Help about_Phota | Out-String
"@
}

AfterAll {
    Complete-PhotaTestFile $script:ctx
}

Describe 'Installing the packed module' {
    It 'packs the built module into one .nupkg named after its version' {
        $version = (Import-PowerShellDataFile (Get-TestModulePath)).ModuleVersion
        $packed.Packages | Should -Be "Phota.$version.nupkg"
        $entries = [System.IO.Compression.ZipFile]::OpenRead((Join-Path $packages $packed.Packages)).Entries.FullName
        $entries | Should -Contain 'Phota.psd1'
        $entries | Should -Contain 'Phota.PowerShell.dll'
        $entries | Should -Contain 'en-US/Phota.PowerShell.dll-Help.xml'
        $entries | Should -Contain 'en-US/about_Phota.help.txt'
    }

    It 'Install-PSResource installs it; imported by name it calls the emulator and has full help; Uninstall-PSResource removes it' {
        $home1 = New-TestDirectory 'psresourceget-home'
        $result = Invoke-IsolatedPowerShell -HomeDirectory $home1 -Script @"
Register-PSResourceRepository -Name PhotaLocal -Uri '$packages' -Trusted
Install-PSResource -Name Phota -Repository PhotaLocal -Scope CurrentUser -TrustRepository -Quiet
$useInstalled
Uninstall-PSResource -Name Phota -Scope CurrentUser
'RESULT=' + (@{ ModuleBase = `$module.ModuleBase; Version = "`$(`$module.Version)"; Image = `$image.FullName; Examples = @(`$examples); About = `$about; Left = @(Get-Module -ListAvailable Phota).Count } | ConvertTo-Json -Compress -Depth 4)
"@
        $result.ModuleBase | Should -BeLike "$home1*" -Because 'the module came from the CurrentUser scope of the temporary home'
        $result.Version | Should -Be (Import-PowerShellDataFile (Get-TestModulePath)).ModuleVersion
        (Get-TestImageInfo $result.Image).Complete | Should -BeTrue
        $result.Examples | Should -HaveCount (Import-PowerShellDataFile (Get-TestModulePath)).CmdletsToExport.Count
        foreach ($command in $result.Examples) { $command.Count | Should -BeGreaterOrEqual 2 -Because "$($command.Name) has at least two examples" }
        $result.About | Should -Match 'about_Phota'
        $result.Left | Should -Be 0 -Because 'Uninstall-PSResource removed it'
        Test-Path -LiteralPath (Join-Path $home1 '.local/share/PSResourceGet/PSResourceRepository.xml') | Should -BeTrue -Because 'the repository was registered in the temporary home'
        Test-Path -LiteralPath (Join-Path (Get-Location).ProviderPath 'PSResourceGet') | Should -BeFalse -Because 'nothing is written to the current folder'
    }

    It 'Install-Module (PowerShellGet) installs it from a registered folder repository the same way' {
        $home2 = New-TestDirectory 'powershellget-home'
        $result = Invoke-IsolatedPowerShell -HomeDirectory $home2 -Script @"
Register-PSRepository -Name PhotaLocal -SourceLocation '$packages' -InstallationPolicy Trusted
Install-Module -Name Phota -Repository PhotaLocal -Scope CurrentUser
$useInstalled
Uninstall-Module -Name Phota
'RESULT=' + (@{ ModuleBase = `$module.ModuleBase; Image = `$image.FullName; Examples = @(`$examples); About = `$about; Left = @(Get-Module -ListAvailable Phota).Count } | ConvertTo-Json -Compress -Depth 4)
"@
        $result.ModuleBase | Should -BeLike "$home2*"
        (Get-TestImageInfo $result.Image).Complete | Should -BeTrue
        foreach ($command in $result.Examples) { $command.Count | Should -BeGreaterOrEqual 2 -Because "$($command.Name) has at least two examples" }
        $result.About | Should -Match 'about_Phota'
        $result.Left | Should -Be 0 -Because 'Uninstall-Module removed it'
    }
}
