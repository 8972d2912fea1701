// docs/examples/secondary-claims.ts is run, not only type-checked: what remittance.md says it prints, it prints.
import { expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { TestClock } from "effect/testing"
import { primaryThenSecondary } from "./secondary-claims.js"

it.effect(
  "secondary-claims.ts: the primary's PR waits, the secondary is sent with 2320/2330, the patient owes $2",
  () =>
    Effect.gen(function* () {
      yield* TestClock.setTime(Date.UTC(2025, 4, 20, 15))
      expect(yield* primaryThenSecondary).toEqual({
        secondary: "clm-1-cob2",
        priorPaid: 8000,
        cob: ["SBR*P*18*******CI", "AMT*D*80", "NM1*PR*2*Acme Health*****PI*ACME1", "SVD*ACME1*80*HC:90834**1"],
        patientOwedAfterPrimary: 0,
        patientOwes: 200
      })
    })
)
