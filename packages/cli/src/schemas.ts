import {
  Authorization,
  ClaimBuild,
  Clearinghouse,
  Coding,
  DateOfService,
  Eligibility,
  GoodFaithEstimate,
  Ids,
  Money,
  Npi,
  PatientResponsibility,
  RulePack,
  Session
} from "@openrcm/core"
import { Schema } from "effect"

/**
 * The core schemas `openrcm schema <name>` prints, by the name a script passes. Each issue that adds a document
 * the CLI reads (a session, a rule pack, a claim) adds its schema here.
 */
export const schemas = {
  session: Coding.CodingRequest,
  "tracked-session": Session.TrackedSession,
  "rule-pack": RulePack.RulePack,
  "authorization-check": Authorization.CheckRequest,
  estimate: PatientResponsibility.EstimateRequest,
  "coded-session": ClaimBuild.CodedSession,
  "claim-batch": Clearinghouse.ClaimBatch,
  "eligibility-request": Eligibility.EligibilityRequest,
  "eligibility-response": Eligibility.EligibilityResponse,
  "good-faith-estimate": GoodFaithEstimate.GoodFaithEstimateRequest,
  money: Money.Money,
  "money-decimal": Money.MoneyFromDecimalString,
  "date-of-service": DateOfService.DateOfService,
  "date-range": DateOfService.DateRange,
  npi: Npi.Npi,
  "tenant-id": Ids.TenantId,
  "patient-id": Ids.PatientId,
  "payer-id": Ids.PayerId,
  "claim-id": Ids.ClaimId
} satisfies Record<string, Schema.Top>

export type SchemaName = keyof typeof schemas

export const schemaNames = Object.keys(schemas) as Array<SchemaName>

/** The JSON Schema (draft 2020-12) of a core schema, as one self-contained document. */
export const jsonSchemaOf = (name: SchemaName): Record<string, unknown> => {
  const document = Schema.toJsonSchemaDocument(schemas[name])
  return {
    $schema: "https://json-schema.org/draft/2020-12/schema",
    ...document.schema,
    ...(Object.keys(document.definitions).length > 0 ? { $defs: document.definitions } : {})
  }
}
