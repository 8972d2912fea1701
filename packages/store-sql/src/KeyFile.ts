/**
 * Master keys in a local file, for the embedded store: `{ "current": "k1", "keys": { "k1": "<32 bytes, base64>" } }`.
 * The file is created with one fresh key (readable by its owner only) when it does not exist, so the embedded
 * store needs no set-up; keep it apart from the data folder and back it up: without it the PHI is unreadable.
 * Rotate by adding a key and making it `current`; keep the old ones until `StoreKeys.rewrapKeys` has moved every
 * tenant's keys. Node only.
 *
 * @since 0.1.0
 */
import { chmod, mkdir, readFile, writeFile } from "node:fs/promises"
import { dirname } from "node:path"
import { KeyProvider } from "@openrcm/core"
import { Effect, Layer, Schema } from "effect"

/**
 * The key file could not be read, written or understood. Carries the path, never key material.
 *
 * @since 0.1.0
 */
export class KeyFileError extends Schema.TaggedError<KeyFileError>()("KeyFileError", {
  path: Schema.String,
  reason: Schema.Literals(["Unreadable", "Invalid", "Unwritable"])
}) {
  override get message() {
    return `key file ${this.path}: ${this.reason}`
  }
}

/**
 * Reads the master keys from `path`, creating the file with a fresh key when it does not exist.
 *
 * @since 0.1.0
 */
export const load = (path: string): Effect.Effect<KeyProvider.MasterKeys, KeyFileError> =>
  Effect.gen(function* () {
    const text = yield* Effect.tryPromise({
      try: () => readFile(path, "utf8"),
      catch: (error) => error as NodeJS.ErrnoException
    }).pipe(
      Effect.map((text): string | undefined => text),
      Effect.catch((error) =>
        error.code === "ENOENT"
          ? Effect.succeed(undefined)
          : Effect.fail(new KeyFileError({ path, reason: "Unreadable" }))
      )
    )
    if (text === undefined) {
      const keys: KeyProvider.MasterKeys = { current: "k1", keys: { k1: yield* KeyProvider.generateMasterKey } }
      yield* Effect.tryPromise({
        try: async () => {
          await mkdir(dirname(path), { recursive: true })
          await writeFile(path, `${JSON.stringify(keys, null, 2)}\n`, { mode: 0o600, flag: "wx" })
          await chmod(path, 0o600)
        },
        catch: () => new KeyFileError({ path, reason: "Unwritable" })
      })
      return keys
    }
    return yield* Schema.decodeUnknownEffect(Schema.fromJsonString(KeyProvider.MasterKeys))(text).pipe(
      Effect.mapError(() => new KeyFileError({ path, reason: "Invalid" }))
    )
  })

/**
 * A KeyProvider on the master keys of a key file.
 *
 * @since 0.1.0
 */
export const layer = (
  path: string
): Layer.Layer<KeyProvider.KeyProvider, KeyFileError | KeyProvider.InvalidMasterKeys> =>
  Layer.effect(KeyProvider.KeyProvider, Effect.flatMap(load(path), KeyProvider.make))
