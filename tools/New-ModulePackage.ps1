#Requires -Version 7.4
<#
.SYNOPSIS
Packs a built module folder into a .nupkg that Install-PSResource and Install-Module accept.

.DESCRIPTION
Publishes the folder with Publish-PSResource (PSResourceGet ships with PowerShell 7.4 and newer) to a
temporary local repository in the output folder, which it unregisters afterwards.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $ModuleDirectory,
    [Parameter(Mandatory)] [string] $OutputDirectory
)

$ErrorActionPreference = 'Stop'
$manifest = Import-PowerShellDataFile (Join-Path $ModuleDirectory 'Phota.psd1')
$package = Join-Path $OutputDirectory "Phota.$($manifest.ModuleVersion).nupkg"
Remove-Item $package -Force -ErrorAction SilentlyContinue

$repoName = "PhotaLocal$([Guid]::NewGuid().ToString('N').Substring(0, 8))"
Register-PSResourceRepository -Name $repoName -Uri $OutputDirectory -Trusted
try { Publish-PSResource -Path $ModuleDirectory -Repository $repoName }
finally { Unregister-PSResourceRepository -Name $repoName }
Write-Host "Package: $package"
