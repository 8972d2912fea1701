import * as fc from "fast-check"

/**
 * Asserts a synchronous fast-check property. Returning `fc.assert` keeps the floating-promise lint quiet: it
 * cannot tell fast-check's synchronous overload from the asynchronous one.
 */
// biome-ignore lint/suspicious/noExplicitAny: properties of any arity.
export const holds = (property: fc.IProperty<any>): void => fc.assert(property)
