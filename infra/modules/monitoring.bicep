// Log Analytics workspace, workspace-based Application Insights, and the Azure Monitor workbook
// that charts the dunning custom events (see infra/workbook.json and infra/README.md).

param logAnalyticsName string
param applicationInsightsName string
param location string
param tags object

@description('How long the workspace keeps data. Application Insights data is free to keep for 90 days; cases can run for months, so keep at least that.')
@minValue(30)
@maxValue(730)
param retentionInDays int = 90

resource logAnalytics 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: logAnalyticsName
  location: location
  tags: tags
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: retentionInDays
  }
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: applicationInsightsName
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: logAnalytics.id
    IngestionMode: 'LogAnalytics'
    // Local (instrumentation-key) ingestion stays on: the isolated worker's TelemetryClient,
    // which emits the Dunning* custom events, sends with the connection string. The Functions
    // host itself authenticates with Entra ID (APPLICATIONINSIGHTS_AUTHENTICATION_STRING).
    DisableLocalAuth: false
  }
}

resource workbook 'Microsoft.Insights/workbooks@2023-06-01' = {
  name: guid(appInsights.id, 'dunning-workbook')
  location: location
  tags: union(tags, {
    'hidden-title': 'Dunning: cases, recoveries and flagged debts'
  })
  kind: 'shared'
  properties: {
    displayName: 'Dunning: cases, recoveries and flagged debts'
    category: 'workbook'
    version: 'Notebook/1.0'
    sourceId: appInsights.id
    serializedData: replace(loadTextContent('../workbook.json'), '__APP_INSIGHTS_RESOURCE_ID__', appInsights.id)
  }
}

output logAnalyticsId string = logAnalytics.id
output applicationInsightsId string = appInsights.id
output applicationInsightsName string = appInsights.name
output connectionString string = appInsights.properties.ConnectionString
output workbookId string = workbook.id
