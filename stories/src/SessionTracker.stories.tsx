import { BillingRuntime, Money } from "@openrcm/core"
import { BillingProvider, SessionTracker } from "@openrcm/react"
import type { Meta, StoryObj } from "@storybook/react-vite"
import { expect, userEvent, waitFor, within } from "storybook/test"
import { caller } from "./support/runtimes.js"
import { demoSession, sessionStart, storyClock, stuckClockLayer } from "./support/session.js"

// One clock and one runtime for the module: the runtime reads the clock, and play functions move it by hand, so
// the timer and the code it bills are the same on every run.
const clock = storyClock()
const runtime = BillingRuntime.make(clock.layer)
const stuck = BillingRuntime.make(stuckClockLayer)

/** Moves the clock a minute at a time (each minute one tick), as the browser's timer would. */
const minutes = (n: number) => {
  for (let i = 0; i < n; i++) clock.advance(60_000)
}

const meta = {
  title: "Components/SessionTracker",
  parameters: { controls: { disable: true } }
} satisfies Meta

export default meta
type Story = StoryObj<typeof meta>

/** Scheduled, nothing billed yet: the empty state. */
export const Scheduled: Story = {
  render: () => (
    <BillingProvider runtime={runtime} caller={caller}>
      <SessionTracker.Root defaultSession={demoSession()} timer={clock.timer} />
    </BillingProvider>
  ),
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await expect(await canvas.findByText("Nothing billable yet")).toBeInTheDocument()
    await waitFor(() => expect(canvas.getByRole("timer")).toHaveTextContent("00:00"))
    await expect(canvas.getByRole("button", { name: "Start" })).toBeEnabled()
  }
}

/** Start, a timer that runs by the minute, the code it bills now and the next threshold; pause, resume, stop. */
export const StartPauseResumeStop: Story = {
  render: () => (
    <BillingProvider runtime={runtime} caller={caller}>
      <SessionTracker.Root defaultSession={demoSession()} timer={clock.timer} />
    </BillingProvider>
  ),
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    const root = canvas.getByRole("region", { name: "Session" })
    await userEvent.click(canvas.getByRole("button", { name: "Start" }))
    await canvas.findByRole("button", { name: "Pause" })
    await expect(root).toHaveAttribute("data-state", "in-progress")
    minutes(20)
    await waitFor(() => expect(canvas.getByRole("timer")).toHaveTextContent("20:00"))
    await expect(await canvas.findByText("90832")).toBeInTheDocument()
    await expect(await canvas.findByText("90834 in 18 min")).toBeInTheDocument()
    minutes(26)
    await expect(await canvas.findByText("90834")).toBeInTheDocument()
    await userEvent.click(canvas.getByRole("button", { name: "Pause" }))
    await canvas.findByRole("button", { name: "Resume" })
    minutes(5)
    await waitFor(() => expect(canvas.getByRole("timer")).toHaveTextContent("46:00"))
    await userEvent.click(canvas.getByRole("button", { name: "Resume" }))
    await canvas.findByRole("button", { name: "Pause" })
    await userEvent.click(canvas.getByRole("button", { name: "Stop" }))
    await waitFor(() => expect(root).toHaveAttribute("data-state", "completed"))
    await expect(canvas.queryByRole("button", { name: "Resume" })).toBeNull()
  }
}

/** Psychotherapy with an E/M: E/M time runs apart from the psychotherapy time, with the E/M code chosen. */
export const EmSegment: Story = {
  render: () => (
    <BillingProvider runtime={runtime} caller={caller}>
      <SessionTracker.Root defaultSession={demoSession()} timer={clock.timer} />
    </BillingProvider>
  ),
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    const root = canvas.getByRole("region", { name: "Session" })
    await userEvent.click(canvas.getByRole("button", { name: "Start" }))
    await canvas.findByRole("button", { name: "Pause" })
    await userEvent.click(canvas.getByRole("button", { name: "E/M time" }))
    await waitFor(() => expect(root).toHaveAttribute("data-segment", "em"))
    minutes(15)
    await userEvent.click(canvas.getByRole("button", { name: "E/M time" }))
    await waitFor(() => expect(root).toHaveAttribute("data-segment", "service"))
    minutes(20)
    await waitFor(() => expect(root.querySelector("[data-slot=timer-em-value]")).toHaveTextContent("15:00"))
    await waitFor(() => expect(canvas.getByRole("timer")).toHaveTextContent("20:00"))
  }
}

/** Interactive complexity, crisis and a video visit from home. */
export const FlagsAndDelivery: Story = {
  render: () => (
    <BillingProvider runtime={runtime} caller={caller}>
      <SessionTracker.Root defaultSession={demoSession()} timer={clock.timer} />
    </BillingProvider>
  ),
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await userEvent.click(canvas.getByRole("checkbox", { name: "Interactive complexity" }))
    await waitFor(() => expect(canvas.getByRole("checkbox", { name: "Interactive complexity" })).toBeChecked())
    await userEvent.selectOptions(canvas.getByRole("combobox", { name: "Delivery" }), "video-home")
    await waitFor(() =>
      expect(canvas.getByRole("region", { name: "Session" }).querySelector("[data-slot=delivery]")).toHaveAttribute(
        "data-mode",
        "video"
      )
    )
  }
}

/** A no-show: the policy's fee to the patient, nothing to insurance. */
export const NoShow: Story = {
  render: () => (
    <BillingProvider runtime={runtime} caller={caller}>
      <SessionTracker.Root
        defaultSession={demoSession()}
        feePolicy={{ noShow: Money.dollars(75), lateCancel: Money.dollars(50) }}
        timer={clock.timer}
      />
    </BillingProvider>
  ),
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await userEvent.click(canvas.getByRole("button", { name: "No-show" }))
    await expect(await canvas.findByText("Marked as a no-show.")).toBeInTheDocument()
    await expect(canvas.getByRole("region", { name: "Bills now" })).toHaveTextContent("$75.00")
  }
}

/** A late cancellation, already recorded. */
export const LateCancelled: Story = {
  render: () => (
    <BillingProvider runtime={runtime} caller={caller}>
      <SessionTracker.Root
        defaultSession={demoSession({
          status: "late-cancelled",
          cancellation: { kind: "late-cancelled", at: sessionStart, billTo: "patient", patientFee: Money.dollars(50) }
        })}
        timer={clock.timer}
      />
    </BillingProvider>
  ),
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await expect(canvas.getByText("Cancelled late.")).toBeInTheDocument()
    await expect(canvas.getByRole("region", { name: "Bills now" })).toHaveTextContent("$50.00")
  }
}

/** The start is held by the host (an authorization check still running, say). */
export const StartHeld: Story = {
  render: () => (
    <BillingProvider runtime={runtime} caller={caller}>
      <SessionTracker.Root defaultSession={demoSession()} canStart={false} timer={clock.timer} />
    </BillingProvider>
  ),
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getByRole("button", { name: "Start" })).toBeDisabled()
  }
}

/** Working out the code: the preview has not answered yet. */
export const Loading: Story = {
  render: () => (
    <BillingProvider runtime={stuck} caller={caller}>
      <SessionTracker.Root defaultSession={demoSession()} timer={clock.timer} />
    </BillingProvider>
  ),
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getByText("Working out the code…")).toBeInTheDocument()
  }
}

/** A payer whose rules are not loaded: a final error, inline (nothing to retry). */
export const UnknownPayerRules: Story = {
  render: () => (
    <BillingProvider runtime={runtime} caller={caller}>
      <SessionTracker.Root defaultSession={demoSession({ rulePack: "no-such-payer" })} timer={clock.timer} />
    </BillingProvider>
  ),
  play: async ({ canvasElement }) => {
    const alert = await within(canvasElement).findByRole("alert")
    await expect(alert).toHaveAttribute("data-retryable", "false")
    await expect(within(alert).queryByRole("button")).toBeNull()
  }
}

/** Composed from the parts: only the timer, the moves and the code. */
export const Composed: Story = {
  render: () => (
    <BillingProvider runtime={runtime} caller={caller}>
      <SessionTracker.Root defaultSession={demoSession()} timer={clock.timer}>
        <SessionTracker.Timer />
        <SessionTracker.Controls />
        <SessionTracker.Error />
        <SessionTracker.Billing />
      </SessionTracker.Root>
    </BillingProvider>
  ),
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await expect(canvas.queryByRole("checkbox")).toBeNull()
    await expect(canvas.getByRole("button", { name: "Start" })).toBeInTheDocument()
  }
}
