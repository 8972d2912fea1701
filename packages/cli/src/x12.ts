import { Problem, X12 } from "@openrcm/x12"
import { Console, Effect, FileSystem, Stream } from "effect"
import { Argument, Command, Flag } from "effect/cli"
import { InputError } from "./input.js"

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

export const x12 = Command.make("x12").pipe(
  Command.withDescription("X12 5010 files: read and validate."),
  Command.withSubcommands([read, validate])
)
