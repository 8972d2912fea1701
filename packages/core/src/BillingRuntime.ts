/**
 * The bridge for hosts that do not use Effect: a runtime built once from the layers a host chooses (store,
 * clearinghouse, ...) that runs OpenRCM operations as Promises. React's `BillingProvider` takes one.
 *
 * @since 0.1.0
 */
import { Effect, type Exit, Layer, ManagedRuntime } from "effect"
import type * as Audit from "./Audit.js"
import type * as Authorization from "./Authorization.js"
import * as Billing from "./Billing.js"
import { Caller, type CallerInfo } from "./Caller.js"
import type * as Claim from "./Claim.js"
import type * as ClaimBuild from "./ClaimBuild.js"
import { Clearinghouse, type ClearinghouseError } from "./Clearinghouse.js"
import type { CodingRequest, CodingResult } from "./Coding.js"
import type * as Denial from "./Denial.js"
import { EligibilityCache, type EligibilityRequest } from "./Eligibility.js"
import type * as GoodFaithEstimate from "./GoodFaithEstimate.js"
import type { ClaimId, PatientId } from "./Ids.js"
import type * as PatientResponsibility from "./PatientResponsibility.js"
import type { RemittanceAdvice } from "./RemittanceAdvice.js"
import type * as RemittancePosting from "./RemittancePosting.js"
import type { RulePack, RulePackError } from "./RulePack.js"
import { layerBuiltin, type RulePackNotFound, type RulePacks } from "./RuleSet.js"
import type * as Scrub from "./Scrub.js"
import type { SessionError, TrackedSession } from "./Session.js"
import { type Aging, type DenialQuery, type Page, Store, type StoreError } from "./Store.js"
import type * as VisitLimit from "./VisitLimit.js"

/**
 * @since 0.1.0
 */
export interface BillingRuntime<R, ER = never> {
  /** Runs an operation; the Promise rejects with the operation's typed error or a defect. */
  readonly runPromise: <A, E>(
    effect: Effect.Effect<A, E, R | RulePacks | EligibilityCache>,
    options?: { readonly signal?: AbortSignal | undefined }
  ) => Promise<A>
  /** Runs an operation and resolves with its `Exit`, never rejecting: the way to read typed failures. */
  readonly runPromiseExit: <A, E>(
    effect: Effect.Effect<A, E, R | RulePacks | EligibilityCache>,
    options?: { readonly signal?: AbortSignal | undefined }
  ) => Promise<Exit.Exit<A, E | ER | RulePackError>>
  /** Codes a session (see `Billing.codeSession`). */
  readonly codeSession: (request: CodingRequest) => Promise<CodingResult>
  /** What a tracked session bills now and the minutes to its next threshold (see `Billing.previewSession`). */
  readonly previewSession: (session: TrackedSession) => Promise<ReadonlyArray<Billing.SessionPreview>>
  /** Validates a rule pack document; rejects with a `RulePackError` listing every problem. */
  readonly validateRulePack: (document: unknown) => Promise<RulePack>
  /** See `Billing.checkAuthorization`. */
  readonly checkAuthorization: (input: Parameters<typeof Billing.checkAuthorization>[0]) => Promise<Authorization.Check>
  /** See `Billing.authorizationAlerts`. */
  readonly authorizationAlerts: (
    input: Parameters<typeof Billing.authorizationAlerts>[0]
  ) => Promise<ReadonlyArray<Authorization.Alert>>
  /** See `Billing.visitLimits`. */
  readonly visitLimits: (input: Parameters<typeof Billing.visitLimits>[0]) => Promise<ReadonlyArray<VisitLimit.Status>>
  /** See `Billing.checkEligibility`; needs a Clearinghouse layer. Rejects with a `ClearinghouseError`. */
  readonly checkEligibility: (
    request: EligibilityRequest,
    options?: Parameters<typeof Billing.checkEligibility>[1]
  ) => Promise<Billing.EligibilityCheck>
  /** See `Billing.checkEligibilityForSchedule`; needs a Clearinghouse layer. */
  readonly checkEligibilityForSchedule: (
    requests: ReadonlyArray<EligibilityRequest>,
    options?: Parameters<typeof Billing.checkEligibilityForSchedule>[1]
  ) => Promise<
    ReadonlyArray<
      | (Billing.EligibilityCheck & { readonly _tag: "Checked" })
      | { readonly _tag: "Failed"; readonly error: ClearinghouseError }
    >
  >
  /** See `Billing.estimatePatientResponsibility`. */
  readonly estimatePatientResponsibility: (
    request: PatientResponsibility.EstimateRequest
  ) => Promise<PatientResponsibility.Estimate>
  /** See `Billing.goodFaithEstimate`. */
  readonly goodFaithEstimate: (
    request: GoodFaithEstimate.GoodFaithEstimateRequest
  ) => Promise<GoodFaithEstimate.GoodFaithEstimate>
  /**
   * See `Billing.verifyAuditChain`; needs a Store layer. Store operations act for a caller: its tenant, who
   * (an opaque actor id) and why. Rejects with a `StoreError`.
   */
  readonly verifyAuditChain: (caller: CallerInfo) => Promise<Audit.Verification>
  /**
   * See `Billing.transitionClaim`; needs a Store layer. Rejects with an `IllegalTransition`, a `ManualMoveRefused`
   * (a move to `submitted` or `corrected`: use `submitClaims`, `correctClaim` or `voidClaim`), a `ClaimNotFound` or a
   * `StoreError`.
   */
  readonly transitionClaim: (
    caller: CallerInfo,
    id: ClaimId,
    move: Parameters<typeof Billing.transitionClaim>[1]
  ) => Promise<Claim.Claim>
  /** See `Billing.buildClaims`; needs a Store layer. Sessions left out are in the report's `problems`. */
  readonly buildClaims: (
    caller: CallerInfo,
    sessions: ReadonlyArray<ClaimBuild.CodedSession>
  ) => Promise<Billing.BuildReport>
  /** See `Billing.scrubClaims`; needs a Store layer. */
  readonly scrubClaims: (
    caller: CallerInfo,
    claimIds: ReadonlyArray<ClaimId>,
    options?: Parameters<typeof Billing.scrubClaims>[1]
  ) => Promise<ReadonlyArray<Billing.ScrubOutcome>>
  /** See `Billing.applyClaimFix`; needs a Store layer. */
  readonly applyClaimFix: (caller: CallerInfo, claimId: ClaimId, fix: Scrub.Fix) => Promise<Claim.Claim>
  /** See `Billing.updateClaim`; needs a Store layer. */
  readonly updateClaim: (caller: CallerInfo, claim: Claim.Claim) => Promise<Claim.Claim>
  /** See `Billing.submitClaims`; needs a Store layer. Refusals are per claim in the report. */
  readonly submitClaims: (caller: CallerInfo, claimIds: ReadonlyArray<ClaimId>) => Promise<Billing.SubmitReport>
  /** See `Billing.correctClaim`; needs a Store layer. */
  readonly correctClaim: (
    caller: CallerInfo,
    id: ClaimId,
    options?: Parameters<typeof Billing.correctClaim>[1]
  ) => Promise<Billing.Replacement>
  /** See `Billing.voidClaim`; needs a Store layer. */
  readonly voidClaim: (
    caller: CallerInfo,
    id: ClaimId,
    options?: Parameters<typeof Billing.voidClaim>[1]
  ) => Promise<Billing.Replacement>
  /** See `Billing.recordDenials`; needs a Store layer. Outcomes are per item. */
  readonly recordDenials: (
    caller: CallerInfo,
    items: ReadonlyArray<Billing.DenialItem>,
    options?: Parameters<typeof Billing.recordDenials>[1]
  ) => Promise<ReadonlyArray<Billing.RecordOutcome>>
  /** See `Billing.assignDenial`; needs a Store layer. Rejects with a `DenialNotFound` or a `StoreError`. */
  readonly assignDenial: (caller: CallerInfo, id: Denial.DenialId, assignee: string) => Promise<Denial.Denial>
  /** See `Billing.noteDenial`; needs a Store layer. Rejects with a `DenialNotFound` or a `StoreError`. */
  readonly noteDenial: (caller: CallerInfo, id: Denial.DenialId, text: string) => Promise<Denial.Denial>
  /** See `Billing.denialQueue`; needs a Store layer. */
  readonly denialQueue: (caller: CallerInfo, query?: DenialQuery) => Promise<Page<Denial.Denial>>
  /** See `Billing.refreshDenialPriorities`; needs a Store layer. Run once a day. */
  readonly refreshDenialPriorities: (
    caller: CallerInfo,
    options?: Parameters<typeof Billing.refreshDenialPriorities>[0]
  ) => Promise<Billing.PriorityRefresh>
  /** See `Billing.workDenials`; needs a Store layer. Outcomes are per denial. */
  readonly workDenials: (
    caller: CallerInfo,
    ids: ReadonlyArray<Denial.DenialId>,
    action: Billing.WorkAction
  ) => Promise<ReadonlyArray<Billing.WorkOutcome>>
  /** See `Billing.appealPacket`; needs a Store layer. Rejects with an `AppealTemplateError` on unknown placeholders. */
  readonly appealPacket: (
    caller: CallerInfo,
    id: Denial.DenialId,
    options?: Parameters<typeof Billing.appealPacket>[1]
  ) => Promise<Billing.AppealPacket>
  /** See `Billing.denialTrends`; needs a Store layer. */
  readonly denialTrends: (
    caller: CallerInfo,
    period: Parameters<typeof Billing.denialTrends>[0]
  ) => Promise<Billing.DenialTrends>
  /** See `Billing.deliverSubmissions`; needs a Store and a Clearinghouse layer. Outcomes are per submission. */
  readonly deliverSubmissions: (
    caller: CallerInfo,
    options?: Parameters<typeof Billing.deliverSubmissions>[0]
  ) => Promise<ReadonlyArray<Billing.DeliveryOutcome>>
  /** See `Billing.processResponses`; needs a Store and a Clearinghouse layer. */
  readonly processResponses: (
    caller: CallerInfo,
    options?: Parameters<typeof Billing.processResponses>[0]
  ) => Promise<Billing.ResponsesReport>
  /** See `Billing.postRemittance`; needs a Store layer. */
  readonly postRemittance: (caller: CallerInfo, advice: RemittanceAdvice) => Promise<RemittancePosting.PostingReport>
  /** See `Billing.buildSecondaryClaims`; needs a Store layer. */
  readonly buildSecondaryClaims: (
    caller: CallerInfo,
    options?: Parameters<typeof Billing.buildSecondaryClaims>[0]
  ) => Promise<Billing.SecondaryReport>
  /** See `Billing.billSession`; needs a Store layer. */
  readonly billSession: (
    caller: CallerInfo,
    input: Billing.BillSessionInput
  ) => Promise<{ readonly coded: CodingResult; readonly report: Billing.BuildReport }>
  /** See `Billing.agingReport`; needs a Store layer. */
  readonly agingReport: (caller: CallerInfo, options?: Billing.AsOf) => Promise<Aging>
  /** See `Billing.cleanClaimRate`; needs a Store layer. */
  readonly cleanClaimRate: (caller: CallerInfo, period: Billing.Period) => Promise<Billing.CleanClaimReport>
  /** See `Billing.collections`; needs a Store layer. */
  readonly collections: (caller: CallerInfo, period: Billing.Period) => Promise<Billing.CollectionsReport>
  /** See `Billing.patientStatement`; needs a Store layer. */
  readonly patientStatement: (
    caller: CallerInfo,
    patientId: PatientId,
    options?: Billing.AsOf
  ) => Promise<Billing.PatientStatement>
  /** Releases what the layers acquired (connections, files). */
  readonly dispose: () => Promise<void>
  /** The underlying Effect runtime, for hosts that do use Effect. */
  readonly managed: ManagedRuntime.ManagedRuntime<R | RulePacks | EligibilityCache, ER | RulePackError>
}

/**
 * Options for `make`.
 *
 * @since 0.1.0
 */
export interface Options {
  /** Rule packs of the host's own (a new payer or state program), loaded beside the built-in ones. */
  readonly rulePacks?: ReadonlyArray<unknown>
}

/**
 * The errors a Promise method can reject with.
 *
 * @since 0.1.0
 */
export type OperationError =
  | RulePackError
  | RulePackNotFound
  | SessionError
  | ClearinghouseError
  | GoodFaithEstimate.GoodFaithEstimateError
  | StoreError
  | Claim.IllegalTransition
  | Billing.ClaimNotFound
  | Billing.MissingPayerClaimNumber
  | Billing.DenialNotFound
  | Billing.PayerNotFound
  | Billing.AppealTemplateError
  | Billing.SessionNotBillable

/**
 * Builds a runtime from the host's layer and the rule packs (the built-in ones and the host's). Layers are built
 * lazily, on the first operation.
 *
 * @since 0.1.0
 */
export const make = <R, ER>(layer: Layer.Layer<R, ER, never>, options?: Options): BillingRuntime<R, ER> => {
  const managed = ManagedRuntime.make(
    Layer.mergeAll(layer, layerBuiltin(options?.rulePacks ?? []), EligibilityCache.layerMemory)
  )
  // Operations on the clearinghouse need the host's; without one the call fails plainly rather than at type level.
  const withClearinghouse = <A, E, R>(
    effect: Effect.Effect<A, E, R>,
    what = "this operation"
  ): Effect.Effect<A, E, Exclude<R, Clearinghouse>> =>
    Effect.flatMap(Effect.serviceOption(Clearinghouse), (clearinghouse) =>
      clearinghouse._tag === "Some"
        ? Effect.provideService(effect, Clearinghouse, clearinghouse.value)
        : Effect.die(new Error(`${what} needs a Clearinghouse: pass its layer to BillingRuntime.make`))
    )
  // Store operations need the host's store; without one the call fails plainly rather than at type level.
  const withStore = <A, E, R>(
    caller: CallerInfo,
    effect: Effect.Effect<A, E, R>
  ): Effect.Effect<A, E, Exclude<Exclude<R, Store>, Caller>> =>
    Effect.flatMap(Effect.serviceOption(Store), (store) =>
      store._tag === "Some"
        ? effect.pipe(Effect.provideService(Store, store.value), Effect.provideService(Caller, caller))
        : Effect.die(new Error("this operation needs a Store: pass its layer to BillingRuntime.make"))
    )
  // Claim delivery and responses need both.
  const withStoreAndClearinghouse = <A, E>(
    caller: CallerInfo,
    effect: Effect.Effect<A, E, Store | Caller | Clearinghouse | RulePacks>
  ): Effect.Effect<A, E, RulePacks> => withStore(caller, withClearinghouse(effect))
  return {
    runPromise: (effect, runOptions) => managed.runPromise(effect, runOptions),
    runPromiseExit: (effect, runOptions) => managed.runPromiseExit(effect, runOptions),
    codeSession: (request) => managed.runPromise(Billing.codeSession(request)),
    previewSession: (session) => managed.runPromise(Billing.previewSession(session)),
    validateRulePack: (document) => managed.runPromise(Billing.validateRulePack(document)),
    checkAuthorization: (input) => managed.runPromise(Billing.checkAuthorization(input)),
    authorizationAlerts: (input) => managed.runPromise(Billing.authorizationAlerts(input)),
    visitLimits: (input) => managed.runPromise(Billing.visitLimits(input)),
    checkEligibility: (request, eligibilityOptions) =>
      managed.runPromise(withClearinghouse(Billing.checkEligibility(request, eligibilityOptions), "eligibility")),
    checkEligibilityForSchedule: (requests, scheduleOptions) =>
      managed.runPromise(
        withClearinghouse(Billing.checkEligibilityForSchedule(requests, scheduleOptions), "eligibility")
      ),
    estimatePatientResponsibility: (request) => managed.runPromise(Billing.estimatePatientResponsibility(request)),
    goodFaithEstimate: (request) => managed.runPromise(Billing.goodFaithEstimate(request)),
    verifyAuditChain: (caller) => managed.runPromise(withStore(caller, Billing.verifyAuditChain())),
    transitionClaim: (caller, id, move) => managed.runPromise(withStore(caller, Billing.transitionClaim(id, move))),
    buildClaims: (caller, sessions) => managed.runPromise(withStore(caller, Billing.buildClaims(sessions))),
    scrubClaims: (caller, claimIds, scrubOptions) =>
      managed.runPromise(withStore(caller, Billing.scrubClaims(claimIds, scrubOptions))),
    applyClaimFix: (caller, claimId, fix) => managed.runPromise(withStore(caller, Billing.applyClaimFix(claimId, fix))),
    updateClaim: (caller, claim) => managed.runPromise(withStore(caller, Billing.updateClaim(claim))),
    submitClaims: (caller, claimIds) => managed.runPromise(withStore(caller, Billing.submitClaims(claimIds))),
    correctClaim: (caller, id, correctOptions) =>
      managed.runPromise(withStore(caller, Billing.correctClaim(id, correctOptions))),
    voidClaim: (caller, id, voidOptions) => managed.runPromise(withStore(caller, Billing.voidClaim(id, voidOptions))),
    recordDenials: (caller, items, recordOptions) =>
      managed.runPromise(withStore(caller, Billing.recordDenials(items, recordOptions))),
    assignDenial: (caller, id, assignee) => managed.runPromise(withStore(caller, Billing.assignDenial(id, assignee))),
    noteDenial: (caller, id, text) => managed.runPromise(withStore(caller, Billing.noteDenial(id, text))),
    denialQueue: (caller, query) => managed.runPromise(withStore(caller, Billing.denialQueue(query))),
    refreshDenialPriorities: (caller, refreshOptions) =>
      managed.runPromise(withStore(caller, Billing.refreshDenialPriorities(refreshOptions))),
    workDenials: (caller, ids, action) => managed.runPromise(withStore(caller, Billing.workDenials(ids, action))),
    appealPacket: (caller, id, packetOptions) =>
      managed.runPromise(withStore(caller, Billing.appealPacket(id, packetOptions))),
    denialTrends: (caller, period) => managed.runPromise(withStore(caller, Billing.denialTrends(period))),
    deliverSubmissions: (caller, deliverOptions) =>
      managed.runPromise(withStoreAndClearinghouse(caller, Billing.deliverSubmissions(deliverOptions))),
    processResponses: (caller, responseOptions) =>
      managed.runPromise(withStoreAndClearinghouse(caller, Billing.processResponses(responseOptions))),
    postRemittance: (caller, advice) => managed.runPromise(withStore(caller, Billing.postRemittance(advice))),
    billSession: (caller, input) => managed.runPromise(withStore(caller, Billing.billSession(input))),
    agingReport: (caller, asOf) => managed.runPromise(withStore(caller, Billing.agingReport(asOf))),
    cleanClaimRate: (caller, period) => managed.runPromise(withStore(caller, Billing.cleanClaimRate(period))),
    collections: (caller, period) => managed.runPromise(withStore(caller, Billing.collections(period))),
    patientStatement: (caller, patientId, asOf) =>
      managed.runPromise(withStore(caller, Billing.patientStatement(patientId, asOf))),
    buildSecondaryClaims: (caller, secondaryOptions) =>
      managed.runPromise(withStore(caller, Billing.buildSecondaryClaims(secondaryOptions))),
    dispose: () => managed.dispose(),
    managed
  }
}
