import { Authorization, BillingRuntime, DateOfService, Session, Store } from "@openrcm/core"
import {
  AuthorizationAlert,
  type AuthorizationOverride,
  BillingProvider,
  manualClock,
  type SessionTimer,
  SessionTracker,
  ThemeScope,
  type UseAuthorizationAlertOptions,
  useAuthorizationAlert
} from "@openrcm/react"
import { render, screen, waitFor, within } from "@testing-library/react"
import { userEvent } from "@testing-library/user-event"
import { Effect, Layer, Schema } from "effect"
import { afterEach, describe, expect, it, vi } from "vitest"
import { assertRenderedAsText, xssPayloads } from "./support/xss.js"

// 10:00 in Detroit on 2026-03-04.
const now = Date.UTC(2026, 2, 4, 15)
const today = "2026-03-04"
const runtimes: Array<{ dispose: () => Promise<void> }> = []
afterEach(async () => {
  await Promise.all(runtimes.splice(0).map((r) => r.dispose()))
})

const setup = (layer: Layer.Layer<never> | Layer.Layer<Store.Store> = Layer.empty) => {
  const clock = manualClock(now)
  const runtime = BillingRuntime.make(Layer.mergeAll(layer, clock.layer))
  runtimes.push(runtime)
  return { clock, runtime }
}

const visit = Schema.decodeUnknownSync(Authorization.Visit)({
  sessionId: "ses-1",
  patientId: "pat-1",
  payerId: "acme",
  clinicianId: "cln-1",
  dateOfService: today,
  lines: [{ code: "90834", units: 1 }],
  // The HMO asks for an authorization after 20 visits.
  priorVisits: 25
})

const authorization = (overrides: Record<string, unknown> = {}) =>
  Schema.decodeUnknownSync(Authorization.Authorization)({
    id: "auth-1",
    tenantId: "tenant-a",
    patientId: "pat-1",
    payerId: "acme",
    number: "PA-20931",
    codes: ["90834", "90837"],
    unitType: "sessions",
    approved: 12,
    period: { start: "2026-01-05", end: "2026-06-30" },
    status: "approved",
    ...overrides
  })

const used = (n: number, kind: "used" | "reserved" = "used", from = 0): Array<Authorization.LedgerEntry> =>
  Array.from({ length: n }, (_, i) =>
    Schema.decodeUnknownSync(Authorization.LedgerEntry)({
      authorizationId: "auth-1",
      sessionId: `ses-${kind}-${from + i}`,
      dateOfService: `2026-0${kind === "used" ? 2 : 3}-${String(kind === "used" ? 1 + i : 10 + i).padStart(2, "0")}`,
      units: 1,
      kind
    })
  )

const base = { visit, rulePack: "acme-health-hmo", timeZone: "America/Detroit" } as const

const scheduled = Schema.decodeUnknownSync(Session.TrackedSession)({
  id: "ses-1",
  tenantId: "tenant-a",
  patientId: "pat-1",
  rulePack: "acme-health-hmo",
  service: "psychotherapy",
  timeZone: "America/Detroit",
  clinicians: [{ clinicianId: "cln-1", credential: "LCSW", bills: true }],
  delivery: { mode: "in-person" },
  status: "scheduled",
  segments: [],
  interactiveComplexity: false,
  crisis: false
})

/** The composition the docs show: the alert gates the tracker's start. */
function Gated(props: { readonly options: UseAuthorizationAlertOptions; readonly timer: SessionTimer }) {
  const alert = useAuthorizationAlert(props.options)
  return (
    <>
      <AuthorizationAlert.Root alert={alert} />
      <SessionTracker.Root
        defaultSession={scheduled}
        canStart={alert.canStart}
        onBeforeStart={alert.requestStart}
        timer={props.timer}
      />
    </>
  )
}

const trackerState = () => screen.getByRole("region", { name: "Session" }).getAttribute("data-state")

describe("AuthorizationAlert", () => {
  it("stops a start with no authorization: focus moves into the dialog, stays there, and Escape returns it", async () => {
    const { clock, runtime } = setup()
    render(
      <BillingProvider runtime={runtime}>
        <Gated options={{ ...base, authorizations: [], ledger: [] }} timer={clock.timer} />
      </BillingProvider>
    )
    const start = screen.getByRole("button", { name: "Start" })
    await vi.waitFor(() => expect((start as HTMLButtonElement).disabled).toBe(false))
    expect(screen.getByRole("region", { name: "Authorization" }).getAttribute("data-state")).toBe("blocking")
    await userEvent.click(start)
    const dialog = await screen.findByRole("dialog", { name: "No authorization for this session" })
    expect(dialog.contains(document.activeElement)).toBe(true)
    expect(within(dialog).getByText(/Likely denial: CO-197/)).toBeTruthy()
    // Tab cycles inside the dialog (the start-anyway button is disabled until a reason is typed).
    for (let i = 0; i < 4; i++) {
      await userEvent.tab()
      expect(dialog.contains(document.activeElement)).toBe(true)
    }
    // The page behind does not scroll while the dialog is open.
    expect(document.body.style.overflow).toBe("hidden")
    await userEvent.keyboard("{Escape}")
    await vi.waitFor(() => expect(screen.queryByRole("dialog")).toBeNull())
    expect(document.body.style.overflow).toBe("")
    expect(trackerState()).toBe("scheduled")
    await vi.waitFor(() => expect(document.activeElement).toBe(screen.getByRole("button", { name: "Start" })))
  })

  it("starts anyway only with a typed reason, which the host records", async () => {
    const { clock, runtime } = setup()
    const onOverride = vi.fn<(override: AuthorizationOverride) => void>()
    render(
      <BillingProvider runtime={runtime}>
        <Gated options={{ ...base, authorizations: [], ledger: [], onOverride }} timer={clock.timer} />
      </BillingProvider>
    )
    const start = screen.getByRole("button", { name: "Start" })
    await vi.waitFor(() => expect((start as HTMLButtonElement).disabled).toBe(false))
    await userEvent.click(start)
    const dialog = await screen.findByRole("dialog")
    const override = within(dialog).getByRole("button", { name: "Start anyway" }) as HTMLButtonElement
    expect(override.disabled).toBe(true)
    await userEvent.type(within(dialog).getByRole("textbox", { name: "Reason for starting anyway" }), "   ")
    expect(override.disabled).toBe(true)
    await userEvent.type(
      within(dialog).getByRole("textbox", { name: "Reason for starting anyway" }),
      "Crisis: payer called, retro auth promised"
    )
    await userEvent.click(override)
    await vi.waitFor(() => expect(trackerState()).toBe("in-progress"))
    expect(onOverride).toHaveBeenCalledTimes(1)
    expect(onOverride.mock.calls[0]?.[0].reason).toBe("Crisis: payer called, retro auth promised")
    expect(onOverride.mock.calls[0]?.[0].check._tag).toBe("Missing")
    expect(screen.queryByRole("dialog")).toBeNull()
    expect(screen.getByRole("region", { name: "Authorization" }).getAttribute("data-state")).toBe("overridden")
    expect(screen.getByRole("status").textContent).toContain("Crisis: payer called, retro auth promised")
  })

  it("takes the override the host recorded (controlled): the start is not blocked again", async () => {
    const { clock, runtime } = setup()
    const recorded: AuthorizationOverride = {
      reason: "Retro authorization requested",
      check: { _tag: "Missing", denial: { group: "CO", carc: "197" }, action: "request one", text: "none" }
    }
    render(
      <BillingProvider runtime={runtime}>
        <Gated options={{ ...base, authorizations: [], ledger: [], override: recorded }} timer={clock.timer} />
      </BillingProvider>
    )
    const start = screen.getByRole("button", { name: "Start" })
    await vi.waitFor(() => expect((start as HTMLButtonElement).disabled).toBe(false))
    expect(screen.getByRole("region", { name: "Authorization" }).getAttribute("data-state")).toBe("overridden")
    await userEvent.click(start)
    await vi.waitFor(() => expect(trackerState()).toBe("in-progress"))
    expect(screen.queryByRole("dialog")).toBeNull()
  })

  it("says where the visit stands against the payer's visit limit", async () => {
    const { runtime } = setup()
    // 40 therapy visits a plan year at the HMO; the history's dates are this plan year's, before today.
    const history = (n: number) =>
      Array.from({ length: n }, (_, i) => ({
        dateOfService: DateOfService.addDays(DateOfService.make("2026-01-02"), i),
        codes: ["90834"]
      }))
    const plenty = { ...base, authorizations: [authorization({ approved: 60 })], ledger: [] }
    const { rerender } = render(
      <BillingProvider runtime={runtime}>
        <AuthorizationAlert.Root {...plenty} visitHistory={history(38)} />
      </BillingProvider>
    )
    const limit = await screen.findByText("2 of 40 visits left until 2026-12-31")
    expect(limit.getAttribute("data-severity")).toBe("warning")
    rerender(
      <BillingProvider runtime={runtime}>
        <AuthorizationAlert.Root {...plenty} visitHistory={history(40)} />
      </BillingProvider>
    )
    const reached = await screen.findByText("Visit limit of 40 reached: the payer will likely deny (PR-119)")
    expect(reached.getAttribute("data-severity")).toBe("danger")
  })

  it("portals the dialog into the theme scope around it, so a tenant's tokens reach it", async () => {
    const { clock, runtime } = setup()
    render(
      <BillingProvider runtime={runtime}>
        <ThemeScope theme="dark" tokens={{ "color-accent": "#8a1c7c" }} data-testid="scope">
          <Gated options={{ ...base, authorizations: [], ledger: [] }} timer={clock.timer} />
        </ThemeScope>
      </BillingProvider>
    )
    const start = screen.getByRole("button", { name: "Start" })
    await vi.waitFor(() => expect((start as HTMLButtonElement).disabled).toBe(false))
    await userEvent.click(start)
    const dialog = await screen.findByRole("dialog")
    expect(dialog.closest("[data-openrcm-theme]")).toBe(screen.getByTestId("scope"))
  })

  it("blocks an expired authorization", async () => {
    const { runtime } = setup()
    render(
      <BillingProvider runtime={runtime}>
        <AuthorizationAlert.Root
          {...base}
          authorizations={[authorization({ period: { start: "2025-09-01", end: "2026-02-20" } })]}
          ledger={used(4)}
        />
      </BillingProvider>
    )
    const status = await screen.findByRole("status")
    expect(status.textContent).toContain("The authorization has expired")
    expect(status.textContent).toContain("PA-20931 ended on 2026-02-20")
  })

  it("blocks one used up, and the meter says so", async () => {
    const { runtime } = setup()
    render(
      <BillingProvider runtime={runtime}>
        <AuthorizationAlert.Root {...base} authorizations={[authorization()]} ledger={used(12)} />
      </BillingProvider>
    )
    expect((await screen.findByRole("status")).textContent).toContain("The authorization is used up")
    const meter = screen.getByRole("meter", { name: /PA-20931/ })
    expect(meter.getAttribute("aria-valuenow")).toBe("12")
    expect(meter.getAttribute("aria-valuemax")).toBe("12")
    expect(meter.getAttribute("aria-valuetext")).toBe("12 of 12 sessions used, 0 booked, 0 left")
  })

  it("warns when nearly used up and expiring, without blocking", async () => {
    const { clock, runtime } = setup()
    const options = {
      ...base,
      authorizations: [authorization({ period: { start: "2026-01-05", end: "2026-03-14" } })],
      ledger: [...used(10), ...used(1, "reserved")]
    }
    render(
      <BillingProvider runtime={runtime}>
        <Gated options={options} timer={clock.timer} />
      </BillingProvider>
    )
    const status = await screen.findByRole("status")
    expect(screen.getByRole("region", { name: "Authorization" }).getAttribute("data-state")).toBe("warning")
    const items = within(status).getAllByRole("listitem")
    const texts = items.map((li) => li.textContent)
    expect(texts).toContain("2 sessions left")
    expect(texts).toContain("Expires in 10 days, on 2026-03-14")
    expect(items.find((li) => li.textContent === "2 sessions left")?.getAttribute("data-severity")).toBe("warning")
    expect(screen.getByRole("meter").getAttribute("aria-valuetext")).toBe("10 of 12 sessions used, 1 booked, 2 left")
    await userEvent.click(screen.getByRole("button", { name: "Start" }))
    await vi.waitFor(() => expect(trackerState()).toBe("in-progress"))
    expect(screen.queryByRole("dialog")).toBeNull()
  })

  it("compares the host's authorizations and ledger by value: equal ones built inline check nothing again", async () => {
    const { runtime } = setup()
    const states: Array<string | null> = []
    const host = (approved: number) => (
      <BillingProvider runtime={runtime}>
        <AuthorizationAlert.Root
          {...base}
          authorizations={[authorization({ approved, period: { start: "2026-01-05", end: "2026-12-31" } })]}
          ledger={[...used(6)]}
        />
      </BillingProvider>
    )
    const region = () => screen.getByRole("region", { name: "Authorization" })
    const { rerender } = render(host(24))
    await screen.findByRole("meter")
    for (let i = 0; i < 3; i++) {
      rerender(host(24))
      states.push(region().getAttribute("data-state"))
    }
    // New arrays, the same content: the alert stays as it was, never back to loading.
    expect(states).toEqual(["ok", "ok", "ok"])
    rerender(host(6))
    await waitFor(() => expect(region().getAttribute("data-state")).toBe("blocking"))
  })

  it("says what is left when there is plenty, and the projected run-out date", async () => {
    const { runtime } = setup()
    render(
      <BillingProvider runtime={runtime}>
        <AuthorizationAlert.Root
          {...base}
          authorizations={[authorization({ approved: 24, period: { start: "2026-01-05", end: "2026-12-31" } })]}
          ledger={[...used(6), ...used(2, "reserved")]}
        />
      </BillingProvider>
    )
    const status = await screen.findByRole("status")
    expect(screen.getByRole("region", { name: "Authorization" }).getAttribute("data-state")).toBe("ok")
    expect(status.textContent).toMatch(/At the booked pace it runs out on \d{4}-\d{2}-\d{2}/)
    expect(screen.getByRole("meter").getAttribute("aria-valuenow")).toBe("6")
  })

  it("reads the authorizations and their ledger from the store, and offers a retry when it is down", async () => {
    let down = true
    const auth = authorization()
    const ledger = used(3)
    const unavailable = new Store.StoreError({ reason: new Store.Unavailable({ detail: "down" }) })
    const store = {
      authorizations: {
        forPatient: () => (down ? Effect.fail(unavailable) : Effect.succeed([auth])),
        ledger: () => Effect.succeed(ledger)
      }
    } as unknown as Store.StoreShape
    const { runtime } = setup(Layer.succeed(Store.Store, store))
    render(
      <BillingProvider
        runtime={runtime}
        caller={{ tenantId: "tenant-a", actor: "user:1", purpose: "payment" } as never}
      >
        <AuthorizationAlert.Root {...base} />
      </BillingProvider>
    )
    const alert = await screen.findByRole("alert")
    expect(alert.textContent).toContain("Billing data is unavailable right now.")
    down = false
    await userEvent.click(within(alert).getByRole("button", { name: "Try again" }))
    const meter = await screen.findByRole("meter")
    expect(meter.getAttribute("aria-valuenow")).toBe("3")
  })

  it.each(xssPayloads)("renders a payer's authorization number %s as text", async (payload) => {
    const { clock, runtime } = setup()
    const expired = authorization({ number: payload, period: { start: "2025-09-01", end: "2026-02-20" } })
    const { container } = render(
      <BillingProvider runtime={runtime}>
        <Gated options={{ ...base, authorizations: [expired], ledger: [] }} timer={clock.timer} />
      </BillingProvider>
    )
    const start = screen.getByRole("button", { name: "Start" })
    await vi.waitFor(() => expect((start as HTMLButtonElement).disabled).toBe(false))
    await userEvent.click(start)
    const dialog = await screen.findByRole("dialog")
    expect(dialog.textContent).toContain(payload.replace("\u0000", "\uFFFD").slice(1, 10))
    assertRenderedAsText(container)
    assertRenderedAsText(dialog)
  })
})
