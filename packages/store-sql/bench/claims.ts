// Realistic behavioral-health claims for the store bench, generated lazily and deterministically by index (claim
// `i` is the same every run, and a batch is built only when it is inserted, so 100,000 claims never sit in memory
// at once). ~200 patients, each with one payer, one rendering clinician and a stable set of 1-3 diagnoses; 5 payers;
// service dates over the 200 days before `asOf`; 1-4 lines (a psychotherapy or evaluation code, then add-ons such
// as 90785 interactive complexity, 96127 screenings, or a second session that week); statuses by age, mostly
// submitted / accepted / denied / paid, with payer balances so that every aging bucket has money in it.
import { Claim } from "@openrcm/core"
import { Schema } from "effect"

/** The day the bench ages A/R from; every service date is on or before it. */
export const asOf = "2025-11-28"

export const payers = ["p-medicaid-il", "p-bcbs-il", "p-aetna", "p-medicare", "p-optum-bh"] as const
const payerWeights = [0.3, 0.25, 0.2, 0.15, 0.1]

export const patientCount = 200
const clinicianCount = 12
export const serviceDays = 200

const diagnosisPool = [
  "F32.1",
  "F41.1",
  "F43.10",
  "F33.1",
  "F43.23",
  "F41.0",
  "F90.0",
  "F43.12",
  "F42.2",
  "F31.81",
  "F32.A",
  "F40.10"
]

/** Procedures with their charge in cents. */
const primaries: ReadonlyArray<readonly [code: string, weight: number, cents: number]> = [
  ["90837", 0.4, 18_500],
  ["90834", 0.35, 14_000],
  ["90791", 0.1, 22_000],
  ["90853", 0.1, 6_500],
  ["90832", 0.05, 9_500]
]
const interactiveComplexity = 1_800 // 90785
const screening = 800 // 96127, per unit

/** A small, fast PRNG (mulberry32) seeded per claim or patient, so any index can be rebuilt on its own. */
const rng = (seed: number) => {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }
}

const weighted = <A>(random: () => number, items: ReadonlyArray<A>, weights: ReadonlyArray<number>): A => {
  let roll = random()
  for (let i = 0; i < items.length; i++) {
    roll -= weights[i] as number
    if (roll < 0) return items[i] as A
  }
  return items[items.length - 1] as A
}

const day = 86_400_000
const asOfMillis = Date.parse(`${asOf}T00:00:00Z`)
/** `asOf` minus `days`, as YYYY-MM-DD. */
export const daysBefore = (days: number): string => new Date(asOfMillis - days * day).toISOString().slice(0, 10)

interface PatientProfile {
  readonly id: string
  readonly payerId: string
  readonly clinicianId: string
  readonly diagnoses: ReadonlyArray<string>
  readonly telehealth: number
}

const patients: ReadonlyArray<PatientProfile> = Array.from({ length: patientCount }, (_, p) => {
  const random = rng(0x5eed + p * 7919)
  const count = 1 + Math.floor(random() * 3)
  const diagnoses: Array<string> = []
  while (diagnoses.length < count) {
    const code = diagnosisPool[Math.floor(random() * diagnosisPool.length)] as string
    if (!diagnoses.includes(code)) diagnoses.push(code)
  }
  return {
    id: `pat-${String(p + 1).padStart(4, "0")}`,
    payerId: weighted(random, payers, payerWeights),
    clinicianId: `clin-${String((p % clinicianCount) + 1).padStart(2, "0")}`,
    diagnoses,
    telehealth: random()
  }
})

/** The status of a claim `age` days after its service, and the share of its charge still owed by the payer. */
const outcome = (random: () => number, age: number): readonly [Claim.Status, number] => {
  const roll = random()
  if (age < 3) return roll < 0.3 ? ["draft", 1] : roll < 0.6 ? ["ready", 1] : ["submitted", 1]
  if (age < 30) {
    if (roll < 0.45) return ["submitted", 1]
    if (roll < 0.75) return ["accepted", 1]
    if (roll < 0.9) return ["paid", 0]
    return roll < 0.97 ? ["denied", 1] : ["rejected", 1]
  }
  if (age < 90) {
    if (roll < 0.5) return ["paid", 0]
    if (roll < 0.65) return ["accepted", 1]
    if (roll < 0.8) return ["denied", 1]
    if (roll < 0.9) return ["partially-paid", 0.2 + random() * 0.4]
    return roll < 0.95 ? ["submitted", 1] : ["appealed", 1]
  }
  if (roll < 0.6) return ["paid", 0]
  if (roll < 0.75) return ["denied", 1]
  if (roll < 0.83) return ["partially-paid", 0.2 + random() * 0.4]
  if (roll < 0.9) return ["appealed", 1]
  return roll < 0.95 ? ["closed", 0] : ["accepted", 1]
}

const decodeClaim = Schema.decodeUnknownSync(Claim.Claim)

/** Claim number `i` (0-based) of a tenant. */
export const claimAt = (tenantId: string, i: number): Claim.Claim => {
  const random = rng(0xc1a1 + i * 2_654_435_761)
  const patient = patients[Math.floor(random() * patientCount)] as PatientProfile
  const age = Math.floor(random() * serviceDays)
  const serviceDate = daysBefore(age)
  const telehealth = random() < patient.telehealth * 0.7
  const placeOfService = telehealth ? "10" : "11"
  const baseModifiers = [
    ...(telehealth ? ["95"] : []),
    ...(patient.payerId === "p-medicaid-il" && random() < 0.5 ? ["HO"] : [])
  ]
  const pointers = patient.diagnoses.map((_, k) => k + 1).slice(0, 4)
  const [code, , cents] = weighted(
    random,
    primaries,
    primaries.map(([, w]) => w)
  )
  const lines: Array<Record<string, unknown>> = [
    {
      code,
      modifiers: baseModifiers,
      units: 1,
      charge: cents,
      dateOfService: serviceDate,
      placeOfService,
      diagnosisPointers: pointers,
      sessionId: `ses-${i}`
    }
  ]
  const count = weighted(random, [1, 2, 3, 4], [0.45, 0.3, 0.15, 0.1])
  while (lines.length < count) {
    const roll = random()
    if (roll < 0.4 && !lines.some((line) => line["code"] === "90785")) {
      lines.push({
        code: "90785",
        modifiers: baseModifiers,
        units: 1,
        charge: interactiveComplexity,
        dateOfService: serviceDate,
        placeOfService,
        diagnosisPointers: [1]
      })
    } else if (roll < 0.7) {
      const units = 1 + Math.floor(random() * 2)
      lines.push({
        code: "96127",
        modifiers: [],
        units,
        charge: screening * units,
        dateOfService: serviceDate,
        placeOfService,
        diagnosisPointers: [1]
      })
    } else {
      // A second session later that week, on the same claim (never after asOf).
      const later = Math.max(0, age - 1 - Math.floor(random() * 6))
      lines.push({
        code,
        modifiers: baseModifiers,
        units: 1,
        charge: cents,
        dateOfService: daysBefore(later),
        placeOfService,
        diagnosisPointers: pointers,
        sessionId: `ses-${i}-${lines.length}`
      })
    }
  }
  const charge = lines.reduce((sum, line) => sum + (line["charge"] as number), 0)
  const [status, owed] = outcome(random, age)
  const createdAt = Date.parse(`${serviceDate}T18:00:00Z`)
  const billed = status !== "draft" && status !== "ready"
  return decodeClaim({
    id: `clm-${String(i + 1).padStart(7, "0")}`,
    tenantId,
    patientId: patient.id,
    coverageId: `cov-${patient.id}`,
    payerId: patient.payerId,
    billingProviderId: "org-rbh",
    renderingClinicianId: patient.clinicianId,
    status,
    frequency: "1",
    serviceDate,
    placeOfService,
    diagnoses: patient.diagnoses,
    lines,
    charge,
    balance: Math.round(charge * owed),
    ...(patient.payerId === "p-medicaid-il" && random() < 0.3 ? { priorAuthorization: `PA-${1000 + (i % 900)}` } : {}),
    createdAt,
    ...(billed ? { submittedAt: createdAt + day } : {}),
    version: 0
  })
}

/** Claims `from` … `from + count - 1`. */
export const batchOf = (tenantId: string, from: number, count: number): ReadonlyArray<Claim.Claim> =>
  Array.from({ length: count }, (_, k) => claimAt(tenantId, from + k))
