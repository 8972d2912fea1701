import { describe, expect, it } from "@effect/vitest"
import { Ids } from "@openrcm/core"
import { Schema } from "effect"

describe("Ids", () => {
  it("accepts opaque ids and refuses empty, long or unsafe ones", () => {
    const decode = Schema.decodeUnknownSync(Ids.ClaimId)
    expect(decode("clm_01HZX3")).toBe("clm_01HZX3")
    expect(decode("tenant:acme.north-1")).toBe("tenant:acme.north-1")
    for (const bad of ["", " x", "a".repeat(65), "a/b", "<script>", "-leading"]) {
      expect(() => decode(bad)).toThrow()
    }
  })

  it("names the id kind in a decoding error", () => {
    const result = Schema.decodeUnknownExit(Ids.PatientId)(42)
    expect(result._tag).toBe("Failure")
    expect(String(result)).toMatch(/PatientId/)
  })
})
