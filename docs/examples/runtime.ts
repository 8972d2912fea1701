// docs/getting-started.md: running an operation from a host that does not use Effect.
import { BillingRuntime, DateOfService } from "@openrcm/core"
import { Layer } from "effect"

// Build once, at start-up, from the layers your host chooses (store, clearinghouse, ...).
export const runtime = BillingRuntime.make(Layer.empty)

export async function todayInChicago(): Promise<DateOfService.DateOfService> {
  return runtime.runPromise(DateOfService.today("America/Chicago"))
}
