import { BillingRuntime, Money, Session } from "@openrcm/core"
import {
  BillingProvider,
  manualClock,
  type SessionTimer,
  SessionTracker,
  type SessionTrackerState,
  useSessionTracker
} from "@openrcm/react"
import { act, render, screen, waitFor, within } from "@testing-library/react"
import { userEvent } from "@testing-library/user-event"
import { Schema } from "effect"
import { afterEach, describe, expect, it, vi } from "vitest"
import { assertRenderedAsText, xssPayloads } from "./support/xss.js"

const start = Date.UTC(2026, 10, 16, 15, 0, 0)
const runtimes: Array<{ dispose: () => Promise<void> }> = []
afterEach(async () => {
  await Promise.all(runtimes.splice(0).map((r) => r.dispose()))
})

const setup = () => {
  const clock = manualClock(start)
  const runtime = BillingRuntime.make(clock.layer)
  runtimes.push(runtime)
  return { clock, runtime }
}

const scheduled = (overrides: Record<string, unknown> = {}): Session.TrackedSession =>
  Schema.decodeUnknownSync(Session.TrackedSession)({
    id: "ses-1",
    tenantId: "tenant-a",
    patientId: "pat-1",
    rulePack: "cpt-base",
    service: "psychotherapy",
    timeZone: "America/Detroit",
    clinicians: [{ clinicianId: "cln-1", credential: "LCSW", bills: true }],
    delivery: { mode: "in-person" },
    status: "scheduled",
    segments: [],
    interactiveComplexity: false,
    crisis: false,
    ...overrides
  })

const minutes = (clock: ReturnType<typeof manualClock>, n: number) =>
  act(() => {
    // The timer ticks each second in the browser; here each minute is one tick.
    for (let i = 0; i < n; i++) clock.advance(60_000)
  })

/** A tracker started and run for one minute, its preview ("Nothing billable yet") on screen. */
const runningOneMinute = async () => {
  const { clock, runtime } = setup()
  render(
    <BillingProvider runtime={runtime}>
      <SessionTracker.Root defaultSession={scheduled()} timer={clock.timer} />
    </BillingProvider>
  )
  await userEvent.click(screen.getByRole("button", { name: "Start" }))
  await screen.findByRole("button", { name: "Pause" })
  await minutes(clock, 1)
  await screen.findByText("Nothing billable yet")
  return { clock, runtime }
}

function Headless({ timer }: { readonly timer: SessionTimer }) {
  const tracker = useSessionTracker({ defaultSession: scheduled(), timer })
  return (
    <SessionTracker.Root tracker={tracker}>
      <button type="button" onClick={() => void tracker.pause()}>
        pause anyway
      </button>
      <SessionTracker.Error />
    </SessionTracker.Root>
  )
}

describe("SessionTracker", () => {
  it("starts, runs the timer, bills by the minute with the next threshold, pauses, resumes and stops", async () => {
    const { clock, runtime } = setup()
    const onSessionChange = vi.fn()
    render(
      <BillingProvider runtime={runtime}>
        <SessionTracker.Root defaultSession={scheduled()} onSessionChange={onSessionChange} timer={clock.timer} />
      </BillingProvider>
    )
    const region = screen.getByRole("region", { name: "Session" })
    expect(region.getAttribute("data-state")).toBe("scheduled")
    expect(await screen.findByText("Nothing billable yet")).toBeTruthy()

    await userEvent.click(screen.getByRole("button", { name: "Start" }))
    expect(await screen.findByRole("button", { name: "Pause" })).toBeTruthy()
    expect(region.getAttribute("data-state")).toBe("in-progress")
    expect(onSessionChange).toHaveBeenLastCalledWith(
      expect.objectContaining({ status: "in-progress", segments: [{ kind: "service", startedAt: start }] })
    )

    await minutes(clock, 17)
    expect(screen.getByRole("timer").textContent).toBe("17:00")
    expect((await screen.findByText("90832")).tagName).toBe("STRONG")
    // 90834 starts at 38 minutes (CPT mid-point between 30 and 45).
    expect(await screen.findByText("90834 in 21 min")).toBeTruthy()

    await minutes(clock, 30)
    expect(await screen.findByText("90834")).toBeTruthy()

    await userEvent.click(screen.getByRole("button", { name: "Pause" }))
    await screen.findByRole("button", { name: "Resume" })
    await minutes(clock, 10)
    expect(screen.getByRole("timer").textContent).toBe("47:00")

    await userEvent.click(screen.getByRole("button", { name: "Resume" }))
    await screen.findByRole("button", { name: "Pause" })
    await minutes(clock, 1)
    expect(screen.getByRole("timer").textContent).toBe("48:00")

    await userEvent.click(screen.getByRole("button", { name: "Stop" }))
    await vi.waitFor(() => expect(region.getAttribute("data-state")).toBe("completed"))
    expect(screen.queryByRole("button", { name: "Start" })).toBeNull()
    const last = onSessionChange.mock.lastCall?.[0] as Session.TrackedSession
    expect(Session.minutesAt(last, clock.now() + 3_600_000)).toEqual({ service: 48, em: 0 })
  })

  it("is controlled: proposes changes and shows the session it is given", async () => {
    const { clock, runtime } = setup()
    const onSessionChange = vi.fn()
    const session = scheduled()
    const { rerender } = render(
      <BillingProvider runtime={runtime}>
        <SessionTracker.Root session={session} onSessionChange={onSessionChange} timer={clock.timer} />
      </BillingProvider>
    )
    await userEvent.click(screen.getByRole("button", { name: "Start" }))
    await vi.waitFor(() => expect(onSessionChange).toHaveBeenCalledTimes(1))
    // The host has not accepted it: still scheduled.
    expect(screen.getByRole("region", { name: "Session" }).getAttribute("data-state")).toBe("scheduled")
    rerender(
      <BillingProvider runtime={runtime}>
        <SessionTracker.Root
          session={onSessionChange.mock.calls[0]?.[0]}
          onSessionChange={onSessionChange}
          timer={clock.timer}
        />
      </BillingProvider>
    )
    expect(screen.getByRole("region", { name: "Session" }).getAttribute("data-state")).toBe("in-progress")
  })

  it("shows a move core refuses as an inline error", async () => {
    const { clock, runtime } = setup()
    render(
      <BillingProvider runtime={runtime}>
        <Headless timer={clock.timer} />
      </BillingProvider>
    )
    await userEvent.click(screen.getByRole("button", { name: "pause anyway" }))
    expect((await screen.findByRole("alert")).textContent).toBe("A scheduled session cannot pause.")
  })

  it("is gated: canStart false disables the start, and onBeforeStart false stops it", async () => {
    const { clock, runtime } = setup()
    const onBeforeStart = vi.fn(() => Promise.resolve(false))
    const { rerender } = render(
      <BillingProvider runtime={runtime}>
        <SessionTracker.Root defaultSession={scheduled()} canStart={false} timer={clock.timer} />
      </BillingProvider>
    )
    expect((screen.getByRole("button", { name: "Start" }) as HTMLButtonElement).disabled).toBe(true)
    rerender(
      <BillingProvider runtime={runtime}>
        <SessionTracker.Root defaultSession={scheduled()} onBeforeStart={onBeforeStart} timer={clock.timer} />
      </BillingProvider>
    )
    await userEvent.click(screen.getByRole("button", { name: "Start" }))
    expect(onBeforeStart).toHaveBeenCalledTimes(1)
    expect(screen.getByRole("region", { name: "Session" }).getAttribute("data-state")).toBe("scheduled")
  })

  it("marks a no-show with the policy's patient fee, never billed to insurance", async () => {
    const { clock, runtime } = setup()
    render(
      <BillingProvider runtime={runtime}>
        <SessionTracker.Root
          defaultSession={scheduled()}
          feePolicy={{ noShow: Money.dollars(50) }}
          timer={clock.timer}
        />
      </BillingProvider>
    )
    await userEvent.click(screen.getByRole("button", { name: "No-show" }))
    expect(await screen.findByText("Marked as a no-show.")).toBeTruthy()
    const billing = screen.getByRole("region", { name: "Bills now" })
    expect(billing.textContent).toContain("Not billed to insurance.")
    expect(billing.textContent).toContain("$50.00")
    expect(screen.queryByRole("button", { name: "Start" })).toBeNull()
  })

  it("records a late cancellation with the policy's fee through core", async () => {
    const { clock, runtime } = setup()
    const onSessionChange = vi.fn()
    render(
      <BillingProvider runtime={runtime}>
        <SessionTracker.Root
          defaultSession={scheduled()}
          onSessionChange={onSessionChange}
          feePolicy={{ lateCancel: Money.dollars(40), noShow: Money.dollars(75) }}
          timer={clock.timer}
        />
      </BillingProvider>
    )
    await userEvent.click(screen.getByRole("button", { name: "Late cancel" }))
    expect(await screen.findByText("Cancelled late.")).toBeTruthy()
    expect(onSessionChange).toHaveBeenLastCalledWith(
      expect.objectContaining({
        status: "late-cancelled",
        cancellation: { kind: "late-cancelled", at: start, billTo: "patient", patientFee: Money.dollars(40) }
      })
    )
    expect(screen.getByRole("region", { name: "Bills now" }).textContent).toContain("$40.00")
  })

  it("sets crisis, interactive complexity, E/M time and delivery through core", async () => {
    const { clock, runtime } = setup()
    const onSessionChange = vi.fn()
    render(
      <BillingProvider runtime={runtime}>
        <SessionTracker.Root defaultSession={scheduled()} onSessionChange={onSessionChange} timer={clock.timer} />
      </BillingProvider>
    )
    await userEvent.click(screen.getByRole("checkbox", { name: "Interactive complexity" }))
    await vi.waitFor(() =>
      expect(onSessionChange).toHaveBeenLastCalledWith(expect.objectContaining({ interactiveComplexity: true }))
    )
    await userEvent.selectOptions(screen.getByRole("combobox", { name: "Delivery" }), "video-home")
    await vi.waitFor(() =>
      expect(onSessionChange).toHaveBeenLastCalledWith(
        expect.objectContaining({ delivery: { mode: "video", patientLocation: "home" } })
      )
    )
    await userEvent.click(screen.getByRole("button", { name: "Start" }))
    await screen.findByRole("button", { name: "Pause" })
    await minutes(clock, 5)
    await userEvent.click(screen.getByRole("button", { name: "E/M time" }))
    await vi.waitFor(() =>
      expect(screen.getByRole("region", { name: "Session" }).getAttribute("data-segment")).toBe("em")
    )
    await minutes(clock, 3)
    const timer = screen.getByRole("region", { name: "Session" }).querySelector("[data-slot=timer]") as HTMLElement
    expect(within(timer).getByRole("timer").textContent).toBe("05:00")
    expect(timer.querySelector("[data-slot=timer-em-value]")?.textContent).toBe("03:00")
    await userEvent.click(screen.getByRole("checkbox", { name: "Crisis" }))
    await vi.waitFor(() =>
      expect(onSessionChange).toHaveBeenLastCalledWith(expect.objectContaining({ crisis: true, status: "in-progress" }))
    )
  })

  it("redraws the timer every tick but previews again only when a minute passes", async () => {
    const { clock, runtime } = await runningOneMinute()
    const runs = vi.spyOn(runtime, "runPromiseExit")
    await act(async () => {
      for (let i = 0; i < 58; i++) clock.advance(1000)
    })
    expect(screen.getByRole("timer").textContent).toBe("01:58")
    expect(runs).not.toHaveBeenCalled()
    await act(async () => {
      clock.advance(2000)
    })
    expect(screen.getByRole("timer").textContent).toBe("02:00")
    expect(runs).toHaveBeenCalledTimes(1)
  })

  it("keeps the last code on screen, marked busy, while the next minute's preview codes", async () => {
    const { clock } = await runningOneMinute()
    // The tick that brings a new minute: the new preview has not coded yet, the last one stays (no "Working out").
    act(() => clock.advance(60_000))
    const billing = document.querySelector("[data-slot='billing']")
    expect(billing?.getAttribute("data-state")).toBe("not-billable")
    expect(billing?.getAttribute("aria-busy")).toBe("true")
    await waitFor(() =>
      expect(document.querySelector("[data-slot='billing']")?.getAttribute("aria-busy")).toBe("false")
    )
  })

  it("the hook's state type is exported for hosts", () => {
    const state: SessionTrackerState["status"] = "scheduled"
    expect(state).toBe("scheduled")
  })

  it.each(xssPayloads)("renders a payer's rule text %s as text in the explanation", async (payload) => {
    // A payer's own rule pack: the family's label is the payer's wording and reaches the explanation.
    const pack = {
      id: "payer-xss",
      version: "2025.1.0",
      name: "A payer with hostile wording",
      layer: "payer",
      extends: "cpt-base",
      effective: { from: "2025-01-01" },
      families: {
        "bh-counseling": { kind: "timed-units", label: payload, code: "H0004", unitMinutes: 15, rounding: "up_to_unit" }
      },
      billableBy: [{ codes: ["H0004"], credentials: ["LCSW"] }]
    }
    const clock = manualClock(start)
    const runtime = BillingRuntime.make(clock.layer, { rulePacks: [pack] })
    runtimes.push(runtime)
    const { container } = render(
      <BillingProvider runtime={runtime}>
        <SessionTracker.Root
          defaultSession={scheduled({ rulePack: "payer-xss", service: "bh-counseling" })}
          timer={clock.timer}
        />
      </BillingProvider>
    )
    await userEvent.click(screen.getByRole("button", { name: "Start" }))
    await screen.findByRole("button", { name: "Pause" })
    await minutes(clock, 20)
    const explanations = await screen.findAllByText((text) => text.includes("H0004") && text.includes("→"))
    expect(explanations[0]?.textContent).toContain(payload.replace("\u0000", "\uFFFD").slice(1, 10))
    assertRenderedAsText(container)
  })
})
