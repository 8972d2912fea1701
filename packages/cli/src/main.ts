import { Console } from "effect"
import { Argument, Command } from "effect/cli"
import packageJson from "../package.json" with { type: "json" }
import { jsonSchemaOf, schemaNames } from "./schemas.js"

export const version = packageJson.version

const schema = Command.make(
  "schema",
  {
    name: Argument.Literals("name", schemaNames).pipe(Argument.withDescription(`One of: ${schemaNames.join(", ")}`))
  },
  ({ name }) => Console.log(JSON.stringify(jsonSchemaOf(name), null, 2))
).pipe(
  Command.withDescription("Print the JSON Schema of a document the SDK reads or writes."),
  Command.withExamples([{ command: "openrcm schema npi", description: "The JSON Schema of an NPI" }])
)

/** The `openrcm` command and its subcommands. */
export const cli = Command.make("openrcm").pipe(
  Command.withDescription("OpenRCM: revenue-cycle operations for behavioral health, for scripts and batch jobs."),
  Command.withSubcommands([schema])
)

/** Runs the CLI on arguments (without the node and script paths). */
export const run = (args: ReadonlyArray<string>) => Command.runWith(cli, { version })(args)
