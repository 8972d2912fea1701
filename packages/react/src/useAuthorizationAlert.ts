import { Authorization, Billing, Store, type VisitLimit } from "@openrcm/core"
import { Effect } from "effect"
import { useCallback, useEffect, useRef, useState } from "react"
import type * as Result from "./Result.js"
import { useBillingQuery } from "./useBillingEffect.js"

/** Where a visit stands against the patient's authorizations and the payer's visit limits, today. */
export interface AuthorizationStatus {
  /** `Billing.checkAuthorization` for the visit. */
  readonly check: Authorization.Check
  /** The authorization the notices and the burn-down are about: the one the visit uses, or the last one that ended. */
  readonly authorization: Authorization.Authorization | undefined
  /** Its approved, used, reserved and remaining units. */
  readonly usage: Authorization.Usage | undefined
  /** `Billing.authorizationAlerts` for it, today in the practice's time zone. */
  readonly alerts: ReadonlyArray<Authorization.Alert>
  /** `Billing.visitLimits`, when the visit history was given. */
  readonly limits: ReadonlyArray<VisitLimit.Status>
}

/** The checks that stop a start: no authorization, an expired one, or one used up. */
export type BlockingCheck = Extract<Authorization.Check, { readonly _tag: "Missing" | "Expired" | "Exhausted" }>

export const isBlocking = (check: Authorization.Check): check is BlockingCheck =>
  check._tag === "Missing" || check._tag === "Expired" || check._tag === "Exhausted"

/** A start the person made despite a blocking check, and why: the host records it. */
export interface AuthorizationOverride {
  readonly reason: string
  readonly check: BlockingCheck
}

export interface UseAuthorizationAlertOptions {
  readonly visit: Authorization.Visit
  /** The payer's rule pack (`acme-health-hmo`). */
  readonly rulePack: string
  /** The practice's time zone: "today" for the alerts. */
  readonly timeZone: string
  /** The patient's authorizations; read from the store (`authorizations.forPatient`) when absent. */
  readonly authorizations?: ReadonlyArray<Authorization.Authorization> | undefined
  /** Their ledger; read from the store when absent. */
  readonly ledger?: ReadonlyArray<Authorization.LedgerEntry> | undefined
  readonly settings?: Authorization.AlertSettings | undefined
  /** The patient's other services under this payer, for the visit limits; no limits are checked without it. */
  readonly visitHistory?: ReadonlyArray<VisitLimit.Service> | undefined
  readonly planYearStart?: string | undefined
  /** Called when the person starts despite a blocking check, with the reason they typed: record it. */
  readonly onOverride?: ((override: AuthorizationOverride) => void) | undefined
  /**
   * The override as the host recorded it (controlled, e.g. after a reload): a start is not blocked again. Absent,
   * the hook keeps the one recorded through the dialog.
   */
  readonly override?: AuthorizationOverride | undefined
}

export interface AuthorizationAlertState {
  readonly result: Result.Result<AuthorizationStatus, unknown>
  readonly refresh: () => void
  /** The check stops the start (missing, expired, used up) and no override is recorded yet. */
  readonly blocking: boolean
  /** False until the check has answered (a start waits for it); true after a failure, shown inline. */
  readonly canStart: boolean
  /** The blocking dialog is open. */
  readonly open: boolean
  /** The override the person recorded, with their reason. */
  readonly override: AuthorizationOverride | undefined
  /**
   * For `SessionTracker`'s `onBeforeStart`: true at once when nothing blocks; otherwise opens the dialog and
   * resolves true when the person overrides with a reason, false when they cancel.
   */
  readonly requestStart: () => Promise<boolean>
  /** Records the override (a reason that is not blank) and closes the dialog. */
  readonly confirmOverride: (reason: string) => void
  /** Closes the dialog without starting. */
  readonly cancel: () => void
  /** Opens the dialog (to read or override the block before a start). */
  readonly openDialog: () => void
}

const loadFromStore = (patientId: Authorization.Visit["patientId"]) =>
  Effect.gen(function* () {
    const store = yield* Store.Store
    const authorizations = yield* store.authorizations.forPatient(patientId)
    const ledgers = yield* Effect.forEach(authorizations, (a) => store.authorizations.ledger(a.id))
    return { authorizations, ledger: ledgers.flat() }
  })

const subjectOf = (
  check: Authorization.Check,
  visit: Authorization.Visit,
  authorizations: ReadonlyArray<Authorization.Authorization>
): Authorization.Authorization | undefined => {
  if (check._tag === "Authorized" || check._tag === "PartiallyAuthorized") {
    const id = check.allocations[0]?.authorizationId
    return authorizations.find((a) => a.id === id)
  }
  const theirs = authorizations
    .filter((a) => a.patientId === visit.patientId && a.payerId === visit.payerId && a.status === "approved")
    .filter((a) => visit.lines.some((line) => a.codes.includes(line.code)))
  if (check._tag === "Expired") return theirs.find((a) => a.period.end === check.endedOn)
  // The latest-ending one: what a renewal would extend.
  return [...theirs].sort((a, b) => (a.period.end < b.period.end ? 1 : -1))[0]
}

/**
 * The AuthorizationAlert's state, headless: checks the visit (`Billing.checkAuthorization`), reads today's alerts
 * for its authorization (`Billing.authorizationAlerts`) and the visit limits (`Billing.visitLimits`), and holds the
 * blocking dialog's state and the override the person records. Give `requestStart` to a SessionTracker's
 * `onBeforeStart` and `canStart` to its `canStart`.
 */
export function useAuthorizationAlert(options: UseAuthorizationAlertOptions): AuthorizationAlertState {
  const { visit, rulePack, timeZone, authorizations, ledger, settings, visitHistory, planYearStart } = options
  const { result, refresh } = useBillingQuery(
    () =>
      Effect.gen(function* () {
        const data =
          authorizations !== undefined && ledger !== undefined
            ? { authorizations, ledger }
            : yield* loadFromStore(visit.patientId)
        const check = yield* Billing.checkAuthorization({
          visit,
          authorizations: data.authorizations,
          ledger: data.ledger,
          rulePack
        })
        const authorization = subjectOf(check, visit, data.authorizations)
        const alerts =
          authorization === undefined
            ? []
            : yield* Billing.authorizationAlerts({
                authorization,
                ledger: data.ledger,
                rulePack,
                timeZone,
                ...(settings === undefined ? {} : { settings })
              })
        const limits =
          visitHistory === undefined
            ? []
            : yield* Billing.visitLimits({
                visit: { dateOfService: visit.dateOfService, codes: visit.lines.map((l) => l.code) },
                history: visitHistory,
                rulePack,
                ...(planYearStart === undefined ? {} : { planYearStart })
              })
        return {
          check,
          authorization,
          usage: authorization === undefined ? undefined : Authorization.usage(authorization, data.ledger),
          alerts,
          limits
        } satisfies AuthorizationStatus
      }),
    // Values, not identities: a host may build the visit, the authorizations or the history inline on every render.
    [
      JSON.stringify(visit),
      rulePack,
      timeZone,
      JSON.stringify(authorizations),
      JSON.stringify(ledger),
      JSON.stringify(settings),
      JSON.stringify(visitHistory),
      planYearStart
    ]
  )

  const [open, setOpen] = useState(false)
  const [ownOverride, setOverride] = useState<AuthorizationOverride | undefined>(undefined)
  const override = options.override ?? ownOverride
  const pending = useRef<((start: boolean) => void) | null>(null)
  const onOverride = useRef(options.onOverride)
  onOverride.current = options.onOverride

  const check = result._tag === "Success" ? result.value.check : undefined
  const blockingCheck = check !== undefined && isBlocking(check) ? check : undefined
  // A new visit or answer is a new decision: an override recorded for another one does not carry over.
  const blockKey = blockingCheck === undefined ? "" : `${blockingCheck._tag}|${blockingCheck.text}`
  useEffect(() => {
    setOverride((current) =>
      current !== undefined && `${current.check._tag}|${current.check.text}` !== blockKey ? undefined : current
    )
  }, [blockKey])

  const settle = useCallback((start: boolean) => {
    pending.current?.(start)
    pending.current = null
  }, [])
  // Whatever is waiting on the dialog is answered "no" when the component goes.
  useEffect(() => () => settle(false), [settle])

  const latest = useRef({ blockingCheck, override })
  latest.current = { blockingCheck, override }

  const requestStart = useCallback((): Promise<boolean> => {
    const { blockingCheck: blocked, override: recorded } = latest.current
    if (blocked === undefined || recorded !== undefined) return Promise.resolve(true)
    settle(false)
    setOpen(true)
    return new Promise<boolean>((resolve) => {
      pending.current = resolve
    })
  }, [settle])

  const confirmOverride = useCallback(
    (reason: string) => {
      const blocked = latest.current.blockingCheck
      const trimmed = reason.trim()
      if (blocked === undefined || trimmed === "") return
      const recorded = { reason: trimmed, check: blocked }
      setOverride(recorded)
      setOpen(false)
      onOverride.current?.(recorded)
      settle(true)
    },
    [settle]
  )

  const cancel = useCallback(() => {
    setOpen(false)
    settle(false)
  }, [settle])

  return {
    result,
    refresh,
    blocking: blockingCheck !== undefined && override === undefined,
    canStart: result._tag !== "Initial",
    open,
    override,
    requestStart,
    confirmOverride,
    cancel,
    openDialog: useCallback(() => setOpen(true), [])
  }
}
