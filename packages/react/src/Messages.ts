/**
 * The wording of everything the kit says: expected errors (keyed by the error's tag, then its reason's tag) and
 * the components' labels (keyed by component, `sessionTracker.start`). A host overrides any key through
 * `<BillingProvider messages={...}>` for white-label wording or another language. `{name}` in a message is
 * filled from the error's fields of the same name; core errors carry no PHI, so neither do their messages.
 */
export type Messages = Readonly<Record<string, string>>

/** The defaults for the errors the core operations fail with. Component labels default where they are used. */
export const defaultMessages: Messages = {
  error: "This could not be completed.",
  "error.retry": "Try again",
  StoreError: "Billing data could not be read or saved.",
  "StoreError.Unavailable": "Billing data is unavailable right now. Try again in a moment.",
  "StoreError.Conflict": "Someone else changed this {entity} first. Reload it and apply your change again.",
  "StoreError.TenantMismatch": "This {entity} belongs to another organization.",
  "StoreError.Corrupt": "A stored {entity} could not be read. Contact support.",
  "StoreError.InvalidRequest": "The request was not valid.",
  ClearinghouseError: "The clearinghouse could not take this request.",
  "ClearinghouseError.Timeout": "The clearinghouse did not answer in time. Try again.",
  "ClearinghouseError.Unavailable": "The clearinghouse is unavailable right now. Try again in a moment.",
  "ClearinghouseError.Refused": "The clearinghouse refused the request.",
  SessionError: "The session could not be updated.",
  "SessionError.InvalidTransition": "A {from} session cannot {action}.",
  "SessionError.BillingClinicianMissing": "Choose the clinician who bills this session.",
  "SessionError.NotBillableToInsurance": "A {status} session is not billed to insurance.",
  "SessionError.AttendeeNotOnRoster": "The patient is not on this group session's roster.",
  SessionNotBillable: "This session is not billable: {text}",
  IllegalTransition: "A {from} claim cannot move to {to}.",
  ManualMoveRefused: "A claim moves to {to} through its own action (submit, correct or void), not a status change.",
  ClaimNotFound: "This claim no longer exists. Reload the list.",
  MissingPayerClaimNumber:
    "This claim has no payer claim number yet, so it cannot be corrected or voided. Wait for the payer's answer.",
  DenialNotFound: "This denial no longer exists. Reload the queue.",
  PayerNotFound: "This claim's payer is not set up.",
  AppealTemplateError: "The appeal template has placeholders it does not know.",
  KeyError: "Billing data is locked: its encryption keys could not be opened. Contact support.",
  "KeyError.Unavailable":
    "Billing data is locked right now: its encryption keys are unavailable. Try again in a moment.",
  AuthorizationExceeded: "This would use more than the {approved} approved units of the authorization.",
  RulePackNotFound: "No payer rules are in force for this date of service.",
  RulePackError: "The payer rules are not valid.",
  GoodFaithEstimateError: "The estimate's period is not valid."
}

interface Tagged {
  readonly _tag: string
  readonly reason?: unknown
}

const isTagged = (u: unknown): u is Tagged =>
  typeof u === "object" && u !== null && typeof (u as { _tag?: unknown })._tag === "string"

/** The keys that may word an error, most specific first: `StoreError.Conflict`, `StoreError`, `error`. */
export const keysOf = (error: unknown): ReadonlyArray<string> => {
  if (!isTagged(error)) return ["error"]
  const reason = isTagged(error.reason) ? error.reason._tag : undefined
  return reason === undefined ? [error._tag, "error"] : [`${error._tag}.${reason}`, error._tag, "error"]
}

/** Whether trying the same operation again may succeed (the error says so through `retryable`). */
export const isRetryable = (error: unknown): boolean =>
  typeof error === "object" && error !== null && (error as { retryable?: unknown }).retryable === true

const fieldsOf = (error: unknown): Record<string, unknown> => {
  if (!isTagged(error)) return {}
  const reason = isTagged(error.reason) ? (error.reason as unknown as Record<string, unknown>) : {}
  return { ...reason, ...(error as unknown as Record<string, unknown>) }
}

/** Fills `{name}` from `values`; a name with no string or number value is left out. */
export const format = (template: string, values: Readonly<Record<string, unknown>>): string =>
  template.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = values[name]
    return typeof value === "string" || typeof value === "number" ? String(value) : ""
  })

/** The message for an error from `messages`: the most specific key present, filled from the error's fields. */
export const describe = (error: unknown, messages: Messages): string => {
  for (const key of keysOf(error)) {
    const template = messages[key]
    if (template !== undefined) return format(template, fieldsOf(error))
  }
  return defaultMessages.error as string
}
