#!/bin/sh
# azd postdeploy hook: subscribe the function app's Event Grid blob trigger to blobs created in the documents
# container. The webhook needs the app's blobs_extension system key, which the host creates only once the deployed
# code has started, so this runs after deploy, and waits for the key. Running it again updates the subscription.
set -eu

: "${AZURE_RESOURCE_GROUP:?run through azd (azd up or azd deploy)}"
: "${AZURE_FUNCTION_APP_NAME:?run through azd (azd up or azd deploy)}"
: "${AZURE_FUNCTION_APP_URL:?run through azd (azd up or azd deploy)}"
: "${AZURE_BLOB_TRIGGER_FUNCTION_NAME:?run through azd (azd up or azd deploy)}"
: "${AZURE_EVENTGRID_SYSTEM_TOPIC_NAME:?run through azd (azd up or azd deploy)}"
: "${AZURE_STORAGE_DOCUMENTS_CONTAINER:?run through azd (azd up or azd deploy)}"

if ! command -v az >/dev/null 2>&1; then
  echo "postdeploy: the Azure CLI (az) is needed to create the Event Grid subscription." >&2
  exit 1
fi

key=""
attempt=1
while [ "$attempt" -le 20 ]; do
  key=$(az functionapp keys list --resource-group "$AZURE_RESOURCE_GROUP" --name "$AZURE_FUNCTION_APP_NAME" \
    --query "systemKeys.blobs_extension" --output tsv 2>/dev/null || true)
  if [ -n "$key" ]; then
    break
  fi
  # The host writes its system keys when it starts: wake it, then look again.
  curl --silent --output /dev/null --max-time 30 "$AZURE_FUNCTION_APP_URL/api/health" || true
  echo "postdeploy: waiting for the blobs_extension key of $AZURE_FUNCTION_APP_NAME ($attempt/20)..."
  sleep 15
  attempt=$((attempt + 1))
done

if [ -z "$key" ]; then
  echo "postdeploy: the app has no blobs_extension key yet; run 'azd hooks run postdeploy' once it has started." >&2
  exit 1
fi

endpoint="$AZURE_FUNCTION_APP_URL/runtime/webhooks/blobs?functionName=Host.Functions.$AZURE_BLOB_TRIGGER_FUNCTION_NAME&code=$key"

az eventgrid system-topic event-subscription create \
  --name documents-blob-created \
  --resource-group "$AZURE_RESOURCE_GROUP" \
  --system-topic-name "$AZURE_EVENTGRID_SYSTEM_TOPIC_NAME" \
  --endpoint-type webhook \
  --endpoint "$endpoint" \
  --included-event-types Microsoft.Storage.BlobCreated \
  --subject-begins-with "/blobServices/default/containers/$AZURE_STORAGE_DOCUMENTS_CONTAINER/" \
  --output none

echo "postdeploy: blobs created in '$AZURE_STORAGE_DOCUMENTS_CONTAINER' now trigger $AZURE_BLOB_TRIGGER_FUNCTION_NAME."
