#Requires -Version 7.4
<#
.SYNOPSIS
Runs the Phota quickstart end to end on the repository's sample photos, against a local emulator or the real API.

.DESCRIPTION
Imports the built module, connects, and runs the quickstart: create a profile and wait for it with progress, edit a
photo keeping the subject's identity, generate with "$person" in the prompt, enhance a folder with
Get-ChildItem | Invoke-PhotaEnhance, remix a photo in the style of another, and submit an async job collected with
Receive-PhotaJob. Ends with a table of every file produced and where it is.

By default it starts the emulator (tools/PhotaEmulator.psm1) on a free loopback port: no key, no money. With -Live it
calls the real Phota API with PHOTA_API_KEY (and PHOTA_BASE_URL if set), which costs money; profile training there
needs public photo URLs (-PortraitUrl or PHOTA_DEMO_PORTRAIT_URLS), without them the profile steps are skipped.

.EXAMPLE
./build.ps1 -Task Demo

.EXAMPLE
$env:PHOTA_API_KEY = Get-Secret Phota -AsPlainText; ./build.ps1 -Task Demo -Live
#>
[CmdletBinding()]
param(
    # The built module's manifest (out/Phota/<version>/Phota.psd1).
    [Parameter(Mandatory)] [string] $ModuleManifest,
    # The published emulator (out/emulator/Phota.Emulator.dll); not used with -Live.
    [string] $EmulatorDll,
    # Call the real Phota API with PHOTA_API_KEY instead of the emulator (costs money).
    [switch] $Live,
    # Public URLs of 5 to 10 photos of one person, for the profile with -Live.
    [string[]] $PortraitUrl,
    # Where the results go. Default: out/demo under the repository.
    [string] $OutputDirectory
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

$repoRoot = Split-Path -Parent $PSScriptRoot
$samples = Join-Path $repoRoot 'samples'
if (-not $OutputDirectory) { $OutputDirectory = Join-Path $repoRoot 'out/demo' }

function Write-Step([string] $Title, [string] $Command) {
    Write-Host ''
    Write-Host "== $Title" -ForegroundColor Cyan
    if ($Command) { Write-Host "PS> $Command" -ForegroundColor DarkGray }
}

foreach ($folder in 'portraits', 'photos', 'styles') {
    if (-not (Test-Path -LiteralPath (Join-Path $samples $folder))) { throw "The sample photos are missing: $samples/$folder." }
}
if (-not (Test-Path -LiteralPath $ModuleManifest)) { throw "The module is not built at '$ModuleManifest'. Run ./build.ps1 -Task Build first." }

Import-Module (Join-Path $repoRoot 'tools/PhotaEmulator.psm1') -Force
$emulator = $null
$fileServer = $null
$savedJournal = $env:PHOTA_JOURNAL_PATH
$location = Get-Location
try {
    if ($Live) {
        if (-not $env:PHOTA_API_KEY) { throw 'The live demo needs PHOTA_API_KEY: set it to your Phota API key (it costs money), or run without -Live to use the emulator.' }
        if (-not $PortraitUrl -and $env:PHOTA_DEMO_PORTRAIT_URLS) { $PortraitUrl = $env:PHOTA_DEMO_PORTRAIT_URLS -split '[,\s]+' | Where-Object { $_ } }
        Write-Host 'Live mode: calling the real Phota API; this costs money.' -ForegroundColor Yellow
    }
    else {
        if (-not $EmulatorDll) { throw 'Pass -EmulatorDll (out/emulator/Phota.Emulator.dll), or -Live to use the real API.' }
        # A hundred times faster than the real service: Quick Train takes seconds, jobs a fraction of one.
        $arguments = @('--time-scale', '0.01')
        $staticDir = Test-PhotaEmulatorOption -EmulatorDll $EmulatorDll -Option '--static-dir'
        if ($staticDir) { $arguments += @('--static-dir', $samples) }
        Write-Step 'Starting the Phota emulator on a free loopback port'
        $emulator = Start-PhotaEmulator -EmulatorDll $EmulatorDll -ArgumentList $arguments
        Write-Host "Emulator: $($emulator.Url) (API key $($emulator.ApiKey), the emulator's documented test key)"
        $sampleUrl = if ($staticDir) { "$($emulator.Url)/_emulator/static" } else { ($fileServer = Start-LoopbackFileServer -Root $samples).Url }
        $PortraitUrl = Get-ChildItem -LiteralPath (Join-Path $samples 'portraits') -Filter *.jpg | Sort-Object Name |
            ForEach-Object { "$sampleUrl/portraits/$([uri]::EscapeDataString($_.Name))" }
    }

    Remove-Item -LiteralPath $OutputDirectory -Recurse -Force -ErrorAction SilentlyContinue
    New-Item -ItemType Directory -Path $OutputDirectory -Force | Out-Null
    if (-not $Live) {
        # The emulator's jobs go to a journal of their own, not the user's.
        $env:PHOTA_JOURNAL_PATH = Join-Path $OutputDirectory 'journal.jsonl'
    }
    Set-Location -LiteralPath $samples

    Write-Step 'Importing the built module' "Import-Module $ModuleManifest"
    Import-Module $ModuleManifest -Force
    if ($Live) {
        Write-Step 'Connecting with PHOTA_API_KEY' 'Connect-Phota'
        Connect-Phota
    }
    else {
        Write-Step 'Connecting to the emulator' "Connect-Phota -BaseUri $($emulator.Url) -ApiKey $($emulator.ApiKey)"
        Connect-Phota -BaseUri $emulator.Url -ApiKey $emulator.ApiKey
    }

    $produced = [System.Collections.Generic.List[object]]::new()
    function Add-Result([string] $Step, $Images) {
        foreach ($image in @($Images)) {
            $produced.Add([pscustomobject]@{ Step = $Step; Operation = $image.Operation; Variation = $image.Variation; File = $image.FullName; Source = $image.Source })
        }
        @($Images) | Format-Table Name, Operation, Variation, Source -AutoSize | Out-Host
    }

    $person = $null
    if ($PortraitUrl) {
        Write-Step 'Creating a profile from the portraits (Quick Train)' '$person = $portraitUrls | New-PhotaProfile -TrainingTier Fast -Tag phota-demo'
        $person = $PortraitUrl | Select-Object -First 10 | New-PhotaProfile -TrainingTier Fast -Tag 'phota-demo'
        Write-Host "Profile $($person.ProfileId): $($person.Status)"
        Write-Step 'Waiting for training, with progress' '$person = $person | Wait-PhotaProfile'
        $person = $person | Wait-PhotaProfile -TimeoutSec 900
        $person | Format-Table ProfileId, Status, Tag -AutoSize | Out-Host

        Write-Step 'Editing a photo, keeping the subject''s identity' "Invoke-PhotaEdit -Image photos/beach.jpg -Prompt `"Make `$person wave at the camera`" -ProfileId `$person"
        Add-Result 'edit' (Invoke-PhotaEdit -Image photos/beach.jpg -Prompt "Make $person wave at the camera" -ProfileId $person -OutputDirectory (Join-Path $OutputDirectory 'edit'))

        Write-Step 'Generating with "$person" in the prompt' "Invoke-PhotaGenerate `"A professional headshot of `$person in a modern office`" -Count 2"
        Add-Result 'generate' (Invoke-PhotaGenerate "A professional headshot of $person in a modern office" -Count 2 -OutputDirectory (Join-Path $OutputDirectory 'generate'))
    }
    else {
        Write-Warning 'No public portrait URLs (-PortraitUrl or PHOTA_DEMO_PORTRAIT_URLS): skipping the profile, the identity-preserving edit and the generation with "$person".'
        Write-Step 'Generating from a prompt' "Invoke-PhotaGenerate 'A lighthouse on a cliff at dawn' -Count 2"
        Add-Result 'generate' (Invoke-PhotaGenerate 'A lighthouse on a cliff at dawn' -Count 2 -OutputDirectory (Join-Path $OutputDirectory 'generate'))
    }

    Write-Step 'Enhancing a folder' 'Get-ChildItem photos/*.jpg | Invoke-PhotaEnhance'
    Add-Result 'enhance' (Get-ChildItem photos/*.jpg | Invoke-PhotaEnhance -OutputDirectory (Join-Path $OutputDirectory 'enhance'))

    Write-Step 'Remixing a photo in the style of another' 'Invoke-PhotaRemix -Image photos/city.jpg -ReferenceImage styles/watercolor.jpg'
    $remix = @{ Image = 'photos/city.jpg'; ReferenceImage = 'styles/watercolor.jpg'; OutputDirectory = (Join-Path $OutputDirectory 'remix') }
    if ($person) { $remix.ProfileId = $person }
    Add-Result 'remix' (Invoke-PhotaRemix @remix)

    Write-Step 'Submitting an async job, then collecting it' '$job = Invoke-PhotaGenerate ''A postcard of a harbour town'' -NoWait; $job | Receive-PhotaJob -Wait'
    $job = Invoke-PhotaGenerate 'A postcard of a harbour town' -NoWait -OutputDirectory (Join-Path $OutputDirectory 'async')
    $job | Format-Table JobId, Operation, Status, JournalState -AutoSize | Out-Host
    Add-Result 'async' ($job | Receive-PhotaJob -Wait)

    Write-Step 'What was produced, and where'
    $summary = foreach ($item in $produced) {
        $bytes = [System.IO.File]::ReadAllBytes($item.File)
        $size = ''
        if ($bytes.Length -gt 24 -and $bytes[0] -eq 0x89) {
            $size = '{0}x{1}' -f ([System.Buffers.Binary.BinaryPrimitives]::ReadInt32BigEndian([ReadOnlySpan[byte]]::new($bytes, 16, 4))), ([System.Buffers.Binary.BinaryPrimitives]::ReadInt32BigEndian([ReadOnlySpan[byte]]::new($bytes, 20, 4)))
        }
        else {
            for ($i = 2; $i + 9 -lt $bytes.Length; ) {
                if ($bytes[$i] -ne 0xFF) { $i++; continue }
                $marker = $bytes[$i + 1]
                if ($marker -in 0xC0, 0xC1, 0xC2) { $size = '{0}x{1}' -f (([int]$bytes[$i + 7] -shl 8) -bor $bytes[$i + 8]), (([int]$bytes[$i + 5] -shl 8) -bor $bytes[$i + 6]); break }
                if ($marker -eq 0xD8 -or $marker -eq 0xFF -or ($marker -ge 0xD0 -and $marker -le 0xD7)) { $i++; continue }
                $i += 2 + (([int]$bytes[$i + 2] -shl 8) -bor $bytes[$i + 3])
            }
        }
        [pscustomobject]@{
            Step   = $item.Step
            Var    = $item.Variation
            Pixels = $size
            KB     = [math]::Round($bytes.Length / 1KB, 1)
            File   = [System.IO.Path]::GetRelativePath($OutputDirectory, $item.File)
        }
    }
    Write-Host "$($summary.Count) files in $OutputDirectory"
    $summary | Format-Table -AutoSize -Wrap | Out-Host
    if ($emulator) {
        $account = Get-PhotaEmulatorAccount $emulator
        Write-Host ('Emulator account: {0} jobs, {1} profile(s), US${2:0.00} charged (play money), US${3:0.00} left.' -f $account.jobs, $account.profiles, $account.charged_usd, $account.balance_usd)
    }
    if ($person -and -not $Live) {
        Remove-PhotaProfile -ProfileId $person -Confirm:$false
    }
    Disconnect-Phota
}
finally {
    Set-Location $location
    $env:PHOTA_JOURNAL_PATH = $savedJournal
    if ($fileServer) { $fileServer | Stop-LoopbackFileServer }
    if ($emulator) { $emulator | Stop-PhotaEmulator }
}
