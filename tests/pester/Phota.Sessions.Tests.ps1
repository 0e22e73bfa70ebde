#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Sessions: New-PhotaSession, Connect-Phota, Disconnect-Phota and how every API cmdlet finds its session.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:ctx = Initialize-PhotaTestFile -NoConnect
    $script:url = $ctx.Emulator.Url
    $script:key = $ctx.Emulator.ApiKey
}

AfterAll {
    Complete-PhotaTestFile $script:ctx
}

Describe 'New-PhotaSession' {
    It 'returns a session with the base URI and timeout, whose string form hides the key' {
        $session = New-PhotaSession -ApiKey $key -BaseUri $url -TimeoutSec 42
        $session.GetType().FullName | Should -Be 'Phota.Sessions.PhotaSession'
        $session.BaseUri.GetLeftPart([UriPartial]::Authority) | Should -Be $url
        $session.Timeout | Should -Be ([TimeSpan]::FromSeconds(42))
        "$session" | Should -Not -Match ([regex]::Escape($key))
        ($session | Format-List * | Out-String) | Should -Not -Match ([regex]::Escape($key))
    }

    It 'takes the key as a SecureString (as Get-Secret returns it) and the session works with -Session' {
        $secure = ConvertTo-SecureString $key -AsPlainText -Force
        $session = New-PhotaSession -ApiKey $secure -BaseUri $url
        (Get-PhotaJob -Session $session -JobId 'job_does_not_exist' -ErrorAction SilentlyContinue -ErrorVariable err) | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike 'Phota.NotFound*'
    }

    It 'uses PHOTA_API_KEY and PHOTA_BASE_URL when no key is given' {
        $env:PHOTA_API_KEY = $key; $env:PHOTA_BASE_URL = $url
        try {
            $session = New-PhotaSession
            $session.BaseUri.GetLeftPart([UriPartial]::Authority) | Should -Be $url
            $session.Source | Should -Be 'Environment'
        }
        finally { $env:PHOTA_API_KEY = $null; $env:PHOTA_BASE_URL = $null }
    }

    It 'refuses plain http to a host that is not loopback (the key would travel unencrypted)' {
        $e = { New-PhotaSession -ApiKey $key -BaseUri 'http://api.example.com' } | Should -Throw -PassThru
        $e.FullyQualifiedErrorId | Should -BeLike 'Phota.InvalidInput*'
        $e.ToString() | Should -Match 'plain http'
        $e.ErrorDetails.RecommendedAction | Should -Match 'Use https'
    }

    It 'refuses a base URI with credentials in it' {
        $e = { New-PhotaSession -ApiKey $key -BaseUri 'https://user:pw@api.example.com' } | Should -Throw -PassThru
        $e.FullyQualifiedErrorId | Should -BeLike 'Phota.InvalidInput*'
        $e.ToString() | Should -Not -Match 'pw@'
    }

    It 'without any key says how to supply one' {
        $e = { New-PhotaSession -BaseUri $url } | Should -Throw -PassThru
        $e.FullyQualifiedErrorId | Should -BeLike 'Phota.MissingApiKey*'
        $e.ToString() | Should -Match 'PHOTA_API_KEY'
        $e.ErrorDetails.RecommendedAction | Should -Match 'Connect-Phota'
    }
}

Describe 'Connect-Phota and Disconnect-Phota' {
    AfterEach { Disconnect-Phota }

    It 'checks the key with a cheap call and sets the default session (-PassThru emits it)' {
        $before = Get-TestAccount
        $session = Connect-Phota -BaseUri $url -ApiKey $key -PassThru
        $session.GetType().FullName | Should -Be 'Phota.Sessions.PhotaSession'
        (Get-TestAccount).balance_usd | Should -Be $before.balance_usd
        $c = Invoke-Captured { Get-PhotaJob -Verbose }
        $c.Thrown | Should -BeNullOrEmpty
        $c.Error | Should -BeNullOrEmpty
        ($c.Verbose.Message -join "`n") | Should -Match 'default session set by Connect-Phota'
    }

    It 'with a wrong key fails with a terminating Phota.InvalidApiKey error and sets nothing' {
        $e = { Connect-Phota -BaseUri $url -ApiKey 'not-the-key' } | Should -Throw -PassThru
        $e.FullyQualifiedErrorId | Should -BeLike 'Phota.InvalidApiKey*'
        $e.CategoryInfo.Category | Should -Be 'AuthenticationError'
        $e2 = { Get-PhotaJob -JobId 'job_x' } | Should -Throw -PassThru
        $e2.FullyQualifiedErrorId | Should -BeLike 'Phota.MissingApiKey*'
    }

    It '-SkipCheck connects without a call; the wrong key is reported by the first real call' {
        { Connect-Phota -BaseUri $url -ApiKey 'not-the-key' -SkipCheck } | Should -Not -Throw
        $e = { Get-PhotaJob -JobId 'job_x' } | Should -Throw -PassThru
        $e.FullyQualifiedErrorId | Should -BeLike 'Phota.InvalidApiKey*'
    }

    It '-TimeoutSec sets the session''s timeout; without it the session has none of its own' {
        (Connect-Phota -BaseUri $url -ApiKey $key -TimeoutSec 42 -PassThru).Timeout | Should -Be ([TimeSpan]::FromSeconds(42))
        (Connect-Phota -BaseUri $url -ApiKey $key -PassThru).Timeout | Should -BeNullOrEmpty
        (New-PhotaSession -ApiKey $key -BaseUri $url).Timeout | Should -BeNullOrEmpty
    }

    It 'takes a session object by parameter and from the pipeline' {
        $session = New-PhotaSession -ApiKey $key -BaseUri $url
        Connect-Phota -Session $session
        (Get-PhotaJob -JobId 'job_missing' -ErrorAction SilentlyContinue -ErrorVariable err)
        $err[0].FullyQualifiedErrorId | Should -BeLike 'Phota.NotFound*'
        Disconnect-Phota
        $session | Connect-Phota
        $c = Invoke-Captured { Get-PhotaJob -Verbose }
        $c.Thrown | Should -BeNullOrEmpty
        ($c.Verbose.Message -join "`n") | Should -Match 'default session set by Connect-Phota'
    }

    It 'connects from PHOTA_API_KEY and PHOTA_BASE_URL' {
        $env:PHOTA_API_KEY = $key; $env:PHOTA_BASE_URL = $url
        try {
            $session = Connect-Phota -PassThru
            $session.BaseUri.GetLeftPart([UriPartial]::Authority) | Should -Be $url
        }
        finally { $env:PHOTA_API_KEY = $null; $env:PHOTA_BASE_URL = $null }
        # The default session stays after the variables are gone.
        $c = Invoke-Captured { Get-PhotaJob -JobId 'job_missing' }
        $c.Thrown | Should -BeNullOrEmpty
        $c.Error[0].FullyQualifiedErrorId | Should -BeLike 'Phota.NotFound*'
    }

    It 'fails with Phota.Unreachable when nothing listens at the base URI' {
        $port = Get-FreeLoopbackPort
        $e = { Connect-Phota -BaseUri "http://127.0.0.1:$port" -ApiKey $key } | Should -Throw -PassThru
        $e.FullyQualifiedErrorId | Should -BeLike 'Phota.Unreachable*'
    }

    It 'Disconnect-Phota forgets the default session (-PassThru emits it); then cmdlets need a key' {
        Connect-Phota -BaseUri $url -ApiKey $key
        $previous = Disconnect-Phota -PassThru
        $previous.GetType().FullName | Should -Be 'Phota.Sessions.PhotaSession'
        $e = { Get-PhotaProfile } | Should -Throw -PassThru
        $e.FullyQualifiedErrorId | Should -BeLike 'Phota.MissingApiKey*'
        $e.CategoryInfo.Category | Should -Be 'AuthenticationError'
    }
}

Describe 'Session resolution in every API cmdlet' {
    It 'every cmdlet that calls the API takes -Session' {
        # Optimize-PhotaJobJournal works on the local journal only.
        $apiCmdlets = (Get-Command -Module Phota).Name | Where-Object { $_ -notin 'New-PhotaSession', 'Connect-Phota', 'Disconnect-Phota', 'Optimize-PhotaJobJournal' }
        $apiCmdlets.Count | Should -BeGreaterThan 10
        foreach ($name in $apiCmdlets) {
            (Get-Command $name).Parameters.Keys | Should -Contain 'Session' -Because "$name calls the API"
        }
    }

    It '-Session wins over the default session, which wins over PHOTA_API_KEY; -Verbose says which was used' {
        $other = Start-TestEmulator
        $env:PHOTA_API_KEY = $key; $env:PHOTA_BASE_URL = $other.Url
        try {
            $c = Invoke-Captured { Get-PhotaJob -Verbose }
            ($c.Verbose.Message -join "`n") | Should -Match 'PHOTA_API_KEY environment variable'
            ($c.Verbose.Message -join "`n") | Should -Match ([regex]::Escape($other.Url))

            Connect-Phota -BaseUri $url -ApiKey $key
            $c = Invoke-Captured { Get-PhotaJob -Verbose }
            ($c.Verbose.Message -join "`n") | Should -Match 'default session set by Connect-Phota'
            ($c.Verbose.Message -join "`n") | Should -Match ([regex]::Escape($url))

            $explicit = New-PhotaSession -ApiKey $key -BaseUri $other.Url
            $c = Invoke-Captured { param($s) Get-PhotaJob -Session $s -Verbose } -Variables @{ s = $explicit }
            ($c.Verbose.Message -join "`n") | Should -Match 'session passed with -Session'
            ($c.Verbose.Message -join "`n") | Should -Match ([regex]::Escape($other.Url))
        }
        finally {
            $env:PHOTA_API_KEY = $null; $env:PHOTA_BASE_URL = $null
            Disconnect-Phota
        }
    }

    It 'the session reaches the cmdlets that list profiles and read the webhook secret (default session, no -Session)' {
        Connect-Phota -BaseUri $url -ApiKey $key
        try {
            { Get-PhotaProfile -ErrorAction Stop } | Should -Not -Throw
            { Get-PhotaWebhookSecret -ErrorAction Stop } | Should -Not -Throw
        }
        finally { Disconnect-Phota }
    }

    It '-Verbose shows each HTTP exchange with the key redacted' {
        $c = Invoke-Captured { param($s) Get-PhotaJob -JobId 'job_nope' -Session $s -Verbose } -Variables @{ s = (New-PhotaSession -ApiKey $key -BaseUri $url) }
        $text = $c.Verbose.Message -join "`n"
        $text | Should -Match 'GET /v1/phota/jobs/job_nope -> 404'
        $text | Should -Not -Match ([regex]::Escape($key))
    }
}
