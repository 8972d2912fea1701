import { Billing, Denial, DenialCatalog, Ids } from "@openrcm/core"
import { Effect, Option, Schema } from "effect"
import { Command, Flag } from "effect/cli"
import { decodeDocument } from "./input.js"
import { writeReport } from "./operation.js"
import { storeFlags, withStore } from "./store.js"

/** A denial in a list: codes, amounts, dates and who has it; never its notes (PHI). */
const entry = (denial: Denial.Denial) => ({
  denialId: denial.id,
  claimId: denial.claimId,
  payerId: denial.payerId,
  ...(denial.line === undefined ? {} : { line: denial.line }),
  group: denial.group,
  carc: denial.carc,
  carcDescription: Option.getOrUndefined(Option.map(DenialCatalog.carc(denial.carc), (code) => code.description)),
  rarcs: denial.rarcs,
  amount: denial.amount,
  ...(denial.deadline === undefined ? {} : { deadline: denial.deadline }),
  priority: denial.priority,
  status: denial.status,
  ...(denial.category === undefined ? {} : { category: denial.category }),
  ...(denial.action === undefined ? {} : { action: denial.action }),
  ...(denial.assignee === undefined ? {} : { assignee: denial.assignee }),
  notes: denial.notes.length
})

const list = Command.make(
  "list",
  {
    status: Flag.String("status").pipe(
      Flag.withDescription(
        "Only denials in these statuses (open, in-progress, resubmitted, appealed, written-off, resolved)"
      ),
      Flag.atLeast(0)
    ),
    assignee: Flag.String("assignee").pipe(
      Flag.withDescription("Only the denials assigned to this actor"),
      Flag.optional
    ),
    payer: Flag.String("payer").pipe(Flag.withDescription("Only this payer's denials"), Flag.optional),
    limit: Flag.Int("limit").pipe(Flag.withDescription("At most this many (default 50, up to 1,000)"), Flag.optional),
    cursor: Flag.String("cursor").pipe(Flag.withDescription("The `next` of the previous page"), Flag.optional),
    out: Flag.String("out").pipe(Flag.withDescription("Write the list (JSON) to this file"), Flag.optional),
    ...storeFlags
  },
  ({ status, assignee, payer, limit, cursor, out, ...flags }) =>
    Effect.gen(function* () {
      const statuses = yield* decodeDocument(Schema.Array(Denial.Status), "--status", status)
      const payerId = yield* Option.match(payer, {
        onNone: () => Effect.succeed(undefined),
        onSome: (value) => decodeDocument(Ids.PayerId, "--payer", value)
      })
      const page = yield* withStore(
        flags,
        { mustExist: true },
        Billing.denialQueue({
          ...(statuses.length === 0 ? {} : { status: statuses }),
          assignee: Option.getOrUndefined(assignee),
          payerId,
          limit: Option.getOrUndefined(limit),
          cursor: Option.getOrUndefined(cursor)
        })
      )
      yield* writeReport(
        { denials: page.items.map(entry), ...(page.next === undefined ? {} : { next: page.next }) },
        Option.getOrUndefined(out)
      )
    })
).pipe(
  Command.withDescription(
    "The denial work queue, highest priority first (bigger amounts and nearer deadlines first, overdue before all): codes with their descriptions, amounts, deadlines, category and recommended action. Notes are PHI and are not listed."
  ),
  Command.withExamples([
    {
      command: "openrcm denials list --tenant clinic-1 --status open",
      description: "The open denials, most urgent first"
    }
  ])
)

/**
 * @since 0.1.0
 */
export const denials = Command.make("denials").pipe(
  Command.withDescription("Work denials"),
  Command.withSubcommands([list])
)
