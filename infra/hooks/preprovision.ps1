# azd preprovision hook: optional sign-in with Microsoft Entra ID, on with `azd env set RAGTUNE_AUTH entra`.
# Creates (or finds again, by its display name or RAGTUNE_AUTH_CLIENT_ID) the app registration of the API: an exposed
# scope access_as_user, v2.0 access tokens, and a `groups` claim of the caller's security groups. Writes its client id
# and tenant to the azd environment, from which main.bicep sets Ragtune__Auth__Authority and __Audience on the function
# app. Without RAGTUNE_AUTH it does nothing, and no Ragtune__Auth__ setting is made. The same as preprovision.sh.
$ErrorActionPreference = 'Stop'

$hook = 'preprovision'

if (-not $env:RAGTUNE_AUTH) {
    exit 0
}
if ($env:RAGTUNE_AUTH -cne 'entra') {
    throw "${hook}: RAGTUNE_AUTH is '$env:RAGTUNE_AUTH'; set it to 'entra' for sign-in with Microsoft Entra ID, or unset it (azd env set RAGTUNE_AUTH '')."
}

. (Join-Path $PSScriptRoot 'az.ps1')

if (-not $env:AZURE_ENV_NAME) {
    Stop-Hook 'AZURE_ENV_NAME is not set; run through azd (azd up or azd provision).'
}

Assert-AzSignedIn

$displayName = "ragtune-api-$env:AZURE_ENV_NAME"
$scopeName = 'access_as_user'

$tenant = (Invoke-Az account show @subscriptionArguments --query tenantId --output tsv).Output
if ($env:RAGTUNE_AUTH_TENANT_ID -and $env:RAGTUNE_AUTH_TENANT_ID -ne $tenant) {
    Stop-Hook "this environment's app registration is in tenant $env:RAGTUNE_AUTH_TENANT_ID, but az is signed in to ${tenant}: run 'az login --tenant $env:RAGTUNE_AUTH_TENANT_ID', then 'azd hooks run $hook'."
}

# The app registration: the one this environment already uses, else the one of this display name, else a new one.
if ($env:RAGTUNE_AUTH_CLIENT_ID) {
    $clientId = $env:RAGTUNE_AUTH_CLIENT_ID
    $existing = Invoke-Az ad app show --id $clientId --query id --output tsv
    if (-not $existing.Ok) {
        Stop-Hook "RAGTUNE_AUTH_CLIENT_ID ($clientId) names no app registration in tenant ${tenant}: $($existing.Error). Unset it (azd env set RAGTUNE_AUTH_CLIENT_ID '') to have one created."
    }
    Write-HookMessage "using the app registration $clientId (RAGTUNE_AUTH_CLIENT_ID)."
}
else {
    $found = Invoke-Az ad app list --display-name $displayName --query '[].appId' --output tsv
    if (-not $found.Ok) {
        Stop-Hook "could not look for the app registration '$displayName': $($found.Error)"
    }
    $appIds = @($found.Output -split "`n" | Where-Object { $_.Trim() })
    if ($appIds.Count -eq 0) {
        $created = Invoke-Az ad app create --display-name $displayName --sign-in-audience AzureADMyOrg --query appId --output tsv
        if (-not $created.Ok) {
            Stop-Hook "could not create the app registration '$displayName' in tenant ${tenant}: $($created.Error). Registering applications needs the tenant's permission (the Application Developer role, or 'Users can register applications'; a CI service principal needs Application.ReadWrite.OwnedBy). Or create it by hand and azd env set RAGTUNE_AUTH_CLIENT_ID to its application (client) id."
        }
        $clientId = $created.Output
        Write-HookMessage "created the app registration '$displayName' ($clientId)."
    }
    elseif ($appIds.Count -eq 1) {
        $clientId = $appIds[0].Trim()
        Write-HookMessage "using the app registration '$displayName' ($clientId)."
    }
    else {
        Stop-Hook "several app registrations are named '$displayName': azd env set RAGTUNE_AUTH_CLIENT_ID to the application (client) id of the one to use."
    }
}

$objectId = (Invoke-Az ad app show --id $clientId --query id --output tsv).Output
$identifierUri = "api://$clientId"

# Settings the API needs: its identifier URI, v2.0 access tokens (whose "aud" is the client id), the caller's security
# groups in a "groups" claim, and the scope a front end asks for. Written only when something differs.
$scopeId = (Invoke-Az ad app show --id $clientId --query "api.oauth2PermissionScopes[?value=='$scopeName'].id | [0]" --output tsv).Output
$scopeCount = [int](Invoke-Az ad app show --id $clientId --query 'length(api.oauth2PermissionScopes)' --output tsv).Output
$current = (Invoke-Az ad app show --id $clientId --query "join(' ', [to_string(api.requestedAccessTokenVersion), to_string(groupMembershipClaims), join(',', identifierUris)])" --output tsv).Output
if (-not $scopeId -and $scopeCount -gt 0) {
    Stop-Hook "the app registration $clientId exposes other scopes but not ${scopeName}: add $scopeName by hand (Expose an API), then run 'azd hooks run $hook'."
}

if ($scopeId -and $current -eq "2 SecurityGroup $identifierUri") {
    Write-HookMessage "the app registration already has the scope $scopeName, v2.0 tokens and the groups claim."
}
else {
    if (-not $scopeId) {
        $scopeId = [guid]::NewGuid().ToString()
    }
    $body = @{
        identifierUris        = @($identifierUri)
        groupMembershipClaims = 'SecurityGroup'
        api                   = @{
            requestedAccessTokenVersion = 2
            oauth2PermissionScopes      = @(@{
                    id                      = $scopeId
                    value                   = $scopeName
                    type                    = 'User'
                    isEnabled               = $true
                    adminConsentDisplayName = 'Use Ragtune'
                    adminConsentDescription = 'Ask Ragtune questions and rate its answers as the signed-in user, who sees only the documents of their groups.'
                    userConsentDisplayName  = 'Use Ragtune'
                    userConsentDescription  = 'Ask Ragtune questions and rate its answers as you.'
                })
        }
    }
    $bodyFile = New-TemporaryFile
    try {
        $body | ConvertTo-Json -Depth 5 -Compress | Set-Content -Path $bodyFile -Encoding utf8NoBOM
        $graph = (Invoke-Az cloud show --query endpoints.microsoftGraphResourceId --output tsv).Output
        $patched = Invoke-Az rest --method PATCH --uri "${graph}v1.0/applications/$objectId" `
            --headers 'Content-Type=application/json' --body "@$bodyFile" --output none
        if (-not $patched.Ok) {
            Stop-Hook "could not configure the app registration ${clientId}: $($patched.Error)"
        }
    }
    finally {
        Remove-Item -Path $bodyFile -ErrorAction SilentlyContinue
    }
    Write-HookMessage "configured the app registration: scope $scopeName, v2.0 tokens, groups claim (security groups)."
}

# Tokens for the API are issued only in a tenant where it has a service principal.
if (-not (Invoke-Az ad sp show --id $clientId --query id --output tsv).Ok) {
    $servicePrincipal = Invoke-Az ad sp create --id $clientId --query id --output tsv
    if (-not $servicePrincipal.Ok) {
        Stop-Hook "could not create the service principal of ${clientId}: $($servicePrincipal.Error)"
    }
    Write-HookMessage 'created its service principal.'
}

foreach ($setting in @(@('RAGTUNE_AUTH_CLIENT_ID', $clientId), @('RAGTUNE_AUTH_TENANT_ID', $tenant))) {
    azd env set $setting[0] $setting[1]
    if ($LASTEXITCODE -ne 0) {
        Stop-Hook "could not write $($setting[0]) to the azd environment."
    }
}

$login = (Invoke-Az cloud show --query endpoints.activeDirectory --output tsv).Output.TrimEnd('/')
Write-HookMessage 'sign-in with Microsoft Entra ID is set up. What a front end needs:'
Write-Host "  tenant:     $tenant"
Write-Host "  authority:  $login/$tenant/v2.0"
Write-Host "  client id:  $clientId (the API's application id: the audience of its access tokens)"
Write-Host "  scope:      $identifierUri/$scopeName"
Write-Host 'A front end signs in with its own app registration (a single-page application with its redirect URI), asks for'
Write-Host "that scope, and sends the access token as 'Authorization: Bearer ...'; add its origin to RAGTUNE_CORS_ORIGINS."
