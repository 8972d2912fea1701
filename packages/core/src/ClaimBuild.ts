/**
 * Claim building: completed, coded sessions → draft claims. One claim per patient, payer, coverage, billing
 * provider, rendering clinician, supervising clinician and date of service (or calendar month, when the payer's
 * pack says `claimGrouping: "per-month"`), split by prior authorization number and, past the 837P's 12 diagnoses
 * or 50 lines, into several claims. Charges come from the tenant's fee schedules (the payer's contracted rates,
 * then the default); a line with no rate keeps its session off every claim and is reported. Claim ids are derived
 * from the grouping, so building the same sessions twice gives the same ids and the store refuses the second
 * set as a `Conflict`. Pure and synchronous, with no I/O: the operation that loads sessions and stores claims is
 * built on it.
 *
 * @since 0.1.0
 */

import { Schema } from "effect"
import * as Claim from "./Claim.js"
import type { Clinician } from "./Clinician.js"
import { DateOfService } from "./DateOfService.js"
import { DiagnosisCode } from "./Diagnosis.js"
import type { FeeSchedule } from "./FeeSchedule.js"
import {
  type ClaimId,
  ClinicianId,
  CoverageId,
  OrganizationId,
  PatientId,
  PayerId,
  SessionId,
  TenantId
} from "./Ids.js"
import type { EpochMillis } from "./Instant.js"
import { Fnv64 } from "./internal/fnv.js"
import type { Money } from "./Money.js"
import * as Phi from "./Phi.js"
import { type ClaimGrouping, Modifier, PlaceOfService, ProcedureCode } from "./RulePack.js"

/**
 * A billable line of a coded session, as `Coding` produces it (a `Coding.ServiceLine` is one), with the units a
 * claim line can carry.
 *
 * @since 0.1.0
 */
export const CodedLine = Schema.Struct({
  code: ProcedureCode,
  modifiers: Schema.Array(Modifier).pipe(Schema.check(Schema.isMaxLength(4))),
  units: Schema.Int.pipe(Schema.check(Schema.isBetween({ minimum: 1, maximum: 9999 }))),
  placeOfService: PlaceOfService,
  dateOfService: DateOfService
}).annotate({ identifier: "CodedLine" })

/**
 * @since 0.1.0
 */
export type CodedLine = typeof CodedLine.Type

/**
 * A completed, coded session: who is billed, to whom, by whom, for what. `diagnoses` are in the clinician's order
 * of importance (the first is the principal one); a claim carries at most 12, so a session may name no more.
 * `supervisingClinicianId`, when absent, is taken from the rendering clinician's supervision on the date of service.
 *
 * @since 0.1.0
 */
export const CodedSession = Schema.Struct({
  sessionId: SessionId,
  tenantId: TenantId,
  patientId: PatientId,
  coverageId: CoverageId,
  payerId: PayerId,
  billingProviderId: OrganizationId,
  renderingClinicianId: ClinicianId,
  supervisingClinicianId: Schema.optional(ClinicianId),
  dateOfService: DateOfService,
  /** Where the session took place; each line carries its own, and the claim's is its first line's. */
  placeOfService: PlaceOfService,
  diagnoses: Phi.field(Schema.Array(DiagnosisCode).pipe(Schema.check(Schema.isMinLength(1), Schema.isMaxLength(12)))),
  lines: Schema.Array(CodedLine).pipe(Schema.check(Schema.isMinLength(1))),
  /** The payer's prior authorization number for the session's services (REF G1). */
  priorAuthorization: Schema.optional(Schema.NonEmptyString)
}).annotate({ identifier: "CodedSession", title: "A completed, coded session" })

/**
 * @since 0.1.0
 */
export type CodedSession = typeof CodedSession.Type

/**
 * A line of a session has no rate in the payer's schedule or the default one in force on its date: the session is
 * left off every claim (never billed at zero) until a rate is added.
 *
 * @since 0.1.0
 */
export const NoRate = Schema.TaggedStruct("NoRate", {
  sessionId: SessionId,
  payerId: PayerId,
  code: ProcedureCode,
  modifiers: Schema.Array(Modifier)
})

/**
 * The session names no supervising clinician and its rendering clinician is not among the context's clinicians
 * (of the session's tenant), so its supervision cannot be known: the session is left out.
 *
 * @since 0.1.0
 */
export const UnknownClinician = Schema.TaggedStruct("UnknownClinician", {
  sessionId: SessionId,
  clinicianId: ClinicianId
})

/**
 * The same session was given twice (the same id in the same group): it is built once. Two different sessions
 * with one id are not looked for.
 *
 * @since 0.1.0
 */
export const DuplicateSession = Schema.TaggedStruct("DuplicateSession", { sessionId: SessionId })

/**
 * Why a session is on no claim. Ids and codes only, never PHI.
 *
 * @since 0.1.0
 */
export const BuildProblem = Schema.Union([NoRate, UnknownClinician, DuplicateSession]).annotate({
  identifier: "ClaimBuildProblem"
})

/**
 * @since 0.1.0
 */
export type BuildProblem = typeof BuildProblem.Type

/**
 * What building needs besides the sessions.
 *
 * @since 0.1.0
 */
export interface BuildContext {
  /** The fee schedules of the sessions' tenants; a session is charged from its own tenant's only. */
  readonly feeSchedules: ReadonlyArray<FeeSchedule>
  /** Rendering clinicians by id, for their supervision on the date of service. */
  readonly clinicians: ReadonlyMap<string, Clinician>
  /** The grouping of a payer's claims (its rule set's `claimGrouping`); `per-day` when absent. Asked once a payer. */
  readonly grouping?: ((payerId: PayerId) => ClaimGrouping) | undefined
  /** The claims' `createdAt`. */
  readonly now: EpochMillis
}

/**
 * @since 0.1.0
 */
export interface BuildResult {
  readonly claims: ReadonlyArray<Claim.Claim>
  readonly problems: ReadonlyArray<BuildProblem>
}

/** The most diagnoses (2300 HI) and lines (2400) an 837P claim takes, and pointers (SV107) a line. */
const maxDiagnoses = 12
const maxLines = 50
const maxPointers = 4

/**
 * The claim id of a grouping key: `C` and the 16 hex digits of the key's FNV-1a 64-bit hash (17 characters, within
 * CLM01's 38). `build`'s keys are ASCII: tenant, patient, payer, coverage, billing provider, rendering clinician,
 * supervising clinician (or nothing), date of service or month (`YYYY-MM`), authorization number (or nothing, its
 * characters outside the id alphabet written `%xxxx`) and the claim's part number (0 for the first), joined by `|`.
 *
 * @since 0.1.0
 */
export const claimIdOf = (key: string): ClaimId => new Fnv64().feed(key).hex("C") as ClaimId

/** Makes the authorization number safe for the key: its characters outside the id alphabet as `%xxxx`. */
const escapeKeyPart = (text: string): string => {
  let safe = true
  for (let i = 0; i < text.length && safe; i++) safe = isIdChar(text.charCodeAt(i))
  if (safe) return text
  let out = ""
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    out += isIdChar(c) ? text.charAt(i) : `%${(c + 0x10000).toString(16).slice(1)}`
  }
  return out
}

const isIdChar = (c: number): boolean =>
  (c >= 0x30 && c <= 0x3a) || // 0-9 and ':'
  (c >= 0x41 && c <= 0x5a) ||
  (c >= 0x61 && c <= 0x7a) ||
  c === 0x2d || // '-'
  c === 0x2e || // '.'
  c === 0x5f // '_'

// Schema.Class constructors validate every field (about 10 µs a claim), which building from decoded sessions does
// not need. effect's own packages make trusted instances with `Schema.makeClassTrusted`, which is not in its typings:
// use it when present, else the constructor without checks (structure still parsed, about half the cost).
type ClaimFields = ConstructorParameters<typeof Claim.Claim>[0]
const trusted = (
  Schema as unknown as {
    readonly makeClassTrusted?: (self: typeof Claim.Claim, fields: ClaimFields) => Claim.Claim
  }
).makeClassTrusted
const makeClaim: (fields: ClaimFields) => Claim.Claim =
  typeof trusted === "function"
    ? (fields) => trusted(Claim.Claim, fields)
    : (fields) => new Claim.Claim(fields, { disableChecks: true })

/** A tenant's schedules, each list latest `effectiveFrom` first (input order among equals, as `rateFor`). */
interface TenantSchedules {
  readonly byPayer: Map<string, Array<FeeSchedule>>
  readonly fallback: Array<FeeSchedule>
}

const indexSchedules = (schedules: ReadonlyArray<FeeSchedule>): Map<string, TenantSchedules> => {
  const byTenant = new Map<string, TenantSchedules>()
  for (const schedule of schedules) {
    let tenant = byTenant.get(schedule.tenantId)
    if (tenant === undefined) {
      tenant = { byPayer: new Map(), fallback: [] }
      byTenant.set(schedule.tenantId, tenant)
    }
    if (schedule.payerId === undefined) tenant.fallback.push(schedule)
    else {
      const list = tenant.byPayer.get(schedule.payerId)
      if (list === undefined) tenant.byPayer.set(schedule.payerId, [schedule])
      else list.push(schedule)
    }
  }
  const latestFirst = (a: FeeSchedule, b: FeeSchedule) => {
    const x = a.effectiveFrom ?? ""
    const y = b.effectiveFrom ?? ""
    return x > y ? -1 : x < y ? 1 : 0
  }
  for (const tenant of byTenant.values()) {
    tenant.fallback.sort(latestFirst)
    for (const list of tenant.byPayer.values()) list.sort(latestFirst)
  }
  return byTenant
}

const noSchedules: ReadonlyArray<FeeSchedule> = []

const inForce = (schedules: ReadonlyArray<FeeSchedule>, date: string): FeeSchedule | undefined => {
  for (const schedule of schedules) if ((schedule.effectiveFrom ?? "") <= date) return schedule
  return undefined
}

const rateIn = (schedule: FeeSchedule | undefined, line: CodedLine): Money | undefined => {
  if (schedule === undefined) return undefined
  const rates = schedule.rates
  for (const modifier of line.modifiers) {
    const amount = rates[`${line.code}:${modifier}`]
    if (amount !== undefined) return amount
  }
  return rates[line.code]
}

/** A session that can be billed, with each line's charge. */
interface Priced {
  readonly session: CodedSession
  readonly charges: ReadonlyArray<number>
}

/** The sessions of one grouping key: the first inline (most groups have one), the others in `more`. */
interface Group extends Priced {
  readonly supervisor: ClinicianId | undefined
  /** The date of service, or `YYYY-MM` for a month. */
  readonly period: string
  readonly monthly: boolean
  more: Array<Priced> | undefined
  /** The next group of the same patient and period. */
  next: Group | undefined
}

const belongs = (group: Group, session: CodedSession, supervisor: ClinicianId | undefined): boolean => {
  const first = group.session
  // The fields that differ most often first.
  return (
    (group.monthly ? session.dateOfService.startsWith(group.period) : session.dateOfService === group.period) &&
    first.renderingClinicianId === session.renderingClinicianId &&
    first.payerId === session.payerId &&
    first.coverageId === session.coverageId &&
    first.priorAuthorization === session.priorAuthorization &&
    group.supervisor === supervisor &&
    first.billingProviderId === session.billingProviderId &&
    first.tenantId === session.tenantId
  )
}

const byDateThenId = (a: Priced, b: Priced): number => {
  const x = a.session
  const y = b.session
  if (x.dateOfService !== y.dateOfService) return x.dateOfService < y.dateOfService ? -1 : 1
  return x.sessionId < y.sessionId ? -1 : x.sessionId > y.sessionId ? 1 : 0
}

/**
 * Builds draft claims from completed, coded sessions.
 *
 * - Grouping: sessions with the same tenant, patient, payer, coverage, billing provider, rendering clinician,
 *   supervising clinician, prior authorization number (none is a value of its own) and date of service (or
 *   calendar month, for a `per-month` payer) share a claim.
 * - Order and splitting: a group's sessions are taken by date of service, then session id (so the input's order
 *   does not matter), each filling the current claim until the next session would take it past 12 diagnoses or
 *   50 lines; then a new claim starts. A session is never split across claims, except one with more than 50
 *   lines: it starts a claim of its own, its lines fill claims of 50 in order, and the sessions after it go on
 *   filling the last one.
 * - Diagnoses: the union of the claim's sessions', in first-seen order; a line points (1-based) at its session's
 *   first 4 diagnoses, in the session's order.
 * - Supervision: the session's supervising clinician, else the rendering clinician's supervisor on the date.
 * - Charges: rate × units, the rate from the payer's schedule in force on the line's date, then the default's, by
 *   code:modifier (first modifier with a rate) then code (as `FeeSchedule.rateFor`, on the session's tenant's
 *   schedules only). A session with a line without a rate is on no claim, with a `NoRate` problem for each such
 *   line.
 * - Ids: `claimIdOf` the grouping key and the claim's part number, so the same sessions give the same ids.
 * - Each claim: frequency 1, status draft, version 0, created `now`; its service date is the earliest line's, its
 *   place of service the first line's, its charge and balance the sum of its lines.
 *
 * Claims come out in the order their groups first appear in the input.
 *
 * @since 0.1.0
 */
export const build = (sessions: ReadonlyArray<CodedSession>, context: BuildContext): BuildResult => {
  const problems: Array<BuildProblem> = []
  const schedules = indexSchedules(context.feeSchedules)
  const groupings = new Map<string, ClaimGrouping>()
  // Groups by patient, then by period (the date of service, or `YYYY-MM` for a per-month payer), chained through
  // `next`: matching on the fields needs no key string per session, and a patient's many periods are not walked.
  const byPatient = new Map<string, Map<string, Group>>()
  const groups: Array<Group> = []
  for (const session of sessions) {
    let supervisor = session.supervisingClinicianId
    if (supervisor === undefined) {
      const clinician = context.clinicians.get(session.renderingClinicianId)
      if (clinician === undefined || clinician.tenantId !== session.tenantId) {
        problems.push({
          _tag: "UnknownClinician",
          sessionId: session.sessionId,
          clinicianId: session.renderingClinicianId
        })
        continue
      }
      // As `Clinician.supervisorOn`, without its closure.
      for (const supervision of clinician.supervisedBy) {
        const period = supervision.period
        if (period.start <= session.dateOfService && session.dateOfService <= period.end) {
          supervisor = supervision.supervisorId
          break
        }
      }
    }
    const charges = price(session, schedules.get(session.tenantId), problems)
    if (charges === undefined) continue
    let grouping = groupings.get(session.payerId)
    if (grouping === undefined) {
      grouping = context.grouping?.(session.payerId) ?? "per-day"
      groupings.set(session.payerId, grouping)
    }
    const monthly = grouping === "per-month"
    const period = monthly ? session.dateOfService.slice(0, 7) : session.dateOfService
    let byPeriod = byPatient.get(session.patientId)
    if (byPeriod === undefined) {
      byPeriod = new Map()
      byPatient.set(session.patientId, byPeriod)
    }
    const head = byPeriod.get(period)
    let group = head
    while (group !== undefined && !belongs(group, session, supervisor)) group = group.next
    if (group !== undefined) {
      if (group.more === undefined) group.more = [{ session, charges }]
      else group.more.push({ session, charges })
      continue
    }
    const created: Group = { session, charges, supervisor, period, monthly, more: undefined, next: head }
    byPeriod.set(period, created)
    groups.push(created)
  }
  const claims: Array<Claim.Claim> = []
  const hasher = new Fnv64()
  for (const group of groups) assemble(group, hasher, context.now, claims, problems)
  return { claims, problems }
}

/** Each line's charge, or `undefined` (and a problem for each line without a rate). */
const price = (
  session: CodedSession,
  tenant: TenantSchedules | undefined,
  problems: Array<BuildProblem>
): Array<number> | undefined => {
  const forPayer = tenant?.byPayer.get(session.payerId) ?? noSchedules
  const fallback = tenant?.fallback ?? noSchedules
  const lines = session.lines
  const charges = new Array<number>(lines.length)
  let missing = false
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as CodedLine
    const rate =
      rateIn(inForce(forPayer, line.dateOfService), line) ?? rateIn(inForce(fallback, line.dateOfService), line)
    if (rate === undefined) {
      missing = true
      problems.push({
        _tag: "NoRate",
        sessionId: session.sessionId,
        payerId: session.payerId,
        code: line.code,
        modifiers: line.modifiers
      })
    } else {
      const charge = rate * line.units
      // Past 2^53 cents a charge is not money: a defect, as `Money.times` has it.
      if (!Number.isSafeInteger(charge))
        throw new RangeError("ClaimBuild: a line charge is outside the safe cent range")
      charges[i] = charge
    }
  }
  return missing ? undefined : charges
}

/** The pointers of a session whose diagnoses are the claim's, in the same order: shared by every such line. */
const identityPointers: ReadonlyArray<ReadonlyArray<number>> = [[], [1], [1, 2], [1, 2, 3], [1, 2, 3, 4]].map((p) =>
  Object.freeze(p)
)

const hasDuplicates = (codes: ReadonlyArray<DiagnosisCode>): boolean => {
  for (let i = 1; i < codes.length; i++) if (codes.indexOf(codes[i] as DiagnosisCode) < i) return true
  return false
}

/** Fills the claims of a group (see `build`) and appends them to `out`. */
const assemble = (
  group: Group,
  hasher: Fnv64,
  now: EpochMillis,
  out: Array<Claim.Claim>,
  problems: Array<BuildProblem>
): void => {
  const only = group.session
  if (group.more === undefined && only.lines.length <= maxLines && !hasDuplicates(only.diagnoses)) {
    // Most groups are one session: its diagnoses are the claim's, and every line has the same pointers.
    const pointers = identityPointers[Math.min(only.diagnoses.length, maxPointers)] as ReadonlyArray<number>
    const sessionLines = only.lines
    const lines = new Array<Claim.Line>(sessionLines.length)
    let charge = 0
    let serviceDate = ""
    for (let i = 0; i < sessionLines.length; i++) {
      const line = sessionLines[i] as CodedLine
      const lineCharge = group.charges[i] as number
      lines[i] = {
        code: line.code,
        modifiers: line.modifiers,
        units: line.units,
        charge: lineCharge as Money,
        dateOfService: line.dateOfService,
        placeOfService: line.placeOfService,
        diagnosisPointers: pointers,
        sessionId: only.sessionId
      }
      charge += lineCharge
      if (serviceDate === "" || line.dateOfService < serviceDate) serviceDate = line.dateOfService
    }
    out.push(claimOf(group, 0, only.diagnoses, lines, charge, serviceDate, hasher, now))
    return
  }
  const items = group.more === undefined ? [group as Priced] : [group as Priced, ...group.more]
  items.sort(byDateThenId)
  let part = 0
  let diagnoses: Array<DiagnosisCode> = []
  let lines: Array<Claim.Line> = []
  let charge = 0
  let serviceDate = ""
  let previous: CodedSession | undefined
  for (const { session, charges } of items) {
    // A session given twice is in the same group, next to itself once sorted.
    if (previous !== undefined && previous.sessionId === session.sessionId) {
      problems.push({ _tag: "DuplicateSession", sessionId: session.sessionId })
      continue
    }
    previous = session
    if (lines.length > 0 && !fits(diagnoses, lines.length, session)) {
      out.push(claimOf(group, part++, diagnoses, lines, charge, serviceDate, hasher, now))
      diagnoses = []
      lines = []
      charge = 0
      serviceDate = ""
    }
    let pointers = point(diagnoses, session.diagnoses)
    const sessionLines = session.lines
    for (let i = 0; i < sessionLines.length; i++) {
      if (lines.length === maxLines) {
        // Only a session of more than 50 lines gets here: it goes on in a claim of its own.
        out.push(claimOf(group, part++, diagnoses, lines, charge, serviceDate, hasher, now))
        diagnoses = []
        lines = []
        charge = 0
        serviceDate = ""
        pointers = point(diagnoses, session.diagnoses)
      }
      const line = sessionLines[i] as CodedLine
      const lineCharge = charges[i] as number
      lines.push({
        code: line.code,
        modifiers: line.modifiers,
        units: line.units,
        charge: lineCharge as Money,
        dateOfService: line.dateOfService,
        placeOfService: line.placeOfService,
        diagnosisPointers: pointers,
        sessionId: session.sessionId
      })
      charge += lineCharge
      if (serviceDate === "" || line.dateOfService < serviceDate) serviceDate = line.dateOfService
    }
  }
  if (lines.length > 0) out.push(claimOf(group, part, diagnoses, lines, charge, serviceDate, hasher, now))
}

/** The claim of a group's part: its id from the grouping key, the rest from the group's first session. */
const claimOf = (
  group: Group,
  part: number,
  diagnoses: ReadonlyArray<DiagnosisCode>,
  lines: ReadonlyArray<Claim.Line>,
  charge: number,
  serviceDate: string,
  hasher: Fnv64,
  now: EpochMillis
): Claim.Claim => {
  const first = group.session
  const auth = first.priorAuthorization
  const supervisor = group.supervisor
  hasher
    .reset()
    .field(first.tenantId)
    .field(first.patientId)
    .field(first.payerId)
    .field(first.coverageId)
    .field(first.billingProviderId)
    .field(first.renderingClinicianId)
    .field(supervisor ?? "")
    .field(group.period)
    .field(auth === undefined ? "" : escapeKeyPart(auth))
    .feed(String(part))
  const fields: { -readonly [K in keyof ClaimFields]: ClaimFields[K] } = {
    id: hasher.hex("C") as ClaimId,
    tenantId: first.tenantId,
    patientId: first.patientId,
    coverageId: first.coverageId,
    payerId: first.payerId,
    billingProviderId: first.billingProviderId,
    renderingClinicianId: first.renderingClinicianId,
    status: "draft",
    frequency: "1",
    serviceDate: serviceDate as DateOfService,
    placeOfService: (lines[0] as Claim.Line).placeOfService,
    diagnoses,
    lines,
    charge: charge as Money,
    balance: charge as Money,
    createdAt: now,
    version: 0
  }
  if (supervisor !== undefined) fields.supervisingClinicianId = supervisor
  if (auth !== undefined) fields.priorAuthorization = auth
  return makeClaim(fields)
}

/** True when the session's diagnoses and lines fit on the claim so far. */
const fits = (diagnoses: ReadonlyArray<DiagnosisCode>, lineCount: number, session: CodedSession): boolean => {
  if (lineCount + session.lines.length > maxLines) return false
  let count = diagnoses.length
  const own = session.diagnoses
  for (let i = 0; i < own.length; i++) {
    const code = own[i] as DiagnosisCode
    if (!diagnoses.includes(code) && own.indexOf(code) === i) count++
  }
  return count <= maxDiagnoses
}

/** Adds the session's diagnoses to the claim's (first seen first) and returns its lines' pointers. */
const point = (diagnoses: Array<DiagnosisCode>, own: ReadonlyArray<DiagnosisCode>): Array<number> => {
  const pointers: Array<number> = []
  for (const code of own) {
    let at = diagnoses.indexOf(code)
    if (at === -1) at = diagnoses.push(code) - 1
    if (pointers.length < maxPointers && !pointers.includes(at + 1)) pointers.push(at + 1)
  }
  return pointers
}
