import { InMemoryClearinghouse } from "@openrcm/core/testing"
import { Effect } from "effect"
import { clearinghouseContract } from "./contract.js"

clearinghouseContract(
  "InMemoryClearinghouse",
  (setup) =>
    InMemoryClearinghouse.layer(setup.members, {
      unsupportedPayers: setup.unsupportedPayers,
      failures: setup.failures.map((reason) => (reason === "Timeout" ? "timeout" : "unavailable"))
    }),
  // It answers at once, and its failure queue has no `Refused` (refusal comes from `unsupportedPayers`).
  { settle: Effect.void, injects: ["Timeout", "Unavailable"] }
)
