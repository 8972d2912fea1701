/**
 * The rule decisions the coding engine (`Coding`) and the scrubber (`Scrub`) share, so that a claim line is
 * checked by the very rule that coded it: which telehealth rule applies to a session, whether it covers the
 * session and each code, the place of service; who may bill a code; which credential modifier a program requires.
 * Each module words its own explanations and findings; the decisions are here. Pure and allocation-free: both
 * callers are hot paths.
 */
import type { Delivery } from "../Coding.js"
import type { Credential } from "../Credential.js"
import type { FacilityType } from "../Organization.js"
import { type CredentialModifier, isInForce, type TelehealthRule } from "../RulePack.js"
import type { BillableByRule } from "../RuleSet.js"

type Telehealth = typeof TelehealthRule.Type
type CredentialModifierRule = typeof CredentialModifier.Type
type PatientLocation = "home" | "other"

// ---------------------------------------------------------------------------------------------------------------
// Who may bill a code (billableBy)

/**
 * The rule that decides whether a credential may bill a code on a date: the first rule in force that names the
 * credential (it may), else the first rule in force (it may not; the rule's note says why). Undefined when no rule
 * for the code is in force: a code named by no rule in force is billed by any credential.
 */
export const billingRule = (
  rules: ReadonlyArray<BillableByRule>,
  credential: Credential,
  date: string
): BillableByRule | undefined => {
  let first: BillableByRule | undefined
  for (let r = 0; r < rules.length; r++) {
    const rule = rules[r] as BillableByRule
    if (!isInForce(rule.effective, date)) continue
    if (rule.credentials.has(credential)) return rule
    first ??= rule
  }
  return first
}

// ---------------------------------------------------------------------------------------------------------------
// Credential modifiers (HO, HN, HP...)

/**
 * What a credential-modifier rule asks of a line of a code billed by a credential on a date: `required` when the
 * rule is in force, covers the code (names it, or names no codes) and names the credential; `other` when it is in
 * force and covers the code for other credentials only (its modifier on this line is a wrong level: HN where HO is
 * due); undefined when it does not apply.
 */
export const credentialModifierFor = (
  rule: CredentialModifierRule,
  credential: Credential,
  code: string,
  date: string
): "required" | "other" | undefined => {
  if (!credentialModifierCovers(rule, code) || !isInForce(rule.effective, date)) return undefined
  return rule.credentials.includes(credential) ? "required" : "other"
}

/** True when a credential-modifier rule may apply to a code, whatever the credential and date. */
export const credentialModifierCovers = (rule: CredentialModifierRule, code: string): boolean =>
  rule.codes === undefined || rule.codes.includes(code)

// ---------------------------------------------------------------------------------------------------------------
// Telehealth

/**
 * The index of a telehealth session's rule: the first in force on the date for the delivery mode and, when the
 * rule names facility types, for the billing facility's type; -1 when there is none.
 */
export const telehealthRuleIndex = (
  rules: ReadonlyArray<Telehealth>,
  mode: Telehealth["mode"],
  date: string,
  facilityType: FacilityType | undefined
): number => {
  for (let r = 0; r < rules.length; r++) {
    const rule = rules[r] as Telehealth
    if (rule.mode !== mode || !isInForce(rule.effective, date)) continue
    if (rule.facilityTypes !== undefined && (facilityType === undefined || !rule.facilityTypes.includes(facilityType)))
      continue
    return r
  }
  return -1
}

/**
 * Why a telehealth rule does not cover a session, checked in this order: the payer does not cover the mode
 * (`allowed: false`), the patient was not where the rule requires (Medicare audio-only: at home), or, given a code,
 * the rule lists the codes of the mode and not this one (audio-only: CPT Appendix T). Undefined when covered.
 */
export const telehealthGap = (
  rule: Telehealth,
  patientLocation: PatientLocation,
  code?: string
): "mode-not-covered" | "patient-location" | "code-not-eligible" | undefined =>
  rule.allowed === false
    ? "mode-not-covered"
    : rule.patientLocations !== undefined && !rule.patientLocations.includes(patientLocation)
      ? "patient-location"
      : code !== undefined && !telehealthCoversCode(rule, code)
        ? "code-not-eligible"
        : undefined

/** True when a telehealth rule covers a code: it lists no codes, or lists this one. */
export const telehealthCoversCode = (rule: Telehealth, code: string): boolean =>
  rule.codes === undefined || rule.codes.includes(code)

/**
 * A session's place of service: in person, the session's (11, office, by default); by telehealth, the rule's for
 * where the patient was, or without a rule 10 at home and 02 elsewhere (RULES.md §3).
 */
export const placeOfServiceOf = (delivery: Delivery, rule: Telehealth | undefined): string =>
  delivery.mode === "in-person"
    ? (delivery.placeOfService ?? "11")
    : delivery.patientLocation === "home"
      ? rule === undefined
        ? "10"
        : rule.placeOfService.home
      : rule === undefined
        ? "02"
        : rule.placeOfService.other

/** Where the patient was, in words: `at home` or `away from home`. */
export const patientWhere = (location: PatientLocation): string => (location === "home" ? "at home" : "away from home")

/** Where a rule with `patientLocations` requires the patient to be, in words (after "covered only with the patient"). */
export const requiredWhere = (rule: Telehealth): string =>
  rule.patientLocations?.includes("home") === true ? "at home" : "away from home"
