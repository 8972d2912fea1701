// Writers for what a payer sends back: the 999, the 277CA and the 835. Plain inputs in, X12 text out; the
// counts (SE01, GE01, IEA01) and the ISA's fixed widths are computed here. Amounts are integer cents.
import { Remittance } from "@openrcm/x12"
import { Result } from "effect"

/** An interchange's envelope: who sends, who receives, its control numbers and stamp. */
export interface Envelope {
  readonly sender: string
  readonly receiver: string
  readonly interchange: string
  readonly group: string
  readonly date: string
  readonly time: string
  readonly usage: "T" | "P"
}

const pad = (text: string, width: number) => (text.length >= width ? text.slice(0, width) : text.padEnd(width, " "))

export const amount = (cents: number): string => {
  const text = Remittance.formatCents(cents)
  // X12 amounts without trailing zeros: 150.00 → 150, 12.50 → 12.5.
  return text.replace(/\.00$/u, "").replace(/(\.\d)0$/u, "$1")
}

const segment = (elements: ReadonlyArray<string | undefined>): string => {
  const parts = elements.map((e) => e ?? "")
  let end = parts.length
  while (end > 1 && parts[end - 1] === "") end--
  return `${parts.slice(0, end).join("*")}~`
}

/** One transaction set inside its group and interchange. */
const wrap = (
  envelope: Envelope,
  functionalId: string,
  version: string,
  sets: ReadonlyArray<{ readonly setId: string; readonly control: string; readonly body: ReadonlyArray<string> }>
): string => {
  const lines: Array<string> = [
    `ISA*00*          *00*          *ZZ*${pad(envelope.sender, 15)}*ZZ*${pad(envelope.receiver, 15)}*${envelope.date.slice(2)}*${envelope.time}*^*00501*${envelope.interchange}*0*${envelope.usage}*:~`,
    segment([
      "GS",
      functionalId,
      envelope.sender,
      envelope.receiver,
      envelope.date,
      envelope.time,
      envelope.group,
      "X",
      version
    ])
  ]
  for (const set of sets) {
    lines.push(segment(["ST", set.setId, set.control, version]))
    // Not `push(...body)`: an 835 of 100,000 claims has more segments than a call takes arguments.
    for (const line of set.body) lines.push(line)
    lines.push(segment(["SE", String(set.body.length + 2), set.control]))
  }
  lines.push(segment(["GE", String(sets.length), envelope.group]), segment(["IEA", "1", envelope.interchange]))
  return `${lines.join("\n")}\n`
}

// ---------------------------------------------------------------------------------------------------------------
// 999
// ---------------------------------------------------------------------------------------------------------------

export interface Ack999Input {
  /** GS06 and ST02 of the 837 acknowledged. */
  readonly group: string
  readonly transaction: string
  readonly accepted: boolean
  /** IK5 transaction set error codes when rejected (5: one or more segments in error). */
  readonly errors: ReadonlyArray<string>
}

export const write999 = (envelope: Envelope, input: Ack999Input): string => {
  const body = [
    segment(["AK1", "HC", input.group, "005010X222A1"]),
    segment(["AK2", "837", input.transaction, "005010X222A1"]),
    segment(["IK5", input.accepted ? "A" : "R", ...input.errors.slice(0, 5)]),
    segment(["AK9", input.accepted ? "A" : "R", "1", "1", input.accepted ? "1" : "0"])
  ]
  return wrap(envelope, "FA", "005010X231A1", [{ setId: "999", control: "0001", body }])
}

// ---------------------------------------------------------------------------------------------------------------
// 277CA
// ---------------------------------------------------------------------------------------------------------------

export interface StatusClaim {
  readonly claimId: string
  readonly patient: { readonly last: string; readonly first: string; readonly memberId: string }
  readonly charge: number
  readonly from: string
  readonly to: string
  /** STC01 composites (category:status[:entity]); accepted claims have A1:20 and A2:20. */
  readonly statuses: ReadonlyArray<string>
  readonly accepted: boolean
  readonly payerClaimNumber: string | undefined
}

export interface StatusProvider {
  readonly name: string
  readonly npi: string
  readonly claims: ReadonlyArray<StatusClaim>
}

export interface StatusPayer {
  readonly name: string
  readonly id: string
  readonly providers: ReadonlyArray<StatusProvider>
}

export interface Status277Input {
  /** BHT03, and the 2200B trace: the 837's reference (its BHT03) the answer is for. */
  readonly reference: string
  readonly submitter: { readonly name: string; readonly id: string }
  readonly payers: ReadonlyArray<StatusPayer>
  readonly date: string
  readonly time: string
}

const d8 = (iso: string) => iso.replaceAll("-", "")

export const write277CA = (envelope: Envelope, input: Status277Input): string => {
  const body: Array<string> = [segment(["BHT", "0085", "08", input.reference, input.date, input.time, "TH"])]
  let hl = 0
  for (const payer of input.payers) {
    const payerHl = ++hl
    body.push(
      segment(["HL", String(payerHl), "", "20", "1"]),
      segment(["NM1", "PR", "2", payer.name, "", "", "", "", "PI", payer.id]),
      segment(["TRN", "1", input.reference]),
      segment(["DTP", "050", "D8", input.date]),
      segment(["DTP", "009", "D8", input.date])
    )
    const claims = payer.providers.flatMap((p) => p.claims)
    const accepted = claims.filter((c) => c.accepted)
    const rejected = claims.filter((c) => !c.accepted)
    const receiverHl = ++hl
    body.push(
      segment(["HL", String(receiverHl), String(payerHl), "21", "1"]),
      segment(["NM1", "41", "2", input.submitter.name, "", "", "", "", "46", input.submitter.id]),
      segment(["TRN", "2", input.reference]),
      segment(["STC", "A1:19:PR", input.date, "WQ", amount(claims.reduce((s, c) => s + c.charge, 0))]),
      segment(["QTY", "90", String(accepted.length)]),
      segment(["QTY", "AA", String(rejected.length)]),
      segment(["AMT", "YU", amount(accepted.reduce((s, c) => s + c.charge, 0))]),
      segment(["AMT", "YY", amount(rejected.reduce((s, c) => s + c.charge, 0))])
    )
    for (const provider of payer.providers) {
      const providerHl = ++hl
      body.push(
        segment(["HL", String(providerHl), String(receiverHl), "19", "1"]),
        segment(["NM1", "85", "2", provider.name, "", "", "", "", "XX", provider.npi])
      )
      for (const claim of provider.claims) {
        body.push(
          segment(["HL", String(++hl), String(providerHl), "PT"]),
          segment([
            "NM1",
            "QC",
            "1",
            claim.patient.last,
            claim.patient.first,
            "",
            "",
            "",
            "MI",
            claim.patient.memberId
          ]),
          segment(["TRN", "2", claim.claimId]),
          ...claim.statuses.map((status) =>
            segment(["STC", status, input.date, claim.accepted ? "WQ" : "U", amount(claim.charge)])
          ),
          ...(claim.payerClaimNumber === undefined ? [] : [segment(["REF", "1K", claim.payerClaimNumber])]),
          claim.from === claim.to
            ? segment(["DTP", "472", "D8", d8(claim.from)])
            : segment(["DTP", "472", "RD8", `${d8(claim.from)}-${d8(claim.to)}`])
        )
      }
    }
  }
  return wrap(envelope, "HN", "005010X214", [{ setId: "277", control: "0001", body }])
}

// ---------------------------------------------------------------------------------------------------------------
// 835
// ---------------------------------------------------------------------------------------------------------------

export interface Adjustment {
  readonly group: "CO" | "PR" | "OA" | "PI"
  readonly reason: string
  readonly amount: number
}

export interface PaidLine {
  readonly code: string
  readonly modifiers: ReadonlyArray<string>
  readonly charge: number
  readonly paid: number
  readonly units: number
  readonly dateOfService: string
  readonly adjustments: ReadonlyArray<Adjustment>
  readonly controlNumber: string | undefined
  readonly allowed: number | undefined
  readonly remarks: ReadonlyArray<string>
}

export interface PaidClaim {
  readonly claimId: string
  /** CLP02: 1, 2, 3 processed as primary, secondary, tertiary; 4 denied; 22 reversal. */
  readonly status: string
  readonly charge: number
  readonly paid: number
  readonly patientResponsibility: number
  readonly filingIndicator: string
  readonly payerClaimNumber: string
  readonly placeOfService: string
  readonly frequency: string
  readonly patient: { readonly last: string; readonly first: string; readonly memberId: string }
  readonly rendering: { readonly last: string; readonly first: string; readonly npi: string }
  readonly received: string
  readonly lines: ReadonlyArray<PaidLine>
}

export interface Remittance835Input {
  readonly payer: { readonly name: string; readonly id: string }
  readonly payee: {
    readonly name: string
    readonly npi: string
    readonly tin: string
    readonly address: {
      readonly line1: string
      readonly city: string
      readonly state: string
      readonly postalCode: string
    }
  }
  readonly trace: string
  /** CCYYMMDD: the production and payment date. */
  readonly date: string
  readonly claims: ReadonlyArray<PaidClaim>
}

/** The sandbox payer's banks and accounts, and its company id (TRN03, BPR10): synthetic. */
const payerId = "1512345678"
const payerAccount = { bankIdQualifier: "01", bankId: "011000015", accountQualifier: "DA", accountNumber: "000111222" }
const payeeAccount = { bankIdQualifier: "01", bankId: "021000021", accountQualifier: "DA", accountNumber: "333444555" }

/** Adjustments of a non-zero amount (a zero one says nothing), as the 835 model has them. */
const adjustmentsOf = (adjustments: ReadonlyArray<Adjustment>): Array<Remittance.Adjustment> =>
  adjustments.filter((a) => a.amount !== 0).map((a) => ({ group: a.group, reason: a.reason, amount: a.amount }))

const person = (
  entity: string,
  name: { readonly last: string; readonly first: string },
  idQualifier: string,
  id: string
): Remittance.Name => ({
  entity,
  entityType: "1",
  name: name.last,
  ...(name.first === "" ? {} : { first: name.first }),
  ...(id === "" ? {} : { idQualifier, id })
})

/** The sandbox's remittance as the 835 model `@openrcm/x12` writes (and reads). */
export const toRemittance = (input: Remittance835Input): Remittance.RemittanceToWrite => {
  const total = input.claims.reduce((s, c) => s + c.paid, 0)
  const payee = input.payee
  return {
    payment:
      total !== 0
        ? {
            handling: "I",
            amount: Math.abs(total),
            // A net recovery (reversals outweigh payments) is a debit of the provider's account.
            creditDebit: total > 0 ? "C" : "D",
            method: "ACH",
            format: "CCP",
            payerAccount,
            originatingCompanyId: payerId,
            payeeAccount,
            effectiveDate: input.date
          }
        : { handling: "H", amount: 0, creditDebit: "C", method: "NON", effectiveDate: input.date },
    trace: { type: "1", number: input.trace, payerId },
    references: [],
    productionDate: input.date,
    payer: {
      name: input.payer.name,
      ...(input.payer.id === "" ? {} : { idQualifier: "XV", id: input.payer.id }),
      references: [],
      contacts: []
    },
    payee: {
      name: payee.name,
      idQualifier: "XX",
      id: payee.npi,
      address: {
        lines: [payee.address.line1],
        city: payee.address.city,
        state: payee.address.state,
        postalCode: payee.address.postalCode
      },
      references: [{ qualifier: "TJ", value: payee.tin }],
      contacts: []
    },
    claims: input.claims.map((claim) => ({
      headerNumber: "1",
      patientControlNumber: claim.claimId,
      status: claim.status,
      charge: claim.charge,
      paid: claim.paid,
      patientResponsibility: claim.patientResponsibility,
      filingIndicator: claim.filingIndicator,
      payerClaimControlNumber: claim.payerClaimNumber,
      ...(claim.placeOfService === "" ? {} : { facilityCode: claim.placeOfService }),
      ...(claim.frequency === "" ? {} : { frequency: claim.frequency }),
      adjustments: [],
      patient: person("QC", claim.patient, "MI", claim.patient.memberId),
      rendering: person("82", claim.rendering, "XX", claim.rendering.npi),
      otherNames: [],
      references: [],
      received: claim.received,
      amounts: [],
      quantities: [],
      remarks: [],
      lines: claim.lines.map((line) => ({
        procedure: { qualifier: "HC", code: line.code, modifiers: line.modifiers },
        charge: line.charge,
        paid: line.paid,
        units: line.units,
        serviceDate: d8(line.dateOfService),
        adjustments: adjustmentsOf(line.adjustments),
        ...(line.controlNumber === undefined ? {} : { controlNumber: line.controlNumber }),
        references: [],
        ...(line.allowed === undefined ? {} : { allowed: line.allowed }),
        amounts: [],
        quantities: [],
        remarks: line.remarks
      }))
    })),
    providerAdjustments: []
  }
}

/**
 * The 835, written by `@openrcm/x12`'s writer. The adjudicator balances what it pays, so a failure here is a
 * defect of the sandbox: it throws, naming the failing fields (never their values).
 */
export const write835 = (envelope: Envelope, input: Remittance835Input): string => {
  const written = Remittance.write835(
    toRemittance(input),
    { interchange: envelope.interchange, group: envelope.group, transaction: "0001" },
    {
      sender: envelope.sender,
      receiver: envelope.receiver,
      date: envelope.date,
      time: envelope.time,
      usage: envelope.usage,
      newline: true
    }
  )
  if (Result.isFailure(written))
    throw new Error(
      `the sandbox's 835 is not valid: ${written.failure.map((f) => `${f.path} ${f.message}`).join("; ")}`
    )
  return written.success
}
