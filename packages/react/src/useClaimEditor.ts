import {
  Billing,
  Claim,
  type DateOfService,
  type Ids,
  Money,
  type RulePack,
  type RuleSet,
  Scrub,
  Store
} from "@openrcm/core"
import { Effect, Exit, Option } from "effect"
import { useCallback, useMemo, useRef, useState } from "react"
import * as Result from "./Result.js"
import { type BillingAction, useBillingAction } from "./useBillingAction.js"
import { useBillingQuery } from "./useBillingEffect.js"

// ---------------------------------------------------------------------------------------------------------------
// Fields: where a finding shows, and what an input edits.

/**
 * A field of the editor, as findings point to it: a line's part (`line.0.modifiers`), a diagnosis
 * (`diagnosis.1`), the prior authorization number, or the claim as a whole (parties, coverage: not edited here).
 */
export type FieldKey =
  | `line.${number}.${LinePart}`
  | `diagnosis.${number}`
  | "diagnoses"
  | "priorAuthorization"
  | "claim"

/** The parts of a line the editor edits. */
export type LinePart = "code" | "modifiers" | "units" | "charge" | "dateOfService" | "placeOfService" | "pointers"

export const lineField = (line: number, part: LinePart): FieldKey => `line.${line}.${part}`

// The scrubber's diagnosis messages name the position ("Diagnosis 2 is ..."): the only place it says which one.
const diagnosisPosition = /^Diagnosis (\d+) /

/**
 * The field a finding concerns: the one its certain fix changes, else the one its edit is about. Findings about
 * the parties (NPI, taxonomy, member id, coverage dates) concern the claim as a whole.
 */
export const fieldOf = (finding: Scrub.Finding): FieldKey => {
  const fix = finding.fix
  if (fix !== undefined) {
    switch (fix._tag) {
      case "AddModifier":
      case "RemoveModifier":
      case "ReplaceModifier":
        return lineField(fix.line, "modifiers")
      case "SetUnits":
        return lineField(fix.line, "units")
      case "SetPointers":
        return lineField(fix.line, "pointers")
      case "SetPlaceOfService":
        return lineField(fix.line ?? finding.line ?? 0, "placeOfService")
      case "SetPriorAuthorization":
        return "priorAuthorization"
    }
  }
  const line = finding.line
  switch (finding.edit) {
    case "diagnosis-invalid-on-dos":
    case "diagnosis-not-specific": {
      const position = diagnosisPosition.exec(finding.message)?.[1]
      return position === undefined ? "diagnoses" : `diagnosis.${Number(position) - 1}`
    }
    case "z-code-primary":
      return "diagnosis.0"
    case "authorization-missing":
    case "authorization-expired":
    case "authorization-exhausted":
    case "authorization-not-applicable":
    case "authorization-number":
      return "priorAuthorization"
    default:
      break
  }
  if (line === undefined) return "claim"
  switch (finding.edit) {
    case "pointer-to-nothing":
      return lineField(line, "pointers")
    case "units-per-day":
      return lineField(line, "units")
    case "credential-modifier":
    case "telehealth-modifier":
      return lineField(line, "modifiers")
    case "telehealth-pos":
      return lineField(line, "placeOfService")
    case "timely-filing":
      return lineField(line, "dateOfService")
    default:
      return lineField(line, "code")
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Edits: each returns a new, valid claim (charges and the service date follow the lines).

/** The claim with new lines: its charge, balance (by the same difference) and first date of service follow. */
export const withLines = (claim: Claim.Claim, lines: ReadonlyArray<Claim.Line>): Claim.Claim => {
  const charge = Money.sum(lines.map((line) => line.charge))
  // ISO dates sort as text: the first is the earliest.
  const serviceDate = lines.map((line) => line.dateOfService).sort()[0] ?? claim.serviceDate
  return new Claim.Claim({
    ...claim,
    lines,
    charge,
    balance: Money.add(claim.balance, Money.subtract(charge, claim.charge)),
    serviceDate
  })
}

/** A change to one line; units scale the charge when it is a whole number of cents per unit. */
export const editLine = (claim: Claim.Claim, index: number, patch: Partial<Claim.Line>): Claim.Claim => {
  const line = claim.lines[index]
  if (line === undefined) return claim
  let next: Claim.Line = { ...line, ...patch }
  if (patch.units !== undefined && patch.charge === undefined && line.charge % line.units === 0) {
    next = { ...next, charge: Money.times(Money.cents(line.charge / line.units), patch.units) }
  }
  return withLines(
    claim,
    claim.lines.map((l, i) => (i === index ? next : l))
  )
}

/** At most 50 lines a claim (2400 repeats). */
export const maxLines = 50
/** At most 12 diagnoses a claim (2300 HI). */
export const maxDiagnoses = 12

/** A new line after `index`: a copy of it, to change. */
export const addLine = (claim: Claim.Claim, index = claim.lines.length - 1): Claim.Claim => {
  const source = claim.lines[index]
  if (source === undefined || claim.lines.length >= maxLines) return claim
  const { sessionId: _, ...copy } = source
  return withLines(claim, [...claim.lines.slice(0, index + 1), copy, ...claim.lines.slice(index + 1)])
}

export const removeLine = (claim: Claim.Claim, index: number): Claim.Claim =>
  claim.lines.length <= 1 || claim.lines[index] === undefined
    ? claim
    : withLines(
        claim,
        claim.lines.filter((_, i) => i !== index)
      )

export const setDiagnosis = (claim: Claim.Claim, index: number, code: Claim.Claim["diagnoses"][number]) =>
  new Claim.Claim({ ...claim, diagnoses: claim.diagnoses.map((d, i) => (i === index ? code : d)) })

/** A new diagnosis at the end, a copy of the last, to change. */
export const addDiagnosis = (claim: Claim.Claim): Claim.Claim => {
  const last = claim.diagnoses[claim.diagnoses.length - 1]
  if (last === undefined || claim.diagnoses.length >= maxDiagnoses) return claim
  return new Claim.Claim({ ...claim, diagnoses: [...claim.diagnoses, last] })
}

/**
 * Removes a diagnosis and keeps every line pointing to the same codes: later positions move up by one. A line
 * that pointed only to the removed one keeps that position, and the scrubber says it points to nothing.
 */
export const removeDiagnosis = (claim: Claim.Claim, index: number): Claim.Claim => {
  if (claim.diagnoses.length <= 1 || claim.diagnoses[index] === undefined) return claim
  const removed = index + 1
  return new Claim.Claim({
    ...claim,
    diagnoses: claim.diagnoses.filter((_, i) => i !== index),
    lines: claim.lines.map((line) => {
      const pointers = line.diagnosisPointers.flatMap((p) => (p === removed ? [] : [p > removed ? p - 1 : p]))
      return { ...line, diagnosisPointers: pointers.length === 0 ? line.diagnosisPointers : pointers }
    })
  })
}

export const setPriorAuthorization = (claim: Claim.Claim, number: string): Claim.Claim => {
  const trimmed = number.trim()
  const { priorAuthorization: _, ...rest } = claim
  return new Claim.Claim(trimmed === "" ? rest : { ...rest, priorAuthorization: trimmed })
}

// ---------------------------------------------------------------------------------------------------------------
// The scrub context, loaded once per claim and payer: the pure scrubber then runs on every edit.

type LoadedContext = Billing.ScrubContextFor

const contextKey = (claim: Claim.Claim) =>
  [
    claim.id,
    claim.patientId,
    claim.coverageId,
    claim.payerId,
    claim.billingProviderId,
    claim.renderingClinicianId,
    claim.supervisingClinicianId ?? "",
    [...new Set(claim.lines.map((line) => line.dateOfService))].sort().join(","),
    [...new Set(claim.lines.map((line) => line.sessionId ?? ""))].sort().join(",")
  ].join("|")

// The same reads as `Billing.scrubClaims` (core's `Billing.scrubContext`), so the local scrub finds what the stored one will.
const loadContext = (claim: Claim.Claim, asOf: DateOfService.DateOfService | undefined) =>
  Billing.scrubContext(claim, { asOf })

/** Scrubs a draft locally, synchronously, against a loaded context. */
export const scrubDraft = (claim: Claim.Claim, loaded: LoadedContext): Scrub.ScrubResult =>
  Billing.scrubWithContext(claim, loaded)

// ---------------------------------------------------------------------------------------------------------------
// Submission: save the draft, scrub it in the store, queue it.

/**
 * What pressing submit did: `Blocked` when the scrub found errors (nothing was queued), otherwise the claim's
 * outcome in `Billing.submitClaims` (queued, or refused with the reason).
 */
export type SubmitResult =
  | { readonly _tag: "Blocked"; readonly findings: ReadonlyArray<Scrub.Finding>; readonly claim: Claim.Claim }
  | { readonly _tag: "Submitted"; readonly outcome: Billing.SubmitOutcome; readonly claim: Claim.Claim }

const submitDraft = (draft: Claim.Claim, asOf: DateOfService.DateOfService | undefined) =>
  Effect.gen(function* () {
    const store = yield* Store.Store
    yield* Billing.updateClaim(draft)
    const [scrubbed] = yield* Billing.scrubClaims([draft.id], { asOf })
    const current = Option.getOrUndefined(yield* store.claims.get(draft.id)) ?? draft
    if (scrubbed?._tag === "Scrubbed" && scrubbed.result.blocking) {
      return { _tag: "Blocked", findings: scrubbed.result.findings, claim: current } satisfies SubmitResult
    }
    const report = yield* Billing.submitClaims([draft.id])
    const outcome = report.claims[0] ?? { _tag: "Refused", claimId: draft.id, reason: { _tag: "NotFound" } }
    const after = Option.getOrUndefined(yield* store.claims.get(draft.id)) ?? current
    return { _tag: "Submitted", outcome, claim: after } satisfies SubmitResult
  })

// ---------------------------------------------------------------------------------------------------------------
// The hook

export interface UseClaimEditorOptions {
  /** The stored claim to edit: loaded when neither `claim` nor `defaultClaim` is given, and saved on submit. */
  readonly claimId?: Ids.ClaimId | undefined
  /** The draft, controlled: the editor shows it and asks for every change through `onClaimChange`. */
  readonly claim?: Claim.Claim | undefined
  /** The first draft, uncontrolled (a claim `Billing.buildClaims` made, or one read from the store). */
  readonly defaultClaim?: Claim.Claim | undefined
  readonly onClaimChange?: ((claim: Claim.Claim) => void) | undefined
  /** The day the claim would be sent (timely filing counts to it); today, UTC, by default. */
  readonly asOf?: DateOfService.DateOfService | undefined
  /** Called once a submission settles (queued, refused or blocked by the scrub). */
  readonly onSubmitted?: ((result: SubmitResult) => void) | undefined
}

/** What loading, scrubbing, fixing or submitting can fail with (worded by `ErrorMessage`). */
export type ClaimEditorError =
  | Store.StoreError
  | RuleSet.RulePackNotFound
  | RulePack.RulePackError
  | Billing.ClaimNotFound
  | Claim.IllegalTransition

export interface ClaimEditor {
  /** The stored claim (or `null` when there is none with that id); `Initial` with `waiting` while it loads. */
  readonly load: Result.Result<Claim.Claim | null, ClaimEditorError>
  readonly reload: () => void
  /** The draft on screen, once there is one. */
  readonly claim: Claim.Claim | undefined
  /** Replaces the draft (controlled: asks `onClaimChange`). */
  readonly setClaim: (claim: Claim.Claim) => void
  /** Changes the latest draft with one of the edits (`editLine`, `addLine`, ...). */
  readonly update: (edit: (claim: Claim.Claim) => Claim.Claim) => void
  /** True when the draft differs from the stored claim. */
  readonly dirty: boolean
  /** The local scrub of the draft (absent while its context loads); re-run on every edit. */
  readonly scrub: Scrub.ScrubResult | undefined
  readonly context: Result.Result<unknown, ClaimEditorError>
  /** Findings by the field they concern, in the scrubber's order. */
  readonly findingsFor: (field: FieldKey) => ReadonlyArray<Scrub.Finding>
  readonly findings: ReadonlyArray<Scrub.Finding>
  /** Applies a certain fix: in the store when the draft is the stored claim, else to the draft. */
  readonly applyFix: (fix: Scrub.Fix) => Promise<void>
  readonly fixing: BillingAction<[Ids.ClaimId, Scrub.Fix], Claim.Claim, ClaimEditorError>
  /** Saves, scrubs and submits; refused on the spot when the local scrub has an error. */
  readonly submit: () => Promise<SubmitResult | undefined>
  readonly submission: Result.Result<SubmitResult, ClaimEditorError>
  readonly resetSubmission: () => void
}

const emptyFindings: ReadonlyArray<Scrub.Finding> = []

/**
 * The claim editor without its markup: the draft (controlled or uncontrolled), its stored original, the scrub
 * context loaded once and the pure scrubber run on every edit, certain fixes, and submission.
 */
export function useClaimEditor(options: UseClaimEditorOptions): ClaimEditor {
  const { claim: controlled, defaultClaim, onClaimChange, asOf, onSubmitted } = options
  const claimId = controlled?.id ?? defaultClaim?.id ?? options.claimId

  const { result: load, refresh: reload } = useBillingQuery(
    () =>
      claimId === undefined
        ? Effect.succeed(null)
        : Effect.gen(function* () {
            const store = yield* Store.Store
            return Option.getOrNull(yield* store.claims.get(claimId))
          }),
    [claimId]
  )
  const stored = load._tag === "Success" ? (load.value ?? undefined) : undefined

  const [uncontrolled, setUncontrolled] = useState<Claim.Claim | undefined>(defaultClaim)
  const claim = controlled ?? uncontrolled ?? stored
  const claimRef = useRef(claim)
  claimRef.current = claim

  const setClaim = useCallback(
    (next: Claim.Claim) => {
      claimRef.current = next
      if (controlled === undefined) setUncontrolled(next)
      onClaimChange?.(next)
    },
    [controlled, onClaimChange]
  )

  const update = useCallback(
    (edit: (claim: Claim.Claim) => Claim.Claim) => {
      const current = claimRef.current
      if (current === undefined) return
      const next = edit(current)
      if (next !== current) setClaim(next)
    },
    [setClaim]
  )

  const key = claim === undefined ? "" : contextKey(claim)
  const { result: contextResult } = useBillingQuery(
    () => (claimRef.current === undefined ? Effect.succeed(undefined) : loadContext(claimRef.current, asOf)),
    [key, asOf]
  )
  // Keep scrubbing against the last context while a new one loads (a new date of service, another payer).
  const lastContext = useRef<LoadedContext | undefined>(undefined)
  if (contextResult._tag === "Success" && contextResult.value !== undefined) lastContext.current = contextResult.value
  const loaded = lastContext.current

  const scrub = useMemo(
    () => (claim === undefined || loaded === undefined ? undefined : scrubDraft(claim, loaded)),
    [claim, loaded]
  )
  const findings = scrub?.findings ?? emptyFindings
  const byField = useMemo(() => {
    const map = new Map<FieldKey, Array<Scrub.Finding>>()
    for (const finding of findings) {
      const field = fieldOf(finding)
      const list = map.get(field)
      if (list === undefined) map.set(field, [finding])
      else list.push(finding)
    }
    return map
  }, [findings])
  const findingsFor = useCallback((field: FieldKey) => byField.get(field) ?? emptyFindings, [byField])

  const dirty = claim !== undefined && stored !== undefined && !Claim.sameContent(claim, stored)

  const fixing = useBillingAction((id: Ids.ClaimId, fix: Scrub.Fix) => Billing.applyClaimFix(id, fix))
  const applyFix = useCallback(
    async (fix: Scrub.Fix) => {
      const current = claimRef.current
      if (current === undefined) return
      if (stored !== undefined && !dirty) {
        const exit = await fixing.run(current.id, fix)
        if (Exit.isSuccess(exit)) {
          setClaim(exit.value)
          reload()
        }
        return
      }
      setClaim(Scrub.applyFix(current, fix))
    },
    [stored, dirty, fixing, setClaim, reload]
  )

  const submitting = useBillingAction((draft: Claim.Claim) => submitDraft(draft, asOf))
  const [refused, setRefused] = useState<SubmitResult | undefined>(undefined)
  const submit = useCallback(async (): Promise<SubmitResult | undefined> => {
    const current = claimRef.current
    if (current === undefined) return undefined
    if (scrub?.blocking === true) {
      const result: SubmitResult = { _tag: "Blocked", findings: scrub.findings, claim: current }
      submitting.reset()
      setRefused(result)
      onSubmitted?.(result)
      return result
    }
    setRefused(undefined)
    const exit = await submitting.run(current)
    if (!Exit.isSuccess(exit)) return undefined
    const result = exit.value
    if (controlled === undefined) setUncontrolled(result.claim)
    onClaimChange?.(result.claim)
    reload()
    onSubmitted?.(result)
    return result
  }, [scrub, submitting, onSubmitted, controlled, onClaimChange, reload])

  const submission: Result.Result<SubmitResult, ClaimEditorError> =
    refused !== undefined && submitting.result._tag === "Initial" && !submitting.result.waiting
      ? Result.success(refused)
      : submitting.result
  const resetSubmission = useCallback(() => {
    setRefused(undefined)
    submitting.reset()
  }, [submitting])

  return {
    load,
    reload,
    claim,
    setClaim,
    update,
    dirty,
    scrub,
    context: contextResult,
    findingsFor,
    findings,
    applyFix,
    fixing,
    submit,
    submission,
    resetSubmission
  }
}
