/**
 * What is wrong in an X12 file, and where: the interchange (ISA13), the functional group (GS06), the transaction
 * set (ST02), the segment's index in the file (0-based) and its id, and the element (and component) position. An
 * error breaks the standard or the money; a warning is off-standard but readable. Problems never quote element
 * values: X12 carries PHI.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"

/**
 * @since 0.1.0
 */
export const Problem = Schema.Struct({
  severity: Schema.Literals(["error", "warning"]),
  code: Schema.String,
  message: Schema.String,
  interchange: Schema.optional(Schema.String),
  group: Schema.optional(Schema.String),
  transaction: Schema.optional(Schema.String),
  segmentIndex: Schema.optional(Schema.Int),
  segmentId: Schema.optional(Schema.String),
  element: Schema.optional(Schema.Int),
  component: Schema.optional(Schema.Int)
}).annotate({ identifier: "X12Problem" })

/**
 * @since 0.1.0
 */
export type Problem = typeof Problem.Type

/**
 * Where a problem is, as `ISA 000000001 / GS 1 / ST 0001 / segment 12 CLP, element 2`.
 *
 * @since 0.1.0
 */
export const position = (problem: Problem): string => {
  const parts: Array<string> = []
  if (problem.interchange !== undefined) parts.push(`ISA ${problem.interchange}`)
  if (problem.group !== undefined) parts.push(`GS ${problem.group}`)
  if (problem.transaction !== undefined) parts.push(`ST ${problem.transaction}`)
  if (problem.segmentIndex !== undefined) {
    let at = `segment ${problem.segmentIndex}${problem.segmentId === undefined ? "" : ` ${problem.segmentId}`}`
    if (problem.element !== undefined) at += `, element ${problem.element}`
    if (problem.component !== undefined) at += `, component ${problem.component}`
    parts.push(at)
  }
  return parts.join(" / ")
}

/**
 * The reader stopped: in strict mode at the first error, in any mode on input it cannot read on from (no ISA,
 * or past the size limit).
 *
 * @since 0.1.0
 */
export class X12ParseError extends Schema.TaggedError<X12ParseError>()("X12ParseError", {
  problem: Problem
}) {
  readonly retryable = false
  override get message() {
    return `${this.problem.code}: ${this.problem.message} (${position(this.problem)})`
  }
}
