import { Authorization, BillingRuntime, DateOfService } from "@openrcm/core"
import { DemoPractice } from "@openrcm/core/testing"
import {
  AuthorizationAlert,
  BillingProvider,
  SessionTracker,
  type UseAuthorizationAlertOptions,
  useAuthorizationAlert
} from "@openrcm/react"
import type { Meta, StoryObj } from "@storybook/react-vite"
import { Layer, Schema } from "effect"
import { useState } from "react"
import { expect, userEvent, waitFor, within } from "storybook/test"
import { caller, corrupt, demoToday, failing, pending, unavailable } from "./support/runtimes.js"
import { demoSession, storyClock } from "./support/session.js"

// The demo practice on its fixed "today", read on a clock set to that day: the alerts count days from it.
const clock = storyClock()
const seeded = BillingRuntime.make(Layer.mergeAll(DemoPractice.layer({ today: demoToday }), clock.layer))
const loading = pending()
const retryable = failing(unavailable)
const final = failing(corrupt)

const optionsFor = (key: DemoPractice.PatientKey): UseAuthorizationAlertOptions => {
  const next = DemoPractice.nextVisit(key, DateOfService.make(demoToday))
  if (next === undefined) throw new Error(`the demo patient ${key} has no coverage`)
  return { visit: next.visit, rulePack: next.rulePack, timeZone: DemoPractice.timeZone }
}

// Used up: the nearly-used-up patient's authorization with every approved session used.
const nearly = optionsFor("authorizationNearlyUsedUp")
const usedUp = Schema.decodeUnknownSync(Authorization.Authorization)({
  id: DemoPractice.ids.authorizations.nearlyUsedUp,
  tenantId: DemoPractice.ids.tenantId,
  patientId: nearly.visit.patientId,
  payerId: nearly.visit.payerId,
  number: "DEMO-PA-2002",
  codes: nearly.visit.lines.map((l) => l.code),
  unitType: "sessions",
  approved: 12,
  period: {
    start: DateOfService.addDays(DateOfService.make(demoToday), -90),
    end: DateOfService.addDays(DateOfService.make(demoToday), 40)
  },
  status: "approved"
})
const usedUpLedger = Array.from({ length: 12 }, (_, i) =>
  Schema.decodeUnknownSync(Authorization.LedgerEntry)({
    authorizationId: usedUp.id,
    sessionId: `demo-used-${i}`,
    dateOfService: DateOfService.addDays(DateOfService.make(demoToday), -7 * (i + 1)),
    units: 1,
    kind: "used"
  })
)

/** The alert and the tracker it gates, composed: the tracker knows nothing of authorizations. */
function Gated({ options }: { readonly options: UseAuthorizationAlertOptions }) {
  const [recorded, setRecorded] = useState<string | undefined>(undefined)
  const alert = useAuthorizationAlert({ ...options, onOverride: (o) => setRecorded(o.reason) })
  return (
    <>
      <AuthorizationAlert.Root alert={alert} />
      <SessionTracker.Root
        defaultSession={demoSession({ patientId: options.visit.patientId, rulePack: options.rulePack })}
        canStart={alert.canStart}
        onBeforeStart={alert.requestStart}
        timer={clock.timer}
      >
        <SessionTracker.Timer />
        <SessionTracker.Controls />
      </SessionTracker.Root>
      {recorded === undefined ? null : <p data-testid="recorded">Host recorded: {recorded}</p>}
    </>
  )
}

const meta = {
  title: "Components/AuthorizationAlert",
  parameters: { controls: { disable: true } }
} satisfies Meta

export default meta
type Story = StoryObj<typeof meta>

const region = (canvasElement: HTMLElement) => within(canvasElement).getByRole("region", { name: "Authorization" })

/** Plenty left: the burn-down and what is left, nothing to worry about. */
export const Plenty: Story = {
  render: () => (
    <BillingProvider runtime={seeded} caller={caller}>
      <AuthorizationAlert.Root {...optionsFor("authorizationPlentyLeft")} />
    </BillingProvider>
  ),
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    const meter = await canvas.findByRole("meter", {}, { timeout: 15_000 })
    await expect(meter).toHaveAttribute("aria-valuemax", "24")
    await expect(region(canvasElement)).not.toHaveAttribute("data-state", "blocking")
  }
}

/** Nearly used up: "N sessions left" and the projected run-out date, without blocking. */
export const NearlyUsedUp: Story = {
  render: () => (
    <BillingProvider runtime={seeded} caller={caller}>
      <Gated options={optionsFor("authorizationNearlyUsedUp")} />
    </BillingProvider>
  ),
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    const status = await canvas.findByRole("status", {}, { timeout: 15_000 })
    await expect(status).toHaveTextContent(/\d+ sessions left/)
    await expect(region(canvasElement)).toHaveAttribute("data-state", "warning")
  }
}

/** Expiring soon (the practice warns 60 days ahead here): "expires in N days". */
export const Expiring: Story = {
  render: () => (
    <BillingProvider runtime={seeded} caller={caller}>
      <AuthorizationAlert.Root {...optionsFor("authorizationNearlyUsedUp")} settings={{ days: 60 }} />
    </BillingProvider>
  ),
  play: async ({ canvasElement }) => {
    const status = await within(canvasElement).findByRole("status", {}, { timeout: 15_000 })
    await expect(status).toHaveTextContent("Expires in 40 days")
  }
}

/** Missing: the start is stopped by a dialog; the person types a reason and starts anyway, and the host records it. */
export const MissingOverride: Story = {
  render: () => (
    <BillingProvider runtime={seeded} caller={caller}>
      <Gated options={optionsFor("authorizationMissing")} />
    </BillingProvider>
  ),
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await waitFor(() => expect(region(canvasElement)).toHaveAttribute("data-state", "blocking"), { timeout: 15_000 })
    await userEvent.click(canvas.getByRole("button", { name: "Start" }))
    // The dialog is portaled to the body.
    const page = within(canvasElement.ownerDocument.body)
    const dialog = await page.findByRole("dialog", { name: "No authorization for this session" })
    await expect(within(dialog).getByRole("button", { name: "Start anyway" })).toBeDisabled()
    await userEvent.type(within(dialog).getByRole("textbox"), "Payer approved by phone, reference 55-1")
    await userEvent.click(within(dialog).getByRole("button", { name: "Start anyway" }))
    await expect(await canvas.findByTestId("recorded")).toHaveTextContent("Payer approved by phone, reference 55-1")
    await expect(await canvas.findByRole("button", { name: "Pause" })).toBeInTheDocument()
    await expect(region(canvasElement)).toHaveAttribute("data-state", "overridden")
  }
}

/** Expired: the dialog traps focus, Escape cancels, and focus returns to Start. */
export const ExpiredEscape: Story = {
  render: () => (
    <BillingProvider runtime={seeded} caller={caller}>
      <Gated options={optionsFor("authorizationExpired")} />
    </BillingProvider>
  ),
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await waitFor(() => expect(region(canvasElement)).toHaveAttribute("data-state", "blocking"), { timeout: 15_000 })
    const start = canvas.getByRole("button", { name: "Start" })
    await userEvent.click(start)
    const page = within(canvasElement.ownerDocument.body)
    const dialog = await page.findByRole("dialog", { name: "The authorization has expired" })
    await waitFor(() => expect(dialog.contains(canvasElement.ownerDocument.activeElement)).toBe(true))
    await userEvent.tab()
    await userEvent.tab()
    await userEvent.tab()
    await expect(dialog.contains(canvasElement.ownerDocument.activeElement)).toBe(true)
    await userEvent.keyboard("{Escape}")
    await waitFor(() => expect(page.queryByRole("dialog")).toBeNull())
    await waitFor(() => expect(start).toHaveFocus())
    await expect(canvas.queryByRole("button", { name: "Pause" })).toBeNull()
  }
}

/** Used up: every approved session used; the dialog says so and what to do. */
export const UsedUp: Story = {
  render: () => (
    <BillingProvider runtime={seeded} caller={caller}>
      <Gated options={{ ...nearly, authorizations: [usedUp], ledger: usedUpLedger }} />
    </BillingProvider>
  ),
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    const meter = await canvas.findByRole("meter", {}, { timeout: 15_000 })
    await expect(meter).toHaveAttribute("aria-valuenow", "12")
    await userEvent.click(canvas.getByRole("button", { name: "Start" }))
    const dialog = await within(canvasElement.ownerDocument.body).findByRole("dialog", {
      name: "The authorization is used up"
    })
    await userEvent.click(within(dialog).getByRole("button", { name: "Don't start" }))
    await expect(canvas.queryByRole("button", { name: "Pause" })).toBeNull()
  }
}

/** No authorization needed for this payer and visit: the empty state. */
export const NotRequired: Story = {
  render: () => (
    <BillingProvider runtime={seeded} caller={caller}>
      <Gated options={optionsFor("medicationManagement")} />
    </BillingProvider>
  ),
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await expect(await canvas.findByText("No authorization is required.", {}, { timeout: 15_000 })).toBeInTheDocument()
    await expect(region(canvasElement)).toHaveAttribute("data-state", "not-required")
    await waitFor(() => expect(canvas.getByRole("button", { name: "Start" })).toBeEnabled())
    await userEvent.click(canvas.getByRole("button", { name: "Start" }))
    await expect(await canvas.findByRole("button", { name: "Pause" })).toBeInTheDocument()
  }
}

/** Checking: the store has not answered; the start waits. */
export const Loading: Story = {
  render: () => (
    <BillingProvider runtime={loading} caller={caller}>
      <Gated options={optionsFor("authorizationPlentyLeft")} />
    </BillingProvider>
  ),
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await expect(canvas.getByText("Checking the authorization…")).toBeInTheDocument()
    await expect(canvas.getByRole("button", { name: "Start" })).toBeDisabled()
  }
}

/** The store is down for a moment: inline, with "Try again". */
export const RetryableError: Story = {
  render: () => (
    <BillingProvider runtime={retryable} caller={caller}>
      <AuthorizationAlert.Root {...optionsFor("authorizationPlentyLeft")} />
    </BillingProvider>
  ),
  play: async ({ canvasElement }) => {
    const alert = await within(canvasElement).findByRole("alert")
    await expect(within(alert).getByRole("button", { name: "Try again" })).toBeInTheDocument()
  }
}

/** A stored record cannot be read: inline, nothing to retry. */
export const FinalError: Story = {
  render: () => (
    <BillingProvider runtime={final} caller={caller}>
      <AuthorizationAlert.Root {...optionsFor("authorizationPlentyLeft")} />
    </BillingProvider>
  ),
  play: async ({ canvasElement }) => {
    const alert = await within(canvasElement).findByRole("alert")
    await expect(alert).toHaveAttribute("data-retryable", "false")
    await expect(within(alert).queryByRole("button")).toBeNull()
  }
}
