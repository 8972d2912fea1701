/**
 * Protected health information, marked in the schemas. A field wrapped with `Phi.field` is PHI: the store
 * encrypts it, logs and error messages never carry its value, and `Phi.fieldsOf` lists it.
 *
 * @since 0.1.0
 */
import type { Schema, SchemaAST } from "effect"

const key = "openrcm/phi"

/**
 * Marks a schema as PHI.
 *
 * @since 0.1.0
 */
export const field = <S extends Schema.Top>(schema: S): S["Rebuild"] => schema.annotate({ [key]: true } as never)

/**
 * True when a schema was marked with `Phi.field`.
 *
 * @since 0.1.0
 */
export const isPhi = (ast: SchemaAST.AST): boolean => {
  const annotations = (ast.checks?.at(-1)?.annotations ?? ast.annotations) as Record<string, unknown> | undefined
  return annotations?.[key] === true || (ast.annotations as Record<string, unknown> | undefined)?.[key] === true
}

/**
 * The names of the PHI fields of a struct schema, optional ones included.
 *
 * @since 0.1.0
 */
export const fieldsOf = (schema: { readonly fields: Schema.Struct.Fields }): Array<string> =>
  Object.entries(schema.fields)
    .filter(([, field]) => isPhi(field.ast) || isPhiOptional(field.ast))
    .map(([name]) => name)

const isPhiOptional = (ast: SchemaAST.AST): boolean => ast._tag === "Union" && ast.types.some((member) => isPhi(member))

/**
 * Where the PHI is in a schema's values: the paths of its PHI fields, walking into nested structs (an optional
 * subscriber's name is `["subscriber", "firstName"]`). A PHI field is taken whole, whatever it holds.
 *
 * @since 0.1.0
 */
export const pathsOf = (schema: Schema.Top): Array<ReadonlyArray<string>> => {
  const paths: Array<ReadonlyArray<string>> = []
  const seen = new Set<string>()
  const walk = (ast: SchemaAST.AST, path: ReadonlyArray<string>): void => {
    if (isPhi(ast)) {
      const key = path.join("\u0000")
      if (!seen.has(key)) {
        seen.add(key)
        paths.push(path)
      }
      return
    }
    switch (ast._tag) {
      case "Declaration":
        for (const parameter of ast.typeParameters) walk(parameter, path)
        return
      case "Objects":
        for (const property of ast.propertySignatures) walk(property.type, [...path, String(property.name)])
        return
      case "Union":
        for (const member of ast.types) walk(member, path)
        return
      default:
        return
    }
  }
  walk(schema.ast, [])
  return paths
}
