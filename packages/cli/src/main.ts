import { Authorization, Billing, Coding, PatientResponsibility, type RuleSet, Session } from "@openrcm/core"
import { Console, Effect, Option } from "effect"
import { Argument, Command } from "effect/cli"
import packageJson from "../package.json" with { type: "json" }
import { claims } from "./claims.js"
import { denials } from "./denials.js"
import { decodeDocument, InputError, parseJson, readText } from "./input.js"
import { packFlag, runOperation } from "./operation.js"
import { remit } from "./remit.js"
import { jsonSchemaOf, schemaNames } from "./schemas.js"
import { x12 } from "./x12.js"

export const version = packageJson.version

const schema = Command.make(
  "schema",
  {
    name: Argument.Literals("name", schemaNames).pipe(Argument.withDescription(`One of: ${schemaNames.join(", ")}`))
  },
  ({ name }) => Console.log(JSON.stringify(jsonSchemaOf(name), null, 2))
).pipe(
  Command.withDescription("Print the JSON Schema of a document the SDK reads or writes."),
  Command.withExamples([{ command: "openrcm schema session", description: "The JSON Schema of a session to code" }])
)

const inputArgument = Argument.String("file").pipe(
  Argument.withDescription("A JSON file, or - (or nothing) for standard input"),
  Argument.optional
)

type Coded =
  | { readonly _tag: "Single"; readonly result: Coding.CodingResult }
  | { readonly _tag: "Tracked"; readonly previews: ReadonlyArray<Billing.SessionPreview> }

/** A session document is a session to code (`CodingRequest`), or a tracked session when it has `segments`. */
const readSession = (path: string | undefined) =>
  Effect.gen(function* () {
    const input = yield* readText(path)
    const value = yield* parseJson(input)
    const tracked = typeof value === "object" && value !== null && "segments" in value
    return tracked
      ? { _tag: "Tracked" as const, session: yield* decodeDocument(Session.TrackedSession, input.source, value) }
      : { _tag: "Single" as const, request: yield* decodeDocument(Coding.CodingRequest, input.source, value) }
  })

const codeDocument = (path: string | undefined, packPaths: ReadonlyArray<string>) =>
  Effect.flatMap(readSession(path), (document) =>
    runOperation<Coded, unknown, RuleSet.RulePacks>(
      packPaths,
      document._tag === "Tracked"
        ? Effect.map(Billing.previewSession(document.session), (previews) => ({ _tag: "Tracked", previews }))
        : Effect.map(Billing.codeSession(document.request), (result) => ({ _tag: "Single", result }))
    )
  )

const code = Command.make("code", { file: inputArgument, pack: packFlag }, ({ file, pack }) =>
  Effect.flatMap(codeDocument(Option.getOrUndefined(file), pack), (coded) =>
    Console.log(JSON.stringify(coded._tag === "Single" ? coded.result : coded.previews, null, 2))
  )
).pipe(
  Command.withDescription(
    "Code a session: read it as JSON (a file or standard input) and print the coded lines as JSON."
  ),
  Command.withExamples([
    { command: "openrcm code session.json", description: "Code one session" },
    { command: "cat session.json | openrcm code", description: "Read the session from standard input" }
  ])
)

const explain = Command.make("explain", { file: inputArgument, pack: packFlag }, ({ file, pack }) =>
  Effect.flatMap(codeDocument(Option.getOrUndefined(file), pack), (coded) =>
    Console.log(
      coded._tag === "Single"
        ? Coding.describe(coded.result)
        : coded.previews
            .map(
              (p) =>
                `patient ${p.patientId ?? "-"}, ${p.minutes} min:\n${Coding.describe(p.result)}${p.next ? `\nnext threshold in ${p.next.inMinutes} min` : ""}`
            )
            .join("\n\n")
    )
  )
).pipe(Command.withDescription("Code a session and explain every line: which rule of which pack, and why."))

const validate = Command.make(
  "validate",
  {
    file: Argument.String("pack.json").pipe(Argument.withDescription("The rule pack to check")),
    pack: packFlag
  },
  ({ file, pack }) =>
    Effect.gen(function* () {
      const document = yield* Effect.flatMap(readText(file), parseJson)
      const valid = yield* runOperation(
        pack,
        Billing.validateRulePack(document).pipe(
          Effect.catchTag("RulePackError", (error) =>
            Effect.fail(new InputError({ problems: error.problems.map((p) => `${file}: ${p.path}: ${p.message}`) }))
          )
        )
      )
      yield* Console.log(
        `${file}: valid rule pack ${valid.id}@${valid.version} (${valid.layer}${valid.extends ? `, extends ${valid.extends}` : ""})`
      )
    })
).pipe(Command.withDescription("Check a rule pack: every problem is listed by JSON path, and the exit code is 1."))

const authCheck = Command.make("check", { file: inputArgument, pack: packFlag }, ({ file, pack }) =>
  Effect.gen(function* () {
    const input = yield* readText(Option.getOrUndefined(file))
    const request = yield* decodeDocument(Authorization.CheckRequest, input.source, yield* parseJson(input))
    const result = yield* runOperation(pack, Billing.checkAuthorization(request))
    yield* Console.log(JSON.stringify(result, null, 2))
  })
).pipe(
  Command.withDescription(
    "Check a visit against the patient's authorizations: authorized, partly, not required, missing, expired, exhausted, wrong clinician or wrong code, with the likely denial and what to do."
  )
)

const auth = Command.make("auth").pipe(
  Command.withDescription("Prior authorizations."),
  Command.withSubcommands([authCheck])
)

const estimate = Command.make("estimate", { file: inputArgument }, ({ file }) =>
  Effect.gen(function* () {
    const input = yield* readText(Option.getOrUndefined(file))
    const request = yield* decodeDocument(PatientResponsibility.EstimateRequest, input.source, yield* parseJson(input))
    yield* Console.log(JSON.stringify(PatientResponsibility.estimate(request), null, 2))
  })
).pipe(
  Command.withDescription(
    "Estimate what the patient owes: deductible, coinsurance, copay and the out-of-pocket cap, line by line with the accumulators carried."
  )
)

const rules = Command.make("rules").pipe(
  Command.withDescription("Rule packs: validate a pack, explain how a session is coded."),
  Command.withSubcommands([validate, explain])
)

/** The `openrcm` command and its subcommands. */
export const cli = Command.make("openrcm").pipe(
  Command.withDescription("OpenRCM: revenue-cycle operations for behavioral health, for scripts and batch jobs."),
  Command.withSubcommands([auth, claims, code, denials, estimate, remit, rules, schema, x12])
)

/** Runs the CLI on arguments (without the node and script paths). */
export const run = (args: ReadonlyArray<string>) => Command.runWith(cli, { version })(args)
