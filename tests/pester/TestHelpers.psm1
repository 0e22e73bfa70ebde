# Shared support for the Pester suite: a fresh emulator process per test file, a temporary journal and working
# folder, the built module, test images (the repository's samples, or generated ones) served on loopback, and
# helpers that read image files and capture every stream of a command.

$script:RepoRoot = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
Import-Module (Join-Path $script:RepoRoot 'tools/PhotaEmulator.psm1') -Force -Global
$script:Context = $null

function Get-TestModulePath {
    if ($env:PHOTA_TEST_MODULE) { return $env:PHOTA_TEST_MODULE }
    Join-Path $script:RepoRoot 'out/Phota/0.1.0/Phota.psd1'
}

function Get-TestEmulatorPath {
    if ($env:PHOTA_TEST_EMULATOR) { return $env:PHOTA_TEST_EMULATOR }
    Join-Path $script:RepoRoot 'out/emulator/Phota.Emulator.dll'
}

function Initialize-PhotaTestFile {
    <#
    Starts this file's emulator (fast time scale), points PHOTA_JOURNAL_PATH at a temporary file, clears
    PHOTA_API_KEY/PHOTA_BASE_URL, imports the built module, prepares test images served on loopback, and connects
    the default session. Returns the context that Complete-PhotaTestFile takes down. -StaticDirectory serves that
    folder (of the same layout) instead of the copied test images.
    #>
    [CmdletBinding()]
    param(
        [string[]] $EmulatorArgument = @(),
        [string] $ApiKey = 'phota-emulator-key',
        [string] $StaticDirectory,
        [switch] $NoConnect
    )
    $root = Join-Path ([System.IO.Path]::GetTempPath()) ("phota-pester-" + [guid]::NewGuid().ToString('n').Substring(0, 12))
    New-Item -ItemType Directory -Path $root -Force | Out-Null
    $ctx = [pscustomobject]@{
        Root        = $root
        Journal     = Join-Path $root 'journal.jsonl'
        Images      = Join-Path $root 'images'
        Emulator    = $null
        Emulators   = [System.Collections.Generic.List[object]]::new()
        FileServer  = $null
        StaticUrl   = $null
        SavedEnv    = @{ PHOTA_JOURNAL_PATH = $env:PHOTA_JOURNAL_PATH; PHOTA_API_KEY = $env:PHOTA_API_KEY; PHOTA_BASE_URL = $env:PHOTA_BASE_URL }
        StartLocation = (Get-Location).Path
    }
    $script:Context = $ctx
    $env:PHOTA_JOURNAL_PATH = $ctx.Journal
    $env:PHOTA_API_KEY = $null
    $env:PHOTA_BASE_URL = $null

    Import-Module (Get-TestModulePath) -Global -ErrorAction Stop
    if ($StaticDirectory) { $ctx.Images = (Resolve-Path -LiteralPath $StaticDirectory).Path }
    else { Copy-TestImage -Destination $ctx.Images }

    $emulatorDll = Get-TestEmulatorPath
    $arguments = @('--time-scale', '0.001') + $EmulatorArgument
    if (Test-PhotaEmulatorOption -EmulatorDll $emulatorDll -Option '--static-dir') {
        $arguments += @('--static-dir', $ctx.Images)
        $ctx.Emulator = Start-TestEmulator -ArgumentList $arguments -ApiKey $ApiKey -NoTimeScale
        $ctx.StaticUrl = "$($ctx.Emulator.Url)/_emulator/static"
    }
    else {
        $ctx.Emulator = Start-TestEmulator -ArgumentList $arguments -ApiKey $ApiKey -NoTimeScale
        $ctx.FileServer = Start-LoopbackFileServer -Root $ctx.Images
        $ctx.StaticUrl = $ctx.FileServer.Url
    }
    if (-not $NoConnect) {
        Connect-Phota -BaseUri $ctx.Emulator.Url -ApiKey $ApiKey
    }
    $ctx
}

function Complete-PhotaTestFile {
    [CmdletBinding()]
    param([Parameter(Mandatory)] $Context)
    Disconnect-Phota -ErrorAction SilentlyContinue
    Set-Location -LiteralPath $Context.StartLocation
    foreach ($emulator in $Context.Emulators) { $emulator | Stop-PhotaEmulator }
    if ($Context.FileServer) { Stop-LoopbackFileServer $Context.FileServer }
    foreach ($name in $Context.SavedEnv.Keys) { Set-Item "env:$name" -Value $Context.SavedEnv[$name] }
    Remove-Item -LiteralPath $Context.Root -Recurse -Force -ErrorAction SilentlyContinue
    $script:Context = $null
}

function Start-TestEmulator {
    <# Another emulator for this file (stopped by Complete-PhotaTestFile), with the fast time scale unless told otherwise. #>
    [CmdletBinding()]
    param([string[]] $ArgumentList = @(), [string] $ApiKey = 'phota-emulator-key', [string] $Url, [switch] $NoTimeScale)
    $arguments = if ($NoTimeScale) { $ArgumentList } else { @('--time-scale', '0.001') + $ArgumentList }
    $start = @{ EmulatorDll = (Get-TestEmulatorPath); ArgumentList = $arguments; ApiKey = $ApiKey }
    if ($Url) { $start.Url = $Url }
    $emulator = Start-PhotaEmulator @start
    if ($script:Context) { $script:Context.Emulators.Add($emulator) }
    $emulator
}

function Restart-TestEmulator {
    [CmdletBinding()]
    param([Parameter(Mandatory)] $Emulator)
    $restarted = Restart-PhotaEmulator $Emulator
    if ($script:Context) { $script:Context.Emulators.Add($restarted) }
    $restarted
}

function Get-TestAccount {
    <# The emulator's balance and counters for the key (default: this file's emulator). #>
    param($Emulator = $script:Context.Emulator)
    Get-PhotaEmulatorAccount $Emulator
}

function Measure-TestAccountChange {
    <# Runs $Action and returns how the emulator account's counters moved: Submits, Jobs, Profiles and Charged (USD). #>
    param([Parameter(Mandatory, Position = 0)] [scriptblock] $Action, $Emulator = $script:Context.Emulator)
    $before = Get-TestAccount $Emulator
    $null = & $Action
    $after = Get-TestAccount $Emulator
    [pscustomobject]@{
        Submits  = $after.submits - $before.submits
        Jobs     = $after.jobs - $before.jobs
        Profiles = $after.profiles - $before.profiles
        Charged  = [decimal]$after.charged_usd - [decimal]$before.charged_usd
    }
}

function New-TestSession {
    param($Emulator = $script:Context.Emulator, [string] $ApiKey)
    if (-not $ApiKey) { $ApiKey = $Emulator.ApiKey }
    New-PhotaSession -ApiKey $ApiKey -BaseUri $Emulator.Url
}

function New-TestDirectory {
    <# A fresh folder under this file's temporary root. #>
    param([string] $Name = 'dir')
    $path = Join-Path $script:Context.Root ("$Name-" + [guid]::NewGuid().ToString('n').Substring(0, 8))
    (New-Item -ItemType Directory -Path $path -Force).FullName
}

function Get-TestImageUrl {
    <# The loopback URL the emulator fetches a test image from (relative to the test image folder). #>
    param([Parameter(Mandatory)] [string] $RelativePath)
    $escaped = ($RelativePath -split '[\\/]' | ForEach-Object { [uri]::EscapeDataString($_) }) -join '/'
    "$($script:Context.StaticUrl)/$escaped"
}

function Get-TestPortraitUrl {
    <# URLs of portrait photos for profile training, repeated to the count asked for. #>
    param([int] $Count = 5)
    $names = Get-ChildItem -LiteralPath (Join-Path $script:Context.Images 'portraits') -File | Sort-Object Name | Select-Object -ExpandProperty Name
    0..($Count - 1) | ForEach-Object { Get-TestImageUrl "portraits/$($names[$_ % $names.Count])" }
}

function Invoke-TestApi {
    <# Calls the emulator's API directly (test setup that should not depend on the cmdlets under test). #>
    param([Parameter(Mandatory)] [string] $Path, [string] $Method = 'Get', $Body, $Emulator = $script:Context.Emulator)
    $call = @{ Uri = "$($Emulator.Url)/$($Path.TrimStart('/'))"; Method = $Method; Headers = @{ 'X-API-Key' = $Emulator.ApiKey } }
    if ($null -ne $Body) { $call.Body = ($Body | ConvertTo-Json -Depth 5); $call.ContentType = 'application/json' }
    Invoke-RestMethod @call
}

function Wait-TestProfileReady {
    <# Polls a profile's status quickly (over the API) until it has finished training; returns the status. #>
    param([Parameter(Mandatory)] [string] $ProfileId, [int] $TimeoutSec = 30, $Emulator = $script:Context.Emulator)
    $deadline = [DateTime]::UtcNow.AddSeconds($TimeoutSec)
    do {
        $status = Invoke-TestApi "v1/phota/profiles/$ProfileId/status" -Emulator $Emulator
        if ($status.status -in 'READY', 'ERROR', 'INACTIVE') { return $status }
        Start-Sleep -Milliseconds 100
    } while ([DateTime]::UtcNow -lt $deadline)
    throw "Profile $ProfileId had not finished training after $TimeoutSec s (status $($status.status))."
}

function New-TestReadyProfile {
    <# The id of a READY Quick Train profile made from the test portraits, created over the API. #>
    param([string] $Tag, $Emulator = $script:Context.Emulator)
    $body = @{ image_urls = @(Get-TestPortraitUrl -Count 5); training_tier = 'fast' }
    if ($Tag) { $body.tag = $Tag }
    $id = (Invoke-TestApi 'v1/phota/profiles/add' -Method Post -Body $body -Emulator $Emulator).profile_id
    $status = Wait-TestProfileReady $id -Emulator $Emulator
    if ($status.status -ne 'READY') { throw "Test profile $id ended $($status.status): $($status.message)" }
    $id
}

function Copy-TestImage {
    <#
    The test images: the repository's samples/ (portraits, photos, styles) when present, else generated PNGs of the
    same layout. Always copied, so tests never write next to the repository's files.
    #>
    param([Parameter(Mandatory)] [string] $Destination)
    $samples = Join-Path $script:RepoRoot 'samples'
    foreach ($kind in 'portraits', 'photos', 'styles') {
        $target = Join-Path $Destination $kind
        New-Item -ItemType Directory -Path $target -Force | Out-Null
        $source = Join-Path $samples $kind
        $files = if (Test-Path -LiteralPath $source) { @(Get-ChildItem -LiteralPath $source -File | Where-Object Extension -in '.jpg', '.jpeg', '.png') } else { @() }
        if ($files.Count -gt 0) {
            $files | Copy-Item -Destination $target
            continue
        }
        $count = @{ portraits = 6; photos = 3; styles = 2 }[$kind]
        for ($i = 1; $i -le $count; $i++) {
            $name = @{ portraits = 'person-{0:00}.png'; photos = 'photo-{0:00}.png'; styles = 'style-{0:00}.png' }[$kind] -f $i
            New-TestPng -Path (Join-Path $target $name) -Width (160 + 8 * $i) -Height 200 -Seed $i | Out-Null
        }
    }
}

function Get-TestImage {
    <# Test image files of one kind: portraits, photos or styles. #>
    param([Parameter(Mandatory)] [ValidateSet('portraits', 'photos', 'styles')] [string] $Kind)
    Get-ChildItem -LiteralPath (Join-Path $script:Context.Images $Kind) -File | Sort-Object Name
}

$script:CrcTable = $null
function Get-Crc32 {
    # PNG's CRC-32, in 64-bit arithmetic (PowerShell's bitwise operators on UInt32 give signed results).
    param([byte[]] $Bytes)
    $mask = 4294967295L
    if (-not $script:CrcTable) {
        $script:CrcTable = [long[]]::new(256)
        for ($n = 0; $n -lt 256; $n++) {
            $c = [long]$n
            for ($k = 0; $k -lt 8; $k++) { $c = if ($c -band 1) { 3988292384L -bxor ($c -shr 1) } else { $c -shr 1 } }
            $script:CrcTable[$n] = $c
        }
    }
    $crc = $mask
    foreach ($b in $Bytes) { $crc = $script:CrcTable[($crc -bxor $b) -band 0xFF] -bxor ($crc -shr 8) }
    [uint32](($crc -bxor $mask) -band $mask)
}

function ConvertTo-BigEndian {
    param([uint32] $Value)
    $bytes = [BitConverter]::GetBytes($Value)
    [Array]::Reverse($bytes)
    , $bytes
}

function New-TestPng {
    <# Writes a valid RGB PNG of the given size (a gradient that depends on -Seed). #>
    param([Parameter(Mandatory)] [string] $Path, [int] $Width = 96, [int] $Height = 96, [int] $Seed = 1)
    $rowLength = 1 + 3 * $Width
    $row = [byte[]]::new($rowLength)
    for ($x = 0; $x -lt $Width; $x++) {
        $row[1 + 3 * $x] = [byte](($x * 3 + $Seed * 40) % 256)
        $row[2 + 3 * $x] = [byte](($Seed * 70) % 256)
        $row[3 + 3 * $x] = [byte]((255 - $x) % 256)
    }
    $raw = [byte[]]::new($rowLength * $Height)
    for ($y = 0; $y -lt $Height; $y++) { [Array]::Copy($row, 0, $raw, $y * $rowLength, $rowLength) }
    $compressed = [System.IO.MemoryStream]::new()
    $zlib = [System.IO.Compression.ZLibStream]::new($compressed, [System.IO.Compression.CompressionLevel]::Optimal, $true)
    $zlib.Write($raw, 0, $raw.Length); $zlib.Dispose()

    $out = [System.IO.MemoryStream]::new()
    $out.Write([byte[]](0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A), 0, 8)
    $ihdr = [System.IO.MemoryStream]::new()
    $ihdr.Write((ConvertTo-BigEndian $Width), 0, 4); $ihdr.Write((ConvertTo-BigEndian $Height), 0, 4)
    $ihdr.Write([byte[]](8, 2, 0, 0, 0), 0, 5)
    foreach ($chunk in @(@('IHDR', $ihdr.ToArray()), @('IDAT', $compressed.ToArray()), @('IEND', [byte[]]@()))) {
        $type = [System.Text.Encoding]::ASCII.GetBytes($chunk[0])
        [byte[]] $data = $chunk[1]
        $out.Write((ConvertTo-BigEndian $data.Length), 0, 4)
        $out.Write($type, 0, 4)
        if ($data.Length) { $out.Write($data, 0, $data.Length) }
        $out.Write((ConvertTo-BigEndian (Get-Crc32 ([byte[]]($type + $data)))), 0, 4)
    }
    [System.IO.File]::WriteAllBytes($Path, $out.ToArray())
    Get-Item -LiteralPath $Path
}

function New-TestHeic {
    <# Writes the boxes of a HEIC file that carry its size (ftyp heic, meta/iprp/ipco/ispe): what format probes read. #>
    param([Parameter(Mandatory)] [string] $Path, [int] $Width = 640, [int] $Height = 480)
    function Box([string] $Type, [byte[]] $Body) {
        , [byte[]]((ConvertTo-BigEndian (8 + $Body.Length)) + [System.Text.Encoding]::ASCII.GetBytes($Type) + $Body)
    }
    $ftyp = Box 'ftyp' ([byte[]]([System.Text.Encoding]::ASCII.GetBytes('heic') + [byte[]](0, 0, 0, 0) + [System.Text.Encoding]::ASCII.GetBytes('mif1heic')))
    $ispe = Box 'ispe' ([byte[]]([byte[]](0, 0, 0, 0) + (ConvertTo-BigEndian $Width) + (ConvertTo-BigEndian $Height)))
    $meta = Box 'meta' ([byte[]]([byte[]](0, 0, 0, 0) + (Box 'iprp' (Box 'ipco' $ispe))))
    $mdat = Box 'mdat' ([byte[]]::new(256))
    [System.IO.File]::WriteAllBytes($Path, [byte[]]($ftyp + $meta + $mdat))
    Get-Item -LiteralPath $Path
}

function Get-TestImageInfo {
    <# Format (jpg, png or unknown), width and height of an image file, read from its bytes. #>
    param([Parameter(Mandatory)] [string] $Path)
    $b = [System.IO.File]::ReadAllBytes($Path)
    if ($b.Length -ge 24 -and $b[0] -eq 0x89 -and $b[1] -eq 0x50 -and $b[2] -eq 0x4E -and $b[3] -eq 0x47) {
        $w = ([int]$b[16] -shl 24) -bor ([int]$b[17] -shl 16) -bor ([int]$b[18] -shl 8) -bor $b[19]
        $h = ([int]$b[20] -shl 24) -bor ([int]$b[21] -shl 16) -bor ([int]$b[22] -shl 8) -bor $b[23]
        return [pscustomobject]@{ Format = 'png'; Width = $w; Height = $h; Complete = ($b.Length -ge 12 -and [System.Text.Encoding]::ASCII.GetString($b, $b.Length - 8, 4) -eq 'IEND') }
    }
    if ($b.Length -ge 4 -and $b[0] -eq 0xFF -and $b[1] -eq 0xD8) {
        $i = 2
        while ($i + 9 -lt $b.Length) {
            if ($b[$i] -ne 0xFF) { $i++; continue }
            $marker = $b[$i + 1]
            if ($marker -in 0xD8, 0x01 -or ($marker -ge 0xD0 -and $marker -le 0xD7) -or $marker -eq 0xFF) { $i++; continue }
            $length = ([int]$b[$i + 2] -shl 8) -bor $b[$i + 3]
            if ($marker -in 0xC0, 0xC1, 0xC2) {
                $h = ([int]$b[$i + 5] -shl 8) -bor $b[$i + 6]
                $w = ([int]$b[$i + 7] -shl 8) -bor $b[$i + 8]
                return [pscustomobject]@{ Format = 'jpg'; Width = $w; Height = $h; Complete = ($b[-2] -eq 0xFF -and $b[-1] -eq 0xD9) }
            }
            $i += 2 + $length
        }
        return [pscustomobject]@{ Format = 'jpg'; Width = 0; Height = 0; Complete = $false }
    }
    [pscustomobject]@{ Format = 'unknown'; Width = 0; Height = 0; Complete = $false }
}

function Invoke-Captured {
    <#
    Runs a script block in this runspace (so the default session and environment apply) with every stream
    redirected, and returns them sorted: Output, Error, Warning, Verbose, Debug, Information, and Thrown for a
    terminating error. Progress cannot be redirected: see Invoke-CapturedProgress.
    #>
    param([Parameter(Mandatory)] [scriptblock] $ScriptBlock, [hashtable] $Variables = @{})
    $records = [System.Collections.Generic.List[object]]::new()
    $thrown = $null
    try {
        & $ScriptBlock @Variables *>&1 | ForEach-Object { $records.Add($_) }
    }
    catch { $thrown = $_ }
    [pscustomobject]@{
        Output      = @($records | Where-Object { $_ -isnot [System.Management.Automation.ErrorRecord] -and $_ -isnot [System.Management.Automation.WarningRecord] -and $_ -isnot [System.Management.Automation.VerboseRecord] -and $_ -isnot [System.Management.Automation.DebugRecord] -and $_ -isnot [System.Management.Automation.InformationRecord] })
        Error       = @($records | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })
        Warning     = @($records | Where-Object { $_ -is [System.Management.Automation.WarningRecord] })
        Verbose     = @($records | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] })
        Debug       = @($records | Where-Object { $_ -is [System.Management.Automation.DebugRecord] })
        Information = @($records | Where-Object { $_ -is [System.Management.Automation.InformationRecord] })
        Thrown      = $thrown
    }
}

function Invoke-CapturedProgress {
    <#
    Runs a script block in a new runspace (the built module imported, -Session's session connected, the current
    location and journal kept) and returns every stream, progress included.
    #>
    param([Parameter(Mandatory)] [scriptblock] $ScriptBlock, [Parameter(Mandatory)] $Session, [hashtable] $Variables = @{})
    $pipeline = Start-TestPipeline -ScriptBlock $ScriptBlock -Session $Session -Variables $Variables
    $ps = $pipeline.PowerShell
    try {
        $thrown = $null
        try { $null = $ps.EndInvoke($pipeline.Async) } catch { $thrown = $_ }
        [pscustomobject]@{
            Output      = @($pipeline.Output)
            Error       = @($ps.Streams.Error)
            Warning     = @($ps.Streams.Warning)
            Verbose     = @($ps.Streams.Verbose)
            Debug       = @($ps.Streams.Debug)
            Information = @($ps.Streams.Information)
            Progress    = @($ps.Streams.Progress)
            Thrown      = $thrown
        }
    }
    finally {
        $ps.Dispose()
        $pipeline.Runspace.Dispose()
    }
}

function Start-TestPipeline {
    <#
    Starts a script block in its own runspace (the built module imported, the given session as default) so a test
    can stop it the way Ctrl+C does (PowerShell.Stop calls each cmdlet's StopProcessing). Returns the handle for
    Stop-TestPipeline.
    #>
    param([Parameter(Mandatory)] [scriptblock] $ScriptBlock, [Parameter(Mandatory)] $Session, [hashtable] $Variables = @{})
    $iss = [System.Management.Automation.Runspaces.InitialSessionState]::CreateDefault2()
    $iss.ImportPSModule([string[]](Get-TestModulePath))
    $runspace = [runspacefactory]::CreateRunspace($iss)
    $runspace.Open()
    $runspace.SessionStateProxy.SetVariable('PhotaTestSession', $Session)
    foreach ($key in $Variables.Keys) { $runspace.SessionStateProxy.SetVariable($key, $Variables[$key]) }
    $runspace.SessionStateProxy.Path.SetLocation((Get-Location).ProviderPath) | Out-Null
    $ps = [powershell]::Create()
    $ps.Runspace = $runspace
    $null = $ps.AddScript("Connect-Phota -Session `$PhotaTestSession -SkipCheck`n" + $ScriptBlock.ToString())
    $output = [System.Management.Automation.PSDataCollection[psobject]]::new()
    $async = $ps.BeginInvoke([System.Management.Automation.PSDataCollection[psobject]]::new(), $output)
    [pscustomobject]@{ PowerShell = $ps; Runspace = $runspace; Async = $async; Output = $output }
}

function Stop-TestPipeline {
    <# Stops the pipeline (as Ctrl+C does) and returns what it wrote, then disposes it. #>
    param([Parameter(Mandatory)] $Pipeline, [int] $TimeoutSec = 30)
    $sw = [System.Diagnostics.Stopwatch]::StartNew()
    $stop = $Pipeline.PowerShell.BeginStop($null, $null)
    $stopped = $stop.AsyncWaitHandle.WaitOne([TimeSpan]::FromSeconds($TimeoutSec))
    $sw.Stop()
    $result = [pscustomobject]@{
        Stopped       = $stopped
        StopSeconds   = $sw.Elapsed.TotalSeconds
        State         = $Pipeline.PowerShell.InvocationStateInfo.State
        Output        = @($Pipeline.Output)
        Error         = @($Pipeline.PowerShell.Streams.Error)
        Warning       = @($Pipeline.PowerShell.Streams.Warning)
    }
    $Pipeline.PowerShell.Dispose()
    $Pipeline.Runspace.Dispose()
    $result
}

function Get-TestPowerShell {
    <#
    .SYNOPSIS
    The PowerShell running this suite, as a command that starts another copy of it directly.
    .DESCRIPTION
    `pwsh` may not be on PATH (the repository's pinned copy runs as `dotnet pwsh`), and a `pwsh` launcher's process is not
    the PowerShell that would receive a signal sent to it. FilePath plus Arguments start the real process, so its PID is
    the one a terminal's Ctrl+C reaches.
    #>
    $process = [Environment]::ProcessPath
    if ([System.IO.Path]::GetFileNameWithoutExtension($process) -eq 'pwsh') { return [pscustomobject]@{ FilePath = $process; Arguments = @() } }
    # Hosted by the dotnet muxer (a .NET tool): run the same pwsh.dll.
    [pscustomobject]@{ FilePath = $process; Arguments = @(Join-Path $PSHOME 'pwsh.dll') }
}

function Invoke-TestPowerShell {
    # Runs a child PowerShell with the arguments given ($args, passed on as they are) and returns its output (all
    # streams) as text; $LASTEXITCODE is its exit code.
    $pwsh = Get-TestPowerShell
    $text = & $pwsh.FilePath @($pwsh.Arguments + $args) 2>&1 | Out-String
    $global:LASTEXITCODE = $LASTEXITCODE
    $text
}

function Start-TestPowerShell {
    # Starts a child PowerShell (see Get-TestPowerShell) and returns its Process object; extra parameters go to Start-Process.
    param([string[]] $ArgumentList, [hashtable] $StartProcess = @{})
    $pwsh = Get-TestPowerShell
    Start-Process -FilePath $pwsh.FilePath -ArgumentList @($pwsh.Arguments + $ArgumentList) -PassThru @StartProcess
}

function Get-TestJournalRecord {
    <# The journal's lines as objects. #>
    param([string] $Path = $env:PHOTA_JOURNAL_PATH)
    if (-not (Test-Path -LiteralPath $Path)) { return @() }
    Get-Content -LiteralPath $Path | Where-Object { $_.Trim() } | ForEach-Object { $_ | ConvertFrom-Json }
}

function Use-TestJournal {
    <# Points PHOTA_JOURNAL_PATH at a new empty journal file and returns its path. #>
    $path = Join-Path $script:Context.Root ("journal-" + [guid]::NewGuid().ToString('n').Substring(0, 8) + '.jsonl')
    $env:PHOTA_JOURNAL_PATH = $path
    $path
}

Export-ModuleMember -Function Initialize-PhotaTestFile, Complete-PhotaTestFile, Start-TestEmulator, Restart-TestEmulator, Get-TestAccount, Measure-TestAccountChange,
    New-TestSession, New-TestDirectory, Get-TestImageUrl, Get-TestPortraitUrl, Wait-TestProfileReady, New-TestReadyProfile,
    Get-TestImage, New-TestPng, New-TestHeic, Get-TestImageInfo, Invoke-Captured, Invoke-CapturedProgress, Start-TestPipeline, Stop-TestPipeline,
    Get-TestJournalRecord, Use-TestJournal, Invoke-TestApi, Get-TestModulePath, Get-TestEmulatorPath,
    Get-TestPowerShell, Invoke-TestPowerShell, Start-TestPowerShell
