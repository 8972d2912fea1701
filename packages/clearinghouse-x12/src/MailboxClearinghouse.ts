/**
 * A `Clearinghouse` over an X12 file mailbox (a local folder or SFTP): claim batches go out as 837P files, and
 * the 999, 277CA and 835 files that come back are read as the port's responses. It composes the transport
 * (`Mailbox`), the mapping (`Batch837`, `Responses`) and a small local store (`State`) that remembers what was
 * sent, the control numbers used and what was acknowledged.
 *
 * Sending (`submitClaims`), one batch at a time:
 * 1. A key recorded as sent returns its receipt with `firstTime: false`, and nothing is written: the mailbox's
 *    never-replace `put` protects only while the file is still in the outbound folder; once the clearinghouse
 *    has taken it, only this record stops a second drop.
 * 2. Otherwise it allocates the interchange, group and transaction numbers (`ControlNumbers`) and saves their
 *    high-water marks before any file carries them (`layerControlNumbers` resumes from them after a restart, so a
 *    number is never in two files); writes the 837P (a batch the writer refuses is `Refused`, and nothing is
 *    recorded); records the batch as `pending` (its file name, numbers, date and time, claims) and the group's
 *    numbers for reading its 999; `put`s the file as `<key>-<ISA13>.837` (the key in letters, digits, `.`, `_`,
 *    `-`); records it `sent` and returns `firstTime: true`.
 * 3. A retry of a `pending` batch (a failure or a crash after step 2's record) writes the same file again: the
 *    same name, numbers, date and time, so the same bytes. When the first `put` never happened, it is sent now;
 *    when the file is still in the outbound folder, `put` leaves it (`written: false`); either way the batch is
 *    then recorded `sent` and the receipt says `firstTime: true` (no receipt was given for it before).
 *    `firstTime` is true exactly once per key: for the call that records it sent.
 * 4. The window that remains: a crash after the `put` and before the `sent` record, and the clearinghouse takes
 *    the file before the retry. The retry drops the file again. It is byte for byte the first, with the same
 *    ISA13, GS06 and ST02, so a clearinghouse that checks duplicate interchanges rejects it (TA1 or 999), and
 *    otherwise the payer's duplicate-claim edit denies the second copy of each claim (CARC 18). The window is the
 *    time between two local writes (a rename and a state file), not a network round trip.
 *
 * Receiving (`responses`): the inbound files oldest first, each read once into memory (again only when its
 * size or time changes, or after a restart), tolerantly, with the 999s' sets matched to the batches sent (their
 * submission key and claims). A response's id is `<file name>#<n>`, its place in the file from 1. A file that
 * is not X12, or X12 that carries nothing the port returns (a TA1, a 271), is left where it is and reported
 * once: a warning in the log and `MailboxClearinghouse.problems` (it stays listed there until `dismiss`
 * archives it or someone removes it). Never a failure, never a loop: it is skipped at each read.
 *
 * Acknowledging (`acknowledge`): a file is archived once every response in it is acknowledged (its partial
 * acknowledgements are stored, so a restart remembers them); unknown ids are ignored. A file whose remittance
 * is left unacknowledged stays in the inbound folder. An acknowledged response is never returned again, unless
 * the clearinghouse later drops a new file under an archived file's name (its responses then carry the same ids).
 *
 * Eligibility: the mailbox carries batches only; `checkEligibility` is `Refused` ("eligibility is not offered
 * over the mailbox") unless `eligibility` gives a real-time channel to ask.
 *
 * Failures: the mailbox's `Unavailable` is `Unavailable` (retryable), its `Refused` is `Refused`; its `NotFound`
 * is `Refused` for a configured folder, and for an inbound file means the file is gone (skipped when reading,
 * done when archiving). The local store's I/O failures are `Unavailable`, a corrupt record `Refused`. No
 * `Timeout`: the transports report time-outs as `Unavailable`. Inbound X12 problems are reported, never thrown.
 *
 * One adapter per mailbox and state folder: calls are serialized within the adapter, and nothing coordinates two
 * processes on one state folder.
 *
 * @since 0.1.0
 */
import { Clearinghouse, Ids, Submission } from "@openrcm/core"
import { ControlNumbers } from "@openrcm/x12"
import { Clock, Context, Effect, Layer, Option, Result, Schema, Semaphore } from "effect"
import * as Batch837 from "./Batch837.js"
import * as Mailbox from "./Mailbox.js"
import * as Responses from "./Responses.js"
import * as Sftp from "./Sftp.js"
import * as State from "./State.js"

type ClearinghouseError = Clearinghouse.ClearinghouseError
type Response = Clearinghouse.Response

/**
 * @since 0.1.0
 */
export interface Options extends Batch837.Parties {
  /** The time zone of the 837's date and time (UTC by default). */
  readonly timeZone?: string | undefined
  /** A real-time channel for eligibility (270/271), when the clearinghouse offers one beside the mailbox. */
  readonly eligibility?: Clearinghouse.Clearinghouse["Service"]["checkEligibility"] | undefined
}

/**
 * An inbound file that gives no response: `not-x12` (it cannot be read as X12) or `no-responses` (X12 carrying
 * nothing the port returns, such as a TA1 or a 271). `code` is the reader's problem code, never the content.
 *
 * @since 0.1.0
 */
export interface InboundProblem {
  readonly name: string
  readonly size: number
  readonly modifiedAt: number
  readonly reason: "not-x12" | "no-responses"
  readonly code?: string
}

/**
 * The adapter's controls, beside its `Clearinghouse`.
 *
 * @since 0.1.0
 */
export class MailboxClearinghouse extends Context.Service<
  MailboxClearinghouse,
  {
    /** The inbound files that give no response, oldest first. */
    readonly problems: () => Effect.Effect<ReadonlyArray<InboundProblem>, ClearinghouseError>
    /** Archives an inbound file listed in `problems` (once someone has looked at it); other names are ignored. */
    readonly dismiss: (name: string) => Effect.Effect<void, ClearinghouseError>
  }
>()("@openrcm/clearinghouse-x12/MailboxClearinghouse") {}

// ---------------------------------------------------------------------------------------------------------------
// Errors.

const unavailable = (detail: string): ClearinghouseError =>
  new Clearinghouse.ClearinghouseError({ reason: new Clearinghouse.Unavailable({ detail }) })

const refused = (detail: string): ClearinghouseError =>
  new Clearinghouse.ClearinghouseError({ reason: new Clearinghouse.Refused({ detail }) })

/**
 * A mailbox failure as the port's error: `NotFound` here is a configured folder that is not there.
 *
 * @since 0.1.0
 */
export const fromMailbox =
  (operation: string) =>
  (error: Mailbox.MailboxError): ClearinghouseError => {
    const reason = error.reason
    switch (reason._tag) {
      case "Unavailable":
        return unavailable(`mailbox ${operation}: ${reason.detail}`)
      case "Refused":
        return refused(`mailbox ${operation}: ${reason.detail}`)
      case "NotFound":
        return refused(`mailbox ${operation}: a configured folder is not there`)
    }
  }

const fromState = (error: State.StateError): ClearinghouseError =>
  error.kind === "io" ? unavailable(error.message) : refused(error.message)

// ---------------------------------------------------------------------------------------------------------------
// What the state holds.

const SentRecord = Schema.Struct({
  status: Schema.Literals(["pending", "sent"]),
  /** The file name. */
  reference: Schema.String,
  interchange: Schema.String,
  group: Schema.String,
  transaction: Schema.String,
  date: Schema.String,
  time: Schema.String,
  claimIds: Schema.Array(Ids.ClaimId)
})
type SentRecord = typeof SentRecord.Type

const GroupRecord = Schema.Struct({
  key: Submission.SubmissionKey,
  transaction: Schema.String,
  claimIds: Schema.Array(Ids.ClaimId)
})
type GroupRecord = typeof GroupRecord.Type

const MarksRecord = Schema.Array(
  Schema.Struct({
    kind: Schema.Literals(["interchange", "group", "transaction"]),
    sender: Schema.String,
    receiver: Schema.String,
    last: Schema.Number
  })
)

/** An inbound file's acknowledged responses (by place), for the file of that size and time. */
const InboundRecord = Schema.Struct({
  size: Schema.Number,
  modifiedAt: Schema.Number,
  acknowledged: Schema.Array(Schema.Number)
})

/** An inbound file already reported as a problem. */
const ProblemRecord = Schema.Struct({ size: Schema.Number, modifiedAt: Schema.Number })

/**
 * The state's keys: `control-numbers`, `submission/<key>`, `group/<submitter>/<receiver>/<GS06>`,
 * `inbound/<file>` and `problem/<file>`.
 *
 * @since 0.1.0
 */
export const stateKeys = {
  controlNumbers: "control-numbers",
  submission: (key: string) => `submission/${key}`,
  group: (submitter: string, receiver: string, group: string) => `group/${submitter}/${receiver}/${group}`,
  inbound: (name: string) => `inbound/${name}`,
  problem: (name: string) => `problem/${name}`
} as const

const getRecord = <A>(
  state: State.State["Service"],
  key: string,
  schema: Schema.Decoder<A>
): Effect.Effect<Option.Option<A>, ClearinghouseError> =>
  state.get(key).pipe(
    Effect.mapError(fromState),
    Effect.flatMap(
      Option.match({
        onNone: () => Effect.succeed(Option.none<A>()),
        onSome: (value) =>
          Effect.map(
            Effect.mapError(Schema.decodeUnknownEffect(schema)(value), () =>
              refused("state: a stored record is not in the expected shape")
            ),
            Option.some
          )
      })
    )
  )

const setRecord = (state: State.State["Service"], key: string, value: unknown) =>
  Effect.mapError(state.set(key, value), fromState)

/**
 * `ControlNumbers` resumed from the high-water marks in `State` (the adapter saves them before a file carries
 * the numbers), so numbers never repeat across restarts.
 *
 * @since 0.1.0
 */
export const layerControlNumbers: Layer.Layer<ControlNumbers.ControlNumbers, ClearinghouseError, State.State> =
  Layer.unwrap(
    Effect.gen(function* () {
      const state = yield* State.State
      const marks = yield* getRecord(state, stateKeys.controlNumbers, MarksRecord)
      return ControlNumbers.ControlNumbers.layerFrom(Option.getOrElse(marks, () => []))
    })
  )

/**
 * The outbound file's name: the submission key (letters, digits, `.`, `_`, `-`; anything else as `_`; at most 100
 * characters, no leading dot) and the interchange control number, which makes it unique.
 *
 * @since 0.1.0
 */
export const fileNameOf = (key: string, interchange: string): string => {
  const safe = key
    .replace(/[^A-Za-z0-9._-]/g, "_")
    .slice(0, 100)
    .replace(/^\.+/, "")
  return `${safe === "" ? "batch" : safe}-${interchange}.837`
}

/** A response id `<file>#<n>` as its file and place, or undefined. */
const parseId = (id: string): { readonly name: string; readonly n: number } | undefined => {
  const at = id.lastIndexOf("#")
  if (at <= 0) return undefined
  const digits = id.slice(at + 1)
  if (!/^[1-9][0-9]{0,8}$/.test(digits)) return undefined
  return { name: id.slice(0, at), n: Number(digits) }
}

interface Scanned {
  readonly entry: Mailbox.Entry
  /** With their ids, in the file's order. */
  readonly responses: ReadonlyArray<Response>
  readonly problem: InboundProblem | undefined
  /** Places (from 1) acknowledged so far. */
  acknowledged: ReadonlySet<number>
}

const sameFile = (a: { size: number; modifiedAt: number }, b: { size: number; modifiedAt: number }) =>
  a.size === b.size && a.modifiedAt === b.modifiedAt

/**
 * The adapter on the `Mailbox`, `State` and `ControlNumbers` in context.
 *
 * @since 0.1.0
 */
export const make = (options: Options) =>
  Effect.gen(function* () {
    const mailbox = yield* Mailbox.Mailbox
    const state = yield* State.State
    const controlNumbers = yield* ControlNumbers.ControlNumbers
    const parties: Batch837.Parties = {
      submitter: options.submitter,
      receiver: options.receiver,
      ...(options.usage === undefined ? {} : { usage: options.usage })
    }
    const timeZone = options.timeZone ?? "UTC"
    const submitter = parties.submitter.id.trim()
    const receiver = parties.receiver.id.trim()
    const outbound = yield* Semaphore.make(1)
    const inbound = yield* Semaphore.make(1)
    const cache = new Map<string, Scanned>()

    // --- Sending ---------------------------------------------------------------------------------------------

    const submitClaims = (batch: Clearinghouse.ClaimBatch): Effect.Effect<Clearinghouse.Receipt, ClearinghouseError> =>
      outbound.withPermit(
        Effect.gen(function* () {
          const known = yield* getRecord(state, stateKeys.submission(batch.key), SentRecord)
          if (Option.isSome(known) && known.value.status === "sent")
            return { key: batch.key, reference: known.value.reference, firstTime: false }
          let record: SentRecord
          let text: string
          if (Option.isSome(known)) {
            // Pending: the same numbers, date and time write the same file.
            record = known.value
            const { interchange, group, transaction, date, time } = record
            const written = Batch837.writeWith(batch, parties, { interchange, group, transaction }, { date, time })
            if (Result.isFailure(written)) return yield* refused("the batch cannot be written as an 837P")
            // Other claims under a pending key would be a different file under the same numbers: never sent.
            if (written.success.claimIds.join("\n") !== record.claimIds.join("\n"))
              return yield* refused("the key was recorded for other claims")
            text = written.success.text
          } else {
            const controls = yield* Batch837.allocate(controlNumbers, parties)
            // Saved before any file carries them: a number in a file is never handed out again.
            yield* setRecord(state, stateKeys.controlNumbers, yield* controlNumbers.highWaterMarks)
            const at = Batch837.stamp(yield* Clock.currentTimeMillis, timeZone)
            const written = Batch837.writeWith(batch, parties, controls, at)
            if (Result.isFailure(written))
              return yield* refused(
                `the batch cannot be written as an 837P: ${written.failure.failures.map((f) => f.path).join(", ")}`
              )
            text = written.success.text
            record = {
              status: "pending",
              reference: fileNameOf(batch.key, controls.interchange),
              ...controls,
              ...at,
              claimIds: written.success.claimIds
            }
            const group: GroupRecord = {
              key: batch.key,
              transaction: controls.transaction,
              claimIds: written.success.claimIds
            }
            yield* setRecord(state, stateKeys.group(submitter, receiver, controls.group), group)
            yield* setRecord(state, stateKeys.submission(batch.key), record)
          }
          // `written: false` is the file of an earlier attempt, still in the outbound folder: the same bytes.
          yield* Effect.mapError(mailbox.put(record.reference, text), fromMailbox("put"))
          yield* setRecord(state, stateKeys.submission(batch.key), { ...record, status: "sent" })
          return { key: batch.key, reference: record.reference, firstTime: true }
        })
      )

    // --- Receiving -------------------------------------------------------------------------------------------

    const groupLookup = (group: string) => getRecord(state, stateKeys.group(submitter, receiver, group), GroupRecord)

    /** The file's responses (ids set), or why it has none. */
    const parse = (
      name: string,
      text: string
    ): Effect.Effect<
      { readonly responses: ReadonlyArray<Response> } | { readonly problem: Pick<InboundProblem, "reason" | "code"> },
      ClearinghouseError
    > =>
      Effect.gen(function* () {
        // First pass: which sent groups its 999s name; then read again with them.
        const wanted = new Set<string>()
        const first = Responses.read(text, {
          id: name,
          sent: (set) => {
            wanted.add(set.group)
            return undefined
          }
        })
        if (Result.isFailure(first)) return { problem: { reason: "not-x12", code: first.failure.problem.code } }
        let read = first.success
        if (wanted.size > 0) {
          const found = new Map<string, GroupRecord>()
          for (const group of wanted) {
            const record = yield* groupLookup(group)
            if (Option.isSome(record)) found.set(group, record.value)
          }
          const second = Responses.read(text, {
            id: name,
            sent: (set) => {
              const record = found.get(set.group)
              if (record === undefined || (set.transaction !== undefined && set.transaction !== record.transaction))
                return undefined
              return { key: record.key, claimIds: record.claimIds }
            }
          })
          if (Result.isSuccess(second)) read = second.success
        }
        if (read.responses.length === 0) {
          const error = read.problems.find((p) => p.severity === "error")
          return { problem: { reason: "no-responses", ...(error === undefined ? {} : { code: error.code }) } }
        }
        return { responses: read.responses.map((response, i) => ({ ...response, id: `${name}#${i + 1}` })) }
      })

    const reportOnce = (problem: InboundProblem) =>
      Effect.gen(function* () {
        const seen = yield* getRecord(state, stateKeys.problem(problem.name), ProblemRecord)
        if (Option.isSome(seen) && sameFile(seen.value, problem)) return
        yield* Effect.logWarning("mailbox clearinghouse: an inbound file gives no response; it is left in place", {
          file: problem.name,
          reason: problem.reason,
          ...(problem.code === undefined ? {} : { code: problem.code })
        })
        yield* setRecord(state, stateKeys.problem(problem.name), { size: problem.size, modifiedAt: problem.modifiedAt })
      })

    const scanFile = (entry: Mailbox.Entry): Effect.Effect<Scanned | undefined, ClearinghouseError> =>
      Effect.gen(function* () {
        const text = yield* mailbox.read(entry.name).pipe(
          Effect.map(Option.some),
          Effect.catch((error) =>
            // Gone since it was listed (archived elsewhere): nothing to read.
            error.reason._tag === "NotFound"
              ? Effect.succeed(Option.none<string>())
              : Effect.fail(fromMailbox("read")(error))
          )
        )
        if (Option.isNone(text)) return undefined
        const parsed = yield* parse(entry.name, text.value)
        const identity = { name: entry.name, size: entry.size, modifiedAt: entry.modifiedAt }
        if ("problem" in parsed) {
          const problem: InboundProblem = { ...identity, ...parsed.problem }
          yield* reportOnce(problem)
          return { entry, responses: [], problem, acknowledged: new Set<number>() }
        }
        const stored = yield* getRecord(state, stateKeys.inbound(entry.name), InboundRecord)
        const acknowledged =
          Option.isSome(stored) && sameFile(stored.value, entry)
            ? new Set(stored.value.acknowledged)
            : new Set<number>()
        return { entry, responses: parsed.responses, problem: undefined, acknowledged }
      })

    /** The inbound files, oldest first, each read once while it stays the same. Run under `inbound`. */
    const scan: Effect.Effect<ReadonlyArray<Scanned>, ClearinghouseError> = Effect.gen(function* () {
      const entries = yield* Effect.mapError(mailbox.list(), fromMailbox("list"))
      const listed = new Set(entries.map((entry) => entry.name))
      for (const name of [...cache.keys()]) if (!listed.has(name)) cache.delete(name)
      const files: Array<Scanned> = []
      for (const entry of entries) {
        const cached = cache.get(entry.name)
        if (cached !== undefined && sameFile(cached.entry, entry)) {
          files.push(cached)
          continue
        }
        const scanned = yield* scanFile(entry)
        if (scanned === undefined) continue
        cache.set(entry.name, scanned)
        files.push(scanned)
      }
      return files
    })

    /** Archives an inbound file; one already gone is done. */
    const archive = (name: string) =>
      mailbox
        .archive(name)
        .pipe(
          Effect.catch((error) =>
            error.reason._tag === "NotFound" ? Effect.void : Effect.fail(fromMailbox("archive")(error))
          )
        )

    const responses = (): Effect.Effect<ReadonlyArray<Response>, ClearinghouseError> =>
      inbound.withPermit(
        Effect.map(scan, (files) =>
          files.flatMap((file) => file.responses.filter((_, i) => !file.acknowledged.has(i + 1)))
        )
      )

    const acknowledge = (ids: ReadonlyArray<string>): Effect.Effect<void, ClearinghouseError> =>
      inbound.withPermit(
        Effect.gen(function* () {
          const byFile = new Map<string, Set<number>>()
          for (const id of ids) {
            const parsed = parseId(id)
            if (parsed === undefined || !Mailbox.isValidName(parsed.name)) continue
            const places = byFile.get(parsed.name) ?? new Set<number>()
            places.add(parsed.n)
            byFile.set(parsed.name, places)
          }
          if (byFile.size === 0) return
          for (const file of yield* scan) {
            const name = file.entry.name
            const places = byFile.get(name)
            if (places === undefined || file.problem !== undefined) continue
            const count = file.responses.length
            const next = new Set(file.acknowledged)
            for (const n of places) if (n <= count) next.add(n)
            if (next.size === file.acknowledged.size) continue
            if (next.size >= count) {
              // All handled: the archive is the record; the partial record goes after it.
              yield* archive(name)
              cache.delete(name)
              yield* Effect.mapError(state.remove(stateKeys.inbound(name)), fromState)
            } else {
              yield* setRecord(state, stateKeys.inbound(name), {
                size: file.entry.size,
                modifiedAt: file.entry.modifiedAt,
                acknowledged: [...next].sort((a, b) => a - b)
              })
              file.acknowledged = next
            }
          }
        })
      )

    const clearinghouse = Clearinghouse.Clearinghouse.of({
      checkEligibility:
        options.eligibility ?? (() => Effect.fail(refused("eligibility is not offered over the mailbox"))),
      submitClaims,
      responses,
      acknowledge
    })

    const controls = MailboxClearinghouse.of({
      problems: () =>
        inbound.withPermit(
          Effect.map(scan, (files) => files.flatMap((file) => (file.problem === undefined ? [] : [file.problem])))
        ),
      dismiss: (name) =>
        inbound.withPermit(
          Effect.gen(function* () {
            const file = (yield* scan).find((f) => f.entry.name === name && f.problem !== undefined)
            if (file === undefined) return
            yield* archive(name)
            cache.delete(name)
            yield* Effect.mapError(state.remove(stateKeys.problem(name)), fromState)
          })
        )
    })
    return { clearinghouse, controls }
  })

/**
 * The adapter and its controls on the `Mailbox`, `State` and `ControlNumbers` in context (use
 * `layerControlNumbers` on the same `State`, or numbers may repeat after a restart).
 *
 * @since 0.1.0
 */
export const layer = (
  options: Options
): Layer.Layer<
  Clearinghouse.Clearinghouse | MailboxClearinghouse,
  never,
  Mailbox.Mailbox | State.State | ControlNumbers.ControlNumbers
> =>
  Layer.effectContext(
    Effect.map(make(options), ({ clearinghouse, controls }) =>
      Context.make(Clearinghouse.Clearinghouse, clearinghouse).pipe(Context.add(MailboxClearinghouse, controls))
    )
  )

/**
 * The adapter on a `Mailbox` and a `State`, with control numbers kept in that state.
 *
 * @since 0.1.0
 */
export const layerOn = (
  options: Options
): Layer.Layer<Clearinghouse.Clearinghouse | MailboxClearinghouse, ClearinghouseError, Mailbox.Mailbox | State.State> =>
  layer(options).pipe(Layer.provide(layerControlNumbers))

/**
 * @since 0.1.0
 */
export interface DirectoryOptions extends Options, Mailbox.DirectoryOptions {
  /** The local state folder (see `State.layerDirectory`). */
  readonly state: string
}

/**
 * The adapter on local (or mounted) mailbox folders, with its state in a local folder. Fails to build only when
 * the state cannot be read.
 *
 * @since 0.1.0
 */
export const layerDirectory = (
  options: DirectoryOptions
): Layer.Layer<Clearinghouse.Clearinghouse | MailboxClearinghouse, ClearinghouseError> =>
  layerOn(options).pipe(
    Layer.provide(Mailbox.layerDirectory(options)),
    Layer.provide(State.layerDirectory({ folder: options.state }))
  )

/**
 * @since 0.1.0
 */
export interface SftpOptions extends Options {
  /** The SFTP connection and the folders on the server (see `Sftp.Options`). */
  readonly sftp: Sftp.Options
  /** The local state folder (see `State.layerDirectory`). */
  readonly state: string
}

/**
 * The adapter on an SFTP mailbox, with its state in a local folder.
 *
 * @since 0.1.0
 */
export const layerSftp = (
  options: SftpOptions
): Layer.Layer<Clearinghouse.Clearinghouse | MailboxClearinghouse, ClearinghouseError> =>
  layerOn(options).pipe(
    Layer.provide(Sftp.layer(options.sftp)),
    Layer.provide(State.layerDirectory({ folder: options.state }))
  )
