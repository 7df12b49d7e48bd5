// Log Analytics and Application Insights, both with local (key) authentication off: telemetry is accepted only
// from identities with Monitoring Metrics Publisher on the component.

import { resourceTags } from 'types.bicep'

param logAnalyticsName string
param applicationInsightsName string
param location string
param tags resourceTags


resource logAnalytics 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: logAnalyticsName
  location: location
  tags: tags
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: 30
    features: {
      disableLocalAuth: true
    }
  }
}

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: applicationInsightsName
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: logAnalytics.id
    DisableLocalAuth: true
  }
}


output applicationInsightsName string = applicationInsights.name

@description('Where telemetry goes (an ingestion address and the component id, not a secret: local auth is off).')
output applicationInsightsConnectionString string = applicationInsights.properties.ConnectionString
