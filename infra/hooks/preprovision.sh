#!/bin/sh
# azd preprovision hook: optional sign-in with Microsoft Entra ID, on with `azd env set RAGTUNE_AUTH entra`.
# Creates (or finds again, by its display name or RAGTUNE_AUTH_CLIENT_ID) the app registration of the API: an exposed
# scope access_as_user, v2.0 access tokens, and a `groups` claim of the caller's security groups. Writes its client id
# and tenant to the azd environment, from which main.bicep sets Ragtune__Auth__Authority and __Audience on the function
# app. Without RAGTUNE_AUTH it does nothing, and no Ragtune__Auth__ setting is made.
set -eu

hook=preprovision

case "${RAGTUNE_AUTH:-}" in
  "") exit 0 ;;
  entra) ;;
  *) echo "$hook: RAGTUNE_AUTH is '$RAGTUNE_AUTH'; set it to 'entra' for sign-in with Microsoft Entra ID, or unset it (azd env set RAGTUNE_AUTH '')." >&2; exit 1 ;;
esac

. "$(dirname "$0")/az.sh"

: "${AZURE_ENV_NAME:?run through azd (azd up or azd provision)}"

require_az

display_name="ragtune-api-$AZURE_ENV_NAME"
scope_name=access_as_user

tenant=$(az account show ${subscription:+--subscription "$subscription"} --query tenantId --output tsv)
if [ -n "${RAGTUNE_AUTH_TENANT_ID:-}" ] && [ "$RAGTUNE_AUTH_TENANT_ID" != "$tenant" ]; then
  fail "this environment's app registration is in tenant $RAGTUNE_AUTH_TENANT_ID, but az is signed in to $tenant: run 'az login --tenant $RAGTUNE_AUTH_TENANT_ID', then 'azd hooks run $hook'."
fi

# The app registration: the one this environment already uses, else the one of this display name, else a new one.
if [ -n "${RAGTUNE_AUTH_CLIENT_ID:-}" ]; then
  client_id="$RAGTUNE_AUTH_CLIENT_ID"
  az ad app show --id "$client_id" --query id --output tsv >/dev/null 2>"$az_errors" \
    || fail "RAGTUNE_AUTH_CLIENT_ID ($client_id) names no app registration in tenant $tenant: $(az_error). Unset it (azd env set RAGTUNE_AUTH_CLIENT_ID '') to have one created."
  say "using the app registration $client_id (RAGTUNE_AUTH_CLIENT_ID)."
else
  found=$(az ad app list --display-name "$display_name" --query "[].appId" --output tsv 2>"$az_errors") \
    || fail "could not look for the app registration '$display_name': $(az_error)"
  case $(printf '%s' "$found" | grep -c .) in
    0)
      client_id=$(az ad app create --display-name "$display_name" --sign-in-audience AzureADMyOrg \
        --query appId --output tsv 2>"$az_errors") \
        || fail "could not create the app registration '$display_name' in tenant $tenant: $(az_error). Registering applications needs the tenant's permission (the Application Developer role, or 'Users can register applications'; a CI service principal needs Application.ReadWrite.OwnedBy). Or create it by hand and azd env set RAGTUNE_AUTH_CLIENT_ID to its application (client) id."
      say "created the app registration '$display_name' ($client_id)."
      ;;
    1)
      client_id="$found"
      say "using the app registration '$display_name' ($client_id)."
      ;;
    *)
      fail "several app registrations are named '$display_name': azd env set RAGTUNE_AUTH_CLIENT_ID to the application (client) id of the one to use."
      ;;
  esac
fi

object_id=$(az ad app show --id "$client_id" --query id --output tsv)
identifier_uri="api://$client_id"

# Settings the API needs: its identifier URI, v2.0 access tokens (whose "aud" is the client id), the caller's security
# groups in a "groups" claim, and the scope a front end asks for. Written only when something differs.
scope_id=$(az ad app show --id "$client_id" --query "api.oauth2PermissionScopes[?value=='$scope_name'].id | [0]" --output tsv)
scope_count=$(az ad app show --id "$client_id" --query "length(api.oauth2PermissionScopes)" --output tsv)
current=$(az ad app show --id "$client_id" --query "join(' ', [to_string(api.requestedAccessTokenVersion), to_string(groupMembershipClaims), join(',', identifierUris)])" --output tsv)
if [ -z "$scope_id" ] && [ "$scope_count" -gt 0 ]; then
  fail "the app registration $client_id exposes other scopes but not $scope_name: add $scope_name by hand (Expose an API), then run 'azd hooks run $hook'."
fi

if [ -n "$scope_id" ] && [ "$current" = "2 SecurityGroup $identifier_uri" ]; then
  say "the app registration already has the scope $scope_name, v2.0 tokens and the groups claim."
else
  if [ -z "$scope_id" ]; then
    scope_id=$(if command -v uuidgen >/dev/null 2>&1; then uuidgen; else cat /proc/sys/kernel/random/uuid; fi | tr '[:upper:]' '[:lower:]')
  fi
  body=$(mktemp)
  cat >"$body" <<JSON
{"identifierUris": ["$identifier_uri"], "groupMembershipClaims": "SecurityGroup", "api": {"requestedAccessTokenVersion": 2, "oauth2PermissionScopes": [{"id": "$scope_id", "value": "$scope_name", "type": "User", "isEnabled": true, "adminConsentDisplayName": "Use Ragtune", "adminConsentDescription": "Ask Ragtune questions and rate its answers as the signed-in user, who sees only the documents of their groups.", "userConsentDisplayName": "Use Ragtune", "userConsentDescription": "Ask Ragtune questions and rate its answers as you."}]}}
JSON
  graph=$(az cloud show --query endpoints.microsoftGraphResourceId --output tsv)
  az rest --method PATCH --uri "${graph}v1.0/applications/$object_id" \
    --headers "Content-Type=application/json" --body "@$body" --output none 2>"$az_errors" \
    || { rm -f "$body"; fail "could not configure the app registration $client_id: $(az_error)"; }
  rm -f "$body"
  say "configured the app registration: scope $scope_name, v2.0 tokens, groups claim (security groups)."
fi

# Tokens for the API are issued only in a tenant where it has a service principal.
if ! az ad sp show --id "$client_id" --query id --output tsv >/dev/null 2>&1; then
  az ad sp create --id "$client_id" --query id --output tsv >/dev/null 2>"$az_errors" \
    || fail "could not create the service principal of $client_id: $(az_error)"
  say "created its service principal."
fi

azd env set RAGTUNE_AUTH_CLIENT_ID "$client_id"
azd env set RAGTUNE_AUTH_TENANT_ID "$tenant"

login=$(az cloud show --query endpoints.activeDirectory --output tsv)
say "sign-in with Microsoft Entra ID is set up. What a front end needs:"
echo "  tenant:     $tenant"
echo "  authority:  ${login%/}/$tenant/v2.0"
echo "  client id:  $client_id (the API's application id: the audience of its access tokens)"
echo "  scope:      $identifier_uri/$scope_name"
echo "A front end signs in with its own app registration (a single-page application with its redirect URI), asks for"
echo "that scope, and sends the access token as 'Authorization: Bearer ...'; add its origin to RAGTUNE_CORS_ORIGINS."
