# azd postdeploy hook: subscribe the function app's Event Grid blob trigger to blobs created in the documents
# container. The webhook needs the app's blobs_extension system key, which the host creates only once the deployed
# code has started, so this runs after deploy, and waits for the key. Running it again updates the subscription.
$ErrorActionPreference = 'Stop'

foreach ($name in 'AZURE_RESOURCE_GROUP', 'AZURE_FUNCTION_APP_NAME', 'AZURE_FUNCTION_APP_URL',
    'AZURE_BLOB_TRIGGER_FUNCTION_NAME', 'AZURE_EVENTGRID_SYSTEM_TOPIC_NAME', 'AZURE_STORAGE_DOCUMENTS_CONTAINER') {
    if (-not [Environment]::GetEnvironmentVariable($name)) {
        throw "postdeploy: $name is not set; run through azd (azd up or azd deploy)."
    }
}

if (-not (Get-Command az -ErrorAction SilentlyContinue)) {
    throw 'postdeploy: the Azure CLI (az) is needed to create the Event Grid subscription.'
}

$key = ''
for ($attempt = 1; $attempt -le 20; $attempt++) {
    $key = az functionapp keys list --resource-group $env:AZURE_RESOURCE_GROUP --name $env:AZURE_FUNCTION_APP_NAME `
        --query 'systemKeys.blobs_extension' --output tsv 2>$null
    if ($LASTEXITCODE -eq 0 -and $key) {
        break
    }
    $key = ''
    # The host writes its system keys when it starts: wake it, then look again.
    try {
        Invoke-WebRequest -Uri "$env:AZURE_FUNCTION_APP_URL/api/health" -TimeoutSec 30 -UseBasicParsing | Out-Null
    }
    catch {
        # A cold host may answer late or with an error; the key is what counts.
    }
    Write-Host "postdeploy: waiting for the blobs_extension key of $env:AZURE_FUNCTION_APP_NAME ($attempt/20)..."
    Start-Sleep -Seconds 15
}

if (-not $key) {
    throw "postdeploy: the app has no blobs_extension key yet; run 'azd hooks run postdeploy' once it has started."
}

$endpoint = "$env:AZURE_FUNCTION_APP_URL/runtime/webhooks/blobs?functionName=Host.Functions.$env:AZURE_BLOB_TRIGGER_FUNCTION_NAME&code=$key"
# On Windows az is a batch file, and cmd.exe would cut the URL at '&' unless it arrives quoted.
$endpointArgument = if ($IsLinux -or $IsMacOS) { $endpoint } else { "`"$endpoint`"" }

az eventgrid system-topic event-subscription create `
    --name documents-blob-created `
    --resource-group $env:AZURE_RESOURCE_GROUP `
    --system-topic-name $env:AZURE_EVENTGRID_SYSTEM_TOPIC_NAME `
    --endpoint-type webhook `
    --endpoint $endpointArgument `
    --included-event-types Microsoft.Storage.BlobCreated `
    --subject-begins-with "/blobServices/default/containers/$env:AZURE_STORAGE_DOCUMENTS_CONTAINER/" `
    --output none
if ($LASTEXITCODE -ne 0) {
    throw 'postdeploy: creating the Event Grid subscription failed.'
}

Write-Host "postdeploy: blobs created in '$env:AZURE_STORAGE_DOCUMENTS_CONTAINER' now trigger $env:AZURE_BLOB_TRIGGER_FUNCTION_NAME."
