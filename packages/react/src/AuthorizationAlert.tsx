import type { Authorization } from "@openrcm/core"
import * as Dialog from "@radix-ui/react-dialog"
import {
  type ComponentPropsWithoutRef,
  createContext,
  type ReactNode,
  useContext,
  useEffect,
  useId,
  useLayoutEffect,
  useRef,
  useState
} from "react"
import { ErrorMessage } from "./ErrorMessage.js"
import {
  type AuthorizationAlertState,
  type AuthorizationStatus,
  isBlocking,
  type UseAuthorizationAlertOptions,
  useAuthorizationAlert
} from "./useAuthorizationAlert.js"
import { useText } from "./useText.js"

const AlertContext = createContext<AuthorizationAlertState | null>(null)
// The root's element, so the dialog can be portaled into the theme scope around it.
const RootElementContext = createContext<{ readonly current: HTMLElement | null }>({ current: null })

/** The state of the nearest `AuthorizationAlert.Root`, for a part of your own. */
export function useAuthorizationAlertContext(part = "AuthorizationAlert part"): AuthorizationAlertState {
  const alert = useContext(AlertContext)
  if (alert === null) throw new Error(`${part} must be rendered inside <AuthorizationAlert.Root>`)
  return alert
}

type Text = ReturnType<typeof useText>

/** What the root's `data-state` says. */
export type AlertState = "loading" | "error" | "blocking" | "overridden" | "warning" | "ok" | "not-required"

const stateOf = (alert: AuthorizationAlertState): AlertState => {
  const { result } = alert
  if (result._tag === "Initial") return "loading"
  if (result._tag === "Failure") return "error"
  const { check } = result.value
  if (isBlocking(check)) return alert.override === undefined ? "blocking" : "overridden"
  if (check._tag === "NotRequired") return "not-required"
  return notices(result.value).some((n) => n.severity !== "info") ? "warning" : "ok"
}

export interface RootProps
  extends Partial<UseAuthorizationAlertOptions>,
    Omit<ComponentPropsWithoutRef<"section">, "children"> {
  /** State from your own `useAuthorizationAlert` call (to share it with a SessionTracker), instead of Root's. */
  readonly alert?: AuthorizationAlertState | undefined
  /** The parts; the default composition when absent. */
  readonly children?: ReactNode
}

const optionKeys = [
  "visit",
  "rulePack",
  "timeZone",
  "authorizations",
  "ledger",
  "settings",
  "visitHistory",
  "planYearStart",
  "onOverride",
  "override"
] as const

const split = (props: RootProps) => {
  const options: Record<string, unknown> = {}
  const rest: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(props)) {
    if ((optionKeys as ReadonlyArray<string>).includes(key)) options[key] = value
    else rest[key] = value
  }
  return { options: options as unknown as UseAuthorizationAlertOptions, rest }
}

function RootWithHook(props: RootProps) {
  const { options, rest } = split(props)
  const alert = useAuthorizationAlert(options)
  return <RootView {...rest} alert={alert} />
}

function RootView({ alert, children, ...props }: RootProps & { readonly alert: AuthorizationAlertState }) {
  const text = useText()
  const element = useRef<HTMLElement | null>(null)
  return (
    <AlertContext.Provider value={alert}>
      <RootElementContext.Provider value={element}>
        <section
          ref={element}
          aria-label={text("authorizationAlert.label", "Authorization")}
          className="openrcm-authorization-alert"
          data-state={stateOf(alert)}
          {...props}
        >
          {children ?? <DefaultParts />}
        </section>
      </RootElementContext.Provider>
    </AlertContext.Provider>
  )
}

/**
 * The alert's root: runs `useAuthorizationAlert` with its options (or takes your `alert`) and gives it to the parts.
 * `data-state`: `loading`, `error`, `blocking`, `overridden`, `warning`, `ok`, `not-required`.
 */
export function Root(props: RootProps) {
  if (props.alert !== undefined) {
    const { rest } = split(props)
    return <RootView {...rest} alert={props.alert} />
  }
  return <RootWithHook {...props} />
}

/** The default composition: the burn-down, the notices, the blocking dialog and an inline error. */
export function DefaultParts() {
  return (
    <>
      <Loading />
      <ErrorPart />
      <BurnDown />
      <Notices />
      <BlockingDialog />
    </>
  )
}

/** Shown while the check runs. */
export function Loading(props: Omit<ComponentPropsWithoutRef<"p">, "children">) {
  const alert = useAuthorizationAlertContext("AuthorizationAlert.Loading")
  const text = useText()
  if (alert.result._tag !== "Initial") return null
  return (
    <p data-slot="loading" aria-busy="true" {...props}>
      {text("authorizationAlert.loading", "Checking the authorization…")}
    </p>
  )
}

/** The check's failure, inline, with "Try again" when retrying may help. */
export function ErrorPart(props: Omit<ComponentPropsWithoutRef<"div">, "children">) {
  const alert = useAuthorizationAlertContext("AuthorizationAlert.Error")
  if (alert.result._tag !== "Failure") return null
  return <ErrorMessage error={alert.result.error} onRetry={alert.refresh} {...props} />
}

const unitWord = (text: Text, unitType: string | undefined) =>
  unitType === "units"
    ? text("authorizationAlert.units", "units")
    : unitType === "visits"
      ? text("authorizationAlert.visits", "visits")
      : text("authorizationAlert.sessions", "sessions")

/**
 * How much of the authorization is used and booked: a `role="meter"` from 0 to the approved count, its value the
 * units used, its text the used, booked and remaining counts.
 */
export function BurnDown(props: Omit<ComponentPropsWithoutRef<"div">, "children">) {
  const alert = useAuthorizationAlertContext("AuthorizationAlert.BurnDown")
  const text = useText()
  const captionId = useId()
  if (alert.result._tag !== "Success") return null
  const { authorization, usage } = alert.result.value
  if (authorization === undefined || usage === undefined) return null
  const approved = Math.max(usage.approved, 0)
  const used = Math.min(Math.max(usage.used, 0), approved)
  const reserved = Math.min(Math.max(usage.reserved, 0), approved - used)
  const percent = (n: number) => (approved === 0 ? 0 : (n / approved) * 100)
  const unit = unitWord(text, authorization.unitType)
  const valueText = text(
    "authorizationAlert.burnDownValue",
    "{used} of {approved} {unit} used, {reserved} booked, {remaining} left",
    {
      used: usage.used,
      approved: usage.approved,
      unit,
      reserved: usage.reserved,
      remaining: Math.max(usage.remaining, 0)
    }
  )
  return (
    <div data-slot="burn-down" {...props}>
      <p id={captionId} data-slot="burn-down-label">
        {text("authorizationAlert.burnDownLabel", "Authorization {number}", { number: authorization.number })}{" "}
        <span data-slot="burn-down-period">
          {authorization.period.start} – {authorization.period.end}
        </span>
      </p>
      {/* biome-ignore lint/a11y/useSemanticElements: two segments (used, booked) that a <meter> cannot draw. */}
      <div
        role="meter"
        aria-labelledby={captionId}
        aria-valuemin={0}
        aria-valuemax={approved}
        aria-valuenow={used}
        aria-valuetext={valueText}
        data-slot="burn-down-bar"
        data-remaining={Math.max(usage.remaining, 0)}
      >
        <span data-slot="burn-down-used" style={{ width: `${percent(used)}%` }} />
        <span data-slot="burn-down-reserved" style={{ width: `${percent(reserved)}%` }} />
      </div>
      <p data-slot="burn-down-value">{valueText}</p>
    </div>
  )
}

/** One non-blocking notice, as the Notices part lists it. */
export interface Notice {
  readonly kind: Authorization.Alert["kind"] | "visit-limit" | "partial" | "wrong-clinician" | "wrong-code" | "plenty"
  readonly severity: "info" | "warning" | "danger"
  readonly values: Readonly<Record<string, string | number>>
}

/** The notices of a status, most pressing first. */
export const notices = (status: AuthorizationStatus): ReadonlyArray<Notice> => {
  const out: Array<Notice> = []
  const { check } = status
  if (check._tag === "PartiallyAuthorized")
    out.push({ kind: "partial", severity: "warning", values: { text: check.text, action: check.action } })
  if (check._tag === "WrongClinician")
    out.push({ kind: "wrong-clinician", severity: "warning", values: { text: check.text, action: check.action } })
  if (check._tag === "WrongCode")
    out.push({ kind: "wrong-code", severity: "warning", values: { text: check.text, action: check.action } })
  if (!isBlocking(check)) {
    for (const alert of status.alerts) {
      switch (alert.kind) {
        case "few-left":
          out.push({ kind: alert.kind, severity: "warning", values: { remaining: alert.remaining } })
          break
        case "expiring":
          out.push({ kind: alert.kind, severity: "warning", values: { days: alert.daysLeft, on: alert.on } })
          break
        case "projected-run-out":
          out.push({ kind: alert.kind, severity: "info", values: { on: alert.on } })
          break
        case "overbooked":
          out.push({ kind: alert.kind, severity: "warning", values: { by: alert.by } })
          break
        case "expires-before-used":
          out.push({ kind: alert.kind, severity: "info", values: { unused: alert.unused } })
          break
        case "request-renewal-by":
          out.push({ kind: alert.kind, severity: alert.overdue ? "warning" : "info", values: { on: alert.on } })
          break
        case "exhausted":
        case "expired":
          break
      }
    }
  }
  for (const limit of status.limits) {
    out.push({
      kind: "visit-limit",
      severity: limit.reached ? "danger" : limit.remaining <= 3 ? "warning" : "info",
      values: { remaining: limit.remaining, max: limit.max, end: limit.period.end, reached: limit.reached ? 1 : 0 }
    })
  }
  if (out.length === 0 && status.usage !== undefined && !isBlocking(check))
    out.push({ kind: "plenty", severity: "info", values: { remaining: status.usage.remaining } })
  const rank = { danger: 0, warning: 1, info: 2 }
  return out.sort((a, b) => rank[a.severity] - rank[b.severity])
}

const wordNotice = (text: Text, notice: Notice, unit: string): string => {
  const v = { ...notice.values, unit }
  switch (notice.kind) {
    case "few-left":
      return text("authorizationAlert.fewLeft", "{remaining} {unit} left", v)
    case "expiring":
      return text("authorizationAlert.expiring", "Expires in {days} days, on {on}", v)
    case "projected-run-out":
      return text("authorizationAlert.projectedRunOut", "At the booked pace it runs out on {on}", v)
    case "overbooked":
      return text("authorizationAlert.overbooked", "{by} more {unit} booked than remain", v)
    case "expires-before-used":
      return text("authorizationAlert.expiresBeforeUsed", "{unused} {unit} will expire unused at the booked pace", v)
    case "request-renewal-by":
      return text("authorizationAlert.requestRenewalBy", "Request a renewal by {on}", v)
    case "visit-limit":
      return notice.values.reached === 1
        ? text(
            "authorizationAlert.visitLimitReached",
            "Visit limit of {max} reached: the payer will likely deny (PR-119)",
            v
          )
        : text("authorizationAlert.visitLimit", "{remaining} of {max} visits left until {end}", v)
    case "partial":
    case "wrong-clinician":
    case "wrong-code":
      return `${notice.values.text}: ${notice.values.action}`
    case "plenty":
      return text("authorizationAlert.plenty", "{remaining} {unit} left", v)
    default:
      return ""
  }
}

/**
 * The non-blocking notices: sessions left, expiring, the projected run-out date, when to request a renewal, visit
 * limits. Each item has `data-kind` and `data-severity` (`info`, `warning`, `danger`).
 */
export function Notices(props: Omit<ComponentPropsWithoutRef<"div">, "children">) {
  const alert = useAuthorizationAlertContext("AuthorizationAlert.Notices")
  const text = useText()
  if (alert.result._tag !== "Success") return null
  const status = alert.result.value
  const list = notices(status)
  const unit = unitWord(text, status.authorization?.unitType)
  const check = status.check
  return (
    <div role="status" data-slot="notices" {...props}>
      {check._tag === "NotRequired" ? (
        <p data-slot="not-required">{text("authorizationAlert.notRequired", "No authorization is required.")}</p>
      ) : null}
      {isBlocking(check) ? (
        <p data-slot="blocked" data-severity="danger">
          {alert.override === undefined
            ? `${titleOf(text, check)}. ${check.text}`
            : text("authorizationAlert.overridden", "Started without a valid authorization: {reason}", {
                reason: alert.override.reason
              })}
        </p>
      ) : null}
      {list.length > 0 ? (
        <ul data-slot="notice-list">
          {list.map((notice) => (
            <li
              key={`${notice.kind}-${JSON.stringify(notice.values)}`}
              data-kind={notice.kind}
              data-severity={notice.severity}
            >
              {wordNotice(text, notice, unit)}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  )
}

const titleOf = (text: Text, check: Authorization.Check): string =>
  check._tag === "Expired"
    ? text("authorizationAlert.expiredTitle", "The authorization has expired")
    : check._tag === "Exhausted"
      ? text("authorizationAlert.exhaustedTitle", "The authorization is used up")
      : text("authorizationAlert.missingTitle", "No authorization for this session")

export interface BlockingDialogProps extends Omit<ComponentPropsWithoutRef<"div">, "children"> {
  /** Where the dialog is portaled: by default the nearest `[data-openrcm-theme]` around the root, else the body. */
  readonly container?: HTMLElement | null | undefined
}

/**
 * The dialog that stops a start when the authorization is missing, expired or used up: what the payer would likely
 * deny and what to do, and a start anyway that needs a typed reason (recorded through `onOverride`). A Radix
 * Dialog: focus is trapped inside, Escape cancels, and focus returns to where it was (the Start button).
 */
export function BlockingDialog({ container, ...props }: BlockingDialogProps) {
  const alert = useAuthorizationAlertContext("AuthorizationAlert.BlockingDialog")
  const text = useText()
  const [reason, setReason] = useState("")
  const reasonId = useId()
  // The dialog has no trigger of its own (a start opens it), so it returns focus to what had it: the Start button.
  const returnTo = useRef<HTMLElement | null>(null)
  // Portaled into the nearest theme scope (ThemeScope, data-openrcm-theme), so a dark or branded theme and a
  // tenant's tokens reach the dialog; into the body when there is none.
  const root = useContext(RootElementContext)
  const [scope, setScope] = useState<HTMLElement | null>(null)
  // After the commit (the root's ref is set by then), long before a person opens the dialog.
  useEffect(() => {
    setScope(root.current?.closest<HTMLElement>("[data-openrcm-theme]") ?? null)
  }, [root])
  useLayoutEffect(() => {
    if (alert.open && document.activeElement instanceof HTMLElement) returnTo.current = document.activeElement
  }, [alert.open])
  // The page behind stays still while the dialog is open (Dialog.Overlay's scroll lock is not used: see below).
  useEffect(() => {
    if (!alert.open) return
    const body = document.body
    const before = body.style.overflow
    body.style.overflow = "hidden"
    return () => {
      body.style.overflow = before
    }
  }, [alert.open])
  const check = alert.result._tag === "Success" ? alert.result.value.check : undefined
  if (check === undefined || !isBlocking(check)) return null
  return (
    <Dialog.Root
      open={alert.open}
      onOpenChange={(open) => {
        if (!open) alert.cancel()
      }}
    >
      <Dialog.Portal container={container ?? scope}>
        {/* A plain backdrop, not Dialog.Overlay: its scroll lock (react-remove-scroll) resolves a second React in the
            React 18 test project; the body's overflow is locked above instead. The content stays modal: focus
            trapped, the rest hidden from assistive tech. */}
        <div className="openrcm-authorization-alert-overlay" data-slot="overlay" aria-hidden="true" />
        <Dialog.Content
          className="openrcm-authorization-alert-dialog"
          data-slot="dialog"
          data-check={check._tag}
          onCloseAutoFocus={(event) => {
            event.preventDefault()
            returnTo.current?.focus()
            returnTo.current = null
          }}
          {...props}
        >
          <Dialog.Title data-slot="dialog-title">{titleOf(text, check)}</Dialog.Title>
          <Dialog.Description data-slot="dialog-description">{check.text}</Dialog.Description>
          <p data-slot="dialog-action">
            {text("authorizationAlert.whatToDo", "What to do")}: {check.action}
          </p>
          <p data-slot="dialog-denial">
            {text("authorizationAlert.likelyDenial", "Likely denial: {group}-{carc}", {
              group: check.denial.group,
              carc: check.denial.carc
            })}
          </p>
          <form
            data-slot="override"
            onSubmit={(e) => {
              e.preventDefault()
              alert.confirmOverride(reason)
              setReason("")
            }}
          >
            <label htmlFor={reasonId}>{text("authorizationAlert.reason", "Reason for starting anyway")}</label>
            <textarea
              id={reasonId}
              data-slot="override-reason"
              required
              value={reason}
              onChange={(e) => setReason(e.target.value)}
            />
            <div data-slot="dialog-actions">
              <Dialog.Close asChild>
                <button type="button" data-slot="dialog-cancel">
                  {text("authorizationAlert.cancel", "Don't start")}
                </button>
              </Dialog.Close>
              <button type="submit" data-slot="dialog-override" data-variant="primary" disabled={reason.trim() === ""}>
                {text("authorizationAlert.override", "Start anyway")}
              </button>
            </div>
          </form>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  )
}

export { ErrorPart as Error }
