// Shapes shared by the modules.

@export()
@description('Tags on every resource (azd finds the environment\'s resources by azd-env-name).')
type resourceTags = { *: string }
