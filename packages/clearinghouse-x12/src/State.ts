/**
 * The small key–value store an adapter keeps on the practice's side: what it sent (so a batch the clearinghouse
 * has already taken is never dropped again), the control numbers it used, which responses were acknowledged.
 * Values are JSON. Two implementations: `layerMemory` (tests) and `layerDirectory` (one JSON file per key in a
 * local folder, each written to a temporary file, flushed, then renamed over the old one, so a reader sees the
 * old value or the new one, never half of one). Node only for the directory.
 *
 * One process per state folder: writes are atomic one key at a time, and nothing coordinates two processes.
 *
 * @since 0.1.0
 */
/// <reference types="node" />
import { createHash, randomBytes } from "node:crypto"
import { mkdir, open, readFile, rename, unlink } from "node:fs/promises"
import { join } from "node:path"
import { Context, Effect, Layer, Option, Schema } from "effect"

/**
 * The store failed: `io` (a disk that is full, busy or gone: retrying may help) or `corrupt` (a value that is not
 * JSON: someone must look). The message names the operation and a short cause, never a key or a value.
 *
 * @since 0.1.0
 */
export class StateError extends Schema.TaggedError<StateError>()("StateError", {
  kind: Schema.Literals(["io", "corrupt"]),
  detail: Schema.String
}) {
  get retryable(): boolean {
    return this.kind === "io"
  }
  override get message() {
    return `state: ${this.kind} (${this.detail})`
  }
}

/**
 * @since 0.1.0
 */
export class State extends Context.Service<
  State,
  {
    /** The value stored under `key`, if any. */
    readonly get: (key: string) => Effect.Effect<Option.Option<unknown>, StateError>
    /** Stores `value` (JSON) under `key`, replacing what was there, atomically. */
    readonly set: (key: string, value: unknown) => Effect.Effect<void, StateError>
    /** Removes `key`; a no-op when it is not there. */
    readonly remove: (key: string) => Effect.Effect<void, StateError>
  }
>()("@openrcm/clearinghouse-x12/State") {}

const serialize = (value: unknown): Effect.Effect<string, StateError> =>
  Effect.try({
    try: () => {
      const text = JSON.stringify(value)
      if (text === undefined) throw new TypeError("not JSON")
      return text
    },
    catch: () => new StateError({ kind: "corrupt", detail: "set: the value is not JSON" })
  })

const parse = (text: string): Effect.Effect<unknown, StateError> =>
  Effect.try({
    try: () => JSON.parse(text) as unknown,
    catch: () => new StateError({ kind: "corrupt", detail: "get: the stored value is not JSON" })
  })

/**
 * A store in memory, as JSON text (so a value read back is a copy, as from the directory). Share one between
 * layers to play a restart.
 *
 * @since 0.1.0
 */
export const makeMemory = (): State["Service"] => {
  const values = new Map<string, string>()
  return State.of({
    get: (key) =>
      Effect.suspend(() => {
        const text = values.get(key)
        return text === undefined ? Effect.succeed(Option.none()) : Effect.map(parse(text), Option.some)
      }),
    set: (key, value) => Effect.map(serialize(value), (text) => void values.set(key, text)),
    remove: (key) => Effect.sync(() => void values.delete(key))
  })
}

/**
 * A fresh store in memory.
 *
 * @since 0.1.0
 */
export const layerMemory: Layer.Layer<State> = Layer.sync(State, makeMemory)

/**
 * The file a key is stored in: letters, digits and `-` as they are, every other byte of its UTF-8 as `_XX` (hex),
 * so two keys never share a file and no name starts with a dot; a name that would be long keeps its start and
 * adds the key's SHA-256.
 *
 * @since 0.1.0
 */
export const fileNameOf = (key: string): string => {
  let encoded = ""
  for (const byte of new TextEncoder().encode(key)) {
    const c = String.fromCharCode(byte)
    encoded += /[A-Za-z0-9-]/.test(c) ? c : `_${byte.toString(16).padStart(2, "0")}`
  }
  if (encoded.length > 180)
    encoded = `${encoded.slice(0, 100)}~${createHash("sha256").update(key, "utf8").digest("hex")}`
  return `${encoded === "" ? "_" : encoded}.json`
}

const codeOf = (error: unknown): string =>
  typeof error === "object" && error !== null && typeof (error as { code?: unknown }).code === "string"
    ? (error as { code: string }).code
    : "unknown"

const io = (operation: string) => (error: unknown) =>
  new StateError({ kind: "io", detail: `${operation}: ${codeOf(error)}` })

/**
 * @since 0.1.0
 */
export interface DirectoryOptions {
  /** The folder of the JSON files; created when first written. Keep it on a local disk, and back it up. */
  readonly folder: string
  /** Permissions of the files; default 0o600 (they name claims). */
  readonly fileMode?: number | undefined
}

/**
 * A store in a local folder: one JSON file per key, replaced atomically (temporary dotfile, flush, rename, flush
 * of the folder).
 *
 * @since 0.1.0
 */
export const makeDirectory = (options: DirectoryOptions): State["Service"] => {
  const { folder } = options
  const fileMode = options.fileMode ?? 0o600
  const syncFolder = async () => {
    try {
      const handle = await open(folder, "r")
      try {
        await handle.sync()
      } finally {
        await handle.close()
      }
    } catch {
      // Not supported here (Windows, some network file systems): the rename is still atomic.
    }
  }
  return State.of({
    get: (key) =>
      Effect.flatMap(
        Effect.tryPromise({
          try: async () => {
            try {
              return await readFile(join(folder, fileNameOf(key)), "utf8")
            } catch (error) {
              if (codeOf(error) === "ENOENT") return undefined
              throw error
            }
          },
          catch: io("get")
        }),
        (text) => (text === undefined ? Effect.succeed(Option.none()) : Effect.map(parse(text), Option.some))
      ),
    set: (key, value) =>
      Effect.flatMap(serialize(value), (text) =>
        Effect.tryPromise({
          try: async () => {
            await mkdir(folder, { recursive: true, mode: 0o700 })
            const name = fileNameOf(key)
            const temporary = join(folder, `.${name}.tmp-${randomBytes(6).toString("hex")}`)
            try {
              const handle = await open(temporary, "wx", fileMode)
              try {
                await handle.writeFile(text, "utf8")
                await handle.sync()
              } finally {
                await handle.close()
              }
              await rename(temporary, join(folder, name))
            } catch (error) {
              await unlink(temporary).catch(() => undefined)
              throw error
            }
            await syncFolder()
          },
          catch: io("set")
        })
      ),
    remove: (key) =>
      Effect.tryPromise({
        try: async () => {
          try {
            await unlink(join(folder, fileNameOf(key)))
          } catch (error) {
            if (codeOf(error) === "ENOENT") return
            throw error
          }
          await syncFolder()
        },
        catch: io("remove")
      })
  })
}

/**
 * @since 0.1.0
 */
export const layerDirectory = (options: DirectoryOptions): Layer.Layer<State> =>
  Layer.succeed(State, makeDirectory(options))
