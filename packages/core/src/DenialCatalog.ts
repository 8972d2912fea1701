/**
 * The CARC and RARC code tables and the denial categories shipped in `data/` (see `data/README.md`): look a code
 * up (its description and the dates it is valid), classify an adjustment (group, CARC, RARCs) into a category and
 * a recommended action with its explanation, and the deadline to appeal under the payer's rule pack.
 *
 * Classification, in order:
 * 1. The entry of `denial-categories.json` whose CARC and group both match, else the CARC's entry without a group.
 *    A CARC without an entry is `other` / `appeal` (the table leaves payer-specific codes out on purpose: a person
 *    reads the remittance).
 * 2. Group `PR` (patient responsibility): the action is `bill-patient`, and the category is the PR entry's, or
 *    `patient-responsibility` when the CARC has no PR entry.
 * 3. Any other group never bills the patient: an entry whose action is `bill_patient` becomes `write-off`.
 * 4. RARC `N211` (no appeal rights) turns `appeal` into `write-off`.
 * 5. A CARC not valid on the date (before its start, after its stop, or deactivated without a known stop) is still
 *    classified; the explanation says so.
 *
 * @since 0.1.0
 */
import { Option } from "effect"
import carcRows from "../data/carc.json" with { type: "json" }
import categoryTable from "../data/denial-categories.json" with { type: "json" }
import rarcRows from "../data/rarc.json" with { type: "json" }
import * as DateOfService from "./DateOfService.js"
import type { Action, Category } from "./Denial.js"
import type { Origin, RuleSet } from "./RuleSet.js"

/**
 * A CARC or RARC as published: `stop` is set only on deactivated codes, and a few deactivated codes have no known
 * stop date, so read `status`, not `stop === null`.
 *
 * @since 0.1.0
 */
export interface Code {
  readonly code: string
  readonly description: string
  readonly start: DateOfService.DateOfService | null
  readonly stop: DateOfService.DateOfService | null
  readonly status: "current" | "deactivated"
}

interface Row {
  readonly code: string
  readonly description: string
  readonly start: string | null
  readonly stop: string | null
  readonly status: string
}

const index = (rows: ReadonlyArray<Row>): ReadonlyMap<string, Code> =>
  new Map(
    rows.map((row) => [
      row.code,
      {
        code: row.code,
        description: row.description,
        start: row.start as DateOfService.DateOfService | null,
        stop: row.stop as DateOfService.DateOfService | null,
        status: row.status === "deactivated" ? "deactivated" : "current"
      } satisfies Code
    ])
  )

let carcs: ReadonlyMap<string, Code> | undefined
let rarcs: ReadonlyMap<string, Code> | undefined

/**
 * A Claim Adjustment Reason Code (`45`, `CO-45` is not a code: the group is separate).
 *
 * @since 0.1.0
 */
export const carc = (code: string): Option.Option<Code> => {
  carcs ??= index(carcRows)
  return Option.fromNullishOr(carcs.get(code.trim().toUpperCase()))
}

/**
 * A Remittance Advice Remark Code (`N211`, `M51`).
 *
 * @since 0.1.0
 */
export const rarc = (code: string): Option.Option<Code> => {
  rarcs ??= index(rarcRows)
  return Option.fromNullishOr(rarcs.get(code.trim().toUpperCase()))
}

/**
 * Whether a code was valid on a date: started (or no start known) and not deactivated by then. A deactivated
 * code without a known stop date is taken as not valid.
 *
 * @since 0.1.0
 */
export const isValidOn = (code: Code, date: DateOfService.DateOfService): boolean =>
  (code.start === null || code.start <= date) && (code.status === "current" || (code.stop !== null && date < code.stop))

/**
 * The claim adjustment group codes of 5010 (CR was removed).
 *
 * @since 0.1.0
 */
export type Group = "CO" | "PR" | "OA" | "PI"

/**
 * @since 0.1.0
 */
export interface Classification {
  readonly category: Category
  readonly action: Action
  /** Why, in words: the rule of the table that decided, and what changed it. Codes only, never PHI. */
  readonly explanation: string
  /** The table's note on the entry (the usual alternative), if any. */
  readonly note: string | undefined
}

interface Mapping {
  readonly carc: string
  readonly group: string | null
  readonly category: string
  readonly action: string
  readonly note?: string
}

let mappings: ReadonlyMap<string, Mapping> | undefined

const mappingKey = (carcCode: string, group: string | null) => `${group ?? "*"}-${carcCode}`

const mappingFor = (carcCode: string, group: string): Mapping | undefined => {
  mappings ??= new Map((categoryTable.mappings as ReadonlyArray<Mapping>).map((m) => [mappingKey(m.carc, m.group), m]))
  return mappings.get(mappingKey(carcCode, group)) ?? mappings.get(mappingKey(carcCode, null))
}

const kebab = <A extends string>(value: string): A => value.replaceAll("_", "-") as A

/**
 * Classifies an adjustment: its category, the recommended action and why (see the module's rules).
 *
 * @since 0.1.0
 */
export const classify = (
  group: string,
  carcCode: string,
  rarcCodes: ReadonlyArray<string>,
  options: { readonly date: DateOfService.DateOfService }
): Classification => {
  const g = group.trim().toUpperCase()
  const code = carcCode.trim().toUpperCase()
  const mapping = mappingFor(code, g)
  const reasons: Array<string> = []
  let category: Category
  let action: Action
  if (mapping === undefined) {
    category = "other"
    action = "appeal"
    reasons.push(`${g}-${code} is not classified by the denial table: review the remittance (default: appeal)`)
  } else {
    category = kebab<Category>(mapping.category)
    action = kebab<Action>(mapping.action)
    reasons.push(
      `${g}-${code} → ${category}, ${action} (denial-categories.json: CARC ${code}${mapping.group === null ? "" : `, group ${mapping.group}`})`
    )
  }
  if (g === "PR") {
    if (mapping?.group !== "PR" && category !== "patient-responsibility") {
      category = "patient-responsibility"
      reasons.push("group PR: the payer assigns the amount to the patient")
    }
    if (action !== "bill-patient") {
      action = "bill-patient"
      reasons.push("group PR: bill the patient")
    }
  } else if (action === "bill-patient") {
    action = "write-off"
    reasons.push(`group ${g}: only a PR amount may be billed to the patient, so write it off`)
  }
  if (action === "appeal" && rarcCodes.some((r) => r.trim().toUpperCase() === "N211")) {
    action = "write-off"
    reasons.push("RARC N211: no appeal rights")
  }
  const found = carc(code)
  if (Option.isNone(found)) reasons.push(`CARC ${code} is not in the published list`)
  else if (!isValidOn(found.value, options.date)) reasons.push(`CARC ${code} was not valid on ${options.date}`)
  return { category, action, explanation: reasons.join("; "), note: mapping?.note }
}

/**
 * The appeal window used when no pack of the chain sets `settings.appealWindowDays`: 60 days, the shortest window
 * common among commercial payers, so a deadline is never later than the payer's.
 *
 * @since 0.1.0
 */
export const defaultAppealWindowDays = 60

/**
 * @since 0.1.0
 */
export interface Deadline {
  readonly date: DateOfService.DateOfService
  readonly days: number
  /** The pack setting it came from; absent when the default applied. */
  readonly origin: Origin | undefined
  readonly explanation: string
}

/**
 * The last day to appeal a denial received on `receivedOn`: the chain's `settings.appealWindowDays` (the latest
 * layer that sets it) after that day, or `defaultAppealWindowDays`.
 *
 * @since 0.1.0
 */
export const appealDeadline = (receivedOn: DateOfService.DateOfService, ruleSet: RuleSet): Deadline => {
  const setting = ruleSet.settings.appealWindowDays
  const days = typeof setting?.value === "number" && setting.value > 0 ? setting.value : undefined
  if (days === undefined || setting === undefined) {
    return {
      date: DateOfService.addDays(receivedOn, defaultAppealWindowDays),
      days: defaultAppealWindowDays,
      origin: undefined,
      explanation: `${defaultAppealWindowDays} days from ${receivedOn} (default: no pack of ${ruleSet.chain.join(" → ")} sets appealWindowDays)`
    }
  }
  return {
    date: DateOfService.addDays(receivedOn, days),
    days,
    origin: setting.origin,
    explanation: `${days} days from ${receivedOn} (pack ${setting.origin.pack} ${setting.origin.path})`
  }
}
