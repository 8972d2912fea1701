/**
 * The `toJsonSchema` annotation of a check that JSON Schema cannot express (a check digit, a calendar date):
 * it adds nothing to the generated document, and declaring it keeps the schema's title and description there.
 */
export const noJsonSchema = () => ({})
