// The user-assigned identity the function app runs as: it exists before the app, so its roles are in place when
// the app first starts, and it outlives a redeployment of the app.

import { resourceTags } from 'types.bicep'

param name string
param location string
param tags resourceTags

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: name
  location: location
  tags: tags
}

output id string = identity.id
output name string = identity.name
output clientId string = identity.properties.clientId
output principalId string = identity.properties.principalId
