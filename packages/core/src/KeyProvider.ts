/**
 * The KeyProvider port: master keys that wrap (encrypt) the data keys PHI is encrypted with — envelope
 * encryption. The store keeps only wrapped data keys; whoever copies the database without the master key reads
 * nothing. A KMS adapter implements `wrap`/`unwrap` with its own calls; `layerStatic` and `layerConfig` hold the
 * master keys in the process (a key file, or `OPENRCM_MASTER_KEYS`) for the embedded store.
 *
 * Rotation: add a new master key and make it current; data keys wrapped with an older one stay readable as long
 * as the provider still has it, and the store can re-wrap them with the current one.
 *
 * @since 0.1.0
 */
import { Config, Context, Effect, Layer, Redacted, Schema } from "effect"
import { fromBase64, toBase64, type WebCryptoKey } from "./internal/base64.js"

/**
 * A data key wrapped by a master key: the master key's id and `base64(iv ‖ AES-GCM(master, dataKey))`.
 *
 * @since 0.1.0
 */
export const WrappedKey = Schema.Struct({ masterKeyId: Schema.NonEmptyString, wrapped: Schema.NonEmptyString })

/**
 * @since 0.1.0
 */
export type WrappedKey = typeof WrappedKey.Type

/**
 * @since 0.1.0
 */
export class UnknownMasterKey extends Schema.TaggedError<UnknownMasterKey>()("UnknownMasterKey", {
  masterKeyId: Schema.String
}) {
  readonly retryable = false
}

/**
 * The wrapped key does not open with its master key: altered, or wrapped by another key of the same id.
 *
 * @since 0.1.0
 */
export class Unwrappable extends Schema.TaggedError<Unwrappable>()("Unwrappable", { masterKeyId: Schema.String }) {
  readonly retryable = false
}

/**
 * The key service could not be reached.
 *
 * @since 0.1.0
 */
export class Unavailable extends Schema.TaggedError<Unavailable>()("Unavailable", { detail: Schema.String }) {
  readonly retryable = true
}

/**
 * @since 0.1.0
 */
export class KeyError extends Schema.TaggedError<KeyError>()("KeyError", {
  reason: Schema.Union([UnknownMasterKey, Unwrappable, Unavailable])
}) {
  get retryable(): boolean {
    return this.reason.retryable
  }
  override get message() {
    return `keys: ${this.reason._tag}`
  }
}

/**
 * @since 0.1.0
 */
export class KeyProvider extends Context.Service<
  KeyProvider,
  {
    /** Wraps a data key with the current master key. */
    readonly wrap: (dataKey: Uint8Array) => Effect.Effect<WrappedKey, KeyError>
    readonly unwrap: (wrapped: WrappedKey) => Effect.Effect<Uint8Array, KeyError>
    /** The id `wrap` uses now: a data key wrapped with another one can be re-wrapped. */
    readonly currentMasterKeyId: string
  }
>()("@openrcm/core/KeyProvider") {}

/**
 * Master keys held in the process: ids to 32 random bytes (base64), and the id of the current one.
 *
 * @since 0.1.0
 */
export const MasterKeys = Schema.Struct({
  current: Schema.NonEmptyString,
  keys: Schema.Record(Schema.NonEmptyString, Schema.NonEmptyString)
}).annotate({ identifier: "MasterKeys" })

/**
 * @since 0.1.0
 */
export type MasterKeys = typeof MasterKeys.Type

/**
 * The master keys are unusable: not 32 bytes of base64, or the current id names none of them.
 *
 * @since 0.1.0
 */
export class InvalidMasterKeys extends Schema.TaggedError<InvalidMasterKeys>()("InvalidMasterKeys", {
  detail: Schema.String
}) {}

const wrapAad = (masterKeyId: string) => new TextEncoder().encode(`openrcm/data-key/${masterKeyId}`)

/**
 * Fresh master key material: 32 random bytes from the platform's cryptographic generator, base64.
 *
 * @since 0.1.0
 */
export const generateMasterKey: Effect.Effect<string> = Effect.sync(() =>
  toBase64(crypto.getRandomValues(new Uint8Array(32)))
)

/**
 * A provider over master keys held in the process.
 *
 * @since 0.1.0
 */
export const make = (masterKeys: MasterKeys): Effect.Effect<KeyProvider["Service"], InvalidMasterKeys> =>
  Effect.gen(function* () {
    const imported = new Map<string, WebCryptoKey>()
    for (const [id, material] of Object.entries(masterKeys.keys)) {
      const bytes = fromBase64(material)
      if (bytes === undefined || bytes.length !== 32) {
        return yield* new InvalidMasterKeys({ detail: `master key ${id} is not 32 bytes of base64` })
      }
      const key = yield* Effect.promise(() =>
        crypto.subtle.importKey("raw", bytes as Uint8Array<ArrayBuffer>, "AES-GCM", false, ["encrypt", "decrypt"])
      )
      imported.set(id, key)
    }
    const current = imported.get(masterKeys.current)
    if (current === undefined) {
      return yield* new InvalidMasterKeys({
        detail: `the current master key ${masterKeys.current} is not among the keys`
      })
    }
    const currentMasterKeyId = masterKeys.current
    return {
      currentMasterKeyId,
      wrap: (dataKey) =>
        Effect.gen(function* () {
          const iv = crypto.getRandomValues(new Uint8Array(12))
          const sealed = yield* Effect.promise(() =>
            crypto.subtle.encrypt(
              { name: "AES-GCM", iv, additionalData: wrapAad(currentMasterKeyId) },
              current,
              dataKey as Uint8Array<ArrayBuffer>
            )
          )
          const out = new Uint8Array(iv.length + sealed.byteLength)
          out.set(iv)
          out.set(new Uint8Array(sealed), iv.length)
          return { masterKeyId: currentMasterKeyId, wrapped: toBase64(out) }
        }),
      unwrap: (wrapped) => {
        const key = imported.get(wrapped.masterKeyId)
        if (key === undefined) {
          return Effect.fail(new KeyError({ reason: new UnknownMasterKey({ masterKeyId: wrapped.masterKeyId }) }))
        }
        const bytes = fromBase64(wrapped.wrapped)
        const refused = new KeyError({ reason: new Unwrappable({ masterKeyId: wrapped.masterKeyId }) })
        if (bytes === undefined || bytes.length < 12 + 16) return Effect.fail(refused)
        return Effect.tryPromise({
          try: () =>
            crypto.subtle.decrypt(
              { name: "AES-GCM", iv: bytes.subarray(0, 12), additionalData: wrapAad(wrapped.masterKeyId) },
              key,
              bytes.subarray(12)
            ),
          catch: () => refused
        }).pipe(Effect.map((plain) => new Uint8Array(plain)))
      }
    }
  })

/**
 * @since 0.1.0
 */
export const layerStatic = (masterKeys: MasterKeys): Layer.Layer<KeyProvider, InvalidMasterKeys> =>
  Layer.effect(KeyProvider, make(masterKeys))

/**
 * Master keys from `OPENRCM_MASTER_KEYS`: `id:base64` pairs separated by commas, the current one first.
 *
 * @since 0.1.0
 */
export const layerConfig = (
  name = "OPENRCM_MASTER_KEYS"
): Layer.Layer<KeyProvider, InvalidMasterKeys | Config.ConfigError> =>
  Layer.effect(
    KeyProvider,
    Effect.gen(function* () {
      const text = Redacted.value(yield* Config.Redacted(name))
      const pairs = text
        .split(",")
        .map((pair) => pair.trim())
        .filter((pair) => pair.length > 0)
        .map((pair) => {
          const colon = pair.indexOf(":")
          return colon <= 0 ? undefined : ([pair.slice(0, colon), pair.slice(colon + 1)] as const)
        })
      const first = pairs[0]
      if (first === undefined || pairs.some((pair) => pair === undefined)) {
        return yield* new InvalidMasterKeys({ detail: `${name} must be id:base64 pairs separated by commas` })
      }
      return yield* make({
        current: first[0],
        keys: Object.fromEntries(pairs as ReadonlyArray<readonly [string, string]>)
      })
    })
  )
