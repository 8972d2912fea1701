import { RulePack } from "@openrcm/core"
import { Effect, FileSystem, Schema, SchemaIssue, Stdio, Stream } from "effect"

/**
 * Bad input, said plainly: what is wrong and where (a file, a line and column, or a JSON path). The message never
 * carries a value from the input, which may be PHI.
 */
export class InputError extends Schema.TaggedError<InputError>()("InputError", {
  problems: Schema.Array(Schema.String)
}) {
  override get message() {
    return this.problems.join("\n")
  }
}

const maxBytes = 16 * 1024 * 1024

/** Reads a file, or standard input when the path is absent or `-`. */
export const readText = (path: string | undefined) =>
  Effect.gen(function* () {
    if (path === undefined || path === "-") {
      const stdio = yield* Stdio.Stdio
      const text = yield* stdio.stdin.pipe(Stream.decodeText(), Stream.mkString)
      return { text, source: "standard input" }
    }
    const fs = yield* FileSystem.FileSystem
    const size = yield* fs.stat(path).pipe(Effect.map((s) => Number(s.size)))
    if (size > maxBytes) return yield* new InputError({ problems: [`${path}: larger than ${maxBytes} bytes`] })
    return { text: yield* fs.readFileString(path), source: path }
  }).pipe(
    Effect.catchTag("PlatformError", (error) =>
      Effect.fail(new InputError({ problems: [`${path ?? "standard input"}: cannot be read (${error.reason._tag})`] }))
    )
  )

/** Parses JSON, naming the line and column of a syntax error. */
export const parseJson = ({ text, source }: { readonly text: string; readonly source: string }) =>
  Effect.try({
    try: () => JSON.parse(text) as unknown,
    catch: (error) => {
      const position = /position (\d+)/.exec(String(error))?.[1]
      if (position === undefined)
        return new InputError({ problems: [`${source}: not JSON (it ends too soon or is empty)`] })
      const before = text.slice(0, Number(position))
      const line = before.split("\n").length
      const column = Number(position) - before.lastIndexOf("\n")
      return new InputError({ problems: [`${source}: not JSON (syntax error at line ${line}, column ${column})`] })
    }
  })

// Messages say what was expected, never what was found: the input may be PHI.
const withoutInput = (message: string | undefined) => message?.replace(/, got [\s\S]*$/u, "")
const formatter = SchemaIssue.makeFormatterStandardSchemaV1({
  leafHook: (issue) => withoutInput(SchemaIssue.defaultLeafHook(issue)) ?? "is invalid",
  checkHook: (issue) => withoutInput(SchemaIssue.defaultCheckHook(issue))
})

/** Decodes a document against a schema, listing every problem by JSON path. */
export const decodeDocument = <S extends Schema.Top & { readonly DecodingServices: never }>(
  schema: S,
  source: string,
  value: unknown
): Effect.Effect<S["Type"], InputError> =>
  Schema.decodeUnknownEffect(schema)(value, { errors: "all", onExcessProperty: "error" }).pipe(
    Effect.mapError(
      (error) =>
        new InputError({
          problems: formatter(error.issue).issues.map(
            (i) => `${source}: ${RulePack.jsonPath(i.path ?? [])}: ${i.message}`
          )
        })
    )
  )
