import { Billing, Claim, Store } from "@openrcm/core"
import { ClaimEditor, ErrorMessage, useBillingAction, useBillingQuery } from "@openrcm/react"
import { Effect } from "effect"
import { useState } from "react"
import { type PlaygroundRuntime, today } from "../runtime.js"

const statuses = Claim.Status.literals

/** Sends what the outbox holds, then reads and applies every answer the clearinghouse has: 999, 277CA, 835. */
const sendAndProcess = Effect.gen(function* () {
  const delivered = yield* Billing.deliverSubmissions()
  const processed = yield* Billing.processResponses()
  const count = (kind: string) => processed.responses.filter((r) => r.kind === kind).length
  const posted = processed.responses.flatMap((r) => (r._tag === "Posted" ? [r.report] : []))
  return {
    sent: delivered.filter((d) => d._tag === "Sent").length,
    acknowledgements: count("Acknowledgement"),
    statuses: count("ClaimStatus"),
    remittances: posted.length,
    claimsPaid: posted.reduce((n, report) => n + report.claims.length, 0)
  }
})

export function ClaimsScreen({ runtime: _ }: { readonly runtime: PlaygroundRuntime }) {
  const [status, setStatus] = useState<Claim.Status>("ready")
  const [selected, setSelected] = useState<Claim.Claim["id"] | undefined>(undefined)
  const { result, refresh } = useBillingQuery(
    () =>
      Effect.gen(function* () {
        const store = yield* Store.Store
        return yield* store.claims.query({ status: [status], limit: 100 })
      }),
    [status]
  )
  const cycle = useBillingAction(() => sendAndProcess)
  return (
    <div className="playground-split">
      <div className="playground-stack">
        <label>
          Status{" "}
          <select value={status} onChange={(event) => setStatus(event.target.value as Claim.Status)}>
            {statuses.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
        {result._tag === "Failure" ? <ErrorMessage error={result.error} onRetry={refresh} /> : null}
        {result._tag === "Initial" ? <p aria-busy="true">Loading the {status} claims…</p> : null}
        {result._tag === "Success" ? (
          result.value.items.length === 0 ? (
            <p>No {status} claims.</p>
          ) : (
            <ul className="playground-list" aria-label={`${status} claims`}>
              {result.value.items.map((claim) => (
                <li key={claim.id} data-claim-id={claim.id}>
                  <button type="button" aria-pressed={selected === claim.id} onClick={() => setSelected(claim.id)}>
                    {claim.serviceDate} · {claim.lines.map((l) => l.code).join(", ")} · {claim.payerId}
                  </button>
                </li>
              ))}
            </ul>
          )
        ) : null}
        <button
          type="button"
          data-variant="primary"
          disabled={cycle.result.waiting}
          onClick={async () => {
            await cycle.run()
            refresh()
          }}
        >
          Send to the clearinghouse and check for answers
        </button>
        {cycle.result._tag === "Success" ? (
          <p role="status" data-testid="cycle-report">
            Sent {cycle.result.value.sent} batch(es); {cycle.result.value.acknowledgements} acknowledgement(s),{" "}
            {cycle.result.value.statuses} claim status report(s) and {cycle.result.value.remittances} remittance(s)
            posted ({cycle.result.value.claimsPaid} claim(s)).
          </p>
        ) : null}
        {cycle.result._tag === "Failure" ? <ErrorMessage error={cycle.result.error} /> : null}
      </div>
      {selected === undefined ? (
        <p>Choose a claim to open it in the editor.</p>
      ) : (
        <ClaimEditor.Root key={selected} claimId={selected} asOf={today} onSubmitted={() => refresh()} />
      )}
    </div>
  )
}
