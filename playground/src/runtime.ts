// The playground's runtime: the real packages, wired as a host would wire them. The store is the demo practice
// (seeded through the real Billing operations) and the clearinghouse is the sandbox, which answers with real X12
// (999, 277CA, 835) it writes from the payers' rule packs. Built once, outside React.
// The sandbox module alone: the package root also exports the SFTP mailbox, which is Node-only.
import * as Sandbox from "@openrcm/clearinghouse-x12/Sandbox"
import { BillingRuntime, type Caller, DateOfService } from "@openrcm/core"
import { DemoPractice } from "@openrcm/core/testing"
import { Effect, Layer } from "effect"
import { clockLayer } from "./clock.js"

/** Who the playground's person is acting as; each role sees the screens it uses. */
export type Role = "front-desk" | "clinician" | "biller" | "admin"

export const roles: ReadonlyArray<{ readonly role: Role; readonly label: string; readonly purpose: Caller.Purpose }> = [
  { role: "front-desk", label: "Front desk", purpose: "operations" },
  { role: "clinician", label: "Clinician", purpose: "treatment" },
  { role: "biller", label: "Biller", purpose: "payment" },
  { role: "admin", label: "Admin", purpose: "operations" }
]

/** The caller a role acts as, in the demo practice's tenant. */
export const callerOf = (role: Role): Caller.CallerInfo => ({
  tenantId: DemoPractice.ids.tenantId,
  actor: `user:${role}`,
  purpose: roles.find((r) => r.role === role)?.purpose ?? "operations"
})

/** Today in the practice's time zone: the demo's history counts back from it. */
export const today = Effect.runSync(DateOfService.today(DemoPractice.timeZone))

const makeRuntime = () =>
  BillingRuntime.make(
    Layer.mergeAll(
      clockLayer,
      DemoPractice.layer({ today }),
      // Answers come as soon as the person asks for them: the sandbox's clock delays are for tests.
      Sandbox.layerBuiltin({
        members: DemoPractice.members(today),
        timeZone: DemoPractice.timeZone,
        delays: { acknowledgement: 0, claimStatus: 0, remittance: 0 }
      })
    )
  )

export type PlaygroundRuntime = ReturnType<typeof makeRuntime>

/** The first runtime; `reset` makes another (the app disposes the old one once nothing on screen uses it). */
export const initialRuntime = makeRuntime()

/** A fresh runtime: the practice as seeded. */
export const reset = (): PlaygroundRuntime => makeRuntime()

/** Every X12 file the sandbox exchanged this visit: the 837Ps sent and the 999, 277CA and 835 answers. */
export const sandboxFiles = (playground: PlaygroundRuntime) =>
  playground.runPromise(
    Effect.gen(function* () {
      const sandbox = yield* Sandbox.Sandbox
      return yield* sandbox.files
    })
  )
