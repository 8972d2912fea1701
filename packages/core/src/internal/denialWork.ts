/**
 * The denial operations of `Billing`: denials recorded from adjudication (what 835 posting reports), the work
 * queue (assign, note, query), bulk actions on denials (correct and resubmit, appeal, write off, reassign) item by
 * item, appeal packets with a letter from the tenant's template, and denial trends. Re-exported by `Billing`.
 */
import { Clock, Effect, Option, Schema } from "effect"
import { Caller } from "../Caller.js"
import * as Claim from "../Claim.js"
import type { Clinician } from "../Clinician.js"
import * as DateOfService from "../DateOfService.js"
import * as Denial from "../Denial.js"
import * as DenialCatalog from "../DenialCatalog.js"
import { type ClaimId, PayerId, type SessionId } from "../Ids.js"
import * as Money from "../Money.js"
import type { RulePackError } from "../RulePack.js"
import { type RulePackNotFound, RulePacks } from "../RuleSet.js"
import { type DenialQuery, everyPage, Store, type StoreError, type StoreShape } from "../Store.js"
import { correctClaim, type MissingPayerClaimNumber, transitionClaim } from "./claimSubmission.js"
import { fnv1a64 } from "./fnv.js"
import { type ClaimNotFound, claimOrFail } from "./storedClaims.js"

// --- Errors ----------------------------------------------------------------------------------------------------

/**
 * No denial of the caller's tenant has this id.
 *
 * @since 0.1.0
 */
export class DenialNotFound extends Schema.TaggedError<DenialNotFound>()("DenialNotFound", {
  denialId: Denial.DenialId
}) {
  override get message() {
    return `denial ${this.denialId}: not found`
  }
}

/**
 * No payer of the caller's tenant has this id (a denial needs its payer's rule pack for the appeal window).
 *
 * @since 0.1.0
 */
export class PayerNotFound extends Schema.TaggedError<PayerNotFound>()("PayerNotFound", { payerId: PayerId }) {
  override get message() {
    return `payer ${this.payerId}: not found`
  }
}

/**
 * An appeal letter template names placeholders that are not among `appealLetterFields`. Lists the placeholder
 * names only (they come from the template, never from the packet).
 *
 * @since 0.1.0
 */
export class AppealTemplateError extends Schema.TaggedError<AppealTemplateError>()("AppealTemplateError", {
  unknown: Schema.Array(Schema.String)
}) {
  override get message() {
    return `appeal template: unknown placeholders ${this.unknown.map((name) => `{{${name}}}`).join(", ")}`
  }
}

// --- Priority --------------------------------------------------------------------------------------------------

/**
 * Days over which urgency halves: a denial due in 30 days weighs half of one due today.
 *
 * @since 0.1.0
 */
export const urgencyHalfLifeDays = 30

/**
 * Added to an overdue denial's priority, so every overdue denial comes before every denial still in its window.
 *
 * @since 0.1.0
 */
export const overduePriority = 1_000_000_000_000

/**
 * A denial's priority (higher is worked first) as of a day: the amount in cents × an urgency weight that grows as
 * the deadline nears, `30 / (days left + 30)` (1 on the deadline day, ½ thirty days before, ¼ ninety days
 * before), rounded; an overdue denial is `overduePriority` + its amount (overdue first, larger first). Without a
 * deadline the weight is that of a deadline `urgencyHalfLifeDays × 6` away.
 *
 * @since 0.1.0
 */
export const denialPriority = (
  amount: Money.Money,
  deadline: DateOfService.DateOfService | undefined,
  asOf: DateOfService.DateOfService
): number => {
  const days = deadline === undefined ? urgencyHalfLifeDays * 6 : DateOfService.daysBetween(asOf, deadline)
  if (days < 0) return overduePriority + Math.max(0, amount)
  return Math.round((Math.max(0, amount) * urgencyHalfLifeDays) / (days + urgencyHalfLifeDays))
}

const todayOf = (options?: { readonly asOf?: DateOfService.DateOfService; readonly timeZone?: string }) =>
  options?.asOf === undefined ? DateOfService.today(options?.timeZone ?? "UTC") : Effect.succeed(options.asOf)

// --- recordDenials ---------------------------------------------------------------------------------------------

/**
 * A denied claim or line as the remittance reports it: one CAS group and reason with its amount.
 *
 * @since 0.1.0
 */
export interface DenialItem {
  readonly claimId: ClaimId
  readonly payerId: PayerId
  /** The 0-based index of the claim's line; absent for a claim-level adjustment. */
  readonly line?: number | undefined
  readonly group: string
  readonly carc: string
  readonly rarcs: ReadonlyArray<string>
  readonly amount: Money.Money
  readonly receivedOn: DateOfService.DateOfService
}

/**
 * Why an adjustment is not a denial to work.
 *
 * @since 0.1.0
 */
export type NotADenial = "patient-responsibility" | "contractual" | "informational" | "no-amount"

/**
 * What `recordDenials` did with one item.
 *
 * @since 0.1.0
 */
export type RecordOutcome =
  | { readonly _tag: "Recorded"; readonly denial: Denial.Denial }
  /** Recorded before (the same claim, line, group, CARC and day): nothing changed. */
  | { readonly _tag: "Existing"; readonly denial: Denial.Denial }
  | {
      readonly _tag: "Skipped"
      readonly claimId: ClaimId
      readonly reason: NotADenial
      readonly explanation: string
    }
  | {
      readonly _tag: "Failed"
      readonly claimId: ClaimId
      readonly error: ClaimNotFound | PayerNotFound | RulePackNotFound | RulePackError | StoreError
    }

/**
 * The id of a denial: `den-` and the FNV-1a 64 of the tenant, claim, line, group, CARC and the day received, so
 * recording the same remittance twice finds the same denial.
 *
 * @since 0.1.0
 */
export const denialId = (tenantId: string, item: DenialItem): Denial.DenialId =>
  `den-${fnv1a64(
    [
      tenantId,
      item.claimId,
      item.line ?? "",
      item.group.trim().toUpperCase(),
      item.carc.trim().toUpperCase(),
      item.receivedOn
    ].join("|")
  )}` as Denial.DenialId

const denialOrFail = (store: StoreShape, id: Denial.DenialId) =>
  Effect.flatMap(
    store.denials.get(id),
    Option.match({ onNone: () => Effect.fail(new DenialNotFound({ denialId: id })), onSome: Effect.succeed })
  )

const notADenial = (item: DenialItem, classification: DenialCatalog.Classification): NotADenial | undefined => {
  if (item.amount <= 0) return "no-amount"
  if (item.group.trim().toUpperCase() === "PR" || classification.category === "patient-responsibility")
    return "patient-responsibility"
  if (classification.category === "contractual") return "contractual"
  if (classification.action === "none") return "informational"
  return undefined
}

/**
 * Records the denials of an adjudication: each item classified (`DenialCatalog.classify` on the day received),
 * its appeal deadline from its payer's rule pack in force that day, and its priority as of today
 * (`denialPriority`), saved `open`. Adjustments that are not denials are skipped: group PR (the patient's share),
 * contractual write-offs (CO-45, CO-253, ...), informational ones (OA-23) and zero or negative amounts. Each item is
 * its own transaction and outcome; recording the same items again changes nothing (`Existing`).
 *
 * @since 0.1.0
 */
export const recordDenials = Effect.fn("Billing.recordDenials")(function* (
  items: ReadonlyArray<DenialItem>,
  options?: { readonly asOf?: DateOfService.DateOfService; readonly timeZone?: string }
) {
  const store = yield* Store
  const caller = yield* Caller
  const packs = yield* RulePacks
  const today = yield* todayOf(options)
  return yield* Effect.forEach(items, (item) => {
    const classification = DenialCatalog.classify(item.group, item.carc, item.rarcs, { date: item.receivedOn })
    const skip = notADenial(item, classification)
    if (skip !== undefined) {
      return Effect.succeed<RecordOutcome>({
        _tag: "Skipped",
        claimId: item.claimId,
        reason: skip,
        explanation: classification.explanation
      })
    }
    const id = denialId(caller.tenantId, item)
    return store
      .transaction(
        Effect.gen(function* () {
          const existing = yield* store.denials.get(id)
          if (Option.isSome(existing)) return { _tag: "Existing", denial: existing.value } satisfies RecordOutcome
          yield* claimOrFail(store, item.claimId)
          const payer = yield* store.payers.get(item.payerId)
          if (Option.isNone(payer)) return yield* new PayerNotFound({ payerId: item.payerId })
          const ruleSet = yield* packs.resolve(payer.value.rulePack, item.receivedOn)
          const deadline = DenialCatalog.appealDeadline(item.receivedOn, ruleSet)
          const now = yield* Clock.currentTimeMillis
          const denial = yield* store.denials.save(
            new Denial.Denial({
              id,
              tenantId: caller.tenantId,
              claimId: item.claimId,
              payerId: item.payerId,
              ...(item.line === undefined ? {} : { line: item.line }),
              group: item.group.trim().toUpperCase(),
              carc: item.carc.trim().toUpperCase(),
              rarcs: item.rarcs.map((r) => r.trim().toUpperCase()),
              amount: item.amount,
              deadline: deadline.date,
              receivedOn: item.receivedOn,
              category: classification.category,
              action: classification.action,
              priority: denialPriority(item.amount, deadline.date, today),
              status: "open",
              notes: [],
              createdAt: now,
              version: 0
            })
          )
          return { _tag: "Recorded", denial } satisfies RecordOutcome
        })
      )
      .pipe(Effect.catch((error) => Effect.succeed<RecordOutcome>({ _tag: "Failed", claimId: item.claimId, error })))
  })
})

// --- The work queue --------------------------------------------------------------------------------------------

const withNote = (denial: Denial.Denial, note: typeof Denial.Note.Type, change: Partial<Denial.Denial> = {}) =>
  new Denial.Denial({ ...denial, ...change, notes: [...denial.notes, note] })

const noteNow = (text: string) =>
  Effect.gen(function* () {
    const caller = yield* Caller
    const at = yield* Clock.currentTimeMillis
    return { at, actor: caller.actor, text } as typeof Denial.Note.Type
  })

/**
 * Gives a denial to someone (an opaque user id); an `open` one moves to `in-progress`. Kept in its notes.
 *
 * @since 0.1.0
 */
export const assignDenial = Effect.fn("Billing.assignDenial")(function* (id: Denial.DenialId, assignee: string) {
  const store = yield* Store
  return yield* store.transaction(
    Effect.gen(function* () {
      const denial = yield* denialOrFail(store, id)
      const note = yield* noteNow(`assigned to ${assignee}`)
      return yield* store.denials.save(
        withNote(denial, note, { assignee, status: denial.status === "open" ? "in-progress" : denial.status })
      )
    })
  )
})

/**
 * Adds a note to a denial. Notes may hold PHI: the SQL store encrypts them at rest.
 *
 * @since 0.1.0
 */
export const noteDenial = Effect.fn("Billing.noteDenial")(function* (id: Denial.DenialId, text: string) {
  const store = yield* Store
  return yield* store.transaction(
    Effect.gen(function* () {
      const denial = yield* denialOrFail(store, id)
      return yield* store.denials.save(withNote(denial, yield* noteNow(text)))
    })
  )
})

/**
 * The work queue: denials by priority (highest first), filtered by status, assignee and payer, a page at a time.
 *
 * @since 0.1.0
 */
export const denialQueue = Effect.fn("Billing.denialQueue")(function* (query: DenialQuery = {}) {
  const store = yield* Store
  return yield* store.denials.queue(query)
})

/**
 * The statuses whose priority follows the calendar (`refreshDenialPriorities`): the denials still to be worked.
 * Once resubmitted, appealed, written off or resolved, a denial keeps the priority it had then.
 *
 * @since 0.1.0
 */
export const workableStatuses: ReadonlyArray<Denial.Status> = ["open", "in-progress"]

/**
 * What `refreshDenialPriorities` did: the day it computed for, how many workable denials it read and how many
 * whose priority had changed it rewrote.
 *
 * @since 0.1.0
 */
export interface PriorityRefresh {
  readonly asOf: DateOfService.DateOfService
  readonly examined: number
  readonly updated: number
}

/** Denials rewritten per transaction by `refreshDenialPriorities`. */
const refreshChunk = 200

/**
 * Brings the work queue's order up to a day (today in `timeZone`, UTC by default, or `asOf`): every workable
 * denial's priority is computed again (`denialPriority`: its urgency grows as its deadline nears, and it jumps
 * ahead once overdue) and the denials whose priority changed are rewritten; the others are left alone. A host runs
 * it once a day (idempotent: a second run the same day rewrites nothing). The priority stays a stored, indexed
 * column, so `denialQueue` pages with a stable keyset cursor on every store.
 *
 * Every workable denial is read first, then the changed ones are rewritten (re-read each in its transaction, so a
 * denial worked meanwhile is judged as it is now): rewriting while paging by priority would move rows across the
 * cursor.
 *
 * @since 0.1.0
 */
export const refreshDenialPriorities = Effect.fn("Billing.refreshDenialPriorities")(function* (options?: {
  readonly asOf?: DateOfService.DateOfService
  readonly timeZone?: string
}) {
  const store = yield* Store
  const today = yield* todayOf(options)
  const workable = new Set<string>(workableStatuses)
  const denials = yield* everyPage((page) => store.denials.queue({ ...page, status: workableStatuses }))
  const stale = denials.filter((denial) => denialPriority(denial.amount, denial.deadline, today) !== denial.priority)
  let updated = 0
  for (let i = 0; i < stale.length; i += refreshChunk) {
    updated += yield* store.transaction(
      Effect.gen(function* () {
        let rewritten = 0
        for (const { id } of stale.slice(i, i + refreshChunk)) {
          const current = yield* store.denials.get(id)
          if (Option.isNone(current) || !workable.has(current.value.status)) continue
          const denial = current.value
          const priority = denialPriority(denial.amount, denial.deadline, today)
          if (priority === denial.priority) continue
          yield* store.denials.save(new Denial.Denial({ ...denial, priority }))
          rewritten += 1
        }
        return rewritten
      })
    )
  }
  return { asOf: today, examined: denials.length, updated } satisfies PriorityRefresh
})

/**
 * A bulk action on denials.
 *
 * - `CorrectAndResubmit`: a replacement claim (frequency 7, `Billing.correctClaim`); the denial → `resubmitted`.
 * - `Appeal`: the denial → `appealed`; its claim → `appealed` when its life allows the move.
 * - `WriteOff`: the denial → `written-off`; the claim's balance goes down by the amount (never below zero), and a
 *   claim left with nothing owed is `closed` when its life allows.
 * - `Reassign`: another assignee.
 *
 * @since 0.1.0
 */
export type WorkAction =
  | { readonly _tag: "CorrectAndResubmit" }
  | { readonly _tag: "Appeal"; readonly reason: string }
  | { readonly _tag: "WriteOff"; readonly reason: string }
  | { readonly _tag: "Reassign"; readonly assignee: string }

/**
 * @since 0.1.0
 */
export type WorkError = DenialNotFound | ClaimNotFound | MissingPayerClaimNumber | Claim.IllegalTransition | StoreError

/**
 * What a bulk action did to one denial. `detail` is codes and ids, never PHI.
 *
 * @since 0.1.0
 */
export type WorkOutcome =
  | {
      readonly _tag: "Done"
      readonly denialId: Denial.DenialId
      readonly denial: Denial.Denial
      readonly claim: Claim.Claim | undefined
      readonly detail: string
    }
  | { readonly _tag: "Skipped"; readonly denialId: Denial.DenialId; readonly reason: string }
  | { readonly _tag: "Failed"; readonly denialId: Denial.DenialId; readonly error: WorkError }

const closedStatuses: ReadonlySet<Denial.Status> = new Set(["written-off", "resolved"])

const skipped = (denialId: Denial.DenialId, reason: string): WorkOutcome => ({ _tag: "Skipped", denialId, reason })

const codes = (denial: Denial.Denial) => [`denial:${denial.id}`, `${denial.group}-${denial.carc}`]

/** `transitionClaim` to `appealed` or `closed`, moves it never leaves to another operation. */
const moveClaim = (id: ClaimId, move: Parameters<typeof transitionClaim>[1] & { readonly to: "appealed" | "closed" }) =>
  transitionClaim(id, move).pipe(Effect.catchTag("ManualMoveRefused", (refused) => Effect.die(refused)))

const workOne = (store: StoreShape, id: Denial.DenialId, action: WorkAction) =>
  Effect.gen(function* () {
    const denial = yield* denialOrFail(store, id)
    if (closedStatuses.has(denial.status)) return skipped(id, `the denial is ${denial.status}`)
    const done = (saved: Denial.Denial, claim: Claim.Claim | undefined, detail: string): WorkOutcome => ({
      _tag: "Done",
      denialId: id,
      denial: saved,
      claim,
      detail
    })
    switch (action._tag) {
      case "Reassign": {
        if (denial.assignee === action.assignee) return skipped(id, "already assigned to them")
        const note = yield* noteNow(`reassigned from ${denial.assignee ?? "nobody"} to ${action.assignee}`)
        const saved = yield* store.denials.save(withNote(denial, note, { assignee: action.assignee }))
        return done(saved, undefined, `assigned to ${action.assignee}`)
      }
      case "CorrectAndResubmit": {
        if (denial.status === "resubmitted") return skipped(id, "already resubmitted")
        const claim = yield* claimOrFail(store, denial.claimId)
        let detail: string
        let result: Claim.Claim
        if (claim.status === "corrected") {
          // Another denial of the same claim was corrected first: its replacement carries this line too.
          const history = yield* store.claims.history(claim.id)
          const by = history
            .flatMap((event) => event.reasons)
            .find((reason) => reason.startsWith("replaced-by:"))
            ?.slice("replaced-by:".length)
          detail = `the claim was already corrected${by === undefined ? "" : ` by ${by}`}`
          result = claim
        } else {
          const replacement = yield* correctClaim(claim.id, { reasons: codes(denial) })
          detail = `replacement ${replacement.replacement.id} (frequency 7) created`
          result = replacement.replacement
        }
        const note = yield* noteNow(`correct and resubmit: ${detail}`)
        const saved = yield* store.denials.save(withNote(denial, note, { status: "resubmitted" }))
        return done(saved, result, detail)
      }
      case "Appeal": {
        if (denial.status === "appealed") return skipped(id, "already appealed")
        const claim = yield* claimOrFail(store, denial.claimId)
        const moved = Claim.canMove(claim.status, "appealed")
        const after = moved
          ? yield* moveClaim(claim.id, {
              to: "appealed",
              expectedVersion: claim.version,
              reasons: codes(denial)
            })
          : claim
        const detail = moved ? "claim appealed" : `claim left ${claim.status}`
        const note = yield* noteNow(`appeal (${detail}): ${action.reason}`)
        const saved = yield* store.denials.save(withNote(denial, note, { status: "appealed" }))
        return done(saved, after, detail)
      }
      case "WriteOff": {
        const claim = yield* claimOrFail(store, denial.claimId)
        const reduction = Money.min(Money.max(denial.amount, Money.zero), claim.balance)
        const balance = Money.subtract(claim.balance, reduction)
        let after = claim
        if (reduction > 0) after = yield* store.claims.update(new Claim.Claim({ ...claim, balance }))
        const closes = Money.isZero(balance) && Claim.canMove(after.status, "closed")
        if (closes) {
          after = yield* moveClaim(after.id, {
            to: "closed",
            expectedVersion: after.version,
            reasons: [...codes(denial), "written-off"]
          })
        }
        const detail = `balance reduced by ${Money.format(reduction)}${closes ? ", claim closed" : ""}`
        const note = yield* noteNow(`write off (${detail}): ${action.reason}`)
        const saved = yield* store.denials.save(withNote(denial, note, { status: "written-off" }))
        return done(saved, after, detail)
      }
    }
  })

/**
 * Applies one action to many denials, each in its own transaction: one denial's failure (a claim the payer never
 * numbered, a stale version) is its outcome and changes nothing of it, and the others go on. Every action done is
 * kept as a note, by the caller's actor.
 *
 * @since 0.1.0
 */
export const workDenials = Effect.fn("Billing.workDenials")(function* (
  ids: ReadonlyArray<Denial.DenialId>,
  action: WorkAction
) {
  const store = yield* Store
  return yield* Effect.forEach(ids, (id) =>
    store
      .transaction(workOne(store, id, action))
      .pipe(Effect.catch((error) => Effect.succeed<WorkOutcome>({ _tag: "Failed", denialId: id, error })))
  )
})

// --- Appeal packets --------------------------------------------------------------------------------------------

/**
 * The placeholders an appeal letter template may use, each `{{name}}`, and what they hold.
 *
 * @since 0.1.0
 */
export const appealLetterFields = {
  preparedOn: "the day the packet was prepared (YYYY-MM-DD)",
  payerName: "the payer's name",
  claimId: "the claim id (CLM01)",
  payerClaimNumber: "the payer's claim number, or 'unknown'",
  patientName: "the patient's first and last name",
  patientDateOfBirth: "the patient's date of birth",
  memberId: "the member id of the claim's coverage",
  serviceDates: "the dates of service, comma-separated",
  services: "each line as 'date code[-modifiers] × units charge', semicolon-separated",
  totalCharge: "the claim's total charge",
  deniedAmount: "the amount denied",
  group: "the adjustment group code (CO, OA, PI)",
  carc: "the CARC",
  carcDescription: "the CARC's published description",
  remarkCodes: "each RARC with its description, semicolon-separated, or 'none'",
  reason: "the reason for the appeal",
  sessionFacts: "one line per session: date, minutes, delivery and the billing clinician's credential",
  providerName: "the billing provider's name",
  providerNpi: "the billing provider's NPI",
  clinicianName: "the rendering clinician's name",
  clinicianCredential: "the rendering clinician's credential",
  deadline: "the appeal deadline, or 'unknown'"
} as const

/**
 * @since 0.1.0
 */
export type AppealLetterField = keyof typeof appealLetterFields

/**
 * The letter used when the tenant has none of its own.
 *
 * @since 0.1.0
 */
export const defaultAppealTemplate = `{{preparedOn}}

{{payerName}}
Re: Request for reconsideration of claim {{claimId}} (payer claim number {{payerClaimNumber}})

Patient: {{patientName}}, date of birth {{patientDateOfBirth}}, member ID {{memberId}}
Dates of service: {{serviceDates}}
Services: {{services}}
Total charge: {{totalCharge}}. Amount denied: {{deniedAmount}}.

The claim was denied with {{group}}-{{carc}}: {{carcDescription}}
Remark codes: {{remarkCodes}}

We ask that you reconsider this decision. {{reason}}

The services were documented as follows:
{{sessionFacts}}

Please reprocess the claim. This request is made before the appeal deadline of {{deadline}}.

Sincerely,
{{clinicianName}}, {{clinicianCredential}}
{{providerName}} (NPI {{providerNpi}})
`

/**
 * @since 0.1.0
 */
export interface CodeWithDescription {
  readonly code: string
  /** Absent for a code not in the published list. */
  readonly description: string | undefined
}

/**
 * A session of the claim's lines, as the payer may ask for it.
 *
 * @since 0.1.0
 */
export interface SessionFact {
  readonly sessionId: SessionId
  readonly dateOfService: DateOfService.DateOfService | undefined
  /** The minutes of its time segments (open ones not counted). */
  readonly minutes: number
  readonly delivery: "in-person" | "video" | "audio-only"
  /** The credential of the clinician who bills it. */
  readonly clinicianCredential: string | undefined
}

/**
 * What an appeal sends: the claim, the denial, the reason, the sessions behind it and the letter. It is for the
 * payer, so it holds PHI (the patient's name, birth date, member id, diagnoses): show or print it, never log it.
 *
 * @since 0.1.0
 */
export interface AppealPacket {
  readonly preparedOn: DateOfService.DateOfService
  readonly claim: {
    readonly id: ClaimId
    readonly payerClaimNumber: string | undefined
    readonly frequency: Claim.Frequency
    readonly payer: { readonly id: PayerId; readonly name: string | undefined }
    readonly patient: {
      readonly id: string
      readonly name: string | undefined
      readonly dateOfBirth: string | undefined
      readonly memberId: string | undefined
    }
    readonly billingProvider: {
      readonly id: string
      readonly name: string | undefined
      readonly npi: string | undefined
    }
    readonly renderingClinician: {
      readonly id: string
      readonly name: string | undefined
      readonly credential: string | undefined
      readonly npi: string | undefined
    }
    readonly serviceDates: ReadonlyArray<DateOfService.DateOfService>
    readonly diagnoses: ReadonlyArray<string>
    readonly lines: ReadonlyArray<Claim.Line>
    readonly charge: Money.Money
  }
  readonly denial: {
    readonly id: Denial.DenialId
    readonly line: number | undefined
    readonly group: string
    readonly carc: CodeWithDescription
    readonly rarcs: ReadonlyArray<CodeWithDescription>
    readonly amount: Money.Money
    readonly receivedOn: DateOfService.DateOfService | undefined
    readonly deadline: DateOfService.DateOfService | undefined
    readonly category: Denial.Category | undefined
  }
  readonly reason: string
  readonly sessions: ReadonlyArray<SessionFact>
  readonly letter: string
}

const placeholder = /\{\{\s*([^{}]*?)\s*\}\}/gu

/**
 * The placeholders of a template that are not `appealLetterFields`, in order, each once.
 *
 * @since 0.1.0
 */
export const unknownPlaceholders = (template: string): ReadonlyArray<string> => {
  const unknown = new Set<string>()
  for (const match of template.matchAll(placeholder)) {
    const name = match[1] ?? ""
    if (!Object.hasOwn(appealLetterFields, name)) unknown.add(name)
  }
  return [...unknown]
}

/**
 * Fills a template's `{{placeholders}}`; one not in `appealLetterFields` is an `AppealTemplateError` listing them.
 *
 * @since 0.1.0
 */
export const renderAppealLetter = (
  template: string,
  fields: { readonly [K in AppealLetterField]: string }
): Effect.Effect<string, AppealTemplateError> => {
  const unknown = unknownPlaceholders(template)
  if (unknown.length > 0) return Effect.fail(new AppealTemplateError({ unknown }))
  return Effect.succeed(template.replace(placeholder, (_, name: string) => fields[name as AppealLetterField]))
}

const describe = (lookup: (code: string) => Option.Option<DenialCatalog.Code>, code: string): CodeWithDescription => ({
  code,
  description: Option.getOrUndefined(Option.map(lookup(code), (found) => found.description))
})

const minutesOf = (segments: ReadonlyArray<{ readonly startedAt: number; readonly endedAt?: number | undefined }>) =>
  Math.round(
    segments.reduce((sum, s) => (s.endedAt === undefined ? sum : sum + Math.max(0, s.endedAt - s.startedAt)), 0) /
      60_000
  )

const nameOf = (person: { readonly firstName: string; readonly lastName: string } | undefined) =>
  person === undefined ? undefined : `${person.firstName} ${person.lastName}`

/**
 * An appeal packet for a denial: its claim (from the store, with its patient, coverage, payer, provider and
 * clinician), the denial with the codes' descriptions, the reason (`options.reason`, else the classification's
 * explanation), the sessions of the denied line (all lines for a claim-level denial), and the letter rendered from
 * `options.template` (else `defaultAppealTemplate`). An unknown placeholder is an `AppealTemplateError`.
 *
 * @since 0.1.0
 */
export const appealPacket = Effect.fn("Billing.appealPacket")(function* (
  id: Denial.DenialId,
  options?: { readonly template?: string; readonly reason?: string; readonly timeZone?: string }
) {
  const template = options?.template ?? defaultAppealTemplate
  const unknown = unknownPlaceholders(template)
  if (unknown.length > 0) return yield* new AppealTemplateError({ unknown })
  const store = yield* Store
  const denial = yield* denialOrFail(store, id)
  const claim = yield* claimOrFail(store, denial.claimId)
  const preparedOn = yield* DateOfService.today(options?.timeZone ?? "UTC")
  const optional = <A, E, R>(effect: Effect.Effect<Option.Option<A>, E, R>) => Effect.map(effect, Option.getOrUndefined)
  const payer = yield* optional(store.payers.get(claim.payerId))
  const patient = yield* optional(store.patients.get(claim.patientId))
  const coverage = yield* optional(store.coverages.get(claim.coverageId))
  const organization = yield* optional(store.organizations.get(claim.billingProviderId))
  const clinician: Clinician | undefined = yield* optional(store.clinicians.get(claim.renderingClinicianId))
  const lines = denial.line === undefined ? claim.lines : claim.lines.filter((_, i) => i === denial.line)
  const sessionIds = [...new Set(lines.flatMap((line) => (line.sessionId === undefined ? [] : [line.sessionId])))]
  const sessions = yield* Effect.forEach(sessionIds, (sessionId) => optional(store.sessions.get(sessionId)))
  const facts: Array<SessionFact> = sessions.flatMap((session) =>
    session === undefined
      ? []
      : [
          {
            sessionId: session.id,
            dateOfService:
              session.dateOfService ??
              (session.segments[0] === undefined
                ? undefined
                : DateOfService.atInstant(session.segments[0].startedAt, session.timeZone)),
            minutes: minutesOf(session.segments),
            delivery: session.delivery.mode,
            clinicianCredential: session.clinicians.find((c) => c.bills)?.credential
          }
        ]
  )
  const carc = describe(DenialCatalog.carc, denial.carc)
  const rarcs = denial.rarcs.map((code) => describe(DenialCatalog.rarc, code))
  const reason =
    options?.reason ??
    DenialCatalog.classify(denial.group, denial.carc, denial.rarcs, {
      date: denial.receivedOn ?? claim.serviceDate
    }).explanation
  const serviceDates = [...new Set(claim.lines.map((line) => line.dateOfService))].sort()
  const money = (amount: Money.Money) => Money.format(amount)
  const packet: Omit<AppealPacket, "letter"> = {
    preparedOn,
    claim: {
      id: claim.id,
      payerClaimNumber: claim.payerClaimNumber,
      frequency: claim.frequency,
      payer: { id: claim.payerId, name: payer?.name },
      patient: {
        id: claim.patientId,
        name: nameOf(patient),
        dateOfBirth: patient?.dateOfBirth,
        memberId: coverage?.memberId
      },
      billingProvider: { id: claim.billingProviderId, name: organization?.name, npi: organization?.npi },
      renderingClinician: {
        id: claim.renderingClinicianId,
        name: nameOf(clinician),
        credential: clinician?.credential,
        npi: clinician?.npi
      },
      serviceDates,
      diagnoses: claim.diagnoses,
      lines: claim.lines,
      charge: claim.charge
    },
    denial: {
      id: denial.id,
      line: denial.line,
      group: denial.group,
      carc,
      rarcs,
      amount: denial.amount,
      receivedOn: denial.receivedOn,
      deadline: denial.deadline,
      category: denial.category
    },
    reason,
    sessions: facts
  }
  const unknownText = "unknown"
  const fields: { readonly [K in AppealLetterField]: string } = {
    preparedOn,
    payerName: payer?.name ?? unknownText,
    claimId: claim.id,
    payerClaimNumber: claim.payerClaimNumber ?? unknownText,
    patientName: nameOf(patient) ?? unknownText,
    patientDateOfBirth: patient?.dateOfBirth ?? unknownText,
    memberId: coverage?.memberId ?? unknownText,
    serviceDates: serviceDates.join(", "),
    services: lines
      .map(
        (line) =>
          `${line.dateOfService} ${[line.code, ...line.modifiers].join("-")} × ${line.units} ${money(line.charge)}`
      )
      .join("; "),
    totalCharge: money(claim.charge),
    deniedAmount: money(denial.amount),
    group: denial.group,
    carc: denial.carc,
    carcDescription: carc.description ?? unknownText,
    remarkCodes:
      rarcs.length === 0
        ? "none"
        : rarcs.map((r) => (r.description === undefined ? r.code : `${r.code} (${r.description})`)).join("; "),
    reason,
    sessionFacts:
      facts.length === 0
        ? "(no session records)"
        : facts
            .map(
              (f) =>
                `- ${f.dateOfService ?? unknownText}: ${f.minutes} minutes, ${f.delivery}, ${f.clinicianCredential ?? unknownText}`
            )
            .join("\n"),
    providerName: organization?.name ?? unknownText,
    providerNpi: organization?.npi ?? unknownText,
    clinicianName: nameOf(clinician) ?? unknownText,
    clinicianCredential: clinician?.credential ?? unknownText,
    deadline: denial.deadline ?? unknownText
  }
  const letter = yield* renderAppealLetter(template, fields)
  return { ...packet, letter } satisfies AppealPacket
})

// --- Trends ----------------------------------------------------------------------------------------------------

/**
 * One row of a trend: the adjudicated claims of the row (for payer, clinician and month rows; every claim of the
 * period for category and CARC rows, which a claim does not have), the claims with a denial of the row, the
 * denials and their amount. `rate` is denied claims over claims (0 when there are none).
 *
 * @since 0.1.0
 */
export interface TrendRow {
  readonly key: string
  readonly claims: number
  readonly charges: Money.Money
  readonly deniedClaims: number
  readonly denials: number
  readonly deniedAmount: Money.Money
  readonly rate: number
}

/**
 * @since 0.1.0
 */
export interface DenialTrends {
  readonly from: DateOfService.DateOfService
  readonly to: DateOfService.DateOfService
  readonly total: TrendRow
  readonly byPayer: ReadonlyArray<TrendRow>
  readonly byCategory: ReadonlyArray<TrendRow>
  /** By CARC (`group-carc` is not used: the code is the key). */
  readonly byCarc: ReadonlyArray<TrendRow>
  /** By rendering clinician id. */
  readonly byClinician: ReadonlyArray<TrendRow>
  /** By month of the claim's service date, `YYYY-MM`. */
  readonly byMonth: ReadonlyArray<TrendRow>
}

/**
 * The statuses of a claim the payer adjudicated (a `closed` claim only if it was submitted).
 *
 * @since 0.1.0
 */
export const adjudicatedStatuses: ReadonlyArray<Claim.Status> = [
  "paid",
  "partially-paid",
  "denied",
  "corrected",
  "appealed",
  "closed"
]

/**
 * Denial rates of the claims adjudicated with a service date in `from`–`to`: by payer, category, CARC, rendering
 * clinician and month. Reads the claims (`store.claims.query`) and every denial (`store.denials.queue`), and counts
 * the denials of those claims, whatever their status now.
 *
 * @since 0.1.0
 */
export const denialTrends = Effect.fn("Billing.denialTrends")(function* (period: {
  readonly from: DateOfService.DateOfService
  readonly to: DateOfService.DateOfService
}) {
  const store = yield* Store
  const claims = (yield* everyPage((page) =>
    store.claims.query({
      ...page,
      status: adjudicatedStatuses,
      servedOnOrAfter: period.from,
      servedOnOrBefore: period.to
    })
  )).filter((claim) => claim.status !== "closed" || claim.submittedAt !== undefined)
  const byId = new Map(claims.map((claim) => [claim.id, claim]))
  const denials = (yield* everyPage((page) => store.denials.queue(page))).filter((d) => byId.has(d.claimId))
  const row = (key: string, rowClaims: ReadonlyArray<Claim.Claim>, rowDenials: ReadonlyArray<Denial.Denial>) => {
    const deniedClaims = new Set(rowDenials.map((d) => d.claimId)).size
    return {
      key,
      claims: rowClaims.length,
      charges: Money.sum(rowClaims.map((c) => c.charge)),
      deniedClaims,
      denials: rowDenials.length,
      deniedAmount: Money.sum(rowDenials.map((d) => d.amount)),
      rate: rowClaims.length === 0 ? 0 : deniedClaims / rowClaims.length
    } satisfies TrendRow
  }
  const groupBy = <A>(items: ReadonlyArray<A>, key: (a: A) => string) => {
    const groups = new Map<string, Array<A>>()
    for (const item of items) {
      const k = key(item)
      const list = groups.get(k)
      if (list === undefined) groups.set(k, [item])
      else list.push(item)
    }
    return groups
  }
  const byClaim = (key: (claim: Claim.Claim) => string) => {
    const claimGroups = groupBy(claims, key)
    const denialGroups = groupBy(denials, (d) => {
      const claim = byId.get(d.claimId)
      return claim === undefined ? "" : key(claim)
    })
    return [...claimGroups.keys()].sort().map((k) => row(k, claimGroups.get(k) ?? [], denialGroups.get(k) ?? []))
  }
  const byDenial = (key: (denial: Denial.Denial) => string) => {
    const groups = groupBy(denials, key)
    return [...groups.keys()].sort().map((k) => row(k, claims, groups.get(k) ?? []))
  }
  return {
    from: period.from,
    to: period.to,
    total: row("total", claims, denials),
    byPayer: byClaim((claim) => claim.payerId),
    byCategory: byDenial((denial) => denial.category ?? "other"),
    byCarc: byDenial((denial) => denial.carc),
    byClinician: byClaim((claim) => claim.renderingClinicianId),
    byMonth: byClaim((claim) => claim.serviceDate.slice(0, 7))
  } satisfies DenialTrends
})
