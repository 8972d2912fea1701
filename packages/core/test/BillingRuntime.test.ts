import { describe, expect, it } from "@effect/vitest"
import { BillingRuntime } from "@openrcm/core"
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
})
