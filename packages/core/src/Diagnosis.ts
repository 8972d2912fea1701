/**
 * ICD-10-CM diagnosis codes: the format, and whether a behavioral-health code may be billed on a date of
 * service. Codes are validated against the date of service (the ICD-10-CM year starts every October 1), and
 * category headers such as F43.1 are not billable: a claim must carry the most specific code.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import type { DateOfService } from "./DateOfService.js"

/**
 * An ICD-10-CM code written with its dot (`F41.1`), as OpenRCM stores diagnoses. X12 drops the dot.
 *
 * @since 0.1.0
 */
export const DiagnosisCode = Schema.String.pipe(
  Schema.check(
    Schema.isPattern(/^[A-TV-Z][0-9][0-9AB](\.[0-9A-TV-Z]{1,4})?$/u, {
      expected: "an ICD-10-CM code such as F41.1"
    })
  ),
  Schema.brand("DiagnosisCode")
).annotate({ identifier: "DiagnosisCode" })

/**
 * @since 0.1.0
 */
export type DiagnosisCode = typeof DiagnosisCode.Type

interface Entry {
  readonly description: string
  /** First date of service the code is billable; ICD-10-CM itself starts 2015-10-01. */
  readonly from?: string
  /** Last date of service the code is billable. */
  readonly to?: string
  /** Set on category headers: the billable codes beneath. */
  readonly useInstead?: ReadonlyArray<string>
}

const icd10Start = "2015-10-01"

// The behavioral-health codes RULES.md names, with their validity dates (FY changes on October 1).
const table: Readonly<Record<string, Entry>> = {
  F31: { description: "Bipolar disorder (category)", useInstead: ["F31.0", "F31.9", "F31.81"] },
  "F31.0": { description: "Bipolar disorder, current episode hypomanic" },
  "F31.81": { description: "Bipolar II disorder" },
  "F31.9": { description: "Bipolar disorder, unspecified" },
  F32: { description: "Depressive episode (category)", useInstead: ["F32.0", "F32.1", "F32.2", "F32.9", "F32.A"] },
  "F32.0": { description: "Major depressive disorder, single episode, mild" },
  "F32.1": { description: "Major depressive disorder, single episode, moderate" },
  "F32.2": { description: "Major depressive disorder, single episode, severe without psychotic features" },
  "F32.3": { description: "Major depressive disorder, single episode, severe with psychotic features" },
  "F32.4": { description: "Major depressive disorder, single episode, in partial remission" },
  "F32.5": { description: "Major depressive disorder, single episode, in full remission" },
  "F32.8": {
    description: "Other depressive episodes (billable until FY2021, then a category)",
    to: "2020-09-30",
    useInstead: ["F32.81", "F32.89"]
  },
  "F32.81": { description: "Premenstrual dysphoric disorder", from: "2020-10-01" },
  "F32.89": { description: "Other specified depressive episodes", from: "2020-10-01" },
  "F32.9": { description: "Major depressive disorder, single episode, unspecified" },
  "F32.A": { description: "Depression, unspecified", from: "2021-10-01" },
  F33: { description: "Major depressive disorder, recurrent (category)", useInstead: ["F33.0", "F33.1", "F33.9"] },
  "F33.0": { description: "Major depressive disorder, recurrent, mild" },
  "F33.1": { description: "Major depressive disorder, recurrent, moderate" },
  "F33.2": { description: "Major depressive disorder, recurrent severe without psychotic features" },
  "F33.9": { description: "Major depressive disorder, recurrent, unspecified" },
  F41: { description: "Other anxiety disorders (category)", useInstead: ["F41.0", "F41.1", "F41.9"] },
  "F41.0": { description: "Panic disorder without agoraphobia" },
  "F41.1": { description: "Generalized anxiety disorder" },
  "F41.9": { description: "Anxiety disorder, unspecified" },
  "F43.1": { description: "Post-traumatic stress disorder (category)", useInstead: ["F43.10", "F43.11", "F43.12"] },
  "F43.10": { description: "Post-traumatic stress disorder, unspecified" },
  "F43.11": { description: "Post-traumatic stress disorder, acute" },
  "F43.12": { description: "Post-traumatic stress disorder, chronic" },
  "F43.20": { description: "Adjustment disorder, unspecified" },
  "F43.21": { description: "Adjustment disorder with depressed mood" },
  "F43.22": { description: "Adjustment disorder with anxiety" },
  "F43.23": { description: "Adjustment disorder with mixed anxiety and depressed mood" },
  "F90.0": { description: "Attention-deficit hyperactivity disorder, predominantly inattentive type" },
  "F90.2": { description: "Attention-deficit hyperactivity disorder, combined type" },
  "F10.20": { description: "Alcohol dependence, uncomplicated" },
  "F11.20": { description: "Opioid dependence, uncomplicated" }
}

/**
 * What a diagnosis code is worth on a date of service.
 *
 * @since 0.1.0
 */
export type Check =
  | { readonly _tag: "Billable"; readonly description: string }
  /** Well formed, but not in OpenRCM's table: a payer's code set decides. */
  | { readonly _tag: "Unverified" }
  | { readonly _tag: "InvalidFormat" }
  /** A category header: the claim needs one of `useInstead` (CO-16 with M81). */
  | { readonly _tag: "NotSpecific"; readonly useInstead: ReadonlyArray<string> }
  /** Not valid on the date of service (CO-146). */
  | { readonly _tag: "NotValidOnDate"; readonly validFrom?: string; readonly validTo?: string }

/**
 * Checks a diagnosis code against the date of service.
 *
 * @since 0.1.0
 */
export const check = (code: string, dateOfService: DateOfService): Check => {
  if (!/^[A-TV-Z][0-9][0-9AB](\.[0-9A-TV-Z]{1,4})?$/u.test(code)) return { _tag: "InvalidFormat" }
  if (dateOfService < icd10Start) return { _tag: "NotValidOnDate", validFrom: icd10Start }
  const entry = table[code]
  if (entry === undefined) return { _tag: "Unverified" }
  if (entry.from !== undefined && dateOfService < entry.from) return { _tag: "NotValidOnDate", validFrom: entry.from }
  const billableUntil = entry.to
  if (billableUntil !== undefined && dateOfService > billableUntil) {
    return entry.useInstead
      ? { _tag: "NotSpecific", useInstead: entry.useInstead }
      : { _tag: "NotValidOnDate", validTo: billableUntil }
  }
  if (entry.useInstead !== undefined && billableUntil === undefined) {
    return { _tag: "NotSpecific", useInstead: entry.useInstead }
  }
  return { _tag: "Billable", description: entry.description }
}
