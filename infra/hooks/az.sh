# Sourced by the azd hooks (POSIX sh): messages, and the Azure CLI signed in to the azd environment's subscription.
# The hook sets `hook` (its name, for messages) before sourcing this file.

# The azd environment's subscription, where azd has chosen one; az commands that take --subscription are given it.
subscription="${AZURE_SUBSCRIPTION_ID:-}"

# Seconds between tries while Azure catches up (a host starting, a handshake failing); tests set 0.
retry_seconds="${RAGTUNE_HOOK_RETRY_SECONDS:-15}"

az_errors=$(mktemp)
trap 'rm -f "$az_errors"' EXIT

say() {
  echo "$hook: $*"
}

fail() {
  echo "$hook: $*" >&2
  exit 1
}

# The first line az wrote to stderr in the last call, with any function key in a URL masked.
az_error() {
  sed -n '/./{p;q;}' "$az_errors" | sed 's/code=[^&[:space:]]*/code=***/g'
}

# Stops the hook at once, with the way out, when az is missing or not signed in to the environment's subscription:
# every other az call would fail the same way, slowly.
require_az() {
  if ! command -v az >/dev/null 2>&1; then
    fail "the Azure CLI (az) is needed; install it (https://aka.ms/azure-cli), run 'az login', then 'azd hooks run $hook'."
  fi
  if ! az account show ${subscription:+--subscription "$subscription"} --query id --output tsv >/dev/null 2>"$az_errors"; then
    fail "the Azure CLI is not signed in${subscription:+ to subscription $subscription}: run 'az login' (as the account azd uses), then 'azd hooks run $hook'. az said: $(az_error)"
  fi
}

# True when the last az error will not go away by waiting: signed out, no access, or nothing there.
az_error_is_permanent() {
  grep -qiE "az login|AADSTS|AuthorizationFailed|Forbidden|ResourceGroupNotFound|ResourceNotFound|SubscriptionNotFound|could not be found" "$az_errors"
}
