export { cli, run, version } from "./main.js"
export { jsonSchemaOf, type SchemaName, schemaNames, schemas } from "./schemas.js"
