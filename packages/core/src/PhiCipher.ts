/**
 * PHI encryption at rest: each PHI field of a record is sealed on its own with AES-256-GCM (Web Crypto, in Node
 * and in the browser) under the tenant's current data key, with the tenant, the kind of record, the record's id
 * and the field's path bound as additional data, so a sealed value moved to another field, record or tenant does
 * not open. Data keys are random, wrapped by the KeyProvider's master key and stored beside the data; rotating
 * adds a data key for new writes and keeps the old ones for reading. Exact-match lookups on an encrypted field
 * (member id) go through a blind index: HMAC-SHA-256 of the normalized value under the tenant's index key.
 *
 * A sealed value is text: `enc:1:<data key id>:<base64 of iv ‖ ciphertext ‖ tag>`.
 *
 * @since 0.1.0
 */
import { Effect, Schema } from "effect"
import { TenantId } from "./Ids.js"
import { EpochMillis } from "./Instant.js"
import { fromBase64, toBase64, type WebCryptoKey } from "./internal/base64.js"
import { type KeyError, KeyProvider, WrappedKey } from "./KeyProvider.js"

/**
 * A data or index key as the store keeps it: wrapped.
 *
 * @since 0.1.0
 */
export const StoredKey = Schema.Struct({
  id: Schema.NonEmptyString,
  tenantId: TenantId,
  purpose: Schema.Literals(["data", "index"]),
  wrapped: WrappedKey,
  createdAt: EpochMillis,
  /** The data key new values are sealed with; exactly one per tenant. */
  active: Schema.Boolean
}).annotate({ identifier: "StoredKey" })

/**
 * @since 0.1.0
 */
export type StoredKey = typeof StoredKey.Type

/**
 * A tenant's opened keys.
 *
 * @since 0.1.0
 */
export interface Keyring {
  readonly tenantId: TenantId
  readonly activeKeyId: string
  readonly dataKeys: ReadonlyMap<string, WebCryptoKey>
  readonly indexKey: WebCryptoKey
}

/**
 * A sealed value does not open: altered, moved, or its key is gone. Carries no value.
 *
 * @since 0.1.0
 */
export class SealBroken extends Schema.TaggedError<SealBroken>()("SealBroken", { path: Schema.String }) {}

const prefix = "enc:1:"
const encoder = new TextEncoder()
const decoder = new TextDecoder()

const randomId = (): string => {
  const bytes = crypto.getRandomValues(new Uint8Array(8))
  let out = ""
  for (const byte of bytes) out += byte.toString(16).padStart(2, "0")
  return out
}

const newStoredKey = (tenantId: TenantId, purpose: "data" | "index", at: EpochMillis) =>
  Effect.gen(function* () {
    const provider = yield* KeyProvider
    const wrapped = yield* provider.wrap(crypto.getRandomValues(new Uint8Array(32)))
    return { id: randomId(), tenantId, purpose, wrapped, createdAt: at, active: purpose === "data" } as StoredKey
  })

/**
 * A new tenant's keys: its first data key and its index key.
 *
 * @since 0.1.0
 */
export const createKeys = (
  tenantId: TenantId,
  at: EpochMillis
): Effect.Effect<ReadonlyArray<StoredKey>, KeyError, KeyProvider> =>
  Effect.all([newStoredKey(tenantId, "data", at), newStoredKey(tenantId, "index", at)])

/**
 * A new active data key; the store marks the tenant's others inactive (still used to read).
 *
 * @since 0.1.0
 */
export const rotateDataKey = (tenantId: TenantId, at: EpochMillis): Effect.Effect<StoredKey, KeyError, KeyProvider> =>
  newStoredKey(tenantId, "data", at)

/**
 * The same key wrapped with the provider's current master key (after a master key rotation).
 *
 * @since 0.1.0
 */
export const rewrap = (stored: StoredKey): Effect.Effect<StoredKey, KeyError, KeyProvider> =>
  Effect.gen(function* () {
    const provider = yield* KeyProvider
    if (stored.wrapped.masterKeyId === provider.currentMasterKeyId) return stored
    const raw = yield* provider.unwrap(stored.wrapped)
    return { ...stored, wrapped: yield* provider.wrap(raw) }
  })

/**
 * Opens a tenant's stored keys. Dies when the keys are not a tenant's complete set (one active data key, one
 * index key): the store writes them together, so anything else is a bug or tampering.
 *
 * @since 0.1.0
 */
export const openKeyring = (
  tenantId: TenantId,
  stored: ReadonlyArray<StoredKey>
): Effect.Effect<Keyring, KeyError, KeyProvider> =>
  Effect.gen(function* () {
    const provider = yield* KeyProvider
    const dataKeys = new Map<string, WebCryptoKey>()
    let activeKeyId: string | undefined
    let indexKey: WebCryptoKey | undefined
    for (const key of stored) {
      const raw = (yield* provider.unwrap(key.wrapped)) as Uint8Array<ArrayBuffer>
      if (key.purpose === "index") {
        indexKey = yield* Effect.promise(() =>
          crypto.subtle.importKey("raw", raw, { name: "HMAC", hash: "SHA-256" }, false, ["sign"])
        )
      } else {
        dataKeys.set(
          key.id,
          yield* Effect.promise(() => crypto.subtle.importKey("raw", raw, "AES-GCM", false, ["encrypt", "decrypt"]))
        )
        if (key.active) activeKeyId = key.id
      }
    }
    if (activeKeyId === undefined || indexKey === undefined) {
      return yield* Effect.die(new Error("a tenant's keys lack an active data key or an index key"))
    }
    return { tenantId, activeKeyId, dataKeys, indexKey }
  })

/**
 * The additional data a field is bound to.
 *
 * @since 0.1.0
 */
export const fieldContext = (tenantId: string, entity: string, recordId: string, path: ReadonlyArray<string>): string =>
  `${tenantId}/${entity}/${recordId}/${path.join(".")}`

/**
 * Seals a text.
 *
 * @since 0.1.0
 */
export const seal = (keyring: Keyring, context: string, plaintext: string): Effect.Effect<string> => {
  const key = keyring.dataKeys.get(keyring.activeKeyId) as WebCryptoKey
  const iv = crypto.getRandomValues(new Uint8Array(12))
  return Effect.map(
    Effect.promise(() =>
      crypto.subtle.encrypt(
        { name: "AES-GCM", iv, additionalData: encoder.encode(context) },
        key,
        encoder.encode(plaintext)
      )
    ),
    (sealed) => {
      const out = new Uint8Array(12 + sealed.byteLength)
      out.set(iv)
      out.set(new Uint8Array(sealed), 12)
      return `${prefix}${keyring.activeKeyId}:${toBase64(out)}`
    }
  )
}

/**
 * True when a value is a sealed text.
 *
 * @since 0.1.0
 */
export const isSealed = (value: unknown): value is string => typeof value === "string" && value.startsWith(prefix)

/**
 * Opens a sealed text bound to `context`.
 *
 * @since 0.1.0
 */
export const open = (keyring: Keyring, context: string, sealed: string): Effect.Effect<string, SealBroken> => {
  const broken = new SealBroken({ path: context.slice(context.lastIndexOf("/") + 1) })
  if (!sealed.startsWith(prefix)) return Effect.fail(broken)
  const colon = sealed.indexOf(":", prefix.length)
  const key = colon < 0 ? undefined : keyring.dataKeys.get(sealed.slice(prefix.length, colon))
  const bytes = colon < 0 ? undefined : fromBase64(sealed.slice(colon + 1))
  if (key === undefined || bytes === undefined || bytes.length < 12 + 16) return Effect.fail(broken)
  return Effect.tryPromise({
    try: () =>
      crypto.subtle.decrypt(
        { name: "AES-GCM", iv: bytes.subarray(0, 12), additionalData: encoder.encode(context) },
        key,
        bytes.subarray(12)
      ),
    catch: () => broken
  }).pipe(Effect.map((plain) => decoder.decode(plain)))
}

/**
 * The blind index of a value: hex HMAC-SHA-256 under the tenant's index key of the value trimmed and upper-cased
 * (member ids are compared that way).
 *
 * @since 0.1.0
 */
export const blindIndex = (keyring: Keyring, value: string): Effect.Effect<string> =>
  Effect.map(
    Effect.promise(() =>
      crypto.subtle.sign(
        "HMAC",
        keyring.indexKey,
        encoder.encode(`${keyring.tenantId}\u0000${value.trim().toUpperCase()}`)
      )
    ),
    (mac) => {
      let out = ""
      for (const byte of new Uint8Array(mac)) out += byte.toString(16).padStart(2, "0")
      return out
    }
  )

type Json = Record<string, unknown>

const getPath = (record: Json, path: ReadonlyArray<string>): unknown => {
  let value: unknown = record
  for (const name of path) {
    if (value === null || typeof value !== "object") return undefined
    value = (value as Json)[name]
  }
  return value
}

const setPath = (record: Json, path: ReadonlyArray<string>, value: unknown): Json => {
  const [head, ...rest] = path as [string, ...Array<string>]
  if (rest.length === 0) return { ...record, [head]: value }
  const inner = record[head]
  return inner === null || typeof inner !== "object"
    ? record
    : { ...record, [head]: setPath(inner as Json, rest, value) }
}

/**
 * Seals the PHI fields (`Phi.pathsOf`) of a record's JSON form; other fields are left as they are.
 *
 * @since 0.1.0
 */
export const sealRecord = (
  keyring: Keyring,
  where: { readonly entity: string; readonly recordId: string; readonly paths: ReadonlyArray<ReadonlyArray<string>> },
  record: Json
): Effect.Effect<Json> =>
  Effect.gen(function* () {
    let out = record
    for (const path of where.paths) {
      const value = getPath(out, path)
      if (value === undefined) continue
      const context = fieldContext(keyring.tenantId, where.entity, where.recordId, path)
      out = setPath(out, path, yield* seal(keyring, context, JSON.stringify(value)))
    }
    return out
  })

/**
 * Opens what `sealRecord` sealed. A PHI field that is not sealed is refused (it was written around the store).
 *
 * @since 0.1.0
 */
export const openRecord = (
  keyring: Keyring,
  where: { readonly entity: string; readonly recordId: string; readonly paths: ReadonlyArray<ReadonlyArray<string>> },
  record: Json
): Effect.Effect<Json, SealBroken> =>
  Effect.gen(function* () {
    let out = record
    for (const path of where.paths) {
      const value = getPath(out, path)
      if (value === undefined) continue
      const context = fieldContext(keyring.tenantId, where.entity, where.recordId, path)
      if (!isSealed(value)) return yield* new SealBroken({ path: path.join(".") })
      out = setPath(out, path, JSON.parse(yield* open(keyring, context, value)))
    }
    return out
  })
