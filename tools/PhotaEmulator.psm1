# Starts and stops a local Phota emulator process on a loopback port, for the demo and the Pester suite.

function Get-FreeLoopbackPort {
    $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
    $listener.Start()
    try { $listener.LocalEndpoint.Port } finally { $listener.Stop() }
}

function Start-PhotaEmulator {
    [CmdletBinding()]
    param(
        # Path of the published Phota.Emulator.dll.
        [Parameter(Mandatory)] [string] $EmulatorDll,
        # Extra command-line options, for example '--time-scale', '0.01'.
        [string[]] $ArgumentList = @(),
        [string] $ApiKey = 'phota-emulator-key',
        # Listen on this loopback URL (for a restart on the same address); default: a free port.
        [string] $Url,
        [int] $StartTimeoutSec = 30
    )
    if (-not (Test-Path -LiteralPath $EmulatorDll)) {
        throw "The emulator is not built at '$EmulatorDll'. Run ./build.ps1 -Task Build first."
    }
    if (-not $Url) { $Url = "http://127.0.0.1:$(Get-FreeLoopbackPort)" }
    $port = ([uri]$Url).Port
    $log = Join-Path ([System.IO.Path]::GetTempPath()) "phota-emulator-$port-$([guid]::NewGuid().ToString('n').Substring(0, 8)).log"
    $process = Start-Process dotnet -ArgumentList (@($EmulatorDll, '--urls', $Url, '--api-key', $ApiKey) + $ArgumentList) `
        -PassThru -RedirectStandardOutput $log -RedirectStandardError "$log.err"
    $deadline = [DateTime]::UtcNow.AddSeconds($StartTimeoutSec)
    while ([DateTime]::UtcNow -lt $deadline -and -not $process.HasExited) {
        try {
            $null = Invoke-RestMethod "$Url/_emulator/account" -Headers @{ 'X-API-Key' = $ApiKey } -TimeoutSec 5
            return [pscustomobject]@{ Url = $Url; ApiKey = $ApiKey; Process = $process; Log = $log; ArgumentList = $ArgumentList; EmulatorDll = $EmulatorDll }
        }
        catch { Start-Sleep -Milliseconds 200 }
    }
    Stop-Process -Id $process.Id -Force -ErrorAction SilentlyContinue
    $detail = if (Test-Path -LiteralPath "$log.err") { (Get-Content -LiteralPath "$log.err" -Raw) } else { '' }
    throw "The emulator did not start at $Url within $StartTimeoutSec s; see '$log'. $detail"
}

function Stop-PhotaEmulator {
    [CmdletBinding()]
    param(
        [Parameter(Mandatory, ValueFromPipeline)] $Emulator,
        # Keep the emulator's console log files (removed by default).
        [switch] $KeepLog
    )
    process {
        if ($Emulator.Process -and -not $Emulator.Process.HasExited) {
            Stop-Process -Id $Emulator.Process.Id -Force -ErrorAction SilentlyContinue
            $Emulator.Process.WaitForExit(5000) | Out-Null
        }
        if (-not $KeepLog -and $Emulator.Log) {
            Remove-Item -LiteralPath $Emulator.Log, "$($Emulator.Log).err" -Force -ErrorAction SilentlyContinue
        }
    }
}

function Restart-PhotaEmulator {
    <# Stops the emulator process and starts a new one with the same options on the same address (state survives only with --state-file). #>
    [CmdletBinding()]
    param([Parameter(Mandatory)] $Emulator)
    Stop-PhotaEmulator $Emulator
    Start-PhotaEmulator -EmulatorDll $Emulator.EmulatorDll -ArgumentList $Emulator.ArgumentList -ApiKey $Emulator.ApiKey -Url $Emulator.Url
}

function Get-PhotaEmulatorAccount {
    [CmdletBinding()]
    param([Parameter(Mandatory)] $Emulator)
    Invoke-RestMethod "$($Emulator.Url)/_emulator/account" -Headers @{ 'X-API-Key' = $Emulator.ApiKey }
}

function Test-PhotaEmulatorOption {
    <# Whether this emulator build accepts a command-line option (from its --help text). #>
    [CmdletBinding()]
    param([Parameter(Mandatory)] [string] $EmulatorDll, [Parameter(Mandatory)] [string] $Option)
    $help = & dotnet $EmulatorDll --help 2>&1 | Out-String
    $help -match ('(?m)^\s*' + [regex]::Escape($Option) + '\b')
}


function Start-LoopbackFileServer {
    <#
    Serves a folder's files without authentication on a free loopback port, from a thread job: public image URLs
    for profile training when the emulator has no --static-dir. Stop it with Stop-LoopbackFileServer.
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory)] [string] $Root)
    $rootPath = [System.IO.Path]::GetFullPath($Root).TrimEnd([System.IO.Path]::DirectorySeparatorChar) + [System.IO.Path]::DirectorySeparatorChar
    $port = Get-FreeLoopbackPort
    $listener = [System.Net.HttpListener]::new()
    $listener.Prefixes.Add("http://127.0.0.1:$port/")
    $listener.Start()
    $job = Start-ThreadJob -ArgumentList $listener, $rootPath -ScriptBlock {
        param($listener, $root)
        while ($listener.IsListening) {
            try { $context = $listener.GetContext() } catch { break }
            try {
                $relative = [uri]::UnescapeDataString($context.Request.Url.AbsolutePath.TrimStart('/'))
                $path = [System.IO.Path]::GetFullPath((Join-Path $root $relative))
                # Nothing outside the served folder.
                if ($path.StartsWith($root, [StringComparison]::Ordinal) -and [System.IO.File]::Exists($path)) {
                    $bytes = [System.IO.File]::ReadAllBytes($path)
                    $context.Response.ContentType = 'application/octet-stream'
                    $context.Response.ContentLength64 = $bytes.Length
                    $context.Response.OutputStream.Write($bytes, 0, $bytes.Length)
                }
                else { $context.Response.StatusCode = 404 }
            }
            catch { }
            finally { try { $context.Response.Close() } catch { } }
        }
    }
    [pscustomobject]@{ Url = "http://127.0.0.1:$port"; Listener = $listener; Job = $job }
}

function Stop-LoopbackFileServer {
    [CmdletBinding()]
    param([Parameter(Mandatory, ValueFromPipeline)] $Server)
    process {
        try { $Server.Listener.Stop(); $Server.Listener.Close() } catch { }
        $Server.Job | Wait-Job -Timeout 5 | Out-Null
        $Server.Job | Remove-Job -Force -ErrorAction SilentlyContinue
    }
}

Export-ModuleMember -Function Start-PhotaEmulator, Stop-PhotaEmulator, Restart-PhotaEmulator, Get-PhotaEmulatorAccount, Test-PhotaEmulatorOption, Get-FreeLoopbackPort,
    Start-LoopbackFileServer, Stop-LoopbackFileServer
