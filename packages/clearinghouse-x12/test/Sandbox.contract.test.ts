import { Effect } from "effect"
import { TestClock } from "effect/testing"
import { clearinghouseContract } from "../../core/test/clearinghouse/contract.js"
import * as Sandbox from "../src/Sandbox.js"

clearinghouseContract(
  "Sandbox (X12)",
  (setup) =>
    Sandbox.layerBuiltin({
      members: setup.members,
      unsupportedPayers: setup.unsupportedPayers,
      failures: setup.failures,
      delays: { acknowledgement: 1_000, claimStatus: 60_000, remittance: 3_600_000 }
    }),
  { settle: Effect.asVoid(TestClock.adjust("2 hours")), injects: ["Timeout", "Unavailable", "Refused"] }
)
