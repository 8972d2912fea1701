import { basename } from "node:path"
import { Billing } from "@openrcm/core"
import { Effect, Option } from "effect"
import { Argument, Command, Flag } from "effect/cli"
import { InputError, readText } from "./input.js"
import { clearinghouseX12, writeReport } from "./operation.js"
import { storeFlags, withStore } from "./store.js"

const post = Command.make(
  "post",
  {
    file: Argument.String("file.835").pipe(Argument.withDescription("An 835 file (- for standard input)")),
    out: Flag.String("out").pipe(Flag.withDescription("Write the summary (JSON) to this file"), Flag.optional),
    ...storeFlags
  },
  ({ file, out, ...flags }) =>
    Effect.gen(function* () {
      const { Responses } = yield* clearinghouseX12
      const input = yield* readText(file)
      const read = Responses.read(input.text, { id: file === "-" ? "stdin" : basename(file) })
      if (read._tag === "Failure") {
        return yield* new InputError({ problems: [`${input.source}: not X12 (${read.failure.message})`] })
      }
      const advices = read.success.responses.flatMap((response) =>
        response._tag === "Remittance" ? [response.advice] : []
      )
      if (advices.length === 0) return yield* new InputError({ problems: [`${input.source}: no 835 in it`] })
      const reports = yield* withStore(flags, { mustExist: true }, Effect.forEach(advices, Billing.postRemittance))
      const remittances = reports.map((report) => ({
        remittanceId: report.remittanceId,
        duplicate: report.duplicate,
        traceNumber: report.traceNumber,
        claimsMatched: report.matched.length,
        paid: report.paid,
        adjusted: report.adjusted,
        patientResponsibility: report.patientResponsibility,
        providerLevel: report.providerLevel,
        unmatched: report.unmatched,
        balancing: report.balancing,
        reversals: report.reversals,
        denied: report.denied.length,
        denialsQueued: report.denials.filter((outcome) => outcome._tag === "Recorded").length
      }))
      const problems = read.success.problems.map((problem) => problem.code)
      yield* writeReport({ remittances, readerProblems: problems }, Option.getOrUndefined(out))
      if (remittances.some((r) => r.unmatched.length > 0 || r.balancing.length > 0)) process.exitCode = 2
    })
).pipe(
  Command.withDescription(
    "Post an 835: match each claim payment and service line to what was billed, post payments, adjustments (CO, OA, PI), patient responsibility to the patient's ledger and provider-level adjustments, undo reversals, and report what matched, what did not (with candidates) and what does not balance. Posting the same 835 twice changes nothing. Exit 2 when something is unmatched or unbalanced."
  ),
  Command.withExamples([
    { command: "openrcm remit post era-0412.835 --tenant clinic-1", description: "Post a remittance" }
  ])
)

/**
 * @since 0.1.0
 */
export const remit = Command.make("remit").pipe(
  Command.withDescription("Post remittances (835)"),
  Command.withSubcommands([post])
)
