@{
    RootModule           = 'Phota.PowerShell.dll'
    ModuleVersion        = '0.1.0'
    GUID                 = '5f0c3e8a-8d7b-4c52-9a51-2b7e6f1d4c90'
    Author               = 'Phota'
    CompanyName          = 'Phota'
    Copyright            = '(c) Phota. All rights reserved.'
    Description          = 'AI photo editing, generation, enhancement and remixing that keeps the identity of real people and pets, from the PowerShell pipeline. Covers the whole Phota API: studio operations, async jobs, webhooks and trained profiles.'
    PowerShellVersion    = '7.4'
    CompatiblePSEditions = @('Core')
    FormatsToProcess     = @('Phota.format.ps1xml')
    CmdletsToExport      = @(
        'New-PhotaSession'
        'Connect-Phota'
        'Disconnect-Phota'
        'New-PhotaProfile'
        'Get-PhotaProfile'
        'Wait-PhotaProfile'
        'Remove-PhotaProfile'
        'Save-PhotaProfilePicture'
        'Invoke-PhotaEdit'
        'Invoke-PhotaGenerate'
        'Invoke-PhotaEnhance'
        'Invoke-PhotaRemix'
        'Get-PhotaJob'
        'Wait-PhotaJob'
        'Receive-PhotaJob'
        'Optimize-PhotaJobJournal'
        'Get-PhotaWebhookSecret'
        'Test-PhotaWebhookSignature'
        'ConvertFrom-PhotaWebhook'
    )
    FunctionsToExport    = @()
    VariablesToExport    = @()
    AliasesToExport      = @()
    PrivateData          = @{
        PSData = @{
            Tags         = @('Phota', 'AI', 'Image', 'Photo', 'Edit', 'Generate', 'Enhance', 'Remix', 'Identity', 'API', 'PSEdition_Core', 'Linux', 'Windows', 'MacOS')
            ProjectUri   = 'https://github.com/phota/phota-powershell'
            LicenseUri   = 'https://github.com/phota/phota-powershell/blob/main/LICENSE'
            ReleaseNotes = 'First release: the whole Phota API v0.7.0 (edit, generate, enhance, remix, async jobs with journal, webhooks, profiles) with money-safe retries and a local emulator.'
        }
    }
}
