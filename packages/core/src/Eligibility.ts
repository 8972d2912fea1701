/**
 * Eligibility: the request a practice sends before a session (X12 270 semantics) and the payer's answer
 * normalized (271 semantics): coverage and its dates, behavioral-health benefits (copay, coinsurance, deductible
 * and out-of-pocket totals and what remains, visit limits, authorization required, in and out of network), and
 * rejections (AAA) with their reason and follow-up. `summarize` reads the answer the way a front desk needs it.
 *
 * @since 0.1.0
 */
import { Context, Effect, Layer, Schema } from "effect"
import { DateOfService, DateRange } from "./DateOfService.js"
import { Money } from "./Money.js"
import { Npi } from "./Npi.js"
import * as Phi from "./Phi.js"

/**
 * The X12 service type codes of behavioral health (EB03/EQ01), and 30 (health benefit plan coverage).
 *
 * @since 0.1.0
 */
export const behavioralHealthServiceTypes = [
  "MH",
  "A4",
  "A6",
  "A7",
  "A8",
  "AI",
  "AJ",
  "AK",
  "BB",
  "BC",
  "BD",
  "CE",
  "CF",
  "CG",
  "CH",
  "CI",
  "CJ",
  "RT"
] as const

/**
 * @since 0.1.0
 */
export const EligibilityRequest = Schema.Struct({
  /** The payer's X12 id (2100A NM109). */
  payerId: Schema.NonEmptyString,
  provider: Schema.Struct({ npi: Npi, name: Schema.optional(Schema.NonEmptyString) }),
  subscriber: Schema.Struct({
    memberId: Phi.field(Schema.NonEmptyString),
    firstName: Phi.field(Schema.NonEmptyString),
    lastName: Phi.field(Schema.NonEmptyString),
    dateOfBirth: Phi.field(DateOfService)
  }),
  dateOfService: DateOfService,
  serviceTypes: Schema.Array(Schema.NonEmptyString).pipe(Schema.check(Schema.isMinLength(1)))
}).annotate({ identifier: "EligibilityRequest" })

/**
 * @since 0.1.0
 */
export type EligibilityRequest = typeof EligibilityRequest.Type

/**
 * One EB segment, normalized.
 *
 * @since 0.1.0
 */
export const Benefit = Schema.Struct({
  /** EB01: 1 active, 6 inactive, A coinsurance, B copay, C deductible, F limitation, G out of pocket, I non-covered. */
  kind: Schema.Literals([
    "active",
    "inactive",
    "coinsurance",
    "copay",
    "deductible",
    "limitation",
    "out-of-pocket",
    "non-covered",
    "other"
  ]),
  serviceTypes: Schema.Array(Schema.String),
  coverageLevel: Schema.optional(Schema.Literals(["individual", "family"])),
  /** EB12: Y in network, N out of network, W both. */
  network: Schema.optional(Schema.Literals(["in", "out", "both"])),
  /** EB06. */
  timePeriod: Schema.optional(
    Schema.Literals([
      "calendar-year",
      "service-year",
      "year-to-date",
      "contract",
      "visit",
      "remaining",
      "lifetime",
      "lifetime-remaining",
      "month",
      "day",
      "episode"
    ])
  ),
  amount: Schema.optional(Money),
  /** EB08 as basis points: 0.2 is 2000. */
  percentBps: Schema.optional(Schema.Int),
  quantity: Schema.optional(
    Schema.Struct({ unit: Schema.Literals(["visits", "days", "hours", "services"]), value: Schema.Int })
  ),
  /** EB11. */
  authorizationRequired: Schema.optional(Schema.Boolean),
  planDescription: Schema.optional(Schema.String)
}).annotate({ identifier: "Benefit" })

/**
 * @since 0.1.0
 */
export type Benefit = typeof Benefit.Type

/**
 * AAA reject reasons (AAA03) a behavioral-health practice meets, with their meaning.
 *
 * @since 0.1.0
 */
export const rejectReasons: Readonly<Record<string, string>> = {
  "15": "Required application data missing",
  "41": "Authorization/access restrictions",
  "42": "Unable to respond at current time",
  "43": "Invalid/missing provider identification",
  "50": "Provider ineligible for inquiries",
  "51": "Provider not on file",
  "56": "Inappropriate date",
  "57": "Invalid/missing date(s) of service",
  "58": "Invalid/missing date-of-birth",
  "71": "Patient birth date does not match that for the patient on the database",
  "72": "Invalid/missing subscriber/insured ID",
  "73": "Invalid/missing subscriber/insured name",
  "75": "Subscriber/insured not found"
}

/**
 * AAA follow-up actions (AAA04).
 *
 * @since 0.1.0
 */
export const followUps: Readonly<Record<string, string>> = {
  C: "Correct and resubmit",
  N: "Resubmission not allowed",
  R: "Resubmission allowed",
  S: "Do not resubmit; inquiry initiated to a third party",
  W: "Wait 30 days and resubmit",
  X: "Wait 10 days and resubmit",
  Y: "Do not resubmit; the request will be handed off"
}

/**
 * @since 0.1.0
 */
export const Rejection = Schema.Struct({
  code: Schema.String,
  description: Schema.String,
  followUp: Schema.String,
  followUpDescription: Schema.String
}).annotate({ identifier: "Rejection" })

/**
 * Makes a rejection from its AAA codes, with their meanings.
 *
 * @since 0.1.0
 */
export const rejection = (code: string, followUp: string): typeof Rejection.Type => ({
  code,
  description: rejectReasons[code] ?? "Unknown reject reason",
  followUp,
  followUpDescription: followUps[followUp] ?? "Unknown follow-up"
})

/**
 * @since 0.1.0
 */
export const EligibilityResponse = Schema.Struct({
  status: Schema.Literals(["active", "inactive", "rejected"]),
  plan: Schema.optional(Schema.Struct({ name: Schema.String, groupNumber: Schema.optional(Schema.String) })),
  coverage: Schema.optional(DateRange),
  benefits: Schema.Array(Benefit),
  rejections: Schema.Array(Rejection),
  /** When the payer answered (epoch milliseconds, from the Clock). */
  receivedAt: Schema.Int
}).annotate({ identifier: "EligibilityResponse" })

/**
 * @since 0.1.0
 */
export type EligibilityResponse = typeof EligibilityResponse.Type

/**
 * A response read for behavioral health, in or out of network.
 *
 * @since 0.1.0
 */
export interface Summary {
  readonly status: EligibilityResponse["status"]
  readonly coverage: EligibilityResponse["coverage"]
  readonly copay: Money | undefined
  readonly coinsuranceBps: number | undefined
  readonly deductible: { readonly total: Money | undefined; readonly remaining: Money | undefined }
  readonly outOfPocket: { readonly total: Money | undefined; readonly remaining: Money | undefined }
  readonly visits: { readonly limit: number | undefined; readonly remaining: number | undefined }
  readonly authorizationRequired: boolean | undefined
  readonly notCovered: boolean
  readonly rejections: EligibilityResponse["rejections"]
}

const yearly = new Set(["calendar-year", "service-year", "contract", "year-to-date", undefined])

/**
 * Reads the benefits that apply to behavioral health (a behavioral-health service type first, then the plan's
 * general coverage, 30), in network or out, preferring individual over family amounts.
 *
 * @since 0.1.0
 */
export const summarize = (response: EligibilityResponse, network: "in" | "out" = "in"): Summary => {
  const bh = new Set<string>(behavioralHealthServiceTypes)
  const score = (b: Benefit): number => {
    const service = b.serviceTypes.some((t) => bh.has(t))
      ? 4
      : b.serviceTypes.includes("30") || b.serviceTypes.length === 0
        ? 2
        : -100
    const net = b.network === network ? 2 : b.network === "both" || b.network === undefined ? 1 : -100
    const level = b.coverageLevel === "family" ? 0 : 1
    return service + net + level
  }
  const best = (predicate: (b: Benefit) => boolean): Benefit | undefined => {
    let chosen: Benefit | undefined
    let top = 0
    for (const b of response.benefits) {
      if (!predicate(b)) continue
      const s = score(b)
      if (s > top) {
        top = s
        chosen = b
      }
    }
    return chosen
  }
  const copay = best((b) => b.kind === "copay" && b.amount !== undefined)
  const coinsurance = best((b) => b.kind === "coinsurance" && b.percentBps !== undefined)
  const deductibleTotal = best((b) => b.kind === "deductible" && b.amount !== undefined && yearly.has(b.timePeriod))
  const deductibleRemaining = best(
    (b) => b.kind === "deductible" && b.amount !== undefined && b.timePeriod === "remaining"
  )
  const oopTotal = best((b) => b.kind === "out-of-pocket" && b.amount !== undefined && yearly.has(b.timePeriod))
  const oopRemaining = best((b) => b.kind === "out-of-pocket" && b.amount !== undefined && b.timePeriod === "remaining")
  const visitLimit = best(
    (b) => b.kind === "limitation" && b.quantity?.unit === "visits" && b.timePeriod !== "remaining"
  )
  const visitsRemaining = best(
    (b) => b.kind === "limitation" && b.quantity?.unit === "visits" && b.timePeriod === "remaining"
  )
  const authorization = best((b) => b.authorizationRequired !== undefined)
  return {
    status: response.status,
    coverage: response.coverage,
    copay: copay?.amount,
    coinsuranceBps: coinsurance?.percentBps,
    deductible: { total: deductibleTotal?.amount, remaining: deductibleRemaining?.amount },
    outOfPocket: { total: oopTotal?.amount, remaining: oopRemaining?.amount },
    visits: { limit: visitLimit?.quantity?.value, remaining: visitsRemaining?.quantity?.value },
    authorizationRequired: authorization?.authorizationRequired,
    notCovered: best((b) => b.kind === "non-covered") !== undefined,
    rejections: response.rejections
  }
}

/**
 * Eligibility answers kept for reuse: a payer asked twice about the same member and date within the tenant's
 * freshness window is not asked again. Kept in memory by default (answers carry PHI: never write them to logs).
 *
 * @since 0.1.0
 */
export class EligibilityCache extends Context.Service<
  EligibilityCache,
  {
    readonly get: (key: string) => Effect.Effect<EligibilityResponse | undefined>
    readonly set: (key: string, response: EligibilityResponse) => Effect.Effect<void>
  }
>()("@openrcm/core/EligibilityCache") {
  /** A cache in memory, for one runtime. */
  static readonly layerMemory = Layer.sync(EligibilityCache, () => {
    const entries = new Map<string, EligibilityResponse>()
    return EligibilityCache.of({
      get: (key) => Effect.sync(() => entries.get(key)),
      set: (key, response) => Effect.sync(() => void entries.set(key, response))
    })
  })
}

/**
 * The cache key of a request: the payer, the member and the date of service, and what was asked.
 *
 * @since 0.1.0
 */
export const cacheKey = (request: EligibilityRequest): string =>
  [
    request.payerId,
    request.provider.npi,
    request.subscriber.memberId,
    request.subscriber.dateOfBirth,
    request.dateOfService,
    [...request.serviceTypes].sort().join(",")
  ].join("|")
