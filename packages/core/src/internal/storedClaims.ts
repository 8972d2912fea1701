/**
 * Reading a claim for an operation: the stored claim or `ClaimNotFound`, and the conflict an edit made on an older
 * version is. Shared by the claim and denial operations; `ClaimNotFound` is re-exported by `Billing`.
 */
import { Effect, Option, Schema } from "effect"
import { ClaimId } from "../Ids.js"
import { Conflict, StoreError, type StoreShape } from "../Store.js"

/**
 * No claim of the caller's tenant has this id.
 *
 * @since 0.1.0
 */
export class ClaimNotFound extends Schema.TaggedError<ClaimNotFound>()("ClaimNotFound", { claimId: ClaimId }) {
  override get message() {
    return `claim ${this.claimId}: not found`
  }
}

/** The stored claim, or `ClaimNotFound`. */
export const claimOrFail = (store: StoreShape, id: ClaimId) =>
  Effect.flatMap(
    store.claims.get(id),
    Option.match({
      onNone: () => Effect.fail(new ClaimNotFound({ claimId: id })),
      onSome: Effect.succeed
    })
  )

/** A write based on a version of the claim other than the stored one: someone changed it since. */
export const staleVersion = () => new StoreError({ reason: new Conflict({ entity: "claim", detail: "stale version" }) })
