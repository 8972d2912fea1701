/**
 * The envelopes around transactions: interchange (ISA/IEA), functional group (GS/GE) and transaction set
 * (ST/SE) headers, as the reader reports them.
 *
 * @since 0.1.0
 */

/**
 * @since 0.1.0
 */
export interface Interchange {
  /** ISA13. */
  readonly control: string
  readonly senderQualifier: string
  readonly sender: string
  readonly receiverQualifier: string
  readonly receiver: string
  /** ISA09 YYMMDD and ISA10 HHMM. */
  readonly date: string
  readonly time: string
  /** ISA12, such as 00501. */
  readonly version: string
  readonly acknowledgmentRequested: boolean
  /** ISA15: P production, T test. */
  readonly usage: string
}

/**
 * @since 0.1.0
 */
export interface Group {
  /** GS01: HP 835, HC 837, HB 271, HN 277, FA 999, HS 270, HR 276. */
  readonly functionalId: string
  readonly sender: string
  readonly receiver: string
  readonly date: string
  readonly time: string
  /** GS06. */
  readonly control: string
  /** GS08, such as 005010X221A1. */
  readonly version: string
}

/**
 * @since 0.1.0
 */
export interface TransactionHeader {
  /** ST01: 835, 837, 271, 277, 999, ... */
  readonly setId: string
  /** ST02. */
  readonly control: string
  /** ST03 (5010), or GS08 when absent. */
  readonly version: string
}
