#!/bin/sh
# azd postdeploy hook: subscribe the function app's Event Grid blob trigger to blobs created in the documents
# container. The webhook needs the app's blobs_extension system key, which the host creates only once the deployed
# code has started, so this runs after deploy and waits for the key; Event Grid's validation handshake with a host that
# is still starting fails, so the subscription is tried again for a while. Running it again changes nothing unless the
# key changed.
set -eu

hook=postdeploy
. "$(dirname "$0")/az.sh"

: "${AZURE_RESOURCE_GROUP:?run through azd (azd up or azd deploy)}"
: "${AZURE_FUNCTION_APP_NAME:?run through azd (azd up or azd deploy)}"
: "${AZURE_FUNCTION_APP_URL:?run through azd (azd up or azd deploy)}"
: "${AZURE_BLOB_TRIGGER_FUNCTION_NAME:?run through azd (azd up or azd deploy)}"
: "${AZURE_EVENTGRID_SYSTEM_TOPIC_NAME:?run through azd (azd up or azd deploy)}"
: "${AZURE_STORAGE_DOCUMENTS_CONTAINER:?run through azd (azd up or azd deploy)}"

require_az

key_tries=20
handshake_tries=10
subscription_name=documents-blob-created

# Says why, wakes the host (which writes its keys and answers Event Grid only once started), and waits.
try_again_later() {
  say "$1"
  curl --silent --output /dev/null --max-time 30 "$AZURE_FUNCTION_APP_URL/api/health" || true
  sleep "$retry_seconds"
}

key=""
attempt=1
while :; do
  if key=$(az functionapp keys list ${subscription:+--subscription "$subscription"} \
    --resource-group "$AZURE_RESOURCE_GROUP" --name "$AZURE_FUNCTION_APP_NAME" \
    --query "systemKeys.blobs_extension" --output tsv 2>"$az_errors"); then
    if [ -n "$key" ]; then
      break
    fi
    reason="the host has not written it yet"
  elif az_error_is_permanent; then
    fail "could not read the keys of $AZURE_FUNCTION_APP_NAME: $(az_error)"
  else
    reason=$(az_error)
  fi
  if [ "$attempt" -ge "$key_tries" ]; then
    fail "$AZURE_FUNCTION_APP_NAME has no blobs_extension key after $key_tries tries ($reason). Check that it started ($AZURE_FUNCTION_APP_URL/api/health, its logs in Application Insights), then run 'azd hooks run postdeploy'."
  fi
  try_again_later "waiting for the blobs_extension key of $AZURE_FUNCTION_APP_NAME ($attempt/$key_tries): $reason"
  attempt=$((attempt + 1))
done

endpoint="$AZURE_FUNCTION_APP_URL/runtime/webhooks/blobs?functionName=Host.Functions.$AZURE_BLOB_TRIGGER_FUNCTION_NAME&code=$key"

# Already delivering to this endpoint (same function, same key): nothing to do.
if current=$(az eventgrid system-topic event-subscription show ${subscription:+--subscription "$subscription"} \
  --name "$subscription_name" --resource-group "$AZURE_RESOURCE_GROUP" \
  --system-topic-name "$AZURE_EVENTGRID_SYSTEM_TOPIC_NAME" --include-full-endpoint-url true \
  --query "destination.endpointUrl" --output tsv 2>"$az_errors"); then
  if [ "$current" = "$endpoint" ]; then
    say "blobs created in '$AZURE_STORAGE_DOCUMENTS_CONTAINER' already trigger $AZURE_BLOB_TRIGGER_FUNCTION_NAME; nothing to change."
    exit 0
  fi
elif ! grep -qiE "NotFound|not found" "$az_errors"; then
  fail "could not read the Event Grid subscription $subscription_name: $(az_error)"
fi

# Creating (or updating) the subscription makes Event Grid call the webhook to validate it; a host that is still
# starting answers late or not at all, so the handshake is tried again before giving up.
attempt=1
until az eventgrid system-topic event-subscription create ${subscription:+--subscription "$subscription"} \
  --name "$subscription_name" \
  --resource-group "$AZURE_RESOURCE_GROUP" \
  --system-topic-name "$AZURE_EVENTGRID_SYSTEM_TOPIC_NAME" \
  --endpoint-type webhook \
  --endpoint "$endpoint" \
  --included-event-types Microsoft.Storage.BlobCreated \
  --subject-begins-with "/blobServices/default/containers/$AZURE_STORAGE_DOCUMENTS_CONTAINER/" \
  --output none 2>"$az_errors"; do
  if ! grep -qi "validation handshake" "$az_errors"; then
    fail "creating the Event Grid subscription $subscription_name failed: $(az_error)"
  fi
  if [ "$attempt" -ge "$handshake_tries" ]; then
    fail "Event Grid could not validate the webhook of $AZURE_BLOB_TRIGGER_FUNCTION_NAME after $handshake_tries tries ($(az_error)). Check that $AZURE_FUNCTION_APP_URL/api/health answers and that $AZURE_BLOB_TRIGGER_FUNCTION_NAME is deployed, then run 'azd hooks run postdeploy'."
  fi
  try_again_later "Event Grid's validation handshake with $AZURE_FUNCTION_APP_NAME failed, likely while the host starts; trying again ($attempt/$handshake_tries)."
  attempt=$((attempt + 1))
done

say "blobs created in '$AZURE_STORAGE_DOCUMENTS_CONTAINER' now trigger $AZURE_BLOB_TRIGGER_FUNCTION_NAME."
