#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Being a good module: the built manifest as PowerShell reads it, default views of the output objects,
# dependencies loaded in the module's own load context, and the help every build ships.

BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:cmdlets = @((Import-PowerShellDataFile (Get-TestModulePath)).CmdletsToExport | ForEach-Object { @{ Name = $_ } })
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:ctx = Initialize-PhotaTestFile
    $script:module = Get-Module Phota
}

AfterAll {
    Complete-PhotaTestFile $script:ctx
}

Describe 'The built module' {
    It 'exports exactly the cmdlets its manifest lists, for PowerShell 7.4 Core' {
        $manifest = Import-PowerShellDataFile (Get-TestModulePath)
        ($module.ExportedCmdlets.Keys | Sort-Object) | Should -Be ($manifest.CmdletsToExport | Sort-Object)
        $manifest.CmdletsToExport | Should -Not -Contain '*'
        $manifest.CompatiblePSEditions | Should -Be 'Core'
        [version]$manifest.PowerShellVersion | Should -Be ([version]'7.4')
        $manifest.PrivateData.PSData.Tags | Should -Not -BeNullOrEmpty
        $manifest.PrivateData.PSData.ProjectUri | Should -Not -BeNullOrEmpty
        $manifest.PrivateData.PSData.LicenseUri | Should -Not -BeNullOrEmpty
    }

    It 'loads its dependencies (Polly) in its own load context, not the default one' {
        $polly = [System.Runtime.Loader.AssemblyLoadContext]::All | ForEach-Object { $_.Assemblies } | Where-Object { $_.GetName().Name -eq 'Polly.Core' }
        $polly | Should -Not -BeNullOrEmpty -Because 'the module has made calls by now'
        foreach ($assembly in $polly) {
            [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext($assembly) | Should -Not -Be ([System.Runtime.Loader.AssemblyLoadContext]::Default)
        }
    }

    It 'every API cmdlet declares its output type' {
        foreach ($command in Get-Command -Module Phota) {
            if ($command.Name -in 'Disconnect-Phota') { continue }
            $command.OutputType | Should -Not -BeNullOrEmpty -Because $command.Name
        }
    }

    It 'every paid or destructive cmdlet supports -WhatIf' {
        foreach ($name in 'New-PhotaProfile', 'Remove-PhotaProfile', 'Invoke-PhotaEdit', 'Invoke-PhotaGenerate', 'Invoke-PhotaEnhance', 'Invoke-PhotaRemix') {
            (Get-Command $name).Parameters.Keys | Should -Contain 'WhatIf' -Because $name
        }
    }
}

Describe 'Default views' {
    BeforeAll { Set-Location (New-TestDirectory 'views') }

    It 'images show as a table of name, operation, variation, source and job, grouped by folder' {
        $text = Invoke-PhotaGenerate 'A tidy table' | Out-String
        $text | Should -Match 'Directory: '
        $text | Should -Match 'Name\s+Operation\s+Var\s+Source\s+JobId'
        $text | Should -Match 'generate-a-tidy-table\.jpg\s+generate\s+1\s+A tidy table'
    }

    It 'jobs show as a table of id, operation, status and journal state' {
        $job = Invoke-PhotaGenerate 'Later' -NoWait
        $text = $job | Out-String
        $text | Should -Match 'JobId\s+Operation\s+Status\s+Journal'
        $text | Should -Match ([regex]::Escape($job.JobId))
    }

    It 'profiles show as a table of id, status, tag and message' {
        $id = New-TestReadyProfile -Tag 'view'
        $text = Get-PhotaProfile -ProfileId $id | Out-String
        $text | Should -Match 'ProfileId\s+Status\s+Tag\s+Message'
        $text | Should -Match "$id\s+READY"
    }

    It 'sessions show their base URI but never the key' {
        $text = New-PhotaSession -ApiKey $ctx.Emulator.ApiKey -BaseUri $ctx.Emulator.Url | Out-String
        $text | Should -Match ([regex]::Escape($ctx.Emulator.Url))
        $text | Should -Not -Match ([regex]::Escape($ctx.Emulator.ApiKey))
    }
}

Describe 'Help, as Get-Help finds it in the built module' {
    It '<Name> -Examples shows at least two examples, each with code' -TestCases $cmdlets {
        $help = Get-Help $Name -Examples
        $examples = @($help.examples.example)
        $examples.Count | Should -BeGreaterOrEqual 2
        foreach ($example in $examples) {
            $example.title | Should -Match 'Example \d+:'
            $example.code | Should -Match ([regex]::Escape($Name))
        }
    }

    It '<Name> -Full shows the synopsis, the description and every parameter' -TestCases $cmdlets {
        $help = Get-Help $Name -Full
        # Without a help file Get-Help makes the synopsis from the syntax, and has no description.
        $help.Synopsis | Should -Not -Match "^\s*$([regex]::Escape($Name)) "
        $help.Synopsis | Should -Not -BeNullOrEmpty
        ($help.description.Text -join ' ') | Should -Match ([regex]::Escape($Name))
        $common = [System.Management.Automation.PSCmdlet]::CommonParameters + [System.Management.Automation.PSCmdlet]::OptionalCommonParameters
        $declared = (Get-Command $Name).Parameters.Keys | Where-Object { $_ -notin $common -or $_ -in 'WhatIf', 'Confirm' }
        $documented = @($help.parameters.parameter)
        ($documented.name | Sort-Object) | Should -Be ($declared | Sort-Object)
        foreach ($parameter in $documented) {
            ($parameter.description.Text -join ' ') | Should -Not -BeNullOrEmpty -Because "-$($parameter.name) of $Name"
        }
        $text = $help | Out-String
        foreach ($heading in 'SYNOPSIS', 'DESCRIPTION', 'PARAMETERS', 'NOTES') { $text | Should -Match "(?m)^$heading" }
    }

    It 'about_Phota is found as a topic' {
        $topic = Get-Help about_Phota
        $topic | Out-String | Should -Match 'SHORT DESCRIPTION'
        $topic | Out-String | Should -Match 'Get-PhotaJob \| Receive-PhotaJob'
    }
}
