#!/usr/bin/env bash
# azd postprovision hook (azure.yaml): creates each of the app's Key Vault secrets ONLY WHEN IT IS ABSENT.
#
# The Bicep never writes secret values (main.parameters.json passes none), so `azd provision` from any machine,
# including a fresh CI runner that knows nothing of earlier runs, cannot rotate the admin key or overwrite a Stripe
# signing secret set by hand. This script fills the gaps on the first run:
#   - a secret that exists is left exactly as it is;
#   - a secret deleted but still recoverable (soft delete) is recovered with its old value, never replaced;
#   - a secret that does not exist gets a random value (stripe-webhook-secret too: Stripe webhooks are refused until
#     you put your endpoint's whsec_... there, see infra/README.md);
#   - anything else (no permission yet, network) fails the hook rather than guessing.
# Needs the Azure CLI signed in (`az login`, or azure/login in GitHub Actions) as the principal azd provisions with,
# which main.bicep makes Key Vault Secrets Officer on the vault.
set -euo pipefail

vault="${AZURE_KEY_VAULT_NAME:?AZURE_KEY_VAULT_NAME is not set: run this as azd postprovision hook, after the outputs of main.bicep}"
secrets=(admin-key generic-webhook-secret stripe-webhook-secret email-events-key)

random_value() { head -c 32 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n'; }

# Prints present | deleted | absent; exits non-zero on any other answer. Retries while the role assignment made by
# this very provision is still propagating (Forbidden for a few minutes).
state_of() {
  local name="$1" err
  for attempt in $(seq 1 20); do
    if err=$(az keyvault secret show --vault-name "$vault" --name "$name" --query id -o tsv 2>&1 >/dev/null); then
      echo present; return 0
    fi
    if grep -q "SecretNotFound" <<<"$err"; then
      if az keyvault secret show-deleted --vault-name "$vault" --name "$name" --query recoveryId -o tsv >/dev/null 2>&1; then
        echo deleted
      else
        echo absent
      fi
      return 0
    fi
    if grep -qi "Forbidden" <<<"$err" && [ "$attempt" -lt 20 ]; then
      echo "waiting for Key Vault Secrets Officer on $vault to take effect ($attempt/20)" >&2
      sleep 15
      continue
    fi
    echo "cannot tell whether secret $name exists in $vault: $err" >&2
    return 1
  done
}

for name in "${secrets[@]}"; do
  state=$(state_of "$name")
  case "$state" in
    present)
      echo "$name: present, left as it is" ;;
    deleted)
      az keyvault secret recover --vault-name "$vault" --name "$name" -o none
      echo "$name: was soft-deleted, recovered with its old value" ;;
    absent)
      az keyvault secret set --vault-name "$vault" --name "$name" --value "$(random_value)" --content-type text/plain -o none
      echo "$name: created with a random value" ;;
  esac
done
