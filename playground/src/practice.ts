import { Money } from "@openrcm/core"

/** The seeded, synthetic practice the playground shows. */
export const practice = {
  name: "Riverbend Behavioral Health (synthetic)",
  timeZone: "America/Chicago",
  feeSchedule: [
    { code: "90791", description: "Psychiatric diagnostic evaluation", rate: Money.dollars(225) },
    { code: "90832", description: "Psychotherapy, 30 minutes", rate: Money.dollars(95) },
    { code: "90834", description: "Psychotherapy, 45 minutes", rate: Money.dollars(135) },
    { code: "90837", description: "Psychotherapy, 60 minutes", rate: Money.dollars(180) },
    { code: "90853", description: "Group psychotherapy", rate: Money.dollars(45, 50) }
  ]
} as const
