// docs/react.md: a screen's data with useBillingQuery. Another patient starts from Initial (never the previous
// patient's claims under this one's name); a refresh keeps the list on screen, marked waiting.
import { type Ids, Store } from "@openrcm/core"
import { ErrorMessage, useBillingQuery } from "@openrcm/react"
import { Effect } from "effect"

export function PatientClaims({ patientId }: { readonly patientId: Ids.PatientId }) {
  const { result, refresh } = useBillingQuery(
    () =>
      Effect.gen(function* () {
        const store = yield* Store.Store
        return yield* store.claims.query({ patientId, limit: 20 })
      }),
    [patientId]
  )
  if (result._tag === "Initial") return <p aria-busy="true">Loading the claims…</p>
  if (result._tag === "Failure") return <ErrorMessage error={result.error} onRetry={refresh} />
  return (
    <section aria-busy={result.waiting}>
      <ul>
        {result.value.items.map((claim) => (
          <li key={claim.id}>
            {claim.serviceDate} · {claim.status}
          </li>
        ))}
      </ul>
      <button type="button" onClick={refresh}>
        Refresh
      </button>
    </section>
  )
}
