// The scrub benches' baseline, shared by packages/core/bench/scrub.bench.ts and the claims bench
// (packages/clearinghouse-x12/bench/claims-baseline.ts): the edits Scrub runs, hand-written in one plain loop over
// tables precomputed once per rule set (as Scrub does), counting errors and warnings instead of building findings —
// no severities, messages, denials, sources or fixes. The telehealth rule is chosen as Scrub does, authorization
// visits are counted and exact duplicates told from possible ones, so a batch it holds is the one Scrub holds
// (the claims bench checks that). Time-based minutes are not checked: the benches give no session minutes.
// Runs under Node's type stripping (both benches run the .ts files).
import { Authorization, type Claim, Diagnosis, Npi, RulePack, type RuleSet, Scrub } from "@openrcm/core"

interface Tables {
  readonly pairs: Map<
    string,
    Array<{ a: string; bypass: ReadonlyArray<string>; effective: RulePack.Effective | undefined }>
  >
  readonly family: Map<string, string>
  readonly telehealthModifiers: Set<string>
  readonly authCodes: Set<string>
  readonly deadlines: Map<string, string>
}
const tablesByRuleSet = new WeakMap<RuleSet.RuleSet, Tables>()
const tablesOf = (rs: RuleSet.RuleSet): Tables => {
  let t = tablesByRuleSet.get(rs)
  if (t === undefined) {
    const pairs: Tables["pairs"] = new Map()
    for (const rule of rs.sameDayExclusions.rules) {
      const list = pairs.get(rule.codes[1]) ?? []
      list.push({ a: rule.codes[0], bypass: rule.bypassModifiers, effective: rule.effective })
      pairs.set(rule.codes[1], list)
    }
    const family = new Map<string, string>()
    for (const [key, f] of rs.families) {
      if (f.value.kind !== "tiered") continue
      for (const tier of [...f.value.tiers, ...(f.value.withEm ?? [])]) family.set(tier.code, key)
    }
    const telehealthModifiers = new Set(["95", "93", "FQ", "GT", "GQ"])
    for (const rule of rs.telehealth.rules) for (const m of rule.modifiers) telehealthModifiers.add(m)
    const authCodes = new Set<string>()
    for (const rule of rs.priorAuthorization.rules) for (const c of rule.codes) authCodes.add(c)
    t = { pairs, family, telehealthModifiers, authCodes, deadlines: new Map() }
    tablesByRuleSet.set(rs, t)
  }
  return t
}
const diagnosisCache = new Map<string, Map<string, string>>()
const providerCache = new WeakMap<object, number>()
const taxonomy = /^\d{3}[A-Z0-9]{6}X$/u
const none: ReadonlyArray<string> = []

/** Scrubs one claim: errors found times 1,000, plus warnings (possible duplicates). */
export const scrub = (claim: Claim.Claim, ctx: Scrub.ScrubContext): number => {
  let errors = 0
  let warnings = 0
  const rs = ctx.ruleSets(claim.payerId, claim.serviceDate)
  const t = tablesOf(rs)
  const lines = claim.lines
  const credential = ctx.rendering?.credential
  const delivery = ctx.delivery
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as Claim.Line
    const { code, dateOfService: dos, modifiers } = line
    const addOn = rs.addOns.get(code)
    if (addOn !== undefined) {
      let found = false
      for (let j = 0; j < lines.length; j++) if (j !== i && addOn.value.has((lines[j] as Claim.Line).code)) found = true
      if (!found) errors++
    }
    const max = rs.unitsPerDay.get(code)
    if (max !== undefined) {
      let total = 0
      for (const other of lines) if (other.code === code && other.dateOfService === dos) total += other.units
      if (total > max.value) errors++
    }
    const pairs = t.pairs.get(code)
    if (pairs !== undefined) {
      for (const pair of pairs) {
        if (!RulePack.isInForce(pair.effective, dos)) continue
        for (const other of lines) {
          if (other.code === pair.a && other.dateOfService === dos && !modifiers.some((m) => pair.bypass.includes(m)))
            errors++
        }
      }
    }
    const family = t.family.get(code)
    if (family !== undefined) {
      for (let j = 0; j < i; j++) {
        const other = (lines[j] as Claim.Line).code
        if (other !== code && t.pairs.get(code)?.some((p) => p.a === other)) continue
        if (t.family.get(other) === family) errors++
      }
    }
    if (credential !== undefined) {
      const rules = rs.billableBy.get(code)
      if (rules !== undefined) {
        let limited = false
        let allowed = false
        for (const rule of rules) {
          if (!RulePack.isInForce(rule.effective, dos)) continue
          limited = true
          if (rule.credentials.has(credential)) allowed = true
        }
        if (limited && !allowed) errors++
      }
      for (const rule of rs.credentialModifiers.rules) {
        if (rule.codes !== undefined && !rule.codes.includes(code)) continue
        if (rule.credentials.includes(credential) && !modifiers.includes(rule.modifier)) errors++
      }
    }
    if (delivery !== undefined && delivery.mode !== "in-person") {
      // The first rule in force for the mode; without one, POS 10 at home, 02 elsewhere, and no modifier.
      let pos = delivery.patientLocation === "home" ? "10" : "02"
      let expected = none
      for (const rule of rs.telehealth.rules) {
        if (rule.mode !== delivery.mode || !RulePack.isInForce(rule.effective, dos)) continue
        if (rule.facilityTypes !== undefined) continue
        pos = delivery.patientLocation === "home" ? rule.placeOfService.home : rule.placeOfService.other
        expected = rule.modifiers
        break
      }
      if (line.placeOfService !== pos) errors++
      for (const m of expected) if (!modifiers.includes(m)) errors++
      for (const m of modifiers) if (t.telehealthModifiers.has(m) && !expected.includes(m)) errors++
    } else {
      if (line.placeOfService === "02" || line.placeOfService === "10") errors++
      for (const m of modifiers) if (t.telehealthModifiers.has(m)) errors++
    }
    for (const p of line.diagnosisPointers) if (p > claim.diagnoses.length) errors++
    if (rs.timelyFiling !== undefined) {
      let deadline = t.deadlines.get(dos)
      if (deadline === undefined) {
        deadline = Scrub.lastDayToFile(dos, rs.timelyFiling.value)
        t.deadlines.set(dos, deadline)
      }
      if (ctx.asOf > deadline) errors++
    }
    const day = ctx.sent?.byPatient.get(claim.patientId)?.get(dos)
    if (day !== undefined) {
      const key = modifiers.length > 1 ? [...modifiers].sort().join(":") : (modifiers[0] ?? "")
      let exact = false
      let service = false
      for (const prior of day) {
        if (prior.code !== code || prior.payerId !== claim.payerId || prior.claimId === claim.id) continue
        if (
          prior.units === line.units &&
          prior.modifiers === key &&
          prior.renderingClinicianId === claim.renderingClinicianId
        ) {
          exact = true
          break
        }
        service = true
      }
      if (exact) errors++
      else if (service) warnings++
    }
  }
  for (const d of claim.diagnoses) {
    let byCode = diagnosisCache.get(claim.serviceDate)
    if (byCode === undefined) {
      byCode = new Map()
      diagnosisCache.set(claim.serviceDate, byCode)
    }
    let tag = byCode.get(d)
    if (tag === undefined) {
      tag = Diagnosis.check(d, claim.serviceDate)._tag
      byCode.set(d, tag)
    }
    if (tag === "NotSpecific" || tag === "NotValidOnDate") errors++
  }
  let needsAuthorization = false
  for (const line of lines) if (t.authCodes.has(line.code)) needsAuthorization = true
  const facts = ctx.authorizations
  if (needsAuthorization && facts !== undefined) {
    const visit = {
      patientId: claim.patientId,
      payerId: claim.payerId,
      clinicianId: claim.renderingClinicianId,
      dateOfService: claim.serviceDate,
      lines: lines.map((l) => ({ code: l.code, units: l.units })),
      ...(facts.priorVisits === undefined ? {} : { priorVisits: facts.priorVisits })
    } as Authorization.Visit
    const check = Authorization.check(visit, facts.authorizations, facts.ledger, rs)
    if (check._tag !== "Authorized" && check._tag !== "NotRequired") errors++
    else if (check._tag === "Authorized" && !check.allocations.some((a) => a.number === claim.priorAuthorization))
      errors++
  }
  if (claim.frequency !== "1" && claim.payerClaimNumber === undefined) errors++
  const patient = ctx.patient
  if (patient !== undefined && (patient.dateOfBirth > ctx.asOf || patient.dateOfBirth > claim.serviceDate)) errors++
  const coverage = ctx.coverage
  if (coverage !== undefined) {
    if (claim.serviceDate < coverage.period.start || claim.serviceDate > coverage.period.end) errors++
  }
  for (const provider of [ctx.billingProvider, ctx.rendering, ctx.supervising]) {
    if (provider === undefined) continue
    let flags = providerCache.get(provider)
    if (flags === undefined) {
      flags = (Npi.isValid(provider.npi) ? 0 : 1) | (taxonomy.test(provider.taxonomy) ? 0 : 2)
      providerCache.set(provider, flags)
    }
    if (flags !== 0) errors++
  }
  return errors * 1_000 + warnings
}
