// Azure AI Search with local (API key) authentication off: the app and the operator reach it with their roles.

import { resourceTags } from 'types.bicep'

param name string
param location string
param tags resourceTags

@allowed(['free', 'basic', 'standard', 'standard2', 'standard3'])
param sku string

@description('The semantic ranker\'s plan: the free plan has a monthly query allowance; the free SKU has no ranker.')
@allowed(['disabled', 'free', 'standard'])
param semanticSearch string


resource search 'Microsoft.Search/searchServices@2023-11-01' = {
  name: name
  location: location
  tags: tags
  sku: {
    name: sku
  }
  properties: {
    disableLocalAuth: true
    hostingMode: 'default'
    partitionCount: 1
    replicaCount: 1
    publicNetworkAccess: 'enabled'
    semanticSearch: sku == 'free' ? null : semanticSearch
  }
}


output name string = search.name
output endpoint string = 'https://${search.name}.search.windows.net/'
