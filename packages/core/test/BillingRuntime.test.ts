import { describe, expect, it } from "@effect/vitest"
import { BillingRuntime, Caller, DateOfService, type Ids, Patient, RulePack, Store } from "@openrcm/core"
import { InMemoryStore } from "@openrcm/core/testing"
import { Context, Effect, Exit, Layer, Schema } from "effect"

class Greeter extends Context.Service<Greeter, { readonly greet: (name: string) => Effect.Effect<string> }>()(
  "test/Greeter"
) {}

describe("BillingRuntime", () => {
  it("runs operations as Promises and releases its layers on dispose", async () => {
    const released: Array<string> = []
    const layer = Layer.effect(
      Greeter,
      Effect.acquireRelease(Effect.succeed(Greeter.of({ greet: (name) => Effect.succeed(`hello ${name}`) })), () =>
        Effect.sync(() => released.push("greeter"))
      )
    )
    const runtime = BillingRuntime.make(layer)
    await expect(runtime.runPromise(Greeter.use((g) => g.greet("desk")))).resolves.toBe("hello desk")
    const failed = await runtime.runPromiseExit(Effect.fail("nope" as const))
    expect(Exit.isFailure(failed)).toBe(true)
    expect(released).toEqual([])
    await runtime.dispose()
    expect(released).toEqual(["greeter"])
  })

  it("offers the billing operations as Promise methods, with the host's own packs", async () => {
    const runtime = BillingRuntime.make(Layer.empty, {
      rulePacks: [
        {
          id: "river-health",
          version: "1.0.0",
          name: "River Health",
          layer: "payer",
          extends: "cpt-base",
          effective: { from: "2025-01-01" },
          settings: { unitRounding: "full_unit" }
        }
      ]
    })
    const result = await runtime.codeSession({
      dateOfService: DateOfService.make("2025-05-05"),
      rulePack: "river-health",
      service: "psychotherapy",
      minutes: 60,
      delivery: { mode: "in-person" },
      clinician: { credential: "LPC" }
    })
    expect(result._tag === "Billable" && result.lines.map((l) => l.code)).toEqual(["90837"])
    await expect(
      runtime.validateRulePack({ id: "x", version: "1", name: "X", layer: "payer", effective: {} })
    ).rejects.toBeInstanceOf(RulePack.RulePackError)
    await expect(
      runtime.validateRulePack({
        id: "orphan",
        version: "1.0.0",
        name: "Orphan",
        layer: "payer",
        extends: "nobody",
        effective: {}
      })
    ).rejects.toThrow("no loaded pack has the id nobody")
    await runtime.dispose()
  })

  it("fails every operation when a host pack is invalid, saying which problem", async () => {
    const runtime = BillingRuntime.make(Layer.empty, { rulePacks: [{ id: "broken" }] })
    await expect(runtime.validateRulePack({})).rejects.toThrow("rule pack broken is invalid")
    await runtime.dispose()
  })

  it("verifies the caller's audit chain on the host's store, and says plainly when there is none", async () => {
    const caller = { tenantId: "t-audit" as Ids.TenantId, actor: "user:1", purpose: "operations" as const }
    const runtime = BillingRuntime.make(InMemoryStore.layer)
    const patient = Schema.decodeUnknownSync(Patient.Patient)({
      id: "p-1",
      tenantId: "t-audit",
      firstName: "Ada",
      lastName: "Byron",
      dateOfBirth: "1990-01-01",
      sex: "F",
      address: { line1: "1 Main St", city: "Springfield", state: "IL", postalCode: "62701" }
    })
    await runtime.runPromise(
      Effect.flatMap(Store.Store, (store) => store.patients.put(patient)).pipe(
        Effect.provideService(Caller.Caller, caller)
      )
    )
    expect(await runtime.verifyAuditChain(caller)).toMatchObject({ _tag: "Intact", events: 1 })
    await runtime.dispose()
    const bare = BillingRuntime.make(Layer.empty)
    await expect(bare.verifyAuditChain(caller)).rejects.toThrow(/needs a Store/u)
    await bare.dispose()
  })
})
