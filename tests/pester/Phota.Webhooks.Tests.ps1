#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Webhooks: Get-PhotaWebhookSecret and Test-PhotaWebhookSignature, as a script that receives job callbacks uses them.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:ctx = Initialize-PhotaTestFile
    $script:secret = Get-PhotaWebhookSecret -AsPlainText
    $script:body = '{"job_id":"job_123","status":"succeeded","download_urls":["https://cdn.example/a.jpg"]}'

    function script:Get-Signature([byte[]] $Bytes, [string] $Key) {
        $hmac = [System.Security.Cryptography.HMACSHA256]::new([System.Text.Encoding]::UTF8.GetBytes($Key))
        try { [Convert]::ToHexString($hmac.ComputeHash($Bytes)).ToLowerInvariant() } finally { $hmac.Dispose() }
    }
    $script:signature = Get-Signature ([System.Text.Encoding]::UTF8.GetBytes($body)) $secret
}

AfterAll {
    Complete-PhotaTestFile $script:ctx
}

Describe 'Get-PhotaWebhookSecret' {
    It 'returns the signing secret as a SecureString, or a string with -AsPlainText; the same each time' {
        $secure = Get-PhotaWebhookSecret
        $secure | Should -BeOfType ([securestring])
        (ConvertFrom-SecureString $secure -AsPlainText) | Should -Be $secret
        $secret | Should -BeOfType ([string])
        $secret.Length | Should -BeGreaterThan 15
        Get-PhotaWebhookSecret -AsPlainText | Should -Be $secret
        (Get-TestAccount).webhook_secret_minted | Should -BeTrue
    }
}

Describe 'Test-PhotaWebhookSignature' {
    It 'accepts the HMAC-SHA256 of the exact body in lowercase hex, uppercase hex and with a sha256= prefix' {
        Test-PhotaWebhookSignature -Body $body -Signature $signature -Secret $secret | Should -BeTrue
        Test-PhotaWebhookSignature -Body $body -Signature $signature.ToUpperInvariant() -Secret $secret | Should -BeTrue
        Test-PhotaWebhookSignature -Body $body -Signature "sha256=$signature" -Secret $secret | Should -BeTrue
    }

    It 'without -Secret fetches the secret with the session' {
        Test-PhotaWebhookSignature -Body $body -Signature $signature | Should -BeTrue
    }

    It 'takes the secret as a SecureString and the body as bytes' {
        $bytes = [System.Text.Encoding]::UTF8.GetBytes($body)
        Test-PhotaWebhookSignature -Body $bytes -Signature $signature -Secret (Get-PhotaWebhookSecret) | Should -BeTrue
    }

    It 'refuses <Case>' -ForEach @(
        @{ Case = 'a body modified by one byte'; Mutate = { param($b, $s) @(($b -replace 'succeeded', 'succeedee'), $s) } }
        @{ Case = 'a forged signature'; Mutate = { param($b, $s) @($b, ('0' * 64)) } }
        @{ Case = 'a signature made with another secret'; Mutate = { param($b, $s) @($b, (Get-Signature ([System.Text.Encoding]::UTF8.GetBytes($b)) 'another-secret')) } }
        @{ Case = 'a malformed signature'; Mutate = { param($b, $s) @($b, 'not hex at all') } }
        @{ Case = 'a truncated signature'; Mutate = { param($b, $s) @($b, $s.Substring(0, 32)) } }
        @{ Case = 'a missing signature'; Mutate = { param($b, $s) @($b, '') } }
    ) {
        $pair = & $Mutate $body $signature
        Test-PhotaWebhookSignature -Body $pair[0] -Signature $pair[1] -Secret $secret | Should -BeFalse
    }

    It 'takes the body from the pipeline' {
        $body | Test-PhotaWebhookSignature -Signature $signature -Secret $secret | Should -BeTrue
        ($body + ' ') | Test-PhotaWebhookSignature -Signature $signature -Secret $secret | Should -BeFalse
    }

    It 'binds callbacks from the pipeline by property name (Body and the X-Phota-Signature header name)' {
        $callbacks = @(
            [pscustomobject]@{ Body = $body; 'X-Phota-Signature' = $signature }
            [pscustomobject]@{ Body = $body + ' '; 'X-Phota-Signature' = $signature }
        )
        $callbacks | Test-PhotaWebhookSignature -Secret $secret | Should -Be $true, $false
    }
}
