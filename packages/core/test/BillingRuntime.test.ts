import { describe, expect, it } from "@effect/vitest"
import { BillingRuntime, DateOfService, RulePack } from "@openrcm/core"
import { Context, Effect, Exit, Layer } from "effect"

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
})
