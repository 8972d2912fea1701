import { dirname, join } from "node:path"
import type { Batch837 } from "@openrcm/clearinghouse-x12"
import { Clearinghouse } from "@openrcm/core"
import { ControlNumbers, Problem, X12 } from "@openrcm/x12"
import { Console, Effect, FileSystem, Option, Stream } from "effect"
import { Argument, Command, Flag } from "effect/cli"
import { decodeDocument, InputError, parseJson, readText } from "./input.js"
import { type ClearinghouseX12, clearinghouseX12, describeError, writeFileAtomically } from "./operation.js"
import { partiesOf, partyFlags } from "./parties.js"

const fileArgument = Argument.String("file").pipe(Argument.withDescription("An X12 file (any size: it is streamed)"))
const strictFlag = Flag.Boolean("strict").pipe(
  Flag.withDescription("Stop at the first error instead of recovering and reporting every problem"),
  Flag.withDefault(false)
)

const describeProblem = (problem: Problem.Problem) =>
  `${problem.severity} ${problem.code}: ${problem.message} (${Problem.position(problem)})`

/** Streams a file's events through `onEvent`; counts errors. */
const streamFile = (path: string, strict: boolean, onEvent: (event: unknown) => Effect.Effect<void>) =>
  Effect.gen(function* () {
    const fs = yield* FileSystem.FileSystem
    let errors = 0
    yield* X12.stream(fs.stream(path), { mode: strict ? "strict" : "tolerant" }).pipe(
      Stream.runForEach((event) => {
        if (event._tag === "Problem" && event.problem.severity === "error") errors++
        return onEvent(event)
      }),
      Effect.catchTag("PlatformError", (error) =>
        Effect.fail(new InputError({ problems: [`${path}: cannot be read (${error.reason._tag})`] }))
      ),
      Effect.catchTag("X12ParseError", (error) =>
        Effect.fail(new InputError({ problems: [`${path}: ${describeProblem(error.problem)}`] }))
      )
    )
    return errors
  })

const read = Command.make("read", { file: fileArgument, strict: strictFlag }, ({ file, strict }) =>
  Effect.gen(function* () {
    // One JSON document per line (interchange, group, item, transaction, problem), so any size streams.
    const errors = yield* streamFile(file, strict, (event) => Console.log(JSON.stringify(event)))
    if (errors > 0) yield* Console.error(`${errors} error(s)`)
  })
).pipe(
  Command.withDescription(
    "Read an X12 file (835, 837P, 271, 277/277CA, 999) and print its typed transactions and every problem with its position, as JSON lines."
  )
)

const validate = Command.make("validate", { file: fileArgument, strict: strictFlag }, ({ file, strict }) =>
  Effect.gen(function* () {
    let warnings = 0
    const errors = yield* streamFile(file, strict, (event) => {
      const e = event as { _tag: string; problem?: Problem.Problem }
      if (e._tag !== "Problem" || e.problem === undefined) return Effect.void
      if (e.problem.severity === "warning") warnings++
      return Console.log(describeProblem(e.problem))
    })
    yield* Console.log(`${file}: ${errors} error(s), ${warnings} warning(s)`)
    if (errors > 0) return yield* new InputError({ problems: [`${file} has ${errors} error(s)`] })
  })
).pipe(Command.withDescription("Check an X12 file: print only its problems, with positions; exit 1 on any error."))

/** The control numbers' state folder when `--state` is not given: beside the output file. */
export const defaultStateFolder = (out: string): string => join(dirname(out), "openrcm-x12-state")

/**
 * Allocates the file's control numbers from the state folder's high-water marks (the layout
 * `MailboxClearinghouse` keeps, so a mailbox's state folder may be shared) and saves the new marks before the
 * file carries them: a number is never in two files, even when the write fails.
 */
const allocateControls = (x12: ClearinghouseX12, parties: Batch837.Parties) =>
  Effect.gen(function* () {
    const state = yield* x12.State.State
    const controlNumbers = yield* ControlNumbers.ControlNumbers
    const controls = yield* x12.Batch837.allocate(controlNumbers, parties)
    yield* state.set(x12.MailboxClearinghouse.stateKeys.controlNumbers, yield* controlNumbers.highWaterMarks)
    return controls
  })

const write837 = Command.make(
  "837",
  {
    file: Argument.String("batch.json").pipe(
      Argument.withDescription("A claim batch as JSON (`openrcm schema claim-batch`), or - for standard input")
    ),
    out: Flag.String("out").pipe(Flag.withDescription("The 837P file to write")),
    state: Flag.String("state").pipe(
      Flag.withDescription(
        "The folder that remembers the control numbers used, so they never repeat (default: openrcm-x12-state beside the output; a mailbox's <dir>/state shares its numbering)"
      ),
      Flag.optional
    ),
    ...partyFlags
  },
  ({ file, out, state, ...flags }) =>
    Effect.gen(function* () {
      const parties = yield* partiesOf(flags, "for an 837P")
      const input = yield* readText(file)
      const batch = yield* decodeDocument(Clearinghouse.ClaimBatch, input.source, yield* parseJson(input))
      const folder = Option.getOrElse(state, () => defaultStateFolder(out))
      const x12 = yield* clearinghouseX12
      const controls = yield* allocateControls(x12, parties).pipe(
        Effect.provide(x12.MailboxClearinghouse.layerControlNumbers),
        Effect.provide(x12.State.layerDirectory({ folder })),
        Effect.mapError((error) => new InputError({ problems: [`${folder}: ${describeError(error)}`] }))
      )
      const now = yield* Effect.clockWith((clock) => clock.currentTimeMillis)
      const written = x12.Batch837.writeWith(batch, parties, controls, x12.Batch837.stamp(now))
      if (written._tag === "Failure") {
        // Paths in the 837 model and what is wrong, never the values.
        return yield* new InputError({
          problems: written.failure.failures.map((f) => `${input.source}: 837P not written: ${f.path} ${f.message}`)
        })
      }
      yield* writeFileAtomically(out, written.success.text)
      yield* Console.log(
        JSON.stringify(
          { file: out, ...controls, usage: parties.usage ?? "P", claims: written.success.claimIds.length },
          null,
          2
        )
      )
    })
).pipe(
  Command.withDescription(
    "Write a claim batch (JSON) as an 837P 005010X222A1 file, with control numbers that never repeat across runs."
  ),
  Command.withExamples([
    {
      command:
        "openrcm x12 837 batch.json --out batch.837 --submitter-id ETIN1 --submitter-name 'Riverbend BH' --receiver-id CLEARHOUSE --contact-phone 5035550100 --usage T",
      description: "A test file"
    }
  ])
)

export const x12 = Command.make("x12").pipe(
  Command.withDescription("X12 5010 files: read, validate, and write an 837P."),
  Command.withSubcommands([read, validate, write837])
)
