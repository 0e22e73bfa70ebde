#Requires -Version 7.4
<#
.SYNOPSIS
Packs a built module folder into a .nupkg that Install-PSResource and Publish-PSResource accept.

.DESCRIPTION
Uses Publish-PSResource against a temporary local repository when PSResourceGet is present;
otherwise writes the same package layout itself: the module files at the root, a .nuspec built
from the manifest (with the PSModule and PSCmdlet_* tags the gallery derives), and the OPC parts.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $ModuleDirectory,
    [Parameter(Mandatory)] [string] $OutputDirectory
)

$ErrorActionPreference = 'Stop'
$manifestPath = Join-Path $ModuleDirectory 'Phota.psd1'
$manifest = Import-PowerShellDataFile $manifestPath
$id = 'Phota'
$version = $manifest.ModuleVersion
$package = Join-Path $OutputDirectory "$id.$version.nupkg"
Remove-Item $package -Force -ErrorAction SilentlyContinue

if (Get-Command Publish-PSResource -ErrorAction SilentlyContinue) {
    $repoName = "PhotaLocal$([Guid]::NewGuid().ToString('N').Substring(0, 8))"
    Register-PSResourceRepository -Name $repoName -Uri $OutputDirectory -Trusted
    try { Publish-PSResource -Path $ModuleDirectory -Repository $repoName }
    finally { Unregister-PSResourceRepository -Name $repoName }
    Write-Host "Package: $package"
    return
}

function ConvertTo-XmlText([string] $Text) { [System.Security.SecurityElement]::Escape($Text) }

$psData = $manifest.PrivateData.PSData
$tags = @($psData.Tags) + 'PSModule' + 'PSIncludes_Cmdlet' + ($manifest.CmdletsToExport | ForEach-Object { "PSCmdlet_$_" })
$nuspec = @"
<?xml version="1.0" encoding="utf-8"?>
<package xmlns="http://schemas.microsoft.com/packaging/2011/08/nuspec.xsd">
  <metadata>
    <id>$id</id>
    <version>$version</version>
    <authors>$(ConvertTo-XmlText $manifest.Author)</authors>
    <owners>$(ConvertTo-XmlText $manifest.CompanyName)</owners>
    <requireLicenseAcceptance>false</requireLicenseAcceptance>
    <licenseUrl>$(ConvertTo-XmlText $psData.LicenseUri)</licenseUrl>
    <projectUrl>$(ConvertTo-XmlText $psData.ProjectUri)</projectUrl>
    <description>$(ConvertTo-XmlText $manifest.Description)</description>
    <releaseNotes>$(ConvertTo-XmlText $psData.ReleaseNotes)</releaseNotes>
    <copyright>$(ConvertTo-XmlText $manifest.Copyright)</copyright>
    <tags>$(ConvertTo-XmlText ($tags -join ' '))</tags>
  </metadata>
</package>
"@

Add-Type -AssemblyName System.IO.Compression
$stream = [System.IO.File]::Open($package, [System.IO.FileMode]::CreateNew)
$zip = [System.IO.Compression.ZipArchive]::new($stream, [System.IO.Compression.ZipArchiveMode]::Create)
try {
    function Add-Text([string] $Name, [string] $Text) {
        $writer = [System.IO.StreamWriter]::new($zip.CreateEntry($Name).Open(), [System.Text.UTF8Encoding]::new($false))
        try { $writer.Write($Text) } finally { $writer.Dispose() }
    }
    Add-Text "$id.nuspec" $nuspec
    $root = (Resolve-Path $ModuleDirectory).Path
    $extensions = [System.Collections.Generic.HashSet[string]]::new([StringComparer]::OrdinalIgnoreCase)
    Get-ChildItem $root -Recurse -File | ForEach-Object {
        $relative = [System.IO.Path]::GetRelativePath($root, $_.FullName).Replace('\', '/')
        [System.IO.Compression.ZipFileExtensions]::CreateEntryFromFile($zip, $_.FullName, $relative) | Out-Null
        $null = $extensions.Add($_.Extension.TrimStart('.'))
    }
    $defaults = ($extensions | Where-Object { $_ } | ForEach-Object { "<Default Extension=`"$_`" ContentType=`"application/octet`" />" }) -join ''
    Add-Text '[Content_Types].xml' "<?xml version=`"1.0`" encoding=`"utf-8`"?><Types xmlns=`"http://schemas.openxmlformats.org/package/2006/content-types`"><Default Extension=`"rels`" ContentType=`"application/vnd.openxmlformats-package.relationships+xml`" /><Default Extension=`"nuspec`" ContentType=`"application/octet`" /><Default Extension=`"psmdcp`" ContentType=`"application/vnd.openxmlformats-package.core-properties+xml`" />$defaults</Types>"
    $coreId = [Guid]::NewGuid().ToString('N')
    Add-Text '_rels/.rels' "<?xml version=`"1.0`" encoding=`"utf-8`"?><Relationships xmlns=`"http://schemas.openxmlformats.org/package/2006/relationships`"><Relationship Type=`"http://schemas.microsoft.com/packaging/2010/07/manifest`" Target=`"/$id.nuspec`" Id=`"R1`" /><Relationship Type=`"http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties`" Target=`"/package/services/metadata/core-properties/$coreId.psmdcp`" Id=`"R2`" /></Relationships>"
    Add-Text "package/services/metadata/core-properties/$coreId.psmdcp" "<?xml version=`"1.0`" encoding=`"utf-8`"?><coreProperties xmlns:dc=`"http://purl.org/dc/elements/1.1/`" xmlns:dcterms=`"http://purl.org/dc/terms/`" xmlns:xsi=`"http://www.w3.org/2001/XMLSchema-instance`" xmlns=`"http://schemas.openxmlformats.org/package/2006/metadata/core-properties`"><dc:creator>$(ConvertTo-XmlText $manifest.Author)</dc:creator><dc:description>$(ConvertTo-XmlText $manifest.Description)</dc:description><dc:identifier>$id</dc:identifier><version>$version</version><keywords>$(ConvertTo-XmlText ($tags -join ' '))</keywords></coreProperties>"
}
finally {
    $zip.Dispose()
    $stream.Dispose()
}
Write-Host "Package: $package"
