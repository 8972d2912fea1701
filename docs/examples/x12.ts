// docs/x12.md: every example of the page (docs/examples/x12.test.ts runs them and checks the page quotes them).
import { createReadStream, createWriteStream } from "node:fs"
import { rename, rm } from "node:fs/promises"
import { pipeline } from "node:stream/promises"
import { Claim837, ControlNumbers, Problem, Remittance, Requests, X12 } from "@openrcm/x12"
import { Effect, FileSystem, Result, Stream } from "effect"

export const remit = [
  "ISA*00*          *00*          *ZZ*PAYER          *ZZ*CLINIC         *251127*1200*^*00501*000000001*0*P*:~",
  "GS*HP*PAYER*CLINIC*20251127*1200*1*X*005010X221A1~",
  "ST*835*0001*005010X221A1~",
  "BPR*I*95*C*ACH*CCP*01*999999999*DA*123456*1512345678**01*999999999*DA*654321*20251127~",
  "TRN*1*EFT12345*1512345678~",
  "N1*PR*SYNTHETIC PAYER~",
  "N1*PE*RIVERBEND BH*XX*1245319599~",
  "LX*1~",
  "CLP*PCN1*1*135*95*20*12*PAYERCN1*11*1~",
  "SVC*HC:90834:95*135*95**1~",
  "CAS*CO*45*20~",
  "CAS*PR*2*20~",
  "SE*11*0001~GE*1*1~IEA*1*000000001~"
].join("\n")

// --- Reading a whole text: every transaction set, typed; problems with their positions ---------------------------

/** Each transaction set of a text, and each problem with where it is. `readText` never throws. */
export function summarize(text: string, mode: "strict" | "tolerant" = "tolerant") {
  const result = X12.readText(text, { mode }) // tolerant (the default) recovers and reports every problem
  if (result._tag === "Failure") return { stopped: where(result.error.problem) } // strict's first error, or not X12
  const sets = result.interchanges.flatMap((i) => i.groups.flatMap((g) => g.transactions))
  return {
    sets: sets.map((t) => `${t.header.setId} ${t.header.control}: ${t.items.length} item(s)`),
    problems: result.problems.map(where)
  }
}

/** `error line-unbalanced at ISA 000000001 / GS 1 / ST 0001 / segment 9 SVC, element 3` */
const where = (p: Problem.Problem) => `${p.severity} ${p.code} at ${Problem.position(p)}`

// --- The size limits: a segment past `maxSegmentLength`, or more than `maxProblems` problems, stops the read ------

export const limited = (text: string) => X12.readText(text, { maxSegmentLength: 4096, maxProblems: 100 })

// --- One transaction set, typed: the per-set readers throw where readText returns a Failure ----------------------

/** The claims of an 835, with each problem and where it is. */
export function readRemittance(text: string) {
  try {
    const { remittances, problems } = Remittance.read835(text)
    return {
      claims: remittances.flatMap((r) =>
        r.claims.map((c) => `${c.patientControlNumber}: paid ${c.paid} of ${c.charge} cents`)
      ),
      problems: problems.map(where)
    }
  } catch (error) {
    // read835 throws X12ParseError on input that is not X12, and in strict mode at the first error.
    if (error instanceof Problem.X12ParseError) return { claims: [], problems: [where(error.problem)] }
    throw error
  }
}

// --- Any size, in chunks: events as they complete, memory flat ----------------------------------------------------

/** A file of any size: claims come out one by one (`Item` events). Throws `X12ParseError` where readText fails. */
export async function countClaims(chunks: AsyncIterable<string | Uint8Array>): Promise<number> {
  let claims = 0
  for await (const event of X12.readChunks(chunks)) if (event._tag === "Item") claims++
  return claims
}

export const countClaimsInFile = (path: string) => countClaims(createReadStream(path))

// --- The Effect way: a Stream of bytes in, a Stream of events out -------------------------------------------------

/** Effect<{ claims, problems }, PlatformError | X12ParseError, FileSystem> */
export const tally = (path: string) =>
  Effect.gen(function* () {
    const fs = yield* FileSystem.FileSystem
    const tally = { claims: 0, problems: [] as Array<string> }
    yield* X12.stream(fs.stream(path)).pipe(
      Stream.runForEach((event) =>
        Effect.sync(() => {
          if (event._tag === "Item") tally.claims++
          if (event._tag === "Problem") tally.problems.push(where(event.problem))
        })
      )
    )
    return tally
  })

// --- Writing an 837P ------------------------------------------------------------------------------------------------

export const submission: Claim837.Submission837 = {
  submitter: { name: "RIVERBEND BH", id: "RBH0001", contact: { name: "BILLING", phone: "5035550100" } },
  receiver: { name: "CLEARINGHOUSE", id: "CLEARHOUSE" },
  billingProvider: {
    name: "RIVERBEND BH",
    npi: "1245319599",
    ein: "931234567",
    address: { line1: "100 RIVER ST", city: "PORTLAND", state: "OR", postalCode: "972041234" }
  },
  claims: [
    {
      subscriber: {
        memberId: "ACM900800700",
        name: { last: "RIVERA", first: "MARIA" },
        dob: "1984-02-29",
        sex: "F",
        relationship: "18",
        responsibility: "P",
        claimFilingIndicator: "CI"
      },
      payer: { name: "ACME HEALTH", id: "ACME01" },
      claim: {
        patientControlNumber: "PCN1",
        totalCharge: 13_500,
        placeOfService: "10",
        frequency: "1",
        providerSignature: true,
        assignment: "A",
        benefitsAssignment: "Y",
        releaseOfInformation: "Y",
        diagnoses: ["F4322"],
        lines: [
          {
            code: "90834",
            modifiers: ["95"],
            charge: 13_500,
            units: 1,
            diagnosisPointers: [1],
            dateOfService: "2025-11-20"
          }
        ]
      }
    }
  ]
}

/** The same submission always writes the same text: the date and time are given, never read from the clock. */
const options: Claim837.WriteOptions = { date: "20251127", time: "1200", usage: "T" }

export const write837 = (controls: Claim837.Controls) => Claim837.write837(submission, controls, options)

/** A large batch, segment by segment: never one string. */
export function write837ToFile(controls: Claim837.Controls, write: (segment: string) => void) {
  const lines = Claim837.write837Lines(submission, controls, options)
  if (Result.isFailure(lines)) return lines.failure // [{ path: "claims[0].claim.lines[0].charge", message: ... }]
  for (const segment of lines.success) write(segment)
  return []
}

// --- Writing a large 837P as the claims come: a temporary file, renamed once the interchange is whole ------------

/** What a batch says once, before its claims: the submission without them. */
const header: Claim837.Header837 = {
  submitter: submission.submitter,
  receiver: submission.receiver,
  billingProvider: submission.billingProvider
}

/** Claims as they come: made here one by one; in practice a database cursor or a file of JSON lines. */
export async function* claimsToBill(count: number): AsyncGenerator<Claim837.Claim837> {
  const sample = submission.claims[0] as Claim837.Claim837
  for (let i = 1; i <= count; i++) yield { ...sample, claim: { ...sample.claim, patientControlNumber: `PCN${i}` } }
}

/** Writes the 837P to `path` as the claims come; `path` exists only once the whole interchange is written. */
export async function write837File(
  path: string,
  claims: Iterable<Claim837.Claim837> | AsyncIterable<Claim837.Claim837>,
  controls: Claim837.Controls
): Promise<ReadonlyArray<Claim837.ValidationFailure>> {
  const chunks = Claim837.write837Chunks(header, claims, controls, options)
  if (Result.isFailure(chunks)) return chunks.failure // the header is wrong: nothing written, no file
  const temporary = `${path}.partial` // in the same directory, so the rename is one step
  try {
    await pipeline(chunks.success, createWriteStream(temporary)) // waits for the disk (drain): memory stays flat
    await rename(temporary, path) // only a whole interchange gets the real name
    return []
  } catch (error) {
    await rm(temporary, { force: true }) // what was written before the error is not an interchange
    if (error instanceof Claim837.X12WriteError) return error.failures // [{ path: "claims[1].claim.totalCharge", ... }]
    throw error
  }
}

/** Effect<void, X12WriteError | PlatformError | E, FileSystem | R>: the same, from a Stream of claims. */
export const stream837ToFile = <E, R>(
  path: string,
  claims: Stream.Stream<Claim837.Claim837, E, R>,
  controls: Claim837.Controls
) =>
  Effect.gen(function* () {
    const fs = yield* FileSystem.FileSystem
    const temporary = `${path}.partial`
    yield* Claim837.stream837(header, claims, controls, options).pipe(
      Stream.encodeText,
      Stream.run(fs.sink(temporary)),
      Effect.onError(() => Effect.ignore(fs.remove(temporary, { force: true })))
    )
    yield* fs.rename(temporary, path)
  })

// --- Writing an 835: a remittance built as the reader would read it, written, read back ------------------------

export const payment: Remittance.RemittanceToWrite = {
  payment: { handling: "I", amount: 9500, creditDebit: "C", method: "CHK", effectiveDate: "20251127" },
  trace: { type: "1", number: "CHK10045", payerId: "1512345678" },
  references: [],
  payer: {
    name: "SYNTHETIC PAYER",
    address: { lines: ["PO BOX 100"], city: "SPRINGFIELD", state: "IL", postalCode: "62701" },
    references: [],
    contacts: [{ function: "BL", name: "PROVIDER SERVICES", numbers: [{ qualifier: "TE", value: "8005550100" }] }]
  },
  payee: { name: "RIVERBEND BH", idQualifier: "XX", id: "1245319599", references: [], contacts: [] },
  claims: [
    {
      headerNumber: "1",
      patientControlNumber: "PCN1",
      status: "1",
      charge: 13500,
      paid: 9500,
      patientResponsibility: 2000,
      filingIndicator: "12",
      payerClaimControlNumber: "PAYERCN1",
      adjustments: [],
      otherNames: [],
      references: [],
      amounts: [],
      quantities: [],
      remarks: [],
      lines: [
        {
          procedure: { qualifier: "HC", code: "90834", modifiers: ["95"] },
          charge: 13500,
          paid: 9500,
          units: 1,
          serviceDate: "20251120",
          adjustments: [
            { group: "CO", reason: "45", amount: 2000 },
            { group: "PR", reason: "2", amount: 2000 }
          ],
          references: [],
          amounts: [],
          quantities: [],
          remarks: []
        }
      ]
    }
  ],
  providerAdjustments: []
}

/** The 835 as text, or where it is wrong: the paths of the fields, never their values. */
export function write(remittance: Remittance.RemittanceToWrite): string | ReadonlyArray<string> {
  const written = Remittance.write835(
    remittance,
    { interchange: "000000002", group: "2", transaction: "0002" },
    { sender: "PAYER", receiver: "CLINIC", date: "20251127", time: "1200" }
  )
  return Result.isSuccess(written) ? written.success : written.failure.map((f) => `${f.path}: ${f.message}`)
}

// --- Control numbers, and the 270 and 276 requests ----------------------------------------------------------------

/** ISA13, GS06 and ST02 that never repeat between a sender and a receiver. */
const nextControls = (sender: string, receiver: string) =>
  Effect.gen(function* () {
    const numbers = yield* ControlNumbers.ControlNumbers
    return {
      interchange: yield* numbers.next("interchange", sender, receiver), // "000000001", then "000000002", ...
      group: yield* numbers.next("group", sender, receiver),
      transaction: yield* numbers.next("transaction", sender, receiver) // "0001"
    }
  })

const envelope: Requests.EnvelopeOptions = {
  sender: { id: "CLINIC" },
  receiver: { id: "PAYER" },
  usage: "T",
  date: "2025-11-27",
  time: "1200"
}
const payer = { name: "ACME HEALTH", id: "ACME01" }
const provider = { name: "RIVERBEND BH", npi: "1245319599" }
const subscriber = { memberId: "ACM900800700", lastName: "RIVERA", firstName: "MARIA", birthDate: "1984-02-29" }

/** A 270 (is the member covered for mental health?) and a 276 (where is claim PCN1?), numbered in turn. */
export const requests = Effect.gen(function* () {
  const inquiry = Requests.write270(
    { reference: "INQ1", payer, provider, subscriber, serviceTypes: ["30", "MH"] },
    yield* nextControls("CLINIC", "PAYER"),
    envelope
  )
  const status = Requests.write276(
    {
      reference: "STAT1",
      payer,
      receiver: { name: "RIVERBEND BH", id: "RBH0001" },
      provider,
      subscriber,
      claim: { trace: "PCN1", patientAccount: "PCN1", chargeCents: 13_500, serviceDates: "2025-11-20" }
    },
    yield* nextControls("CLINIC", "PAYER"),
    envelope
  )
  return { inquiry, status } // each a Result: the interchange, or [{ field, message }]
}).pipe(Effect.provide(ControlNumbers.ControlNumbers.layerMemory)) // layerFrom(marks) resumes stored numbers
