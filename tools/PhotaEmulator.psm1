# Starts and stops a local Phota emulator process on a free loopback port, for the demo and the Pester suite.

function Start-PhotaEmulator {
    [CmdletBinding()]
    param(
        # Path of the published Phota.Emulator.dll.
        [Parameter(Mandatory)] [string] $EmulatorDll,
        # Extra command-line options, for example '--time-scale', '0.01'.
        [string[]] $ArgumentList = @(),
        [string] $ApiKey = 'phota-emulator-key',
        [int] $StartTimeoutSec = 30
    )
    if (-not (Test-Path -LiteralPath $EmulatorDll)) {
        throw "The emulator is not built at '$EmulatorDll'. Run ./build.ps1 -Task Build first."
    }
    $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
    $listener.Start(); $port = $listener.LocalEndpoint.Port; $listener.Stop()
    $url = "http://127.0.0.1:$port"
    $log = Join-Path ([System.IO.Path]::GetTempPath()) "phota-emulator-$port.log"
    $process = Start-Process dotnet -ArgumentList (@($EmulatorDll, '--urls', $url, '--api-key', $ApiKey) + $ArgumentList) `
        -PassThru -RedirectStandardOutput $log -RedirectStandardError "$log.err"
    $deadline = [DateTime]::UtcNow.AddSeconds($StartTimeoutSec)
    while ([DateTime]::UtcNow -lt $deadline -and -not $process.HasExited) {
        try {
            $null = Invoke-RestMethod "$url/_emulator/account" -Headers @{ 'X-API-Key' = $ApiKey }
            return [pscustomobject]@{ Url = $url; ApiKey = $ApiKey; Process = $process; Log = $log }
        }
        catch { Start-Sleep -Milliseconds 200 }
    }
    Stop-Process -Id $process.Id -Force -ErrorAction SilentlyContinue
    throw "The emulator did not start at $url within $StartTimeoutSec s; see '$log'."
}

function Stop-PhotaEmulator {
    [CmdletBinding()]
    param([Parameter(Mandatory, ValueFromPipeline)] $Emulator)
    process {
        if ($Emulator.Process -and -not $Emulator.Process.HasExited) {
            Stop-Process -Id $Emulator.Process.Id -Force -ErrorAction SilentlyContinue
            $Emulator.Process.WaitForExit(5000) | Out-Null
        }
    }
}

function Get-PhotaEmulatorAccount {
    [CmdletBinding()]
    param([Parameter(Mandatory)] $Emulator)
    Invoke-RestMethod "$($Emulator.Url)/_emulator/account" -Headers @{ 'X-API-Key' = $Emulator.ApiKey }
}

Export-ModuleMember -Function Start-PhotaEmulator, Stop-PhotaEmulator, Get-PhotaEmulatorAccount
