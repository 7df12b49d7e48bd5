# Dot-sourced by the azd hooks (PowerShell): messages, and the Azure CLI signed in to the azd environment's
# subscription. The same as az.sh. The hook sets $hook (its name, for messages) before dot-sourcing this file.

# The azd environment's subscription, where azd has chosen one; az commands that take --subscription are given it.
$subscriptionArguments = if ($env:AZURE_SUBSCRIPTION_ID) { @('--subscription', $env:AZURE_SUBSCRIPTION_ID) } else { @() }

# Seconds between tries while Azure catches up (a host starting, a handshake failing); tests set 0.
$retrySeconds = if ($env:RAGTUNE_HOOK_RETRY_SECONDS) { [int]$env:RAGTUNE_HOOK_RETRY_SECONDS } else { 15 }

function Write-HookMessage([string]$message) {
    Write-Host "${hook}: $message"
}

function Stop-Hook([string]$message) {
    throw "${hook}: $message"
}

# Runs az; returns @{ Ok; Output; Error } with the first line of its error output, any function key in a URL masked.
function Invoke-Az {
    # Errors are read here, from az's exit code and stderr, not raised by PowerShell.
    $ErrorActionPreference = 'Continue'
    $output = & az @args 2>&1
    $ok = $LASTEXITCODE -eq 0
    $errors = @($output | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] } | ForEach-Object { "$_" } | Where-Object { $_.Trim() })
    $text = @($output | Where-Object { $_ -isnot [System.Management.Automation.ErrorRecord] } | ForEach-Object { "$_" })
    $firstError = if ($errors.Count -gt 0) { $errors[0] -replace 'code=[^&\s]*', 'code=***' } else { '' }
    return @{ Ok = $ok; Output = ($text -join "`n").Trim(); Error = $firstError; AllErrors = ($errors -join "`n") }
}

# Stops the hook at once, with the way out, when az is missing or not signed in to the environment's subscription:
# every other az call would fail the same way, slowly.
function Assert-AzSignedIn {
    if (-not (Get-Command az -ErrorAction SilentlyContinue)) {
        Stop-Hook "the Azure CLI (az) is needed; install it (https://aka.ms/azure-cli), run 'az login', then 'azd hooks run $hook'."
    }
    $account = Invoke-Az account show @subscriptionArguments --query id --output tsv
    if (-not $account.Ok) {
        $to = if ($env:AZURE_SUBSCRIPTION_ID) { " to subscription $env:AZURE_SUBSCRIPTION_ID" } else { '' }
        Stop-Hook "the Azure CLI is not signed in${to}: run 'az login' (as the account azd uses), then 'azd hooks run $hook'. az said: $($account.Error)"
    }
}

# True when an az error will not go away by waiting: signed out, no access, or nothing there.
function Test-AzErrorPermanent([string]$errors) {
    return $errors -match 'az login|AADSTS|AuthorizationFailed|Forbidden|ResourceGroupNotFound|ResourceNotFound|SubscriptionNotFound|could not be found'
}
