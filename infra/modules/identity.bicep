// The user-assigned managed identity the function app runs as. It exists before the app, so its
// role assignments (storage, Key Vault, Communication Services, Application Insights) can be made
// before the app first starts.

@description('Name of the user-assigned managed identity.')
param name string

param location string
param tags object

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: name
  location: location
  tags: tags
}

output id string = identity.id
output name string = identity.name
output principalId string = identity.properties.principalId
output clientId string = identity.properties.clientId
