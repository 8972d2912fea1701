// docs/rule-packs.md: adding a payer is adding a pack, never code.
import { BillingRuntime, Coding, DateOfService } from "@openrcm/core"
import { Layer } from "effect"
import riverHealth from "./river-health.json" with { type: "json" }

// The host's packs load beside the built-in ones; an invalid pack fails every operation with its problems.
export const runtime = BillingRuntime.make(Layer.empty, { rulePacks: [riverHealth] })

export async function codeRiverHealthVideoSession(): Promise<string> {
  const result = await runtime.codeSession({
    dateOfService: DateOfService.make("2025-06-10"),
    rulePack: "river-health",
    service: "psychotherapy",
    minutes: 50,
    delivery: { mode: "video", patientLocation: "home" },
    clinician: { credential: "LMHC" }
  })
  // 90834:95 × 1 at POS 02, each part with the rule and pack behind it.
  return Coding.describe(result)
}
