// The roles of one principal on Ragtune's resources, each assignment named by guid(scope, principal, role) so that
// provisioning again finds the same assignment instead of failing on a duplicate.

param principalId string

@description('What names the assignments with the scope and the role: a value known before deployment that stays with the principal (the name of a managed identity, or the object id of a person).')
param principalKey string

@description('Set so that a role for an identity created moments ago does not wait for directory replication.')
@allowed(['Group', 'ServicePrincipal', 'User'])
param principalType string

param storageAccountName string
param documentsContainerName string
param datasetsContainerName string
param searchServiceName string
param openAiAccountName string
param applicationInsightsName string

@description('Role definition ids (GUIDs) on the storage account.')
param storageRoleIds string[] = []

@description('Role definition ids on the documents container only.')
param documentsContainerRoleIds string[] = []

@description('Role definition ids on the datasets container only.')
param datasetsContainerRoleIds string[] = []

@description('Role definition ids on the search service.')
param searchRoleIds string[] = []

@description('Role definition ids on the Azure OpenAI account.')
param openAiRoleIds string[] = []

@description('Role definition ids on the Application Insights component.')
param applicationInsightsRoleIds string[] = []

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName

  resource blobService 'blobServices' existing = {
    name: 'default'

    resource documents 'containers' existing = {
      name: documentsContainerName
    }

    resource datasets 'containers' existing = {
      name: datasetsContainerName
    }
  }
}

resource search 'Microsoft.Search/searchServices@2023-11-01' existing = {
  name: searchServiceName
}

resource openAi 'Microsoft.CognitiveServices/accounts@2024-10-01' existing = {
  name: openAiAccountName
}

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

resource storageRoles 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for roleId in storageRoleIds: {
    name: guid(storage.id, principalKey, roleId)
    scope: storage
    properties: {
      principalId: principalId
      principalType: principalType
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleId)
    }
  }
]

resource documentsContainerRoles 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for roleId in documentsContainerRoleIds: {
    name: guid(storage::blobService::documents.id, principalKey, roleId)
    scope: storage::blobService::documents
    properties: {
      principalId: principalId
      principalType: principalType
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleId)
    }
  }
]

resource datasetsContainerRoles 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for roleId in datasetsContainerRoleIds: {
    name: guid(storage::blobService::datasets.id, principalKey, roleId)
    scope: storage::blobService::datasets
    properties: {
      principalId: principalId
      principalType: principalType
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleId)
    }
  }
]

resource searchRoles 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for roleId in searchRoleIds: {
    name: guid(search.id, principalKey, roleId)
    scope: search
    properties: {
      principalId: principalId
      principalType: principalType
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleId)
    }
  }
]

resource openAiRoles 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for roleId in openAiRoleIds: {
    name: guid(openAi.id, principalKey, roleId)
    scope: openAi
    properties: {
      principalId: principalId
      principalType: principalType
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleId)
    }
  }
]

resource applicationInsightsRoles 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for roleId in applicationInsightsRoleIds: {
    name: guid(applicationInsights.id, principalKey, roleId)
    scope: applicationInsights
    properties: {
      principalId: principalId
      principalType: principalType
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleId)
    }
  }
]
