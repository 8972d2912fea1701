import { describe, expect, it } from "@effect/vitest"
import { Coverage, type Ids, KeyProvider, Patient, Phi, PhiCipher } from "@openrcm/core"
import { ConfigProvider, Effect, Exit, Layer, Schema } from "effect"

const keyA = `${"A".repeat(43)}=`
const keyB = `${"B".repeat(43)}=`
const tenant = "t-1" as Ids.TenantId
const provider = (current: string, keys: Record<string, string>) => KeyProvider.layerStatic({ current, keys })

const patient = Schema.decodeUnknownSync(Patient.Patient)({
  id: "p-1",
  tenantId: tenant,
  firstName: "Avery",
  lastName: "Quinlan",
  dateOfBirth: "1990-02-03",
  sex: "F",
  address: { line1: "12 Elm St", city: "Springfield", state: "IL", postalCode: "62701" }
})

const keyring = Effect.gen(function* () {
  const stored = yield* PhiCipher.createKeys(tenant, 0)
  return { stored, keyring: yield* PhiCipher.openKeyring(tenant, stored) }
})

const where = { entity: "patient", recordId: "p-1", paths: Phi.pathsOf(Patient.Patient) }

describe("PhiCipher", () => {
  it("finds the PHI paths, nested ones included", () => {
    expect(Phi.pathsOf(Patient.Patient)).toEqual([["firstName"], ["lastName"], ["dateOfBirth"], ["address"], ["phone"]])
    expect(Phi.pathsOf(Coverage.Coverage)).toEqual([
      ["memberId"],
      ["subscriber", "firstName"],
      ["subscriber", "lastName"],
      ["subscriber", "dateOfBirth"]
    ])
  })

  it.effect("seals every PHI field and opens it back to the same record", () =>
    Effect.gen(function* () {
      const { keyring: ring } = yield* keyring
      const json = Schema.encodeSync(Patient.Patient)(patient) as Record<string, unknown>
      const sealed = yield* PhiCipher.sealRecord(ring, where, json)
      const text = JSON.stringify(sealed)
      for (const value of ["Avery", "Quinlan", "1990-02-03", "Elm", "Springfield"]) expect(text).not.toContain(value)
      expect(sealed.sex).toBe("F")
      expect(sealed.id).toBe("p-1")
      const opened = yield* PhiCipher.openRecord(ring, where, sealed)
      expect(Schema.decodeUnknownSync(Patient.Patient)(opened)).toEqual(patient)
    }).pipe(Effect.provide(provider("k1", { k1: keyA })))
  )

  it.effect("a sealed value moved to another field, record or tenant does not open", () =>
    Effect.gen(function* () {
      const { keyring: ring } = yield* keyring
      const sealed = yield* PhiCipher.seal(
        ring,
        PhiCipher.fieldContext(tenant, "patient", "p-1", ["firstName"]),
        '"Avery"'
      )
      for (const context of [
        PhiCipher.fieldContext(tenant, "patient", "p-1", ["lastName"]),
        PhiCipher.fieldContext(tenant, "patient", "p-2", ["firstName"]),
        PhiCipher.fieldContext("t-2", "patient", "p-1", ["firstName"])
      ]) {
        const exit = yield* Effect.exit(PhiCipher.open(ring, context, sealed))
        expect(Exit.isFailure(exit)).toBe(true)
      }
      const flipped = sealed.slice(0, -3) + (sealed.at(-3) === "A" ? "B" : "A") + sealed.slice(-2)
      const exit = yield* Effect.exit(
        PhiCipher.open(ring, PhiCipher.fieldContext(tenant, "patient", "p-1", ["firstName"]), flipped)
      )
      expect(Exit.isFailure(exit)).toBe(true)
    }).pipe(Effect.provide(provider("k1", { k1: keyA })))
  )

  it.effect("an unsealed PHI field is refused on the way out", () =>
    Effect.gen(function* () {
      const { keyring: ring } = yield* keyring
      const json = Schema.encodeSync(Patient.Patient)(patient) as Record<string, unknown>
      const exit = yield* Effect.exit(PhiCipher.openRecord(ring, where, json))
      expect(Exit.isFailure(exit)).toBe(true)
    }).pipe(Effect.provide(provider("k1", { k1: keyA })))
  )

  it.effect("data key rotation keeps old values readable and seals new ones with the new key", () =>
    Effect.gen(function* () {
      const { stored, keyring: ring } = yield* keyring
      const context = PhiCipher.fieldContext(tenant, "patient", "p-1", ["firstName"])
      const old = yield* PhiCipher.seal(ring, context, "old")
      const rotated = yield* PhiCipher.rotateDataKey(tenant, 1)
      const ring2 = yield* PhiCipher.openKeyring(tenant, [...stored.map((key) => ({ ...key, active: false })), rotated])
      expect(ring2.activeKeyId).toBe(rotated.id)
      const fresh = yield* PhiCipher.seal(ring2, context, "new")
      expect(fresh).toContain(`:${rotated.id}:`)
      expect(yield* PhiCipher.open(ring2, context, old)).toBe("old")
      expect(yield* PhiCipher.open(ring2, context, fresh)).toBe("new")
    }).pipe(Effect.provide(provider("k1", { k1: keyA })))
  )

  it.effect("master key rotation: keys wrapped by the old master key still open, and re-wrap moves them", () =>
    Effect.gen(function* () {
      const stored = yield* PhiCipher.createKeys(tenant, 0).pipe(Effect.provide(provider("k1", { k1: keyA })))
      const both = provider("k2", { k1: keyA, k2: keyB })
      const ring = yield* PhiCipher.openKeyring(tenant, stored).pipe(Effect.provide(both))
      const rewrapped = yield* Effect.forEach(stored, PhiCipher.rewrap).pipe(Effect.provide(both))
      expect(rewrapped.every((key) => key.wrapped.masterKeyId === "k2")).toBe(true)
      const onlyNew = yield* PhiCipher.openKeyring(tenant, rewrapped).pipe(Effect.provide(provider("k2", { k2: keyB })))
      const index = yield* PhiCipher.blindIndex(ring, "abc123")
      expect(yield* PhiCipher.blindIndex(onlyNew, " ABC123 ")).toBe(index)
      const lost = yield* Effect.exit(
        PhiCipher.openKeyring(tenant, stored).pipe(Effect.provide(provider("k2", { k2: keyB })))
      )
      expect(Exit.isFailure(lost)).toBe(true)
    })
  )

  it.effect("the blind index differs per tenant and per value, and never shows the value", () =>
    Effect.gen(function* () {
      const a = yield* keyring
      const other = yield* PhiCipher.openKeyring(
        "t-2" as Ids.TenantId,
        yield* PhiCipher.createKeys("t-2" as Ids.TenantId, 0)
      )
      const index = yield* PhiCipher.blindIndex(a.keyring, "XJH123456789")
      expect(index).toMatch(/^[0-9a-f]{64}$/u)
      expect(yield* PhiCipher.blindIndex(other, "XJH123456789")).not.toBe(index)
      expect(yield* PhiCipher.blindIndex(a.keyring, "XJH123456780")).not.toBe(index)
    }).pipe(Effect.provide(provider("k1", { k1: keyA })))
  )

  it.effect("bad master keys are a typed error", () =>
    Effect.gen(function* () {
      const short = yield* Effect.exit(Layer.build(provider("k1", { k1: "AAAA" })).pipe(Effect.scoped))
      expect(Exit.isFailure(short)).toBe(true)
      const missing = yield* Effect.exit(Layer.build(provider("k9", { k1: keyA })).pipe(Effect.scoped))
      expect(Exit.isFailure(missing)).toBe(true)
    })
  )
})

describe("KeyProvider.layerConfig", () => {
  const withEnv = (value: string | undefined) =>
    Layer.provide(
      KeyProvider.layerConfig(),
      ConfigProvider.layer(ConfigProvider.fromEnvRecord(value === undefined ? {} : { OPENRCM_MASTER_KEYS: value }))
    )

  it.effect("reads id:base64 pairs, the first current, and older ones still unwrap", () =>
    Effect.gen(function* () {
      const stored = yield* PhiCipher.createKeys(tenant, 0).pipe(Effect.provide(provider("k1", { k1: keyA })))
      const ring = yield* PhiCipher.openKeyring(tenant, stored).pipe(Effect.provide(withEnv(`k2:${keyB}, k1:${keyA}`)))
      expect(ring.dataKeys.size).toBe(1)
      const current = yield* Effect.gen(function* () {
        return (yield* KeyProvider.KeyProvider).currentMasterKeyId
      }).pipe(Effect.provide(withEnv(`k2:${keyB},k1:${keyA}`)))
      expect(current).toBe("k2")
    })
  )

  it.effect("a malformed or missing variable fails to build, typed", () =>
    Effect.gen(function* () {
      for (const value of ["k1", ":abc", `k1:${keyA},nocolon`, undefined]) {
        const exit = yield* Effect.exit(Layer.build(withEnv(value)).pipe(Effect.scoped))
        expect(Exit.isFailure(exit)).toBe(true)
      }
    })
  )
})
