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
