// Key Vault in RBAC mode holding the app's secrets. The function app reads them through
// Key Vault references (@Microsoft.KeyVault(SecretUri=...)) with its user-assigned identity,
// which has "Key Vault Secrets User" on this vault (rbac.bicep).
//
// Secret values are NOT deployed from here by default: main.parameters.json passes none, so the
// secret parameters are empty and no secret resource is in the template. A deployment from any
// machine (a fresh CI runner too) therefore never rotates the admin key or overwrites a Stripe
// signing secret set by hand. The azd postprovision hook (infra/scripts/ensure-secrets.sh) creates
// each secret only when it is absent. Passing a value explicitly still sets that secret: a
// deliberate rotation. See infra/README.md.

@description('Key Vault name: 3-24 letters, digits and dashes.')
@minLength(3)
@maxLength(24)
param name string

param location string
param tags object

@secure()
@description('Stripe webhook signing secret (whsec_...). Empty: the secret is left as it is in the vault.')
param stripeWebhookSecret string = ''

@secure()
@description('HMAC secret of the generic payment webhook. Empty: the secret is left as it is in the vault.')
param genericWebhookSecret string = ''

@secure()
@description('Admin key for admin-only routes (e.g. POST /api/scan). Empty: the secret is left as it is in the vault.')
param adminKey string = ''

@description('Names of the secrets in the vault.')
param secretNames object = {
  stripeWebhookSecret: 'stripe-webhook-secret'
  genericWebhookSecret: 'generic-webhook-secret'
  adminKey: 'admin-key'
  emailEventsKey: 'email-events-key'
}

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 30
    publicNetworkAccess: 'Enabled'
    networkAcls: {
      defaultAction: 'Allow'
      bypass: 'AzureServices'
    }
  }
}

resource stripeSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!empty(stripeWebhookSecret)) {
  parent: vault
  name: secretNames.stripeWebhookSecret
  properties: {
    value: stripeWebhookSecret
    contentType: 'text/plain'
  }
}

resource genericSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!empty(genericWebhookSecret)) {
  parent: vault
  name: secretNames.genericWebhookSecret
  properties: {
    value: genericWebhookSecret
    contentType: 'text/plain'
  }
}

resource adminKeySecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!empty(adminKey)) {
  parent: vault
  name: secretNames.adminKey
  properties: {
    value: adminKey
    contentType: 'text/plain'
  }
}

// Versionless secret URIs: the app follows the latest version of each secret (App Service
// re-reads Key Vault references within 24 hours, or at once on any app-settings change/restart).
var secretsBase = '${vault.properties.vaultUri}secrets/'

output id string = vault.id
output name string = vault.name
output uri string = vault.properties.vaultUri
output stripeWebhookSecretUri string = '${secretsBase}${secretNames.stripeWebhookSecret}'
output genericWebhookSecretUri string = '${secretsBase}${secretNames.genericWebhookSecret}'
output adminKeyUri string = '${secretsBase}${secretNames.adminKey}'
output emailEventsKeyUri string = '${secretsBase}${secretNames.emailEventsKey}'
