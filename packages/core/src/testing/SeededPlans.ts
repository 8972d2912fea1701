/**
 * Synthetic members and plan benefits for the in-memory clearinghouse: a commercial PPO with a copay and a
 * deductible partly met, a high-deductible plan with coinsurance, an HMO whose mental-health visits need
 * authorization and are limited, Medicare Part B, and a member whose coverage ended. No real person's data.
 *
 * @since 0.1.0
 */
import { DateOfService } from "../DateOfService.js"
import { cents, dollars } from "../Money.js"
import type { Member } from "./InMemoryClearinghouse.js"

const d = DateOfService.make
const bh = ["MH", "A6", "A8", "CF"]

/**
 * @since 0.1.0
 */
export const members: ReadonlyArray<Member> = [
  {
    payerId: "ACME1",
    memberId: "ACM100200300",
    firstName: "Jordan",
    lastName: "Rivera",
    dateOfBirth: "1988-04-12",
    coverage: { start: d("2025-01-01"), end: d("2025-12-31") },
    plan: { name: "Acme Health PPO Gold", groupNumber: "GRP-4411" },
    benefits: [
      { kind: "copay", serviceTypes: bh, network: "in", timePeriod: "visit", amount: dollars(25) },
      { kind: "copay", serviceTypes: bh, network: "out", timePeriod: "visit", amount: dollars(60) },
      { kind: "coinsurance", serviceTypes: bh, network: "out", percentBps: 3000 },
      {
        kind: "deductible",
        serviceTypes: ["30"],
        network: "in",
        coverageLevel: "individual",
        timePeriod: "calendar-year",
        amount: dollars(1000)
      },
      {
        kind: "deductible",
        serviceTypes: ["30"],
        network: "in",
        coverageLevel: "individual",
        timePeriod: "remaining",
        amount: dollars(350)
      },
      {
        kind: "out-of-pocket",
        serviceTypes: ["30"],
        network: "in",
        coverageLevel: "individual",
        timePeriod: "calendar-year",
        amount: dollars(4000)
      },
      {
        kind: "out-of-pocket",
        serviceTypes: ["30"],
        network: "in",
        coverageLevel: "individual",
        timePeriod: "remaining",
        amount: cents(312_550)
      },
      { kind: "limitation", serviceTypes: bh, network: "in", authorizationRequired: false }
    ]
  },
  {
    payerId: "ACME1",
    memberId: "ACM900800700",
    firstName: "Casey",
    lastName: "Nguyen",
    dateOfBirth: "1975-09-30",
    coverage: { start: d("2025-01-01"), end: d("2025-12-31") },
    plan: { name: "Acme Health HMO Silver", groupNumber: "GRP-7700" },
    benefits: [
      { kind: "copay", serviceTypes: bh, network: "in", timePeriod: "visit", amount: dollars(10) },
      { kind: "non-covered", serviceTypes: bh, network: "out" },
      {
        kind: "limitation",
        serviceTypes: bh,
        network: "in",
        timePeriod: "calendar-year",
        quantity: { unit: "visits", value: 40 }
      },
      {
        kind: "limitation",
        serviceTypes: bh,
        network: "in",
        timePeriod: "remaining",
        quantity: { unit: "visits", value: 12 },
        authorizationRequired: true
      },
      { kind: "deductible", serviceTypes: ["30"], network: "in", timePeriod: "calendar-year", amount: dollars(0) },
      { kind: "out-of-pocket", serviceTypes: ["30"], network: "in", timePeriod: "remaining", amount: dollars(2500) }
    ]
  },
  {
    payerId: "HDHP9",
    memberId: "HD55501",
    firstName: "Morgan",
    lastName: "Blake",
    dateOfBirth: "1992-01-05",
    coverage: { start: d("2025-07-01"), end: d("2026-06-30") },
    plan: { name: "Summit HSA Bronze" },
    benefits: [
      { kind: "coinsurance", serviceTypes: bh, network: "in", percentBps: 2000 },
      { kind: "deductible", serviceTypes: ["30"], network: "in", timePeriod: "service-year", amount: dollars(3300) },
      { kind: "deductible", serviceTypes: ["30"], network: "in", timePeriod: "remaining", amount: dollars(2900) },
      { kind: "out-of-pocket", serviceTypes: ["30"], network: "in", timePeriod: "service-year", amount: dollars(7000) },
      { kind: "out-of-pocket", serviceTypes: ["30"], network: "in", timePeriod: "remaining", amount: dollars(6600) }
    ]
  },
  {
    payerId: "MCRB1",
    memberId: "1EG4TE5MK73",
    firstName: "Pat",
    lastName: "Okafor",
    dateOfBirth: "1951-06-21",
    coverage: { start: d("2016-06-01"), end: d("2099-12-31") },
    plan: { name: "Medicare Part B" },
    benefits: [
      { kind: "coinsurance", serviceTypes: ["30", ...bh], percentBps: 2000 },
      { kind: "deductible", serviceTypes: ["30"], timePeriod: "calendar-year", amount: dollars(257) },
      { kind: "deductible", serviceTypes: ["30"], timePeriod: "remaining", amount: dollars(0) }
    ]
  },
  {
    payerId: "ACME1",
    memberId: "ACM111222333",
    firstName: "Riley",
    lastName: "Chen",
    dateOfBirth: "2001-11-11",
    coverage: { start: d("2024-01-01"), end: d("2025-02-28") },
    plan: { name: "Acme Health PPO Gold" },
    benefits: []
  }
]
