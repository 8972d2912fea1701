import { Billing, type Coding, type Ids, Store } from "@openrcm/core"
import { Effect } from "effect"
import { useBillingAction } from "./useBillingAction.js"
import { useBillingQuery } from "./useBillingEffect.js"

// The operations that have no component of their own, as headless hooks: a host builds its own screen on them.

/** How a session codes (`Billing.codeSession`): lines, modifiers and the rules' explanations; `undefined` request, nothing. */
export const useCoding = (request: Coding.CodingRequest | undefined) =>
  useBillingQuery(
    () => (request === undefined ? Effect.succeed(undefined) : Billing.codeSession(request)),
    // A request is data: compare it by content, so a new object with the same fields does not code again.
    [request === undefined ? undefined : JSON.stringify(request)]
  )

/** A page of the tenant's claims (`Store.claims.query`): by status, payer, patient and service dates. */
export const useClaims = (query: Store.ClaimQuery) =>
  useBillingQuery(
    () =>
      Effect.gen(function* () {
        const store = yield* Store.Store
        return yield* store.claims.query(query)
      }),
    [JSON.stringify(query)]
  )

/** Scrubs claims in the store (`Billing.scrubClaims`): each moves to ready, or stays scrubbed with its findings. */
export const useScrubClaims = () =>
  useBillingAction((claimIds: ReadonlyArray<Ids.ClaimId>) => Billing.scrubClaims(claimIds))

/** Queues claims for the clearinghouse (`Billing.submitClaims`), with each claim's outcome. */
export const useSubmitClaims = () =>
  useBillingAction((claimIds: ReadonlyArray<Ids.ClaimId>) => Billing.submitClaims(claimIds))

/**
 * Sends what the outbox holds and applies every answer the clearinghouse has (`Billing.deliverSubmissions`, then
 * `Billing.processResponses`: 999, 277CA, 835 posted). Needs a Clearinghouse layer in the runtime.
 */
export const useExchangeWithClearinghouse = () =>
  useBillingAction(() =>
    Effect.all({ delivered: Billing.deliverSubmissions(), responses: Billing.processResponses() }, { concurrency: 1 })
  )

/** Posts one remittance (`Billing.postRemittance`): matched claims, postings, denials queued, balancing. */
export const usePostRemittance = () =>
  useBillingAction((advice: Parameters<typeof Billing.postRemittance>[0]) => Billing.postRemittance(advice))
