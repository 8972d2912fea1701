import { Billing, type Coding, DateOfService, RulePack, RuleSet, Store } from "@openrcm/core"
import { ErrorMessage, useBillingEffect } from "@openrcm/react"
import { Effect, Schema } from "effect"
import { useId, useMemo, useState } from "react"
import { today } from "../runtime.js"

const packs = RuleSet.builtinPacks as ReadonlyArray<{ readonly id: string }>

/** Sessions coded under the pack being edited, so a change to a rule shows in the codes it gives. */
const samples = (
  rulePack: string
): ReadonlyArray<{ readonly label: string; readonly request: Coding.CodingRequest }> => {
  const base = { dateOfService: today, rulePack, interactiveComplexity: false } as const
  return [
    {
      label: "45 minutes of psychotherapy by video, LCSW",
      request: {
        ...base,
        service: "psychotherapy",
        minutes: 45,
        delivery: { mode: "video", patientLocation: "home" },
        clinician: { credential: "LCSW" }
      }
    },
    {
      label: "60 minutes of psychotherapy in the office, LPC",
      request: {
        ...base,
        service: "psychotherapy",
        minutes: 60,
        delivery: { mode: "in-person", placeOfService: "11" },
        clinician: { credential: "LPC" }
      }
    },
    {
      label: "30 minutes by telephone (audio only), psychologist",
      request: {
        ...base,
        service: "psychotherapy",
        minutes: 30,
        delivery: { mode: "audio-only", patientLocation: "home" },
        clinician: { credential: "PhD" }
      }
    }
  ] as ReadonlyArray<{ readonly label: string; readonly request: Coding.CodingRequest }>
}

const describe = (result: Coding.CodingResult) =>
  result._tag === "Billable"
    ? result.lines
        .map(
          (l) =>
            `${l.code}${l.modifiers.length ? `:${l.modifiers.join(":")}` : ""} × ${l.units} at POS ${l.placeOfService}`
        )
        .join(" + ")
    : `not billable: ${result.text}`

/** The built-in packs with the edited one in place of the one of the same id. */
const packsWith = (edited: RulePack.RulePack) =>
  RuleSet.makeRulePacks([
    ...packs.filter((p) => p.id !== edited.id).map((p) => Schema.decodeUnknownSync(RulePack.RulePack)(p)),
    edited
  ])

/** Codes the samples under the edited pack. */
const codeSamples = (edited: RulePack.RulePack) =>
  Effect.forEach(samples(edited.id), ({ label, request }) =>
    Billing.codeSession(request).pipe(
      Effect.map((result) => ({
        label,
        coded: describe(result),
        why: result._tag === "Billable" ? result.lines.flatMap((l) => l.explanations.map((e) => e.text)) : []
      })),
      Effect.provideService(RuleSet.RulePacks, packsWith(edited))
    )
  )

/**
 * Scrubs the latest claim of a payer on this pack under the edited pack, as the biller's scrub would, without
 * changing the claim: the edits a pack tunes (timely filing, modifiers, authorizations, ...) show at once.
 */
const scrubSample = (edited: RulePack.RulePack) =>
  Effect.gen(function* () {
    const store = yield* Store.Store
    const payer = (yield* store.payers.list({ limit: 100 })).items.find((p) => p.rulePack === edited.id)
    if (payer === undefined) return undefined
    const [claim] = (yield* store.claims.query({ payerId: payer.id, limit: 1 })).items
    if (claim === undefined) return undefined
    const context = yield* Billing.scrubContext(claim, { asOf: today })
    if (context === undefined) return undefined
    return { claim, payer: payer.name, result: Billing.scrubWithContext(claim, context) }
  }).pipe(Effect.provideService(RuleSet.RulePacks, packsWith(edited)))

export function RulePacksScreen() {
  const [packId, setPackId] = useState("acme-health")
  const original = useMemo(
    () =>
      JSON.stringify(
        packs.find((p) => p.id === packId),
        null,
        2
      ),
    [packId]
  )
  const [text, setText] = useState(original)
  const [editedId, setEditedId] = useState(packId)
  const editorId = useId()
  if (editedId !== packId) {
    setEditedId(packId)
    setText(original)
  }
  const parsed = useMemo(() => {
    try {
      return { _tag: "Json" as const, value: JSON.parse(text) as unknown }
    } catch (error) {
      return { _tag: "NotJson" as const, message: String((error as Error).message) }
    }
  }, [text])
  const validated = useBillingEffect(
    (): Effect.Effect<RulePack.RulePack, RulePack.RulePackError | string, RuleSet.RulePacks> =>
      parsed._tag === "Json" ? Billing.validateRulePack(parsed.value) : Effect.fail(parsed.message),
    [parsed]
  )
  const pack = validated._tag === "Success" ? validated.value : undefined
  const coded = useBillingEffect(() => (pack ? codeSamples(pack) : Effect.succeed(undefined)), [pack])
  const scrubbed = useBillingEffect(() => (pack ? scrubSample(pack) : Effect.succeed(undefined)), [pack])
  return (
    <div className="playground-split">
      <div className="playground-stack">
        <label>
          Payer pack{" "}
          <select value={packId} onChange={(event) => setPackId(event.target.value)}>
            {packs.map((p) => (
              <option key={p.id} value={p.id}>
                {p.id}
              </option>
            ))}
          </select>
        </label>
        <label htmlFor={editorId}>The pack, as JSON (a payer is data, not code)</label>
        <textarea
          id={editorId}
          value={text}
          spellCheck={false}
          rows={28}
          className="playground-code"
          aria-invalid={validated._tag === "Failure"}
          onChange={(event) => setText(event.target.value)}
        />
        <button type="button" onClick={() => setText(original)}>
          Undo my changes
        </button>
      </div>
      <div className="playground-stack">
        <h3>Validation</h3>
        <div role="status" data-testid="validation">
          {validated._tag === "Success" ? (
            <p>
              Valid: {validated.value.id}@{validated.value.version}
            </p>
          ) : validated._tag === "Failure" ? (
            typeof validated.error === "string" ? (
              <p>Not JSON: {validated.error}</p>
            ) : (
              <>
                <ErrorMessage error={validated.error} />
                <ul>
                  {validated.error.problems.map((problem) => (
                    <li key={`${problem.path}:${problem.message}`}>
                      <code>{problem.path}</code>: {problem.message}
                    </li>
                  ))}
                </ul>
              </>
            )
          ) : (
            <p>Checking…</p>
          )}
        </div>
        <h3>How sessions code under it</h3>
        {coded._tag === "Success" && coded.value !== undefined ? (
          <ul data-testid="coded">
            {coded.value.map((sample) => (
              <li key={sample.label}>
                <strong>{sample.label}</strong>: <output>{sample.coded}</output>
                <ul>
                  {sample.why.map((why) => (
                    <li key={why}>{why}</li>
                  ))}
                </ul>
              </li>
            ))}
          </ul>
        ) : coded._tag === "Failure" ? (
          <ErrorMessage error={coded.error} />
        ) : (
          <p>Fix the pack to see how sessions code under it.</p>
        )}
        <h3>How a claim scrubs under it</h3>
        {scrubbed._tag === "Success" && scrubbed.value !== undefined ? (
          <div data-testid="scrubbed">
            <p>
              {scrubbed.value.payer}'s claim {scrubbed.value.claim.id} ({scrubbed.value.claim.serviceDate},{" "}
              {scrubbed.value.claim.lines.map((l) => l.code).join(", ")}):{" "}
              {scrubbed.value.result.findings.length === 0
                ? "clean"
                : `${scrubbed.value.result.findings.length} finding(s)`}
            </p>
            <ul>
              {scrubbed.value.result.findings.map((finding) => (
                <li key={`${finding.edit}:${finding.message}`} data-edit={finding.edit}>
                  <strong>{finding.severity}</strong> {finding.edit}: {finding.message}
                </li>
              ))}
            </ul>
          </div>
        ) : scrubbed._tag === "Failure" ? (
          <ErrorMessage error={scrubbed.error} />
        ) : scrubbed._tag === "Success" ? (
          <p>No claim of a payer on this pack yet.</p>
        ) : null}
        <p>Dates of service are read as {DateOfService.make(today)}; the pack's effective dates must cover it.</p>
      </div>
    </div>
  )
}
