import { dirname, join } from "node:path"
import type { Batch837 } from "@openrcm/clearinghouse-x12"
import { Clearinghouse } from "@openrcm/core"
import { ControlNumbers, Problem, type Reader, X12 } from "@openrcm/x12"
import { Console, Effect, FileSystem, Option, Stdio, Stream } from "effect"
import { Argument, Command, Flag } from "effect/cli"
import { decodeDocument, InputError, parseJson, readText } from "./input.js"
import { type ClearinghouseX12, clearinghouseX12, describeError, writeFileAtomically } from "./operation.js"
import { partiesOf, partyFlags } from "./parties.js"

const fileArgument = Argument.String("file").pipe(Argument.withDescription("An X12 file (any size: it is streamed)"))
const strictFlag = Flag.Boolean("strict").pipe(
  Flag.withDescription("Stop at the first error instead of recovering and reporting every problem"),
  Flag.withDefault(false)
)

const maxProblemsFlag = Flag.Int("max-problems").pipe(
  Flag.filter(
    (n) => n >= 0,
    (n) => `--max-problems must be 0 or more, not ${n}`
  ),
  Flag.withDescription(
    "Report at most this many problems (errors and warnings): one more stops the read with a too-many-problems error, exit 1. Default: no bound (the file is streamed and each problem printed as it comes, none kept)"
  ),
  Flag.optional
)

const describeProblem = (problem: Problem.Problem) =>
  `${problem.severity} ${problem.code}: ${problem.message} (${Problem.position(problem)})`

/** How a file is read: `--strict`, and `--max-problems` when given. */
interface ReadFlags {
  readonly strict: boolean
  readonly maxProblems: Option.Option<number>
}

/**
 * A file's events, read as they are needed: the file is never held whole. A file that cannot be read, and X12 the
 * reader cannot read on from (or, when `strict`, the first error, or past `maxProblems` problems), end the stream
 * with an `InputError`.
 */
const eventsOf = (fs: FileSystem.FileSystem, path: string, { strict, maxProblems }: ReadFlags) =>
  // The streaming reader keeps no problem (each is printed as it comes), so by default it has no bound on them.
  X12.stream(fs.stream(path), {
    mode: strict ? "strict" : "tolerant",
    ...Option.match(maxProblems, { onNone: () => ({}), onSome: (n) => ({ maxProblems: n }) })
  }).pipe(
    Stream.catchTag("PlatformError", (error) =>
      Stream.fail(new InputError({ problems: [`${path}: cannot be read (${error.reason._tag})`] }))
    ),
    Stream.catchTag("X12ParseError", (error) =>
      Stream.fail(new InputError({ problems: [`${path}: ${describeProblem(error.problem)}`] }))
    )
  )

/**
 * Writes a file's events to standard output as lines (`line` gives an event's line, or undefined to print nothing),
 * waiting whenever standard output is full: the events read are never more than what the reader of the output has
 * taken. Returns the problems' counts.
 */
const printEvents = (path: string, flags: ReadFlags, line: (event: Reader.Event) => string | undefined) =>
  Effect.gen(function* () {
    const fs = yield* FileSystem.FileSystem
    const stdio = yield* Stdio.Stdio
    const counts = { errors: 0, warnings: 0 }
    yield* eventsOf(fs, path, flags).pipe(
      Stream.mapArray((events) => {
        // One write per chunk of events (the reader's events for a slice of the input), not one per event.
        let text = ""
        for (const event of events) {
          if (event._tag === "Problem") counts[event.problem.severity === "error" ? "errors" : "warnings"]++
          const printed = line(event)
          if (printed !== undefined) text += `${printed}\n`
        }
        return [text]
      }),
      Stream.filter((text) => text !== ""),
      Stream.run(stdio.stdout()),
      Effect.catchTag("PlatformError", () =>
        Effect.fail(new InputError({ problems: [`standard output closed: stopped reading ${path}`] }))
      )
    )
    return counts
  })

const readFlags = { file: fileArgument, strict: strictFlag, maxProblems: maxProblemsFlag }

const read = Command.make("read", readFlags, ({ file, ...flags }) =>
  Effect.gen(function* () {
    // JSON lines: one document per line, each event as it completes, so any size streams.
    const { errors } = yield* printEvents(file, flags, (event) => JSON.stringify(event))
    if (errors > 0) yield* Console.error(`${errors} error(s)`)
  })
).pipe(
  Command.withDescription(
    "Read an X12 file (835, 837P, 271, 277/277CA, 999) and print it as JSON lines, one event per line as the file is read: Interchange, Group, Item (an 835's or 837's claim, a 271's member, a 277's claim), Transaction (its header and typed model), InterchangeAcknowledgment (TA1) and Problem (code, message and position: interchange, group, transaction, segment index and id, element). Exit 0 unless the file cannot be read on (or, with --strict, has an error; with --max-problems N, has more than N problems)."
  ),
  Command.withExamples([
    {
      command: "openrcm x12 read remit.835 | jq -c 'select(._tag == \"Item\") | .item'",
      description: "The claims of an 835, one per line"
    }
  ])
)

const validate = Command.make("validate", readFlags, ({ file, ...flags }) =>
  Effect.gen(function* () {
    const { errors, warnings } = yield* printEvents(file, flags, (event) =>
      event._tag === "Problem" ? describeProblem(event.problem) : undefined
    )
    const summary = `${file}: ${errors} error(s), ${warnings} warning(s)`
    if (errors > 0) return yield* new InputError({ problems: [summary] })
    yield* Console.error(summary)
  })
).pipe(
  Command.withDescription(
    "Check an X12 file: print only its problems on standard output, one per line with its position; the counts go to standard error; exit 1 on any error."
  )
)

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
