// The claims bench's baselines: the same work written by hand in plain loops, without the library's niceties.
//
// - build: sessions grouped by one string key in a Map and priced from the schedules in force, into plain objects
//   (no claim ids from a hash, no ordering by date and session id, no split past 12 diagnoses or 50 lines, no
//   problems reported, no Claim instances).
// - scrub: packages/core/bench/scrub-baseline.ts, shared with the core scrub bench (the edits in one plain loop,
//   counting errors and warnings instead of building findings: no severities, messages, denials, sources or fixes).
// - 837P: a string-concatenating writer of the segments Batch837 writes for these claims (no model, no
//   validation), checked byte for byte against the library's text before anything is timed.
import type { Claim, ClaimBuild, Clearinghouse, FeeSchedule } from "@openrcm/core"

// ---------------------------------------------------------------------------------------------------------------
// Build

/** The schedules of one payer and the default ones, latest first. */
export interface BaselineSchedules {
  readonly byPayer: ReadonlyMap<string, ReadonlyArray<FeeSchedule.FeeSchedule>>
  readonly fallback: ReadonlyArray<FeeSchedule.FeeSchedule>
}

export const schedulesOf = (schedules: ReadonlyArray<FeeSchedule.FeeSchedule>): BaselineSchedules => {
  const latestFirst = [...schedules].sort((a, b) => ((a.effectiveFrom ?? "") > (b.effectiveFrom ?? "") ? -1 : 1))
  const byPayer = new Map<string, Array<FeeSchedule.FeeSchedule>>()
  for (const s of latestFirst) {
    if (s.payerId === undefined) continue
    const list = byPayer.get(s.payerId) ?? []
    list.push(s)
    byPayer.set(s.payerId, list)
  }
  return { byPayer, fallback: latestFirst.filter((s) => s.payerId === undefined) }
}

const rateIn = (schedules: ReadonlyArray<FeeSchedule.FeeSchedule> | undefined, line: ClaimBuild.CodedLine) => {
  if (schedules === undefined) return undefined
  for (const s of schedules) {
    if ((s.effectiveFrom ?? "") > line.dateOfService) continue
    for (const m of line.modifiers) {
      const rate = s.rates[`${line.code}:${m}`]
      if (rate !== undefined) return rate
    }
    return s.rates[line.code]
  }
  return undefined
}

interface Draft {
  id: string
  tenantId: string
  patientId: string
  coverageId: string
  payerId: string
  billingProviderId: string
  renderingClinicianId: string
  supervisingClinicianId?: string
  priorAuthorization?: string
  status: "draft"
  frequency: "1"
  serviceDate: string
  placeOfService: string
  diagnoses: Array<string>
  lines: Array<Claim.Line>
  charge: number
  balance: number
  createdAt: number
  version: 0
}

/** Claims as plain objects with the fields of a `Claim`: what the baseline scrub and writer read. */
export const build = (
  sessions: ReadonlyArray<ClaimBuild.CodedSession>,
  schedules: BaselineSchedules,
  context: ClaimBuild.BuildContext
): Array<Claim.Claim> => {
  const claims: Array<Draft> = []
  const byKey = new Map<string, Draft>()
  const charges: Array<number> = []
  for (const s of sessions) {
    let supervisor = s.supervisingClinicianId as string | undefined
    if (supervisor === undefined) {
      const clinician = context.clinicians.get(s.renderingClinicianId)
      if (clinician === undefined) continue
      for (const sup of clinician.supervisedBy) {
        if (sup.period.start <= s.dateOfService && s.dateOfService <= sup.period.end) {
          supervisor = sup.supervisorId
          break
        }
      }
    }
    charges.length = 0
    let priced = true
    for (const line of s.lines) {
      const rate = rateIn(schedules.byPayer.get(s.payerId), line) ?? rateIn(schedules.fallback, line)
      if (rate === undefined) {
        priced = false
        break
      }
      charges.push(rate * line.units)
    }
    if (!priced) continue
    const key = `${s.tenantId}|${s.patientId}|${s.payerId}|${s.coverageId}|${s.billingProviderId}|${s.renderingClinicianId}|${supervisor ?? ""}|${s.dateOfService}|${s.priorAuthorization ?? ""}`
    let claim = byKey.get(key)
    if (claim === undefined) {
      claim = {
        id: `B${claims.length}`,
        tenantId: s.tenantId,
        patientId: s.patientId,
        coverageId: s.coverageId,
        payerId: s.payerId,
        billingProviderId: s.billingProviderId,
        renderingClinicianId: s.renderingClinicianId,
        status: "draft",
        frequency: "1",
        serviceDate: s.dateOfService,
        placeOfService: (s.lines[0] as ClaimBuild.CodedLine).placeOfService,
        diagnoses: [],
        lines: [],
        charge: 0,
        balance: 0,
        createdAt: context.now,
        version: 0
      }
      if (supervisor !== undefined) claim.supervisingClinicianId = supervisor
      if (s.priorAuthorization !== undefined) claim.priorAuthorization = s.priorAuthorization
      byKey.set(key, claim)
      claims.push(claim)
    }
    const pointers: Array<number> = []
    for (const d of s.diagnoses) {
      let at = claim.diagnoses.indexOf(d)
      if (at < 0) at = claim.diagnoses.push(d) - 1
      if (pointers.length < 4) pointers.push(at + 1)
    }
    for (let i = 0; i < s.lines.length; i++) {
      const line = s.lines[i] as ClaimBuild.CodedLine
      const charge = charges[i] as number
      claim.lines.push({
        code: line.code,
        modifiers: line.modifiers,
        units: line.units,
        charge: charge as Claim.Line["charge"],
        dateOfService: line.dateOfService,
        placeOfService: line.placeOfService,
        diagnosisPointers: pointers,
        sessionId: s.sessionId
      } as Claim.Line)
      claim.charge += charge
      claim.balance += charge
      if (line.dateOfService < claim.serviceDate) claim.serviceDate = line.dateOfService
    }
  }
  return claims as unknown as Array<Claim.Claim>
}

// ---------------------------------------------------------------------------------------------------------------
// Scrub

/** Scrubs one claim: errors found times 1,000, plus warnings (possible duplicates). Shared with the core bench. */
export { scrub } from "../../core/bench/scrub-baseline.ts"

// ---------------------------------------------------------------------------------------------------------------
// 837P

const amount = (cents: number): string => {
  const whole = Math.floor(cents / 100)
  const fraction = cents - whole * 100
  return fraction === 0
    ? String(whole)
    : fraction % 10 === 0
      ? `${whole}.${fraction / 10}`
      : `${whole}.${fraction < 10 ? "0" : ""}${fraction}`
}
const d8 = (iso: string): string => iso.slice(0, 4) + iso.slice(5, 7) + iso.slice(8, 10)
const pad15 = (text: string): string => text.padEnd(15, " ")
const filing = { Medicare: "MB", MedicareAdvantage: "16", Medicaid: "MC", Commercial: "CI", SelfPay: "ZZ" } as const
const address = (a: {
  readonly line1: string
  readonly line2?: string | undefined
  readonly city: string
  readonly state: string
  readonly postalCode: string
}) =>
  `N3*${a.line1}${a.line2 === undefined || a.line2 === "" ? "" : `*${a.line2}`}~N4*${a.city}*${a.state}*${a.postalCode}~`

/** The batch as an 837P interchange: the segments Batch837 writes for these claims, concatenated. */
export const write837 = (
  batch: Clearinghouse.ClaimBatch,
  parties: {
    readonly submitter: {
      readonly name: string
      readonly id: string
      readonly contact: { readonly name: string; readonly phone: string }
    }
    readonly receiver: { readonly name: string; readonly id: string }
    readonly usage: string
  },
  controls: { readonly interchange: string; readonly group: string; readonly transaction: string },
  at: { readonly date: string; readonly time: string }
): string => {
  const { submitter, receiver } = parties
  const org = (batch.claims[0] as Clearinghouse.ClaimEnvelope).billingProvider
  let out =
    `ISA*00*          *00*          *ZZ*${pad15(submitter.id)}*ZZ*${pad15(receiver.id)}*${at.date.slice(2)}*${at.time}*^*00501*${controls.interchange}*0*${parties.usage}*:~` +
    `GS*HC*${submitter.id}*${receiver.id}*${at.date}*${at.time}*${controls.group}*X*005010X222A1~`
  let text =
    `ST*837*${controls.transaction}*005010X222A1~BHT*0019*00*${batch.key.slice(0, 50)}*${at.date}*${at.time}*CH~` +
    `NM1*41*2*${submitter.name}*****46*${submitter.id}~PER*IC*${submitter.contact.name}*TE*${submitter.contact.phone}~` +
    `NM1*40*2*${receiver.name}*****46*${receiver.id}~` +
    `HL*1**20*1~PRV*BI*PXC*${org.taxonomy}~NM1*85*2*${org.name}*****XX*${org.npi}~${address(org.address)}REF*EI*${org.tin}~`
  let segments = 11
  let hl = 1
  const chunks: Array<string> = []
  for (let n = 0; n < batch.claims.length; n++) {
    const { claim, patient, coverage, payer, rendering, supervising } = batch.claims[n] as Clearinghouse.ClaimEnvelope
    const holder = coverage.subscriber
    const self = holder === undefined || holder.relationship === "18"
    const subscriberHl = ++hl
    const group = `${coverage.groupNumber ?? ""}*${coverage.plan ?? ""}`
    const cfi = filing[payer.kind._tag]
    let s = `HL*${subscriberHl}*1*22*${self ? 0 : 1}~`
    if (self) {
      s +=
        `SBR*P*18*${group}*****${cfi}~NM1*IL*1*${patient.lastName}*${patient.firstName}****MI*${coverage.memberId}~` +
        `${address(patient.address)}DMG*D8*${d8(patient.dateOfBirth)}*${patient.sex}~`
      segments += 5
    } else {
      s +=
        `SBR*P**${group}*****${cfi}~NM1*IL*1*${holder.lastName}*${holder.firstName}****MI*${coverage.memberId}~` +
        `DMG*D8*${d8(holder.dateOfBirth)}*U~`
      segments += 3
    }
    s += `NM1*PR*2*${payer.name}*****PI*${payer.x12PayerId ?? ""}~`
    segments += 2
    if (!self) {
      hl++
      s +=
        `HL*${hl}*${subscriberHl}*23*0~PAT*${holder.relationship}~NM1*QC*1*${patient.lastName}*${patient.firstName}~` +
        `${address(patient.address)}DMG*D8*${d8(patient.dateOfBirth)}*${patient.sex}~`
      segments += 6
    }
    s += `CLM*${claim.id}*${amount(claim.charge)}***${claim.placeOfService}:B:${claim.frequency}*Y*A*Y*Y~`
    segments++
    if (claim.priorAuthorization !== undefined) {
      s += `REF*G1*${claim.priorAuthorization}~`
      segments++
    }
    if (claim.payerClaimNumber !== undefined) {
      s += `REF*F8*${claim.payerClaimNumber}~`
      segments++
    }
    s += "HI"
    for (let i = 0; i < claim.diagnoses.length; i++)
      s += `*${i === 0 ? "ABK" : "ABF"}:${(claim.diagnoses[i] as string).replace(".", "")}`
    s += `~NM1*82*1*${rendering.lastName}*${rendering.firstName}****XX*${rendering.npi}~PRV*PE*PXC*${rendering.taxonomy}~`
    segments += 3
    if (supervising !== undefined) {
      s += `NM1*DQ*1*${supervising.lastName}*${supervising.firstName}****XX*${supervising.npi}~`
      segments++
    }
    for (let i = 0; i < claim.lines.length; i++) {
      const line = claim.lines[i] as Claim.Line
      let sv1 = `HC:${line.code}`
      for (const m of line.modifiers) sv1 += `:${m}`
      s +=
        `LX*${i + 1}~SV1*${sv1}*${amount(line.charge)}*UN*${line.units}*${line.placeOfService === claim.placeOfService ? "" : line.placeOfService}**${line.diagnosisPointers.join(":")}~` +
        `DTP*472*D8*${d8(line.dateOfService)}~REF*6R*${i + 1}~`
      segments += 4
    }
    chunks.push(s)
    if (chunks.length === 512) {
      text += chunks.join("")
      chunks.length = 0
    }
  }
  text += chunks.join("")
  out += `${text}SE*${segments + 1}*${controls.transaction}~GE*1*${controls.group}~IEA*1*${controls.interchange}~`
  return out
}
