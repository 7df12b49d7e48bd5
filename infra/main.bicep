// Ragtune in Azure, for `azd up`: a Flex Consumption function app over Azure AI Search, Azure OpenAI and Azure
// Storage, running as a user-assigned identity. No keys or connection strings: local authentication is off on every
// service that has it, and each identity reaches each service through a role.

targetScope = 'subscription'

@minLength(1)
@maxLength(64)
@description('The azd environment name: names the resource group and seeds the unique names of the resources.')
param environmentName string

@minLength(1)
@description('The region of every resource but Azure OpenAI (see openAiLocation).')
@metadata({
  azd: {
    type: 'location'
  }
})
param location string

@description('The region of the Azure OpenAI account, if not the same as the rest: one that offers both models with the chosen deployment type.')
param openAiLocation string = ''

@description('The object id of the person (or CI principal) running azd: given the roles to upload documents, query the index and read datasets. Empty: no roles for anyone but the app.')
param principalId string = ''

@description('Whether principalId is a person or a service principal (CI).')
@allowed(['User', 'ServicePrincipal'])
param principalType string = 'User'

@description('Origins of the web front ends allowed to call the API from a browser, comma-separated, e.g. https://chat.contoso.com,http://localhost:5173. Empty: none but the Azure portal.')
param corsAllowedOrigins string = ''

@description('Memory of each function app instance, in MB.')
@allowed([512, 2048, 4096])
param functionInstanceMemoryMB int = 2048

@description('The most instances the function app scales out to (Flex Consumption: 40 to 1000).')
@minValue(40)
@maxValue(1000)
param functionMaximumInstanceCount int = 100

@description('Azure AI Search pricing tier. Basic is the smallest with the semantic ranker and room for a real corpus.')
@allowed(['free', 'basic', 'standard', 'standard2', 'standard3'])
param searchSku string = 'basic'

@description('The semantic ranker\'s plan (free: a monthly allowance of semantic queries).')
@allowed(['disabled', 'free', 'standard'])
param searchSemanticRanker string = 'free'

@description('The index of chunks the app creates at start.')
param searchIndexName string = 'ragtune-chunks'

@description('When the fine-tune dataset export runs: NCRONTAB, six fields with seconds first, UTC (daily at 03:00 by default).')
param fineTuneExportSchedule string = '0 0 3 * * *'

// Model defaults: generally available versions with Global Standard deployments in Azure OpenAI's model list, and far
// from retirement in its retirement schedule (2026-09-02): gpt-5.4-mini 2026-03-17 retires 2027-09-21,
// text-embedding-3-small 1 retires 2028-02-09. README (Deploy to Azure) says how to choose others.
@description('The chat model that answers.')
param chatModelName string = 'gpt-5.4-mini'
param chatModelVersion string = '2026-03-17'
param chatDeploymentName string = 'chat'

@description('The chat model\'s family, which the deployment\'s name does not tell the app: Reasoning for the gpt-5 and o-series models (no temperature, an output limit that leaves room to reason), Standard for gpt-4.1 and earlier.')
@allowed(['Standard', 'Reasoning'])
param chatModelFamily string = 'Reasoning'
param chatDeploymentSku string = 'GlobalStandard'

@description('Chat throughput, in thousands of tokens per minute.')
@minValue(1)
param chatDeploymentCapacity int = 30

@description('The embedding model of the chunks and questions. Changing it means re-indexing every document.')
param embeddingModelName string = 'text-embedding-3-small'
param embeddingModelVersion string = '1'
param embeddingDeploymentName string = 'embedding'
param embeddingDeploymentSku string = 'GlobalStandard'

@description('Embedding throughput, in thousands of tokens per minute.')
@minValue(1)
param embeddingDeploymentCapacity int = 120

@description('The embedding vector length: 1536 for text-embedding-3-small, 3072 for text-embedding-3-large (or fewer, which those models can shorten to).')
@minValue(1)
@maxValue(3072)
param embeddingDimensions int = 1536

@description('The model the fine-tune datasets are for (its tokenizer and example limit): one Azure OpenAI fine-tunes with SFT and DPO. The chat model above need not be one.')
param fineTuneBaseModel string = 'gpt-4.1-mini'

@description('Auto-tune (azd env set RAGTUNE_AUTO_TUNE true): after each export with enough examples the app fine-tunes fineTuneBaseModel on Azure OpenAI, judges the candidate against the active model and deploys it only if it wins. Off by default: training and deployed fine-tuned models cost money. Only when on does the app get the fine-tuning settings and the roles that need.')
param fineTuneAutoTune bool = false

@description('Sign-in: \'entra\' makes the API validate Microsoft Entra ID access tokens for the app registration that the preprovision hook creates (azd env set RAGTUNE_AUTH entra). Empty: no token validation.')
@allowed(['', 'entra'])
param auth string = ''

@description('The application (client) id of the API\'s Entra app registration: the audience of its v2.0 access tokens. Set by the preprovision hook.')
param authClientId string = ''

@description('The tenant of that app registration (set by the preprovision hook); empty: the tenant of the subscription.')
param authTenantId string = ''

var abbrs = loadJsonContent('abbreviations.json')
var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var tags = { 'azd-env-name': environmentName }

// The service in azure.yaml deploys to the app tagged with its name.
var functionsServiceName = 'functions'

// The blob trigger the Event Grid subscription (created by the postdeploy hook) delivers to.
var blobTriggerFunctionName = 'IngestDocument'

// With RAGTUNE_AUTH=entra, the API validates v2.0 access tokens of its app registration: the issuer is the tenant's v2.0
// endpoint and the audience ("aud" in v2.0 tokens) the application's client id.
var useEntraSignIn = auth == 'entra' && !empty(authClientId)
var entraSignInSettings = {
  Ragtune__Auth__Authority: '${environment().authentication.loginEndpoint}${empty(authTenantId) ? tenant().tenantId : authTenantId}/v2.0'
  Ragtune__Auth__Audience: authClientId
}

// With auto-tune on, the app fine-tunes on its Azure OpenAI account (keyless, its data-plane API) and deploys the
// candidates there through Azure Resource Manager; the account's endpoint is that of its custom subdomain.
var autoTuneSettings = {
  Ragtune__FineTuning__AutoTune: 'true'
  Ragtune__FineTuning__Provider: 'azure-openai'
  Ragtune__FineTuning__Endpoint: 'https://${openAiAccountName}.openai.azure.com/'
  Ragtune__FineTuning__Azure__SubscriptionId: subscription().subscriptionId
  Ragtune__FineTuning__Azure__ResourceGroup: resourceGroupName
  Ragtune__FineTuning__Azure__Account: openAiAccountName
}

var documentsContainerName = 'documents'
var datasetsContainerName = 'datasets'
var deploymentContainerName = 'app-package'
var interactionsTableName = 'interactions'
var feedbackTableName = 'feedback'
var documentLedgerTableName = 'documents'

// Built-in role definition ids.
var roles = {
  storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
  storageBlobDataContributor: 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'
  storageBlobDataReader: '2a2b9908-6ea1-4ae2-8e65-a410df84e7d1'
  storageQueueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
  storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
  searchIndexDataContributor: '8ebe5a00-799e-43f5-93ac-243d3dce84a7'
  searchIndexDataReader: '1407120a-92aa-4202-b7e9-c0e197c71c8f'
  searchServiceContributor: '7ca78c08-252a-4471-8644-bb5ff32d4ba0'
  cognitiveServicesOpenAIUser: '5e0bd9bd-7b93-4f28-af87-19fc36ad61bd'
  cognitiveServicesOpenAIContributor: 'a001fd3d-188f-4b5d-821b-7da978bf7442'
  cognitiveServicesContributor: '25fbc0a9-bd7c-42a3-aa1a-3b75d497ee68'
  monitoringMetricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb'
}

// Names known before deployment, so that What-If predicts the role assignments on these resources.
var identityName = '${abbrs.managedIdentityUserAssignedIdentities}${resourceToken}'
var storageAccountName = '${abbrs.storageStorageAccounts}${resourceToken}'
var searchServiceName = '${abbrs.searchSearchServices}${resourceToken}'
var openAiAccountName = '${abbrs.cognitiveServicesAccounts}${resourceToken}'
var applicationInsightsName = '${abbrs.insightsComponents}${resourceToken}'
var resourceGroupName = '${abbrs.resourcesResourceGroups}${environmentName}'

resource rg 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: resourceGroupName
  location: location
  tags: tags
}

module identity 'modules/identity.bicep' = {
  name: 'identity'
  scope: rg
  params: {
    name: identityName
    location: location
    tags: tags
  }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  scope: rg
  params: {
    logAnalyticsName: '${abbrs.operationalInsightsWorkspaces}${resourceToken}'
    applicationInsightsName: applicationInsightsName
    location: location
    tags: tags
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  scope: rg
  params: {
    name: storageAccountName
    location: location
    tags: tags
    documentsContainerName: documentsContainerName
    datasetsContainerName: datasetsContainerName
    deploymentContainerName: deploymentContainerName
    tableNames: [interactionsTableName, feedbackTableName, documentLedgerTableName]
    systemTopicName: '${abbrs.eventGridSystemTopics}${resourceToken}'
  }
}

module search 'modules/search.bicep' = {
  name: 'search'
  scope: rg
  params: {
    name: searchServiceName
    location: location
    tags: tags
    sku: searchSku
    semanticSearch: searchSemanticRanker
  }
}

module openAi 'modules/openai.bicep' = {
  name: 'openai'
  scope: rg
  params: {
    name: openAiAccountName
    location: empty(openAiLocation) ? location : openAiLocation
    tags: tags
    chat: {
      name: chatDeploymentName
      model: chatModelName
      version: chatModelVersion
      sku: chatDeploymentSku
      capacity: chatDeploymentCapacity
    }
    embedding: {
      name: embeddingDeploymentName
      model: embeddingModelName
      version: embeddingModelVersion
      sku: embeddingDeploymentSku
      capacity: embeddingDeploymentCapacity
    }
  }
}

// The app's identity: the host's storage (blobs, queues, tables), the index, the models, and telemetry.
module appRoles 'modules/roles.bicep' = {
  name: 'app-roles'
  scope: rg
  params: {
    principalId: identity.outputs.principalId
    principalKey: identityName
    principalType: 'ServicePrincipal'
    storageAccountName: storageAccountName
    documentsContainerName: documentsContainerName
    datasetsContainerName: datasetsContainerName
    searchServiceName: searchServiceName
    openAiAccountName: openAiAccountName
    applicationInsightsName: applicationInsightsName
    storageRoleIds: [
      roles.storageBlobDataOwner
      roles.storageQueueDataContributor
      roles.storageTableDataContributor
    ]
    searchRoleIds: [
      roles.searchIndexDataContributor
      roles.searchServiceContributor
    ]
    openAiRoleIds: [
      roles.cognitiveServicesOpenAIUser
    ]
    applicationInsightsRoleIds: [
      roles.monitoringMetricsPublisher
    ]
  }
  dependsOn: [
    monitoring
    storage
    search
    openAi
  ]
}

// Only with auto-tune on, the app's identity on the Azure OpenAI account: upload training files and create fine-tuning
// jobs (Cognitive Services OpenAI Contributor), and create and delete the fine-tuned models' deployments through Azure
// Resource Manager (Cognitive Services Contributor).
module tuningRoles 'modules/roles.bicep' = if (fineTuneAutoTune) {
  name: 'tuning-roles'
  scope: rg
  params: {
    principalId: identity.outputs.principalId
    principalKey: identityName
    principalType: 'ServicePrincipal'
    storageAccountName: storageAccountName
    documentsContainerName: documentsContainerName
    datasetsContainerName: datasetsContainerName
    searchServiceName: searchServiceName
    openAiAccountName: openAiAccountName
    applicationInsightsName: applicationInsightsName
    openAiRoleIds: [
      roles.cognitiveServicesOpenAIContributor
      roles.cognitiveServicesContributor
    ]
  }
  dependsOn: [
    openAi
  ]
}

// The person (or CI principal) running azd: upload documents, query the index, read the datasets.
module userRoles 'modules/roles.bicep' = if (!empty(principalId)) {
  name: 'user-roles'
  scope: rg
  params: {
    principalId: principalId
    principalKey: principalId
    principalType: principalType
    storageAccountName: storageAccountName
    documentsContainerName: documentsContainerName
    datasetsContainerName: datasetsContainerName
    searchServiceName: searchServiceName
    openAiAccountName: openAiAccountName
    applicationInsightsName: applicationInsightsName
    documentsContainerRoleIds: [
      roles.storageBlobDataContributor
    ]
    datasetsContainerRoleIds: [
      roles.storageBlobDataReader
    ]
    searchRoleIds: [
      roles.searchIndexDataReader
    ]
  }
  dependsOn: [
    monitoring
    storage
    search
    openAi
  ]
}

module functionApp 'modules/function-app.bicep' = {
  name: 'function-app'
  scope: rg
  params: {
    name: '${abbrs.webSitesFunctions}${resourceToken}'
    planName: '${abbrs.webServerFarms}${resourceToken}'
    location: location
    tags: tags
    serviceName: functionsServiceName
    identityId: identity.outputs.id
    blobEndpoint: storage.outputs.blobEndpoint
    deploymentContainerName: storage.outputs.deploymentContainerName
    instanceMemoryMB: functionInstanceMemoryMB
    maximumInstanceCount: functionMaximumInstanceCount
    corsAllowedOrigins: union(
      ['https://portal.azure.com'],
      filter(map(split(corsAllowedOrigins, ','), origin => trim(origin)), origin => !empty(origin))
    )
    appSettings: {
      // The host's storage, through the identity.
      AzureWebJobsStorage__credential: 'managedidentity'
      AzureWebJobsStorage__clientId: identity.outputs.clientId
      AzureWebJobsStorage__blobServiceUri: storage.outputs.blobEndpoint
      AzureWebJobsStorage__queueServiceUri: storage.outputs.queueEndpoint
      AzureWebJobsStorage__tableServiceUri: storage.outputs.tableEndpoint
      // The blob trigger's connection (the documents container), through the identity.
      DocumentStorage__credential: 'managedidentity'
      DocumentStorage__clientId: identity.outputs.clientId
      DocumentStorage__blobServiceUri: storage.outputs.blobEndpoint
      DocumentStorage__queueServiceUri: storage.outputs.queueEndpoint
      DocumentStorage__tableServiceUri: storage.outputs.tableEndpoint
      // Telemetry, signed in with the identity (the component accepts nothing else).
      APPLICATIONINSIGHTS_CONNECTION_STRING: monitoring.outputs.applicationInsightsConnectionString
      APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identity.outputs.clientId};Authorization=AAD'
      // DefaultAzureCredential in the app picks the user-assigned identity.
      AZURE_CLIENT_ID: identity.outputs.clientId
      // Ragtune: the chat and embedding deployments, the index, and the storage of its own data.
      Ragtune__Chat__Provider: 'azure-openai'
      Ragtune__Chat__Endpoint: openAi.outputs.endpoint
      Ragtune__Chat__Model: openAi.outputs.chatDeploymentName
      Ragtune__Chat__ModelFamily: chatModelFamily
      Ragtune__Embeddings__Endpoint: openAi.outputs.endpoint
      Ragtune__Embeddings__Deployment: openAi.outputs.embeddingDeploymentName
      Ragtune__Embeddings__Model: embeddingModelName
      Ragtune__Embeddings__Dimensions: string(embeddingDimensions)
      Ragtune__Search__Endpoint: search.outputs.endpoint
      Ragtune__Search__IndexName: searchIndexName
      Ragtune__AzureStorage__BlobServiceUri: storage.outputs.blobEndpoint
      Ragtune__AzureStorage__TableServiceUri: storage.outputs.tableEndpoint
      Ragtune__AzureStorage__DocumentsContainer: documentsContainerName
      Ragtune__AzureStorage__DatasetsContainer: datasetsContainerName
      Ragtune__AzureStorage__DocumentsTable: documentLedgerTableName
      Ragtune__AzureStorage__InteractionsTable: interactionsTableName
      Ragtune__AzureStorage__FeedbackTable: feedbackTableName
      // Fine-tune datasets are cut to the token limit of the model they would tune.
      Ragtune__FineTuning__BaseModel: fineTuneBaseModel
      Ragtune__FineTuning__Schedule: fineTuneExportSchedule
    }
    // Only with sign-in set up: without it, no Ragtune__Auth__ setting at all; likewise the fine-tuning service only with auto-tune.
    optionalAppSettings: union(useEntraSignIn ? entraSignInSettings : {}, fineTuneAutoTune ? autoTuneSettings : {})
  }
  // The host starts as soon as the app exists: its storage roles must be in place by then.
  dependsOn: [
    appRoles
  ]
}

output AZURE_LOCATION string = location
output AZURE_SUBSCRIPTION_ID string = subscription().subscriptionId
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = rg.name

output AZURE_FUNCTION_APP_NAME string = functionApp.outputs.name
output AZURE_FUNCTION_APP_URL string = 'https://${functionApp.outputs.hostName}'
output AZURE_BLOB_TRIGGER_FUNCTION_NAME string = blobTriggerFunctionName

output AZURE_STORAGE_ACCOUNT_NAME string = storage.outputs.name
output AZURE_STORAGE_BLOB_ENDPOINT string = storage.outputs.blobEndpoint
output AZURE_STORAGE_DOCUMENTS_CONTAINER string = storage.outputs.documentsContainerName
output AZURE_STORAGE_DATASETS_CONTAINER string = storage.outputs.datasetsContainerName
output AZURE_EVENTGRID_SYSTEM_TOPIC_NAME string = storage.outputs.systemTopicName

output AZURE_SEARCH_SERVICE_NAME string = search.outputs.name
output AZURE_SEARCH_ENDPOINT string = search.outputs.endpoint
output AZURE_SEARCH_INDEX_NAME string = searchIndexName

output AZURE_OPENAI_ENDPOINT string = openAi.outputs.endpoint
output AZURE_OPENAI_CHAT_DEPLOYMENT string = openAi.outputs.chatDeploymentName
output AZURE_OPENAI_EMBEDDING_DEPLOYMENT string = openAi.outputs.embeddingDeploymentName
