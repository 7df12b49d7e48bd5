// The Flex Consumption plan and the function app. The app runs as the user-assigned identity, pulls its package
// from the deployment container with that identity, and is configured only with the app settings it is given
// (no keys or connection strings: every setting that reaches a service names an endpoint and the identity).

import { resourceTags } from 'types.bicep'

param name string
param planName string
param location string
param tags resourceTags

@description('The value of the azd-service-name tag: the service in azure.yaml that deploys to this app.')
param serviceName string

@description('The resource id of the user-assigned identity the app runs as.')
param identityId string

@description('The blob endpoint of the storage account that holds the deployment container.')
param blobEndpoint string

param deploymentContainerName string

@description('Memory of each instance, in MB.')
@allowed([512, 2048, 4096])
param instanceMemoryMB int

@description('The most instances the app scales out to.')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int

@description('Origins of the web front ends allowed to call the API from a browser.')
param corsAllowedOrigins string[]

@description('Every app setting, by name. The whole set is replaced on each provision.')
param appSettings { *: string }

@description('App settings of optional features, set only when the feature is on (sign-in).')
param optionalAppSettings { *: string } = {}

resource plan 'Microsoft.Web/serverfarms@2024-11-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    name: 'FC1'
    tier: 'FlexConsumption'
  }
  properties: {
    reserved: true
  }
}

resource app 'Microsoft.Web/sites@2024-11-01' = {
  name: name
  location: location
  tags: union(tags, { 'azd-service-name': serviceName })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${blobEndpoint}${deploymentContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        instanceMemoryMB: instanceMemoryMB
        maximumInstanceCount: maximumInstanceCount
      }
      runtime: {
        name: 'dotnet-isolated'
        version: '10.0'
      }
    }
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      cors: {
        allowedOrigins: corsAllowedOrigins
        supportCredentials: false
      }
    }
  }

  resource settings 'config' = {
    name: 'appsettings'
    properties: union(appSettings, optionalAppSettings)
  }
}

output name string = app.name
output hostName string = app.properties.defaultHostName
