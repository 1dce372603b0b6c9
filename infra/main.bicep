// Dunning Functions on Azure: one resource group holding a Flex Consumption function app (the
// Durable Functions host), its storage, Key Vault, Communication Services e-mail, Application
// Insights with a workbook, and the role assignments that tie them together.
// Deployed with the Azure Developer CLI: `azd up` (see infra/README.md).

targetScope = 'subscription'

@minLength(1)
@maxLength(64)
@description('Name of the azd environment; used in the resource group name and to make resource names unique.')
param environmentName string

@minLength(1)
@description('Region for all regional resources. It must offer the Flex Consumption plan with .NET 10 (`az functionapp list-flexconsumption-locations`).')
@metadata({
  azd: {
    type: 'location'
  }
})
param location string

@description('Object id of the user or service principal running azd (azd fills AZURE_PRINCIPAL_ID). Gets Key Vault Secrets Officer on the vault.')
param principalId string = ''

@description('Where Communication Services keeps data at rest, e.g. "United States", "Europe", "UK", "Australia". Fixed once created. Empty: "United States".')
param communicationDataLocation string = ''

@description('Durable Functions task hub name (3-45 letters and digits, starting with a letter).')
@minLength(3)
@maxLength(45)
param taskHubName string = 'dunning'

@description('NCRONTAB schedule (6 fields, UTC) of the daily scan. Empty: "0 0 6 * * *" (06:00 UTC).')
param scanSchedule string = ''

@description('Optional policy override (the policy.json document as one string). Empty: the built-in default policy.')
param policyJson string = ''

// The three secrets below are empty unless passed explicitly (main.parameters.json passes none): then the vault's
// secrets are left as they are. infra/scripts/ensure-secrets.sh (azd postprovision) creates the absent ones.
@secure()
@description('Stripe webhook signing secret (whsec_...). Empty: left as it is in the vault.')
param stripeWebhookSecret string = ''

@secure()
@description('HMAC secret of the generic payment webhook. Empty: left as it is in the vault.')
param genericWebhookSecret string = ''

@secure()
@description('Key for the admin-only routes. Empty: left as it is in the vault.')
param adminKey string = ''

@description('Most instances the function app may scale out to.')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int = 40

@description('Memory of each function app instance, in MB.')
@allowed([
  2048
  4096
])
param instanceMemoryMB int = 2048

var abbrs = loadJsonContent('abbreviations.json')
var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var tags = {
  'azd-env-name': environmentName
}

var functionAppName = '${abbrs.webSitesFunctions}api-${resourceToken}'
var deploymentContainerName = 'app-package-${take(functionAppName, 32)}-${take(toLower(uniqueString(functionAppName, resourceToken)), 7)}'
var effectiveScanSchedule = empty(scanSchedule) ? '0 0 6 * * *' : scanSchedule
var effectiveDataLocation = empty(communicationDataLocation) ? 'United States' : communicationDataLocation

resource rg 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: '${abbrs.resourcesResourceGroups}${environmentName}'
  location: location
  tags: tags
}

module identity 'modules/identity.bicep' = {
  name: 'identity'
  scope: rg
  params: {
    name: '${abbrs.managedIdentityUserAssignedIdentities}api-${resourceToken}'
    location: location
    tags: tags
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  scope: rg
  params: {
    name: '${abbrs.storageStorageAccounts}${resourceToken}'
    location: location
    tags: tags
    deploymentContainerName: deploymentContainerName
  }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  scope: rg
  params: {
    logAnalyticsName: '${abbrs.operationalInsightsWorkspaces}${resourceToken}'
    applicationInsightsName: '${abbrs.insightsComponents}${resourceToken}'
    location: location
    tags: tags
  }
}

module keyVault 'modules/keyvault.bicep' = {
  name: 'keyvault'
  scope: rg
  params: {
    name: '${abbrs.keyVaultVaults}${resourceToken}'
    location: location
    tags: tags
    stripeWebhookSecret: stripeWebhookSecret
    genericWebhookSecret: genericWebhookSecret
    adminKey: adminKey
  }
}

module communication 'modules/communication.bicep' = {
  name: 'communication'
  scope: rg
  params: {
    emailServiceName: '${abbrs.communicationEmailServices}${resourceToken}'
    communicationServiceName: '${abbrs.communicationCommunicationServices}${resourceToken}'
    dataLocation: effectiveDataLocation
    tags: tags
  }
}

module rbac 'modules/rbac.bicep' = {
  name: 'rbac'
  scope: rg
  params: {
    storageAccountName: storage.outputs.name
    keyVaultName: keyVault.outputs.name
    communicationServiceName: communication.outputs.communicationServiceName
    applicationInsightsName: monitoring.outputs.applicationInsightsName
    appPrincipalId: identity.outputs.principalId
    deployerPrincipalId: principalId
  }
}

// The settings the Functions code reads (names fixed by the code; `__` nests a section).
var dunningSettings = union(
  {
    TaskHubName: taskHubName
    Dunning__Storage__AccountName: storage.outputs.name
    Dunning__Email__Endpoint: communication.outputs.endpoint
    Dunning__Email__Sender: communication.outputs.senderAddress
    Dunning__ScanSchedule: effectiveScanSchedule
    Dunning__Webhooks__StripeSecret: '@Microsoft.KeyVault(SecretUri=${keyVault.outputs.stripeWebhookSecretUri})'
    Dunning__Webhooks__GenericSecret: '@Microsoft.KeyVault(SecretUri=${keyVault.outputs.genericWebhookSecretUri})'
    Dunning__AdminKey: '@Microsoft.KeyVault(SecretUri=${keyVault.outputs.adminKeyUri})'
    Dunning__Webhooks__EmailEventsKey: '@Microsoft.KeyVault(SecretUri=${keyVault.outputs.emailEventsKeyUri})'
  },
  empty(policyJson) ? {} : { Dunning__PolicyJson: policyJson }
)

module api 'modules/functionapp.bicep' = {
  name: 'api'
  scope: rg
  params: {
    name: functionAppName
    planName: '${abbrs.webServerFarms}${resourceToken}'
    location: location
    tags: tags
    serviceName: 'api'
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    storageAccountName: storage.outputs.name
    deploymentContainerUrl: storage.outputs.deploymentContainerUrl
    applicationInsightsConnectionString: monitoring.outputs.connectionString
    maximumInstanceCount: maximumInstanceCount
    instanceMemoryMB: instanceMemoryMB
    appSettings: dunningSettings
  }
  // Start the app only once its identity may reach storage, Key Vault and e-mail.
  dependsOn: [
    rbac
  ]
}

// Values azd stores in .azure/<env>/.env (and the deploy workflow can read with `azd env get-value`).
output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = rg.name
output AZURE_FUNCTION_APP_NAME string = api.outputs.name
output SERVICE_API_NAME string = api.outputs.name
output SERVICE_API_URI string = api.outputs.uri
output AZURE_MANAGED_IDENTITY_CLIENT_ID string = identity.outputs.clientId
output AZURE_STORAGE_ACCOUNT_NAME string = storage.outputs.name
output AZURE_COMMUNICATION_SERVICE_ID string = communication.outputs.communicationServiceId
output AZURE_KEY_VAULT_NAME string = keyVault.outputs.name
output AZURE_KEY_VAULT_ENDPOINT string = keyVault.outputs.uri
output AZURE_COMMUNICATION_SERVICE_ENDPOINT string = communication.outputs.endpoint
output DUNNING_EMAIL_SENDER string = communication.outputs.senderAddress
output DUNNING_TASK_HUB_NAME string = taskHubName
output APPLICATIONINSIGHTS_CONNECTION_STRING string = monitoring.outputs.connectionString
output AZURE_WORKBOOK_ID string = monitoring.outputs.workbookId
