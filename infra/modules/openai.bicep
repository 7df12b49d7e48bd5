// Azure OpenAI with local (key) authentication off, and the chat and embedding deployments the app calls.

import { resourceTags } from 'types.bicep'

param name string
param location string
param tags resourceTags

@description('A model deployment: the name the app calls, the model, and its throughput.')
type modelDeployment = {
  @description('The deployment name (what the app is configured with).')
  name: string

  @description('The model, e.g. gpt-4.1-mini or text-embedding-3-small.')
  model: string

  @description('The model version, e.g. 2025-04-14.')
  version: string

  @description('The deployment type, e.g. GlobalStandard or Standard.')
  sku: string

  @description('Throughput in thousands of tokens per minute.')
  capacity: int
}

param chat modelDeployment
param embedding modelDeployment


resource account 'Microsoft.CognitiveServices/accounts@2024-10-01' = {
  name: name
  location: location
  tags: tags
  kind: 'OpenAI'
  sku: {
    name: 'S0'
  }
  properties: {
    // Microsoft Entra ID tokens are accepted only on a custom subdomain.
    customSubDomainName: name
    disableLocalAuth: true
    publicNetworkAccess: 'Enabled'
  }
}

resource chatDeployment 'Microsoft.CognitiveServices/accounts/deployments@2024-10-01' = {
  parent: account
  name: chat.name
  sku: {
    name: chat.sku
    capacity: chat.capacity
  }
  properties: {
    model: {
      format: 'OpenAI'
      name: chat.model
      version: chat.version
    }
  }
}

// One deployment at a time: the service rejects concurrent changes to an account's deployments.
resource embeddingDeployment 'Microsoft.CognitiveServices/accounts/deployments@2024-10-01' = {
  parent: account
  name: embedding.name
  sku: {
    name: embedding.sku
    capacity: embedding.capacity
  }
  properties: {
    model: {
      format: 'OpenAI'
      name: embedding.model
      version: embedding.version
    }
  }
  dependsOn: [
    chatDeployment
  ]
}


output name string = account.name
output endpoint string = account.properties.endpoint
output chatDeploymentName string = chatDeployment.name
output embeddingDeploymentName string = embeddingDeployment.name
