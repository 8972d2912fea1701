import { join } from "node:path"
import {
  Billing,
  type Claim,
  ClaimBuild,
  type Clearinghouse,
  DateOfService,
  Ids,
  type RuleSet,
  type Scrub
} from "@openrcm/core"
import { Effect, FileSystem, type Layer, Option, Schema } from "effect"
import { Argument, Command, Flag } from "effect/cli"
import { decodeDocument, InputError, parseJson, readText } from "./input.js"
import { clearinghouseX12, writeReport } from "./operation.js"
import { partiesOf, partyFlags } from "./parties.js"
import { chunkSize, chunksOf, inChunks } from "./progress.js"
import { claimIdsIn, storeFlags, withStore } from "./store.js"

/**
 * Exit code of a run that went through but left some work undone (a session left out, a claim blocked or not
 * found, a claim refused or rejected): the report says which. Bad input and failures exit 1.
 */
export const incompleteExitCode = 2

const setExitCode = (incomplete: boolean) =>
  Effect.sync(() => {
    if (incomplete) process.exitCode = incompleteExitCode
  })

const outFlag = Flag.String("out").pipe(
  Flag.withDescription("Write the report (JSON) to this file instead of standard output"),
  Flag.optional
)

const claimIdsArgument = Argument.String("claim-id").pipe(
  Argument.withDescription("The claims, by id"),
  Argument.variadic()
)

const decodeClaimIds = (ids: ReadonlyArray<string>) => decodeDocument(Schema.Array(Ids.ClaimId), "claim ids", ids)

/** The claims named, or every claim the flag selects; exactly one of the two. */
const selectClaims = (ids: ReadonlyArray<string>, all: boolean, flag: string, statuses: ReadonlyArray<Claim.Status>) =>
  Effect.gen(function* () {
    if (ids.length > 0 && all) return yield* new InputError({ problems: [`give claim ids or ${flag}, not both`] })
    if (ids.length === 0 && !all) return yield* new InputError({ problems: [`give claim ids, or ${flag}`] })
    return all ? yield* claimIdsIn(statuses) : yield* decodeClaimIds(ids)
  })

// --- build -----------------------------------------------------------------------------------------------------

/**
 * Sessions in chunks of about `chunkSize`, a patient's sessions never split: a claim is one patient's, so
 * building chunk by chunk builds the same claims as building all at once.
 */
const byPatient = (sessions: ReadonlyArray<ClaimBuild.CodedSession>) => {
  const groups = new Map<string, Array<ClaimBuild.CodedSession>>()
  for (const session of sessions) {
    const group = groups.get(session.patientId)
    if (group === undefined) groups.set(session.patientId, [session])
    else group.push(session)
  }
  const chunks: Array<Array<ClaimBuild.CodedSession>> = []
  let current: Array<ClaimBuild.CodedSession> = []
  for (const group of groups.values()) {
    if (current.length > 0 && current.length + group.length > chunkSize) {
      chunks.push(current)
      current = []
    }
    current.push(...group)
  }
  if (current.length > 0) chunks.push(current)
  return chunks
}

/** A claim in a report: ids, charge (cents) and line count; no dates, diagnoses or other PHI. */
const claimSummary = (claim: Claim.Claim) => ({
  claimId: claim.id,
  status: claim.status,
  payerId: claim.payerId,
  charge: claim.charge,
  lines: claim.lines.length,
  sessions: [...new Set(claim.lines.flatMap((line) => (line.sessionId === undefined ? [] : [line.sessionId])))]
})

const buildReport = (sessions: number, reports: ReadonlyArray<Billing.BuildReport>) => {
  const created = reports.flatMap((r) => r.created).map(claimSummary)
  const existing = reports.flatMap((r) => r.existing)
  const rebuilt = reports.flatMap((r) => r.rebuilt).map(claimSummary)
  const late = reports.flatMap((r) => r.late)
  const problems = reports.flatMap((r) => r.problems)
  return {
    summary: {
      sessions,
      created: created.length,
      existing: existing.length,
      rebuilt: rebuilt.length,
      late: late.length,
      problems: problems.length
    },
    created,
    existing,
    rebuilt,
    late,
    problems
  }
}

const build = Command.make(
  "build",
  {
    file: Argument.String("sessions.json").pipe(
      Argument.withDescription(
        "A JSON array of coded sessions (`openrcm schema coded-session`), or - for standard input"
      )
    ),
    out: outFlag,
    ...storeFlags
  },
  ({ file, out, ...flags }) =>
    Effect.gen(function* () {
      const input = yield* readText(file)
      const sessions = yield* decodeDocument(
        Schema.Array(ClaimBuild.CodedSession),
        input.source,
        yield* parseJson(input)
      )
      const reports = yield* withStore(
        flags,
        { mustExist: false },
        inChunks("built", byPatient(sessions), (chunk) => Billing.buildClaims(chunk))
      )
      const report = buildReport(sessions.length, reports)
      yield* writeReport(report, Option.getOrUndefined(out))
      yield* setExitCode(report.problems.length > 0)
    })
).pipe(
  Command.withDescription(
    "Build draft claims from completed, coded sessions (a JSON array) into the store, and report what was created, already there, rebuilt with a late session, late for a claim already sent, or left out and why. Exit 2 when a session was left out."
  ),
  Command.withExamples([
    {
      command: "openrcm claims build sessions.json --tenant clinic-1",
      description: "Build into ./openrcm-data"
    }
  ])
)

// --- scrub -----------------------------------------------------------------------------------------------------

/** A finding in a report: what the scrubber says, with codes only (an authorization number is left out). */
const findingOf = (finding: Scrub.Finding) => ({
  edit: finding.edit,
  severity: finding.severity,
  ...(finding.line === undefined ? {} : { line: finding.line }),
  denial: finding.denial,
  message: finding.message,
  suggestion: finding.suggestion,
  ...(finding.fix === undefined
    ? {}
    : { fix: finding.fix._tag === "SetPriorAuthorization" ? { _tag: finding.fix._tag } : finding.fix })
})

const scrubEntry = (outcome: Billing.ScrubOutcome) => {
  switch (outcome._tag) {
    case "Scrubbed":
      return {
        claimId: outcome.claimId,
        outcome: "scrubbed" as const,
        status: outcome.status,
        blocked: outcome.result.blocking,
        findings: outcome.result.findings.map(findingOf)
      }
    case "Skipped":
      return { claimId: outcome.claimId, outcome: "skipped" as const, status: outcome.status, blocked: false }
    case "NotFound":
      return { claimId: outcome.claimId, outcome: "not-found" as const, blocked: false }
  }
}

const scrub = Command.make(
  "scrub",
  {
    ids: claimIdsArgument,
    all: Flag.Boolean("all").pipe(
      Flag.withDescription("Scrub every draft and scrubbed claim"),
      Flag.withDefault(false)
    ),
    asOf: Flag.String("as-of").pipe(
      Flag.withDescription("The day timely filing counts to, YYYY-MM-DD (default: today, UTC)"),
      Flag.optional
    ),
    out: outFlag,
    ...storeFlags
  },
  ({ ids, all, asOf, out, ...flags }) =>
    Effect.gen(function* () {
      const day = yield* Option.match(asOf, {
        onNone: () => Effect.succeed(undefined),
        onSome: (value) => decodeDocument(DateOfService.DateOfService, "--as-of", value)
      })
      const outcomes = yield* withStore(
        flags,
        { mustExist: true },
        Effect.gen(function* () {
          const claimIds = yield* selectClaims(ids, all, "--all", ["draft", "scrubbed"])
          const chunks = yield* inChunks("scrubbed", chunksOf(claimIds), (chunk) =>
            Billing.scrubClaims(chunk, { asOf: day })
          )
          return chunks.flat()
        })
      )
      const claims = outcomes.map(scrubEntry)
      const count = (test: (entry: (typeof claims)[number]) => boolean) => claims.filter(test).length
      const summary = {
        claims: claims.length,
        ready: count((c) => c.status === "ready"),
        blocked: count((c) => c.blocked),
        skipped: count((c) => c.outcome === "skipped"),
        notFound: count((c) => c.outcome === "not-found")
      }
      yield* writeReport({ summary, claims }, Option.getOrUndefined(out))
      yield* setExitCode(summary.ready < summary.claims)
    })
).pipe(
  Command.withDescription(
    "Scrub claims against their payers' rule packs: a claim with no error moves to ready, one with an error stays scrubbed. Reports each claim's findings (edit, severity, likely denial, message, suggestion, certain fix). Exit 2 unless every claim is ready."
  ),
  Command.withExamples([
    { command: "openrcm claims scrub --all --tenant clinic-1", description: "Scrub every draft and scrubbed claim" }
  ])
)

// --- submit ----------------------------------------------------------------------------------------------------

type SubmitEntry = {
  claimId: Ids.ClaimId
  status?: Claim.Status
  submission?: string
  refused?: Billing.SubmitRefusal
  delivery?: { outcome: "sent" | "failed" | "not-recorded"; reference?: string; reason?: string }
  answer?: { status: Claim.Status; reasons: ReadonlyArray<string> }
}

/** Where a refused claim stands: a claim refused for what it lacks was ready, and still is. */
const statusOfRefused = (reason: Billing.SubmitRefusal): Claim.Status | undefined =>
  reason._tag === "NotFound" ? undefined : reason._tag === "NotReady" ? reason.status : "ready"

const submitReport = (
  submitted: ReadonlyArray<Billing.SubmitReport>,
  delivered: ReadonlyArray<Billing.DeliveryOutcome>,
  responses: Billing.ResponsesReport
) => {
  const entries = new Map<string, SubmitEntry>()
  for (const outcome of submitted.flatMap((report) => report.claims)) {
    if (entries.has(outcome.claimId)) continue
    if (outcome._tag === "Queued") {
      entries.set(outcome.claimId, { claimId: outcome.claimId, status: "submitted", submission: outcome.key })
    } else {
      const status = statusOfRefused(outcome.reason)
      entries.set(outcome.claimId, {
        claimId: outcome.claimId,
        ...(status === undefined ? {} : { status }),
        refused: outcome.reason
      })
    }
  }
  for (const outcome of delivered) {
    for (const claimId of outcome.claimIds) {
      const entry = entries.get(claimId)
      if (entry === undefined) continue
      if (outcome._tag === "Sent") entry.delivery = { outcome: "sent", reference: outcome.reference }
      else if (outcome._tag === "Failed") {
        entry.delivery = { outcome: "failed", reason: outcome.reason }
        entry.status = "ready"
      } else entry.delivery = { outcome: "not-recorded", reason: describeStoreError(outcome.error) }
    }
  }
  // Answers about claims of earlier runs (a mailbox's responses arrive later) are reported beside.
  const others: Array<{ claimId: Ids.ClaimId; status: Claim.Status; reasons: ReadonlyArray<string> }> = []
  for (const response of responses.responses) {
    if (response._tag !== "Applied") continue
    for (const answer of response.claims) {
      const moved =
        answer._tag === "Moved"
          ? { status: answer.to, reasons: answer.reasons }
          : answer._tag === "Numbered"
            ? { status: "accepted" as const, reasons: [] }
            : undefined
      if (moved === undefined) continue
      const entry = entries.get(answer.claimId)
      if (entry === undefined) others.push({ claimId: answer.claimId, ...moved })
      else {
        entry.answer = moved
        entry.status = moved.status
      }
    }
  }
  const claims = [...entries.values()]
  const count = (test: (entry: SubmitEntry) => boolean) => claims.filter(test).length
  return {
    summary: {
      claims: claims.length,
      queued: count((c) => c.submission !== undefined),
      refused: count((c) => c.refused !== undefined),
      sent: count((c) => c.delivery?.outcome === "sent"),
      failed: count((c) => c.delivery !== undefined && c.delivery.outcome !== "sent"),
      accepted: count((c) => c.status === "accepted"),
      rejected: count((c) => c.status === "rejected")
    },
    claims,
    submissions: delivered.map((outcome) => ({
      key: outcome.key,
      claims: outcome.claimIds.length,
      outcome: outcome._tag === "Sent" ? "sent" : outcome._tag === "Failed" ? "failed" : "not-recorded",
      ...(outcome._tag === "Sent" ? { reference: outcome.reference, firstTime: outcome.firstTime } : {}),
      ...(outcome._tag === "Failed" ? { reason: outcome.reason } : {})
    })),
    responses: {
      applied: responses.responses.filter((r) => r._tag === "Applied").length,
      deferred: responses.responses.filter((r) => r._tag === "Deferred").length,
      failed: responses.responses.filter((r) => r._tag === "Failed").length,
      otherClaims: others
    }
  }
}

const describeStoreError = (error: { readonly message: string }) => error.message

/** Sends every pending submission, 50 at a time, until the outbox is empty or the store fails. */
const deliverAll = Effect.gen(function* () {
  const limit = 50
  const outcomes: Array<Billing.DeliveryOutcome> = []
  for (;;) {
    const round = yield* Billing.deliverSubmissions({ limit })
    outcomes.push(...round)
    if (round.length < limit || round.some((outcome) => outcome._tag === "NotRecorded")) return outcomes
  }
})

const submit = Command.make(
  "submit",
  {
    ids: claimIdsArgument,
    allReady: Flag.Boolean("all-ready").pipe(Flag.withDescription("Submit every ready claim"), Flag.withDefault(false)),
    mailbox: Flag.String("mailbox").pipe(
      Flag.withDescription(
        "An X12 mailbox folder: 837P files go to <dir>/outbound, answers are read from <dir>/inbound, and what was sent is remembered in <dir>/state"
      ),
      Flag.optional
    ),
    sandbox: Flag.Boolean("sandbox").pipe(
      Flag.withDescription("The in-process sandbox clearinghouse, which answers at once (for demos)"),
      Flag.withDefault(false)
    ),
    out: outFlag,
    ...partyFlags,
    ...storeFlags
  },
  ({ ids, allReady, mailbox, sandbox, out, submitterId, submitterName, receiverId, receiverName, ...rest }) =>
    Effect.gen(function* () {
      const { contactName, contactPhone, contactEmail, usage, ...flags } = rest
      if (Option.isSome(mailbox) === sandbox) {
        return yield* new InputError({ problems: ["give --mailbox <dir> or --sandbox (one of them)"] })
      }
      const clearinghouse: Layer.Layer<
        Clearinghouse.Clearinghouse,
        Clearinghouse.ClearinghouseError,
        RuleSet.RulePacks
      > = yield* Option.match(mailbox, {
        onNone: () =>
          Effect.map(clearinghouseX12, ({ Sandbox }) =>
            Sandbox.layer({ delays: { acknowledgement: 0, claimStatus: 0 } })
          ),
        onSome: (dir) =>
          Effect.gen(function* () {
            const parties = yield* partiesOf(
              {
                submitterId,
                submitterName,
                receiverId,
                receiverName,
                contactName,
                contactPhone,
                contactEmail,
                usage
              },
              "with --mailbox"
            )
            const fs = yield* FileSystem.FileSystem
            const folders = {
              outbound: join(dir, "outbound"),
              inbound: join(dir, "inbound"),
              state: join(dir, "state")
            }
            const exists = yield* fs.exists(dir).pipe(Effect.orElseSucceed(() => false))
            if (!exists) return yield* new InputError({ problems: [`${dir}: no such mailbox folder`] })
            for (const folder of Object.values(folders)) {
              yield* fs
                .makeDirectory(folder, { recursive: true })
                .pipe(
                  Effect.catchTag("PlatformError", (error) =>
                    Effect.fail(new InputError({ problems: [`${folder}: cannot be created (${error.reason._tag})`] }))
                  )
                )
            }
            const { MailboxClearinghouse } = yield* clearinghouseX12
            return MailboxClearinghouse.layerDirectory({ ...folders, ...parties })
          })
      })
      const report = yield* withStore(
        flags,
        { mustExist: true },
        Effect.gen(function* () {
          const claimIds = yield* selectClaims(ids, allReady, "--all-ready", ["ready"])
          const submitted = yield* inChunks("queued", chunksOf(claimIds), (chunk) => Billing.submitClaims(chunk))
          const delivered = yield* deliverAll
          const responses = yield* Billing.processResponses()
          return submitReport(submitted, delivered, responses)
        }).pipe(Effect.provide(clearinghouse))
      )
      yield* writeReport(report, Option.getOrUndefined(out))
      yield* setExitCode(report.claims.some((c) => c.status !== "submitted" && c.status !== "accepted"))
    })
).pipe(
  Command.withDescription(
    "Submit ready claims: queue them (one submission per 200 claims), send every pending submission through the clearinghouse, and apply what came back (999, 277CA). Reports each claim. Exit 2 when a claim was refused, not sent or rejected."
  ),
  Command.withExamples([
    {
      command:
        "openrcm claims submit --all-ready --mailbox ./mailbox --tenant clinic-1 --submitter-id ETIN1 --submitter-name 'Riverbend BH' --receiver-id CLEARHOUSE --contact-phone 5035550100",
      description: "Drop the 837P in ./mailbox/outbound and read answers from ./mailbox/inbound"
    },
    { command: "openrcm claims submit --all-ready --sandbox --tenant clinic-1", description: "A demo run" }
  ])
)

export const claims = Command.make("claims").pipe(
  Command.withDescription("Claims in the store: build them from coded sessions, scrub them, submit them."),
  Command.withSubcommands([build, scrub, submit])
)
