/**
 * The audit trail: one event for every operation that reads or changes PHI or money (who, for which tenant, what,
 * on which record, when, with what outcome and why), written in the same transaction as the change. Events are
 * hash-chained per tenant: each event's hash covers its content and the previous event's hash, and the store
 * keeps the chain's head, so `verify` finds an edited, deleted, inserted or reordered event and names the first
 * bad one. Events carry ids and codes, never PHI values.
 *
 * The chain proves the trail was not rewritten piecemeal; someone able to rewrite all of it and its head could
 * forge a new one, so export the head (`sequence` and `hash`) to somewhere they cannot reach when that matters.
 *
 * @since 0.1.0
 */
import { Effect, Schema } from "effect"
import { Actor, Purpose } from "./Caller.js"
import { TenantId } from "./Ids.js"
import { EpochMillis } from "./Instant.js"

/**
 * @since 0.1.0
 */
export const Outcome = Schema.Literals(["success", "not-found", "refused"]).annotate({ identifier: "AuditOutcome" })

/**
 * @since 0.1.0
 */
export type Outcome = typeof Outcome.Type

const Hash = Schema.String.pipe(Schema.check(Schema.isPattern(/^[0-9a-f]{64}$/u, { expected: "a SHA-256 hex" })))

/**
 * What an operation records, before the store numbers and chains it.
 *
 * @since 0.1.0
 */
export const Entry = Schema.Struct({
  /** The operation, `claims.transition`. */
  action: Schema.String,
  /** The kind of record, `claim`. */
  entity: Schema.String,
  /** The record's id, when the operation is about one record. */
  entityId: Schema.optional(Schema.String),
  outcome: Outcome
}).annotate({ identifier: "AuditEntry" })

/**
 * @since 0.1.0
 */
export type Entry = typeof Entry.Type

/**
 * @since 0.1.0
 */
export const Event = Schema.Struct({
  tenantId: TenantId,
  /** 1, 2, 3, ... per tenant, without gaps. */
  sequence: Schema.Int.pipe(Schema.check(Schema.isGreaterThanOrEqualTo(1))),
  at: EpochMillis,
  actor: Actor,
  purpose: Purpose,
  action: Schema.String,
  entity: Schema.String,
  entityId: Schema.optional(Schema.String),
  outcome: Outcome,
  previousHash: Hash,
  hash: Hash
}).annotate({ identifier: "AuditEvent" })

/**
 * @since 0.1.0
 */
export type Event = typeof Event.Type

/**
 * The last event of a tenant's chain, kept by the store beside the events.
 *
 * @since 0.1.0
 */
export interface Head {
  readonly sequence: number
  readonly hash: string
}

/**
 * The previous hash of a chain's first event.
 *
 * @since 0.1.0
 */
export const genesis = "0".repeat(64)

/**
 * @since 0.1.0
 */
export const emptyHead: Head = { sequence: 0, hash: genesis }

const encoder = new TextEncoder()

const hex = (bytes: ArrayBuffer): string => {
  const view = new Uint8Array(bytes)
  let out = ""
  for (let i = 0; i < view.length; i++) out += (view[i] as number).toString(16).padStart(2, "0")
  return out
}

/**
 * The canonical text an event's hash covers: its fields in a fixed order, the previous hash included.
 */
const canonical = (event: Omit<Event, "hash">): string =>
  JSON.stringify([
    event.tenantId,
    event.sequence,
    event.at,
    event.actor,
    event.purpose,
    event.action,
    event.entity,
    event.entityId ?? null,
    event.outcome,
    event.previousHash
  ])

/**
 * Hex SHA-256 of a text. Web Crypto's (the default) is asynchronous and costs tens of microseconds an event; a
 * host with a synchronous SHA-256 (Node's `crypto.createHash`) can pass its own, which gives the same hashes.
 *
 * @since 0.1.0
 */
export type Sha256 = (text: string) => Effect.Effect<string>

/**
 * SHA-256 through Web Crypto, in Node and in the browser.
 *
 * @since 0.1.0
 */
export const webCryptoSha256: Sha256 = (text) =>
  Effect.map(
    Effect.promise(() => crypto.subtle.digest("SHA-256", encoder.encode(text))),
    hex
  )

/**
 * An event's hash: hex SHA-256 of its canonical text.
 *
 * @since 0.1.0
 */
export const hashOf = (event: Omit<Event, "hash">, sha256: Sha256 = webCryptoSha256): Effect.Effect<string> =>
  sha256(canonical(event))

/**
 * Chains entries after a head: numbers them, links and hashes them, and returns the events and the new head.
 *
 * @since 0.1.0
 */
export const chain = (
  head: Head,
  context: { readonly tenantId: TenantId; readonly actor: Actor; readonly purpose: Purpose; readonly at: EpochMillis },
  entries: ReadonlyArray<Entry>,
  sha256: Sha256 = webCryptoSha256
): Effect.Effect<{ readonly events: ReadonlyArray<Event>; readonly head: Head }> =>
  Effect.gen(function* () {
    const events: Array<Event> = []
    let previous = head
    for (const entry of entries) {
      const unsigned: Omit<Event, "hash"> = {
        tenantId: context.tenantId,
        sequence: previous.sequence + 1,
        at: context.at,
        actor: context.actor,
        purpose: context.purpose,
        action: entry.action,
        entity: entry.entity,
        ...(entry.entityId === undefined ? {} : { entityId: entry.entityId }),
        outcome: entry.outcome,
        previousHash: previous.hash
      }
      const hash = yield* hashOf(unsigned, sha256)
      events.push({ ...unsigned, hash })
      previous = { sequence: unsigned.sequence, hash }
    }
    return { events, head: previous }
  })

/**
 * What `verify` found.
 *
 * @since 0.1.0
 */
export type Verification =
  | { readonly _tag: "Intact"; readonly events: number; readonly head: Head }
  | {
      readonly _tag: "Broken"
      /** The sequence number where the chain first goes wrong (for a cut tail, the first missing one). */
      readonly sequence: number
      readonly problem:
        | "edited"
        | "missing"
        | "inserted-or-reordered"
        | "broken-link"
        | "tail-missing"
        | "head-mismatch"
        | "wrong-tenant"
    }

/**
 * Checks a tenant's events, in the order the store returns them (by sequence), against its head.
 *
 * @since 0.1.0
 */
export const verify = (
  tenantId: TenantId,
  events: ReadonlyArray<Event>,
  head: Head,
  sha256: Sha256 = webCryptoSha256
): Effect.Effect<Verification> =>
  Effect.gen(function* () {
    let previous = emptyHead
    for (const event of events) {
      const expected = previous.sequence + 1
      if (event.tenantId !== tenantId) return { _tag: "Broken", sequence: event.sequence, problem: "wrong-tenant" }
      if (event.sequence > expected) return { _tag: "Broken", sequence: expected, problem: "missing" }
      if (event.sequence < expected)
        return { _tag: "Broken", sequence: event.sequence, problem: "inserted-or-reordered" }
      const { hash, ...unsigned } = event
      if ((yield* hashOf(unsigned, sha256)) !== hash)
        return { _tag: "Broken", sequence: event.sequence, problem: "edited" }
      if (event.previousHash !== previous.hash) {
        return { _tag: "Broken", sequence: event.sequence, problem: "broken-link" }
      }
      previous = { sequence: event.sequence, hash }
    }
    if (head.sequence > previous.sequence) {
      return { _tag: "Broken", sequence: previous.sequence + 1, problem: "tail-missing" }
    }
    if (head.sequence !== previous.sequence || head.hash !== previous.hash) {
      return { _tag: "Broken", sequence: previous.sequence, problem: "head-mismatch" }
    }
    return { _tag: "Intact", events: events.length, head: previous }
  })
