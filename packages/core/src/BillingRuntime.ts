/**
 * The bridge for hosts that do not use Effect: a runtime built once from the layers a host chooses (store,
 * clearinghouse, ...) that runs OpenRCM operations as Promises. React's `BillingProvider` takes one.
 *
 * @since 0.1.0
 */
import { type Effect, type Exit, Layer, ManagedRuntime } from "effect"
import * as Billing from "./Billing.js"
import type { CodingRequest, CodingResult } from "./Coding.js"
import type { RulePack, RulePackError } from "./RulePack.js"
import { layerBuiltin, type RulePackNotFound, type RulePacks } from "./RuleSet.js"
import type { SessionError, TrackedSession } from "./Session.js"

/**
 * @since 0.1.0
 */
export interface BillingRuntime<R, ER = never> {
  /** Runs an operation; the Promise rejects with the operation's typed error or a defect. */
  readonly runPromise: <A, E>(
    effect: Effect.Effect<A, E, R | RulePacks>,
    options?: { readonly signal?: AbortSignal | undefined }
  ) => Promise<A>
  /** Runs an operation and resolves with its `Exit`, never rejecting: the way to read typed failures. */
  readonly runPromiseExit: <A, E>(
    effect: Effect.Effect<A, E, R | RulePacks>,
    options?: { readonly signal?: AbortSignal | undefined }
  ) => Promise<Exit.Exit<A, E | ER | RulePackError>>
  /** Codes a session (see `Billing.codeSession`). */
  readonly codeSession: (request: CodingRequest) => Promise<CodingResult>
  /** What a tracked session bills now and the minutes to its next threshold (see `Billing.previewSession`). */
  readonly previewSession: (session: TrackedSession) => Promise<ReadonlyArray<Billing.SessionPreview>>
  /** Validates a rule pack document; rejects with a `RulePackError` listing every problem. */
  readonly validateRulePack: (document: unknown) => Promise<RulePack>
  /** Releases what the layers acquired (connections, files). */
  readonly dispose: () => Promise<void>
  /** The underlying Effect runtime, for hosts that do use Effect. */
  readonly managed: ManagedRuntime.ManagedRuntime<R | RulePacks, ER | RulePackError>
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
export type OperationError = RulePackError | RulePackNotFound | SessionError

/**
 * Builds a runtime from the host's layer and the rule packs (the built-in ones and the host's). Layers are built
 * lazily, on the first operation.
 *
 * @since 0.1.0
 */
export const make = <R, ER>(layer: Layer.Layer<R, ER, never>, options?: Options): BillingRuntime<R, ER> => {
  const managed = ManagedRuntime.make(Layer.merge(layer, layerBuiltin(options?.rulePacks ?? [])))
  return {
    runPromise: (effect, runOptions) => managed.runPromise(effect, runOptions),
    runPromiseExit: (effect, runOptions) => managed.runPromiseExit(effect, runOptions),
    codeSession: (request) => managed.runPromise(Billing.codeSession(request)),
    previewSession: (session) => managed.runPromise(Billing.previewSession(session)),
    validateRulePack: (document) => managed.runPromise(Billing.validateRulePack(document)),
    dispose: () => managed.dispose(),
    managed
  }
}
