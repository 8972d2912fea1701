import { type Ids, Money, Store } from "@openrcm/core"
import { ErrorMessage, RemittanceViewer, useBillingQuery } from "@openrcm/react"
import { Effect } from "effect"
import { useState } from "react"

const loadRemittances = Effect.gen(function* () {
  const store = yield* Store.Store
  return (yield* store.remittances.list({ limit: 200 })).items
})

/** The 835s posted so far (the demo's history and what the sandbox paid this visit), each as posted. */
export function RemittancesScreen() {
  const { result, refresh } = useBillingQuery(() => loadRemittances, [])
  const [selected, setSelected] = useState<Ids.RemittanceId | undefined>(undefined)
  return (
    <div className="playground-split">
      <div className="playground-stack">
        {result._tag === "Failure" ? <ErrorMessage error={result.error} onRetry={refresh} /> : null}
        {result._tag === "Success" ? (
          <ul className="playground-list" aria-label="Remittances">
            {result.value.map((remittance) => (
              <li key={remittance.id}>
                <button
                  type="button"
                  aria-pressed={selected === remittance.id}
                  onClick={() => setSelected(remittance.id)}
                >
                  {remittance.paymentDate ?? "—"} · {remittance.paymentMethod} {remittance.traceNumber} ·{" "}
                  {Money.format(remittance.paymentAmount)} · {remittance.claimCount} claim(s)
                </button>
              </li>
            ))}
          </ul>
        ) : null}
      </div>
      {selected === undefined ? (
        <p>Choose a remittance to see it as posted.</p>
      ) : (
        <RemittanceViewer.Root key={selected} remittanceId={selected} />
      )}
    </div>
  )
}
