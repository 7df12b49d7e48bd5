# azd postdeploy hook: subscribe the function app's Event Grid blob trigger to blobs created in the documents
# container. The webhook needs the app's blobs_extension system key, which the host creates only once the deployed
# code has started, so this runs after deploy and waits for the key; Event Grid's validation handshake with a host that
# is still starting fails, so the subscription is tried again for a while. Running it again changes nothing unless the
# key changed. The same as postdeploy.sh.
$ErrorActionPreference = 'Stop'

$hook = 'postdeploy'
. (Join-Path $PSScriptRoot 'az.ps1')

foreach ($name in 'AZURE_RESOURCE_GROUP', 'AZURE_FUNCTION_APP_NAME', 'AZURE_FUNCTION_APP_URL',
    'AZURE_BLOB_TRIGGER_FUNCTION_NAME', 'AZURE_EVENTGRID_SYSTEM_TOPIC_NAME', 'AZURE_STORAGE_DOCUMENTS_CONTAINER') {
    if (-not [Environment]::GetEnvironmentVariable($name)) {
        Stop-Hook "$name is not set; run through azd (azd up or azd deploy)."
    }
}

Assert-AzSignedIn

$keyTries = 20
$handshakeTries = 10
$subscriptionName = 'documents-blob-created'

# Says why, wakes the host (which writes its keys and answers Event Grid only once started), and waits.
function Wait-AndTryAgain([string]$message) {
    Write-HookMessage $message
    try {
        Invoke-WebRequest -Uri "$env:AZURE_FUNCTION_APP_URL/api/health" -TimeoutSec 30 -UseBasicParsing | Out-Null
    }
    catch {
        # A cold host may answer late or with an error; what counts is the key and the handshake.
    }
    Start-Sleep -Seconds $retrySeconds
}

$key = ''
for ($attempt = 1; ; $attempt++) {
    $keys = Invoke-Az functionapp keys list @subscriptionArguments --resource-group $env:AZURE_RESOURCE_GROUP `
        --name $env:AZURE_FUNCTION_APP_NAME --query 'systemKeys.blobs_extension' --output tsv
    if ($keys.Ok -and $keys.Output) {
        $key = $keys.Output
        break
    }
    if (-not $keys.Ok -and (Test-AzErrorPermanent $keys.AllErrors)) {
        Stop-Hook "could not read the keys of ${env:AZURE_FUNCTION_APP_NAME}: $($keys.Error)"
    }
    $reason = if ($keys.Ok) { 'the host has not written it yet' } else { $keys.Error }
    if ($attempt -ge $keyTries) {
        Stop-Hook "$env:AZURE_FUNCTION_APP_NAME has no blobs_extension key after $keyTries tries ($reason). Check that it started ($env:AZURE_FUNCTION_APP_URL/api/health, its logs in Application Insights), then run 'azd hooks run postdeploy'."
    }
    Wait-AndTryAgain "waiting for the blobs_extension key of $env:AZURE_FUNCTION_APP_NAME ($attempt/$keyTries): $reason"
}

$endpoint = "$env:AZURE_FUNCTION_APP_URL/runtime/webhooks/blobs?functionName=Host.Functions.$env:AZURE_BLOB_TRIGGER_FUNCTION_NAME&code=$key"
# On Windows az is a batch file, and cmd.exe would cut the URL at '&' unless it arrives quoted.
$endpointArgument = if ($IsLinux -or $IsMacOS) { $endpoint } else { "`"$endpoint`"" }

# Already delivering to this endpoint (same function, same key): nothing to do.
$current = Invoke-Az eventgrid system-topic event-subscription show @subscriptionArguments `
    --name $subscriptionName --resource-group $env:AZURE_RESOURCE_GROUP `
    --system-topic-name $env:AZURE_EVENTGRID_SYSTEM_TOPIC_NAME --include-full-endpoint-url true `
    --query 'destination.endpointUrl' --output tsv
if ($current.Ok) {
    if ($current.Output -eq $endpoint) {
        Write-HookMessage "blobs created in '$env:AZURE_STORAGE_DOCUMENTS_CONTAINER' already trigger $env:AZURE_BLOB_TRIGGER_FUNCTION_NAME; nothing to change."
        exit 0
    }
}
elseif ($current.AllErrors -notmatch 'NotFound|not found') {
    Stop-Hook "could not read the Event Grid subscription ${subscriptionName}: $($current.Error)"
}

# Creating (or updating) the subscription makes Event Grid call the webhook to validate it; a host that is still
# starting answers late or not at all, so the handshake is tried again before giving up.
for ($attempt = 1; ; $attempt++) {
    $created = Invoke-Az eventgrid system-topic event-subscription create @subscriptionArguments `
        --name $subscriptionName `
        --resource-group $env:AZURE_RESOURCE_GROUP `
        --system-topic-name $env:AZURE_EVENTGRID_SYSTEM_TOPIC_NAME `
        --endpoint-type webhook `
        --endpoint $endpointArgument `
        --included-event-types Microsoft.Storage.BlobCreated `
        --subject-begins-with "/blobServices/default/containers/$env:AZURE_STORAGE_DOCUMENTS_CONTAINER/" `
        --output none
    if ($created.Ok) {
        break
    }
    if ($created.AllErrors -notmatch 'validation handshake') {
        Stop-Hook "creating the Event Grid subscription $subscriptionName failed: $($created.Error)"
    }
    if ($attempt -ge $handshakeTries) {
        Stop-Hook "Event Grid could not validate the webhook of $env:AZURE_BLOB_TRIGGER_FUNCTION_NAME after $handshakeTries tries ($($created.Error)). Check that $env:AZURE_FUNCTION_APP_URL/api/health answers and that $env:AZURE_BLOB_TRIGGER_FUNCTION_NAME is deployed, then run 'azd hooks run postdeploy'."
    }
    Wait-AndTryAgain "Event Grid's validation handshake with $env:AZURE_FUNCTION_APP_NAME failed, likely while the host starts; trying again ($attempt/$handshakeTries)."
}

Write-HookMessage "blobs created in '$env:AZURE_STORAGE_DOCUMENTS_CONTAINER' now trigger $env:AZURE_BLOB_TRIGGER_FUNCTION_NAME."
