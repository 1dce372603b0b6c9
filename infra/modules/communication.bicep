// Azure Communication Services for reminder e-mail: an Email Communication Service with an
// Azure-managed domain (<guid>.azurecomm.net, no DNS work, sender DoNotReply@...), linked to a
// Communication Services resource that the app calls with its managed identity.
// Azure-managed domains have low sending limits; for real volumes add a custom domain
// (see infra/README.md).

param emailServiceName string
param communicationServiceName string
param tags object

@description('Where Communication Services keeps data at rest, e.g. "United States", "Europe", "UK". Cannot be changed later.')
param dataLocation string

resource emailService 'Microsoft.Communication/emailServices@2023-04-01' = {
  name: emailServiceName
  location: 'global'
  tags: tags
  properties: {
    dataLocation: dataLocation
  }
}

resource azureManagedDomain 'Microsoft.Communication/emailServices/domains@2023-04-01' = {
  parent: emailService
  // An Azure-managed domain must be named exactly this.
  name: 'AzureManagedDomain'
  location: 'global'
  tags: tags
  properties: {
    domainManagement: 'AzureManaged'
    // Reminders are legal correspondence: no open/click tracking.
    userEngagementTracking: 'Disabled'
  }
}

resource communicationService 'Microsoft.Communication/communicationServices@2023-04-01' = {
  name: communicationServiceName
  location: 'global'
  tags: tags
  properties: {
    dataLocation: dataLocation
    linkedDomains: [
      azureManagedDomain.id
    ]
  }
}

output communicationServiceId string = communicationService.id
output communicationServiceName string = communicationService.name
output endpoint string = 'https://${communicationService.properties.hostName}'
output senderDomain string = azureManagedDomain.properties.mailFromSenderDomain
output senderAddress string = 'DoNotReply@${azureManagedDomain.properties.mailFromSenderDomain}'
