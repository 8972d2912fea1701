import { describe, expect, it } from "@effect/vitest"
import { Npi } from "@openrcm/core"
import { Schema } from "effect"
import * as fc from "fast-check"
import { holds } from "./property.js"

const decode = Schema.decodeUnknownSync(Npi.Npi)

describe("Npi", () => {
  // 1234567893 is CMS's worked example of the check digit.
  it.each(["1234567893", "1245319599", "1003000126"])("accepts %s", (npi) => {
    expect(decode(npi)).toBe(npi)
  })

  it.each(["1234567890", "123456789", "12345678931", "abcdefghij", ""])("refuses %j", (npi) => {
    expect(() => decode(npi)).toThrow()
  })

  it("accepts exactly one check digit for any nine digits", () => {
    holds(
      fc.property(fc.stringMatching(/^\d{9}$/), (nine) => {
        const valid = Array.from({ length: 10 }, (_, digit) => Npi.isValid(`${nine}${digit}`))
        return valid.filter(Boolean).length === 1 && valid[Npi.checkDigit(nine)] === true
      })
    )
  })

  it("catches every single-digit typo", () => {
    holds(
      fc.property(
        fc.stringMatching(/^\d{9}$/),
        fc.integer({ min: 0, max: 9 }),
        fc.integer({ min: 1, max: 9 }),
        (nine, at, shift) => {
          const npi = `${nine}${Npi.checkDigit(nine)}`
          const typo = npi.slice(0, at) + String((Number(npi[at]) + shift) % 10) + npi.slice(at + 1)
          return !Npi.isValid(typo)
        }
      )
    )
  })
})
