import { RulePack, RuleSet } from "@openrcm/core"
import { Console, Effect, FileSystem, Path } from "effect"
import { Flag } from "effect/cli"
import { InputError, parseJson, readText } from "./input.js"

export const packFlag = Flag.String("pack").pipe(
  Flag.withDescription("A rule pack JSON file of your own, loaded beside the built-in packs (repeatable)"),
  Flag.atLeast(0)
)

/** The built-in packs and the user's, validated; an invalid pack is an input error listing every problem. */
export const loadPacks = (paths: ReadonlyArray<string>) =>
  Effect.forEach(paths, (path) =>
    Effect.flatMap(readText(path), parseJson).pipe(
      Effect.tap((document) =>
        RulePack.validate(document).pipe(
          Effect.mapError(
            (error) => new InputError({ problems: error.problems.map((p) => `${path}: ${p.path}: ${p.message}`) })
          )
        )
      )
    )
  )

const hasTag = (error: unknown): error is { readonly _tag: string } =>
  typeof error === "object" && error !== null && typeof (error as { _tag?: unknown })._tag === "string"

/**
 * A failure said plainly, never with input values or connection details: the SDK's own errors carry codes and
 * ids only (their messages are written for this); a database driver's error is named by its kind.
 */
export const describeError = (error: unknown): string => {
  if (!hasTag(error)) return "the operation failed"
  const reason = (error as { readonly reason?: unknown }).reason
  switch (error._tag) {
    case "ClearinghouseError": {
      // The adapters' details say which operation failed and why, never a file's content.
      const detail = hasTag(reason) ? (reason as { readonly detail?: unknown }).detail : undefined
      return `clearinghouse: ${hasTag(reason) ? reason._tag : "failed"}${typeof detail === "string" ? ` (${detail})` : ""}`
    }
    case "SqlError":
      return "database: the connection or a statement failed (SqlError)"
    case "MigrationError":
      return "database: the schema could not be migrated (MigrationError)"
    case "ConfigError":
      return "configuration: a required setting is missing or invalid (OPENRCM_DATABASE_URL, OPENRCM_MASTER_KEYS)"
    case "InvalidMasterKeys":
      return `master keys: ${(error as { readonly detail?: unknown }).detail ?? "invalid"}`
    default:
      return error instanceof Error && error.message !== "" ? error.message : error._tag
  }
}

/**
 * Runs an operation with the built-in packs and the user's: a pack problem lists every problem by JSON path
 * under the pack's file, any other failure is said plainly. Exit code 1 either way.
 */
export const runOperation = <A, E, R>(packPaths: ReadonlyArray<string>, operation: Effect.Effect<A, E, R>) =>
  Effect.flatMap(loadPacks(packPaths), (extra) =>
    operation.pipe(
      Effect.provide(RuleSet.layerBuiltin(extra)),
      Effect.mapError((error) =>
        error instanceof InputError ? error : new InputError({ problems: [describeError(error)] })
      )
    )
  )

/** Writes a report: JSON to standard output, or to a file (written whole, then renamed into place). */
export const writeReport = (report: unknown, out: string | undefined) =>
  Effect.gen(function* () {
    const text = JSON.stringify(report, null, 2)
    if (out === undefined || out === "-") return yield* Console.log(text)
    yield* writeFileAtomically(out, `${text}\n`)
  })

/** Writes a file in one step: a temporary file beside it, then renamed over it. */
export const writeFileAtomically = (path: string, text: string) =>
  Effect.gen(function* () {
    const fs = yield* FileSystem.FileSystem
    const paths = yield* Path.Path
    const temporary = paths.join(paths.dirname(path), `.${paths.basename(path)}.tmp-${process.pid}`)
    yield* fs.makeDirectory(paths.dirname(path), { recursive: true })
    yield* fs.writeFileString(temporary, text)
    yield* fs.rename(temporary, path)
  }).pipe(
    Effect.catchTag("PlatformError", (error) =>
      Effect.fail(new InputError({ problems: [`${path}: cannot be written (${error.reason._tag})`] }))
    )
  )

/** `@openrcm/clearinghouse-x12`, loaded by the commands that write X12 (it brings the SFTP client along). */
export type ClearinghouseX12 = typeof import("@openrcm/clearinghouse-x12")

export const clearinghouseX12: Effect.Effect<ClearinghouseX12> = Effect.promise(
  () => import("@openrcm/clearinghouse-x12")
)
