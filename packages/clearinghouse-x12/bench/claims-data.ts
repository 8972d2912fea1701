// The claims bench's data: a behavioral-health group practice (one billing organization, 16 clinicians of several
// credentials, one of them supervised), ~200 patients each covered by one of 5 payers on the built-in rule packs
// (cpt-base, medicare, acme-health, acme-health-hmo, state-medicaid-example), fee schedules (a default in two
// versions and contracted ones), and completed, coded sessions as the coding engine gives them: 90791, 90832,
// 90834, 90837, 90846, 90847, 90853, the add-ons 90785, 90833, 90836 and 90838 with E/M 99213/99214, and H0004 for
// the Medicaid program; 1-4 lines a claim. About one visit in ten carries a problem the scrubber finds (a missing
// or stray telehealth modifier, a wrong place of service, an add-on alone, a credential that may not bill the code,
// too many units, an unspecific diagnosis, a late claim, a duplicate of a claim sent, two psychotherapy codes the
// same day, a missing authorization number), and one in five hundred a code with no rate (left off every claim).
//
// Deterministic: visit `k` is the same every run and in every worker (a PRNG seeded by its index), so a worker can
// generate only its shard. Everything the host would load from its store is here as maps; `contextOf` and
// `envelopeOf` are the host's glue between building, scrubbing and writing.
import {
  Authorization,
  type Claim,
  ClaimBuild,
  type Clearinghouse,
  Clinician,
  Coverage,
  DateOfService,
  Diagnosis,
  FeeSchedule,
  Npi,
  Organization,
  Patient,
  Payer,
  RulePack,
  RuleSet,
  Scrub,
  Submission
} from "@openrcm/core"
import { Effect, Schema } from "effect"

export const tenantId = "t-riverbend"
/** The day the claims are scrubbed and sent. */
export const asOf = DateOfService.make("2025-11-28")
export const now = Date.UTC(2025, 10, 28, 17, 0) as ClaimBuild.BuildContext["now"]
export const patientCount = 200
/** Claims per 837P interchange, as a clearinghouse takes them. */
export const batchSize = 5_000

/** mulberry32: a small, fast PRNG, seeded per visit or patient. */
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
const pickFrom = <A>(random: () => number, items: ReadonlyArray<A>): A =>
  items[Math.floor(random() * items.length)] as A

const npi = (firstNine: string): string => `${firstNine}${Npi.checkDigit(firstNine)}`

export const organization = Schema.decodeUnknownSync(Organization.Organization)({
  id: "org-riverbend",
  tenantId,
  name: "Riverbend Behavioral Health",
  npi: npi("124531959"),
  tin: "123456789",
  taxonomy: "261QM0801X",
  facilityType: "office",
  // The 837P's billing provider needs the 9-digit ZIP code.
  address: { line1: "100 River Rd", city: "Portland", state: "OR", postalCode: "972011234" }
})

const staff: ReadonlyArray<readonly [credential: string, taxonomy: string, first: string, last: string]> = [
  ["LCSW", "1041C0700X", "Ada", "Okafor"],
  ["LCSW", "1041C0700X", "Ben", "Lindqvist"],
  ["LCSW", "1041C0700X", "Cleo", "Marsh"],
  ["LCSW", "1041C0700X", "Dev", "Patel"],
  ["LPC", "101YP2500X", "Eli", "Novak"],
  ["LPC", "101YP2500X", "Fay", "Ortiz"],
  ["LMFT", "106H00000X", "Gus", "Reyes"],
  ["LMFT", "106H00000X", "Hana", "Sato"],
  ["PhD", "103TC0700X", "Ira", "Quinn"],
  ["PhD", "103TC0700X", "Jo", "Ueda"],
  ["PsyD", "103TC0700X", "Kai", "Vance"],
  ["MD", "2084P0800X", "Lena", "Walsh"],
  ["MD", "2084P0800X", "Milo", "Xu"],
  ["NP", "363LP0808X", "Nia", "Young"],
  ["NP", "363LP0808X", "Omar", "Zeller"],
  // A master's-level social worker billing under the supervision of an LCSW (NM1*DQ on the 837P).
  ["LMSW", "1041C0700X", "Pia", "Adler"]
]
export const clinicians: ReadonlyArray<Clinician.Clinician> = staff.map(([credential, taxonomy, first, last], i) =>
  Schema.decodeUnknownSync(Clinician.Clinician)({
    id: `cln-${i}`,
    tenantId,
    npi: npi(`1${String(31_000_000 + i * 7_919)}`),
    firstName: first,
    lastName: last,
    credential,
    taxonomy,
    licenses: [{ state: "OR", number: `L-${1000 + i}`, credential, expires: "2027-06-30" }],
    supervisedBy:
      credential === "LMSW" ? [{ supervisorId: "cln-0", period: { start: "2024-06-01", end: "2026-05-31" } }] : []
  })
)
const isPrescriber = (c: Clinician.Clinician) => c.credential === "MD" || c.credential === "NP"

interface PayerDef {
  readonly payer: Payer.Payer
  readonly weight: number
  /** The modifier the payer's pack wants on video telehealth (none for Medicare from 2024 and for cpt-base). */
  readonly videoModifier: string | undefined
  /** A prior authorization needed past this many visits (acme-health-hmo: 20, the Medicaid program: 30). */
  readonly authAfterVisits: number | undefined
  readonly authCodes: ReadonlyArray<string>
  readonly timelyFilingDays: number | undefined
}
const payer = (id: string, name: string, x12PayerId: string, kind: unknown, rulePack: string) =>
  Schema.decodeUnknownSync(Payer.Payer)({ id, tenantId, name, x12PayerId, kind, rulePack })
export const payerDefs: ReadonlyArray<PayerDef> = [
  {
    payer: payer("payer-medicare", "Medicare Part B", "MCRB1", { _tag: "Medicare" }, "medicare"),
    weight: 0.2,
    videoModifier: undefined,
    authAfterVisits: undefined,
    authCodes: [],
    timelyFilingDays: 365
  },
  {
    payer: payer("payer-acme", "Acme Health", "ACME1", { _tag: "Commercial" }, "acme-health"),
    weight: 0.25,
    videoModifier: "95",
    authAfterVisits: undefined,
    authCodes: [],
    timelyFilingDays: 90
  },
  {
    payer: payer("payer-acme-hmo", "Acme Health HMO", "ACME2", { _tag: "Commercial" }, "acme-health-hmo"),
    weight: 0.15,
    videoModifier: "95",
    authAfterVisits: 20,
    authCodes: ["90832", "90834", "90837", "90846", "90847"],
    timelyFilingDays: 90
  },
  {
    payer: payer(
      "payer-medicaid",
      "State Medicaid BH Program",
      "SMCD1",
      { _tag: "Medicaid", state: "OR", program: "Behavioral Health" },
      "state-medicaid-example"
    ),
    weight: 0.25,
    videoModifier: "GT",
    authAfterVisits: 30,
    authCodes: ["90832", "90834", "90837", "H0004"],
    timelyFilingDays: 365
  },
  {
    payer: payer("payer-summit", "Summit Health Plan", "SUMM1", { _tag: "Commercial" }, "cpt-base"),
    weight: 0.15,
    videoModifier: undefined,
    authAfterVisits: undefined,
    authCodes: [],
    timelyFilingDays: undefined
  }
]
export const payers = new Map(payerDefs.map((d) => [d.payer.id as string, d.payer]))

const diagnosisPool = [
  "F41.1",
  "F33.1",
  "F43.10",
  "F43.23",
  "F90.0",
  "F32.A",
  "F10.20",
  "F43.12",
  "F41.0",
  "F31.81",
  "F43.22",
  "F32.1"
]
const firstNames = ["Jordan", "Sam", "Alex", "Riley", "Casey", "Morgan", "Taylor", "Jamie", "Avery", "Quinn"]
const lastNames = ["Rivera", "Nguyen", "Smith", "Garcia", "Johnson", "Kim", "Brown", "Lopez", "Miller", "Davis"]
const streets = ["Alder St", "Birch Ave", "Cedar Ln", "Division St", "Elm Ct", "Fremont Blvd", "Glisan St"]

/** A patient with the payer covering them, their diagnoses, their care team and their authorization. */
export interface PatientRecord {
  readonly index: number
  readonly patient: Patient.Patient
  readonly coverage: Coverage.Coverage
  readonly def: PayerDef
  readonly diagnoses: ReadonlyArray<string>
  /** Clinicians who may see this patient for this payer, in the order the patient sees them. */
  readonly team: ReadonlyArray<Clinician.Clinician>
  /** Visits already counted this period, for the "authorization after N visits" rules. */
  readonly priorVisits: number | undefined
  readonly authorization: Authorization.Authorization | undefined
}

const dob = (year: number, random: () => number) =>
  `${year}-${String(1 + Math.floor(random() * 12)).padStart(2, "0")}-${String(1 + Math.floor(random() * 28)).padStart(2, "0")}`

export const patients: ReadonlyArray<PatientRecord> = Array.from({ length: patientCount }, (_, i) => {
  const random = rng(1_000_003 * (i + 1))
  let roll = random()
  let def = payerDefs[0] as PayerDef
  for (const d of payerDefs) {
    def = d
    if (roll < d.weight) break
    roll -= d.weight
  }
  const medicare = def.payer.rulePack === "medicare"
  const commercial = def.payer.kind._tag === "Commercial"
  const child = commercial && random() < 0.15
  const year = medicare
    ? 1940 + Math.floor(random() * 19)
    : child
      ? 2009 + Math.floor(random() * 6)
      : 1965 + Math.floor(random() * 38)
  const patient = Schema.decodeUnknownSync(Patient.Patient)({
    id: `pat-${i}`,
    tenantId,
    firstName: pickFrom(random, firstNames),
    lastName: `${pickFrom(random, lastNames)}${i}`,
    dateOfBirth: dob(year, random),
    sex: pickFrom(random, ["F", "M", "F", "M", "U"]),
    address: {
      line1: `${10 + Math.floor(random() * 9_000)} ${pickFrom(random, streets)}`,
      city: "Portland",
      state: "OR",
      postalCode: pickFrom(random, ["97201", "97202", "97205", "97209", "97211", "97214"])
    }
  })
  const memberId =
    def.payer.rulePack === "medicare"
      ? `${1 + (i % 9)}EG4TE5MK${String(10 + (i % 90))}`
      : def.payer.rulePack === "state-medicaid-example"
        ? String(7_100_000_000 + i * 37)
        : `${def.payer.rulePack === "cpt-base" ? "SUM" : "ACM"}${String(100_200_000 + i * 11)}`
  const coverage = Schema.decodeUnknownSync(Coverage.Coverage)({
    id: `cov-${i}`,
    tenantId,
    patientId: patient.id,
    payerId: def.payer.id,
    memberId,
    ...(commercial ? { groupNumber: `GRP-${4400 + (i % 7)}`, plan: `${def.payer.name} PPO` } : {}),
    order: 1,
    ...(child
      ? {
          subscriber: {
            relationship: "19",
            firstName: pickFrom(random, firstNames),
            lastName: patient.lastName,
            dateOfBirth: dob(1975 + Math.floor(random() * 15), random)
          }
        }
      : {}),
    period: { start: "2025-01-01", end: "2025-12-31" },
    planYearStart: "01-01"
  })
  const diagnoses = Array.from({ length: 1 + Math.floor(random() * 3) }, () => pickFrom(random, diagnosisPool)).filter(
    (d, j, all) => all.indexOf(d) === j
  )
  // Who may bill this payer: not the LMSW for Medicare or the commercial plans.
  const allowed = clinicians.filter((c) => c.credential !== "LMSW" || def.payer.rulePack === "state-medicaid-example")
  const start = Math.floor(random() * allowed.length)
  const team = allowed.map((_, j) => allowed[(start + j) % allowed.length] as Clinician.Clinician)
  const pastThreshold = def.authAfterVisits !== undefined && random() < 0.3
  const priorVisits =
    def.authAfterVisits === undefined
      ? undefined
      : pastThreshold
        ? def.authAfterVisits + 5
        : Math.floor(random() * def.authAfterVisits)
  const authorization = pastThreshold
    ? Schema.decodeUnknownSync(Authorization.Authorization)({
        id: `auth-${i}`,
        tenantId,
        patientId: patient.id,
        payerId: def.payer.id,
        number: `PA${String(880_000 + i)}`,
        codes: def.authCodes,
        unitType: "visits",
        approved: 9_999,
        period: { start: "2025-01-01", end: "2025-12-31" },
        status: "approved"
      })
    : undefined
  return { index: i, patient, coverage, def, diagnoses, team, priorVisits, authorization }
})

// Fee schedules: the practice's default in two versions, and contracted rates for three payers (Acme's HMO plan
// and Summit bill from the default). Cents per unit.
const defaultRates = {
  "90791": 22_000,
  "90832": 9_500,
  "90834": 14_000,
  "90837": 18_500,
  "90846": 15_000,
  "90847": 16_000,
  "90853": 6_500,
  "90785": 1_800,
  "90833": 8_000,
  "90836": 10_500,
  "90838": 13_500,
  "99213": 11_000,
  "99214": 16_000,
  H0004: 2_800
}
const raised = Object.fromEntries(Object.entries(defaultRates).map(([k, v]) => [k, Math.round(v * 1.05)]))
const schedule = (id: string, rates: Record<string, number>, effectiveFrom: string, payerId?: string) =>
  Schema.decodeUnknownSync(FeeSchedule.FeeSchedule)({
    id,
    tenantId,
    ...(payerId === undefined ? {} : { payerId }),
    rates,
    effectiveFrom
  })
export const feeSchedules: ReadonlyArray<FeeSchedule.FeeSchedule> = [
  schedule("default-2024", defaultRates, "2024-01-01"),
  schedule("default-2025h2", raised, "2025-07-01"),
  schedule(
    "medicare-2025",
    {
      "90791": 17_400,
      "90832": 7_900,
      "90834": 10_500,
      "90837": 15_400,
      "90846": 10_100,
      "90847": 10_500,
      "90853": 2_900,
      "90785": 1_500,
      "90833": 7_100,
      "90836": 9_100,
      "90838": 12_000,
      "99213": 9_000,
      "99214": 12_700
    },
    "2025-01-01",
    "payer-medicare"
  ),
  schedule(
    "medicaid-2025",
    { H0004: 2_400, "H0004:HO": 2_600, "H0004:HP": 3_100, "90834": 9_000, "90837": 12_000, "90791": 15_000 },
    "2025-01-01",
    "payer-medicaid"
  ),
  schedule(
    "acme-2024",
    { "90834": 12_500, "90837": 16_500, "90791": 19_000, "90847": 14_000 },
    "2024-01-01",
    "payer-acme"
  ),
  schedule(
    "acme-2025",
    { "90834": 13_000, "90837": 17_000, "90791": 19_500, "90847": 14_500 },
    "2025-01-01",
    "payer-acme"
  )
]

/** The weekdays of the 12 weeks before `asOf`: the dates of the visits. */
export const dates: ReadonlyArray<DateOfService.DateOfService> = (() => {
  const out: Array<DateOfService.DateOfService> = []
  for (let d = DateOfService.addDays(asOf, -86); d < asOf; d = DateOfService.addDays(d, 1)) {
    const weekday = new Date(`${d}T00:00:00Z`).getUTCDay()
    if (weekday !== 0 && weekday !== 6) out.push(d)
  }
  return out
})()

export type Problem =
  | "pos"
  | "modifier"
  | "add-on"
  | "credential"
  | "credential-modifier"
  | "units"
  | "diagnosis"
  | "late"
  | "duplicate"
  | "same-day"
  | "authorization"
  | "no-rate"

type Delivery = NonNullable<Scrub.ScrubContext["delivery"]>

interface LineDraft {
  code: string
  modifiers: Array<string>
  units: number
}

/** One visit: the claim it should become, as one session or two (billed the same day by the same clinician). */
export interface Visit {
  readonly index: number
  readonly patient: PatientRecord
  readonly problem: Problem | undefined
  readonly sessions: ReadonlyArray<ClaimBuild.CodedSession>
  /** How it was delivered: the session store's, which the host looks up by session id. */
  readonly delivery: Delivery
}

const psychotherapy = ["90832", "90834", "90834", "90834", "90837", "90837", "90837"]
const emWithAddOn: ReadonlyArray<readonly [string, string]> = [
  ["99213", "90833"],
  ["99213", "90836"],
  ["99214", "90836"],
  ["99214", "90838"]
]
const interactiveComplexityWith = new Set(["90791", "90832", "90833", "90834", "90836", "90837", "90838", "90853"])

/** Visit `k`: patient `k % 200`, on a date and with a clinician of the patient's team no other visit has. */
export const visit = (k: number): Visit => {
  const random = rng(2_654_435_761 * (k + 1))
  const record = patients[k % patientCount] as PatientRecord
  const slot = Math.floor(k / patientCount)
  let date = dates[slot % dates.length] as DateOfService.DateOfService
  const rendering = record.team[Math.floor(slot / dates.length) % record.team.length] as Clinician.Clinician
  const def = record.def
  const medicaid = def.payer.rulePack === "state-medicaid-example"
  const roll = random()
  let problem: Problem | undefined =
    roll < 0.1
      ? pickFrom(random, [
          "pos",
          "modifier",
          "add-on",
          "credential",
          "credential-modifier",
          "units",
          "diagnosis",
          "late",
          "duplicate",
          "same-day",
          "authorization"
        ] as const)
      : roll > 0.998
        ? "no-rate"
        : undefined
  // What was done, as the coding engine codes it.
  let sessions: Array<Array<LineDraft>>
  const ic = () => random() < 0.1
  const therapy = (): Array<LineDraft> => {
    const r = random()
    const code =
      slot === 0
        ? "90791"
        : r < 0.08
          ? "90846"
          : r < 0.18
            ? "90847"
            : r < 0.3
              ? "90853"
              : pickFrom(random, psychotherapy)
    const lines = [{ code, modifiers: [], units: 1 }]
    if (interactiveComplexityWith.has(code) && ic()) lines.push({ code: "90785", modifiers: [], units: 1 })
    return lines
  }
  if (isPrescriber(rendering) && random() < 0.6) {
    const [em, addOn] = pickFrom(random, emWithAddOn)
    const lines = [
      { code: em, modifiers: [], units: 1 },
      { code: addOn, modifiers: [], units: 1 }
    ]
    if (ic()) lines.push({ code: "90785", modifiers: [], units: 1 })
    sessions = [lines]
    // Now and then a group session the same day, coded as a session of its own: one claim of 3-4 lines.
    if (random() < 0.05) sessions.push([{ code: "90853", modifiers: [], units: 1 }])
  } else if (medicaid && !isPrescriber(rendering) && slot > 0 && random() < 0.45) {
    const modifier = rendering.credential === "PhD" || rendering.credential === "PsyD" ? "HP" : "HO"
    sessions = [[{ code: "H0004", modifiers: [modifier], units: 2 + Math.floor(random() * 5) }]]
    // A second counseling session the same day (morning and afternoon): one claim of two H0004 lines.
    if (random() < 0.04) sessions.push([{ code: "H0004", modifiers: [modifier], units: 1 }])
  } else sessions = [therapy()]

  const video = random() < 0.3 && (sessions[0] as Array<LineDraft>)[0]?.code !== "90791"
  const home = random() < 0.85
  const delivery: Delivery = video ? { mode: "video", patientLocation: home ? "home" : "other" } : { mode: "in-person" }
  let placeOfService = video ? (home ? "10" : "02") : "11"
  const telehealthModifier = video ? def.videoModifier : undefined
  if (telehealthModifier !== undefined)
    for (const s of sessions) for (const l of s) l.modifiers.push(telehealthModifier)
  let diagnoses = record.diagnoses
  let withAuthorization = true

  const first = (sessions[0] as Array<LineDraft>)[0] as LineDraft
  switch (problem) {
    case "pos":
      // Video at home billed as 02, or in person billed as 10.
      placeOfService = video ? (home ? "02" : "10") : "10"
      break
    case "modifier":
      if (telehealthModifier !== undefined) first.modifiers = first.modifiers.filter((m) => m !== telehealthModifier)
      else first.modifiers.push(video ? "GT" : "95")
      break
    case "add-on":
      sessions = [
        [{ code: "90785", modifiers: telehealthModifier === undefined ? [] : [telehealthModifier], units: 1 }]
      ]
      break
    case "credential":
      // An E/M and its psychotherapy add-on by a clinician who may not bill them.
      if (isPrescriber(rendering)) {
        problem = "units"
        break
      }
      sessions = [
        [
          { code: "99213", modifiers: [], units: 1 },
          { code: "90836", modifiers: [], units: 1 }
        ]
      ]
      break
    case "credential-modifier":
      if (medicaid && !isPrescriber(rendering))
        sessions = [
          [{ code: "H0004", modifiers: telehealthModifier === undefined ? [] : [telehealthModifier], units: 4 }]
        ]
      else problem = "units"
      break
    case "late":
      // Billed past the payer's timely filing limit (90 days for Acme's plans, a year for Medicare and Medicaid).
      date = DateOfService.addDays(asOf, -(def.timelyFilingDays ?? 400) - 10 - (slot % dates.length))
      break
    case "same-day":
      // Two psychotherapy sessions of one clinician the same day: 90834 is not paid with 90837.
      sessions = [
        [{ code: "90834", modifiers: telehealthModifier === undefined ? [] : [telehealthModifier], units: 1 }],
        [{ code: "90837", modifiers: telehealthModifier === undefined ? [] : [telehealthModifier], units: 1 }]
      ]
      break
    case "authorization":
      if (record.authorization !== undefined && sessions.some((s) => s.some((l) => def.authCodes.includes(l.code))))
        withAuthorization = false
      else problem = "diagnosis"
      break
    case "no-rate":
      // An unlisted psychiatric service: no schedule has a rate for it.
      sessions = [[{ code: "90899", modifiers: [], units: 1 }]]
      break
  }
  if (problem === "units") {
    sessions = [[{ code: "90791", modifiers: [], units: 2 }]]
  }
  if (problem === "diagnosis") diagnoses = ["F43.1", ...diagnoses.filter((d) => !d.startsWith("F43.1"))]
  const auth = record.authorization
  return {
    index: k,
    patient: record,
    problem,
    sessions: sessions.map(
      (lines, j): ClaimBuild.CodedSession => ({
        sessionId: `s-${k}-${j}` as ClaimBuild.CodedSession["sessionId"],
        tenantId: tenantId as ClaimBuild.CodedSession["tenantId"],
        patientId: record.patient.id,
        coverageId: record.coverage.id,
        payerId: def.payer.id,
        billingProviderId: organization.id,
        renderingClinicianId: rendering.id,
        dateOfService: date,
        placeOfService: placeOfService as ClaimBuild.CodedSession["placeOfService"],
        diagnoses: diagnoses as ClaimBuild.CodedSession["diagnoses"],
        lines: lines.map((l) => ({
          code: l.code as ClaimBuild.CodedLine["code"],
          modifiers: l.modifiers as ClaimBuild.CodedLine["modifiers"],
          units: l.units,
          placeOfService: placeOfService as ClaimBuild.CodedLine["placeOfService"],
          dateOfService: date
        })),
        ...(withAuthorization && auth !== undefined && lines.some((l) => def.authCodes.includes(l.code))
          ? { priorAuthorization: auth.number }
          : {})
      })
    ),
    delivery
  }
}

const decodeSession = Schema.decodeUnknownSync(ClaimBuild.CodedSession)

/** Everything a run needs: the sessions, and what the host would load from its store to build, scrub and write. */
export interface Data {
  readonly sessions: ReadonlyArray<ClaimBuild.CodedSession>
  /** Claims the build should give: one a visit, except visits left off for a missing rate. */
  readonly expectedClaims: number
  readonly noRateSessions: number
  readonly problems: ReadonlyMap<Problem, number>
  /** The problem put in the visit a claim was built from. */
  readonly problemOf: (claim: Claim.Claim) => Problem | undefined
  readonly buildContext: ClaimBuild.BuildContext
  readonly deliveries: ReadonlyMap<string, Delivery>
  sent: Scrub.SentIndex
}

/**
 * The sessions of `count` visits, or of those whose patient is in `shard` (patient index modulo `shards`), each
 * session decoded through its schema once, so the bench cannot feed the library what it would refuse.
 */
export const makeData = (count: number, shard = 0, shards = 1): Data => {
  const sessions: Array<ClaimBuild.CodedSession> = []
  const deliveries = new Map<string, Delivery>()
  const problems = new Map<Problem, number>()
  const problemByVisit = new Map<number, Problem>()
  let expectedClaims = 0
  let noRateSessions = 0
  for (let k = 0; k < count; k++) {
    if ((k % patientCount) % shards !== shard) continue
    const v = visit(k)
    if (v.problem !== undefined) {
      problems.set(v.problem, (problems.get(v.problem) ?? 0) + 1)
      problemByVisit.set(k, v.problem)
    }
    if (v.problem === "no-rate") noRateSessions += v.sessions.length
    else expectedClaims++
    for (const s of v.sessions) {
      sessions.push(decodeSession(s))
      deliveries.set(s.sessionId, v.delivery)
    }
  }
  const clinicianMap = new Map(clinicians.map((c) => [c.id as string, c]))
  const registry = ruleRegistry()
  const groupings = new Map(
    payerDefs.map((d) => [
      d.payer.id as string,
      Effect.runSync(registry.resolve(d.payer.rulePack, asOf)).claimGrouping.value
    ])
  )
  return {
    sessions,
    expectedClaims,
    noRateSessions,
    problems,
    problemOf: (claim) => {
      const sessionId = claim.lines[0]?.sessionId ?? ""
      return problemByVisit.get(Number(sessionId.slice(2, sessionId.indexOf("-", 2))))
    },
    buildContext: {
      feeSchedules,
      clinicians: clinicianMap,
      grouping: (payerId) => groupings.get(payerId) ?? "per-day",
      now
    },
    deliveries,
    sent: { byPatient: new Map() }
  }
}

/**
 * The claims the payers already have, for the duplicate edits: for a "duplicate" visit the same services under
 * another claim id; for half the others a claim of the same services six months earlier (a practice's history).
 */
export const setSentHistory = (data: Data, claims: ReadonlyArray<Claim.Claim>) => {
  const sent: Array<Claim.Claim> = []
  let n = 0
  for (const claim of claims) {
    const problem = data.problemOf(claim)
    if (problem === "duplicate") sent.push({ ...claim, id: `S${claim.id}` as Claim.Claim["id"] } as Claim.Claim)
    else if (n++ % 2 === 0) {
      const earlier = DateOfService.addDays(claim.serviceDate, -182)
      sent.push({
        ...claim,
        id: `S${claim.id}` as Claim.Claim["id"],
        serviceDate: earlier,
        lines: claim.lines.map((l) => ({ ...l, dateOfService: earlier }))
      } as Claim.Claim)
    }
  }
  data.sent = Scrub.sentIndex(sent)
}

let registryCache: RuleSet.RulePacks["Service"] | undefined
const ruleRegistry = () => {
  registryCache ??= RuleSet.makeRulePacks(RuleSet.builtinPacks.map((p) => Effect.runSync(RulePack.validate(p))))
  return registryCache
}

/** A payer's rule sets by date of service, resolved once each (as the host does before scrubbing). */
const ruleSetsFor = (() => {
  const byPayer = new Map<string, Map<string, RuleSet.RuleSet>>()
  const packOf = new Map(payerDefs.map((d) => [d.payer.id as string, d.payer.rulePack]))
  return (payerId: string, dateOfService: DateOfService.DateOfService): RuleSet.RuleSet => {
    let byDate = byPayer.get(payerId)
    if (byDate === undefined) {
      byDate = new Map()
      byPayer.set(payerId, byDate)
    }
    let ruleSet = byDate.get(dateOfService)
    if (ruleSet === undefined) {
      ruleSet = Effect.runSync(ruleRegistry().resolve(packOf.get(payerId) ?? "cpt-base", dateOfService))
      byDate.set(dateOfService, ruleSet)
    }
    return ruleSet
  }
})()

const patientsById = new Map(patients.map((p) => [p.patient.id as string, p]))
const cliniciansById = new Map(clinicians.map((c) => [c.id as string, c]))
const inPerson: Delivery = { mode: "in-person" }
const authorizationFacts = new Map(
  patients.map((p) => [
    p.patient.id as string,
    p.def.authAfterVisits === undefined
      ? undefined
      : ({
          authorizations: p.authorization === undefined ? [] : [p.authorization],
          ledger: [],
          ...(p.priorVisits === undefined ? {} : { priorVisits: p.priorVisits })
        } satisfies Scrub.AuthorizationFacts)
  ])
)

/** The host's glue: what a claim is scrubbed against, from its maps (the store, loaded once per batch). */
export const contextOf = (data: Data, claim: Claim.Claim): Scrub.ScrubContext => {
  const record = patientsById.get(claim.patientId) as PatientRecord
  const rendering = cliniciansById.get(claim.renderingClinicianId)
  const supervisorId = claim.supervisingClinicianId
  const sessionId = (claim.lines[0] as Claim.Line).sessionId
  const authorizations = authorizationFacts.get(claim.patientId)
  return {
    ruleSets: ruleSetsFor,
    asOf,
    patient: record.patient,
    coverage: record.coverage,
    billingProvider: organization,
    ...(rendering === undefined ? {} : { rendering }),
    ...(supervisorId === undefined ? {} : { supervising: cliniciansById.get(supervisorId) as Clinician.Clinician }),
    delivery: (sessionId === undefined ? undefined : data.deliveries.get(sessionId)) ?? inPerson,
    ...(authorizations === undefined ? {} : { authorizations }),
    sent: data.sent
  }
}

/** The host's glue: a claim with the records the 837P carries. */
export const envelopeOf = (claim: Claim.Claim): Clearinghouse.ClaimEnvelope => {
  const record = patientsById.get(claim.patientId) as PatientRecord
  const supervisorId = claim.supervisingClinicianId
  return {
    claim,
    patient: record.patient,
    coverage: record.coverage,
    payer: payers.get(claim.payerId) as Payer.Payer,
    billingProvider: organization,
    rendering: cliniciansById.get(claim.renderingClinicianId) as Clinician.Clinician,
    ...(supervisorId === undefined ? {} : { supervising: cliniciansById.get(supervisorId) as Clinician.Clinician })
  }
}

const submissionKey = Schema.decodeUnknownSync(Submission.SubmissionKey)

export const batchOf = (n: number, claims: ReadonlyArray<Clearinghouse.ClaimEnvelope>): Clearinghouse.ClaimBatch => ({
  key: submissionKey(`riverbend-2025-11-28-${n}`),
  tenantId: tenantId as Clearinghouse.ClaimBatch["tenantId"],
  createdAt: now,
  claims
})

export const parties = {
  submitter: { name: "RIVERBEND BH", id: "RIVERBEND01", contact: { name: "BILLING OFFICE", phone: "5035550100" } },
  receiver: { name: "SANDBOX CH", id: "SANDBOXCH" },
  usage: "P"
} as const

/** ISA13, GS06 and ST02 of the `n`th interchange. */
export const controlsOf = (n: number) => ({
  interchange: String(n + 1).padStart(9, "0"),
  group: String(n + 1),
  transaction: String(n + 1).padStart(4, "0")
})

export const stampAt = { date: "20251128", time: "1700" } as const

/** Diagnosis checks the generated codes must pass (all billable on the dates), so only injected ones are found. */
export const checkDiagnoses = () => {
  for (const code of diagnosisPool) {
    const tag = Diagnosis.check(code, asOf)._tag
    if (tag !== "Billable") throw new Error(`bench data: diagnosis ${code} is ${tag}`)
  }
}
