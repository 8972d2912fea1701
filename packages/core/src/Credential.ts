/**
 * The credential a clinician bills under. Rule packs decide which credential may bill which code and which
 * modifier a program requires for it; this module only names the credentials.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"

/**
 * @since 0.1.0
 */
export const credentials = [
  "MD",
  "DO",
  "NP",
  "PA",
  "CNS",
  "PhD",
  "PsyD",
  "LCSW",
  "LMSW",
  "LPC",
  "LMHC",
  "LMFT",
  "LCADC",
  "CADC",
  "Bachelors",
  "Peer"
] as const

/**
 * MD/DO physicians, nurse practitioners, physician assistants, clinical nurse specialists, doctoral psychologists,
 * licensed clinical and master's social workers, counselors (LPC, LMHC), marriage and family therapists,
 * addiction counselors (LCADC, CADC), bachelor's-level staff and peer specialists.
 *
 * @since 0.1.0
 */
export const Credential = Schema.Literals(credentials).annotate({ identifier: "Credential" })

/**
 * @since 0.1.0
 */
export type Credential = typeof Credential.Type
