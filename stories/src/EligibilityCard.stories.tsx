import { BillingRuntime, DateOfService, Eligibility } from "@openrcm/core"
import { DemoPractice, InMemoryClearinghouse } from "@openrcm/core/testing"
import { BillingProvider, EligibilityCard } from "@openrcm/react"
import type { Meta, StoryObj } from "@storybook/react-vite"
import { Layer, Schema } from "effect"
import { expect, userEvent, waitFor, within } from "storybook/test"
import { caller, demoToday } from "./support/runtimes.js"
import { storyClock, stuckClockLayer } from "./support/session.js"

// The demo practice's patients as the in-memory clearinghouse's members, on a clock set to the demo's "today" (its
// sleep is immediate, so the operation's retries take no time). One runtime per state, built once for the module.
const clock = storyClock()
const members = DemoPractice.members(DateOfService.make(demoToday))
const runtime = (options?: InMemoryClearinghouse.Options) =>
  BillingRuntime.make(Layer.mergeAll(InMemoryClearinghouse.layer(members, options), clock.layer))
const answering = runtime()
// Three timeouts: the first ask and its two retries fail, a retry by the person succeeds.
const timingOut = runtime({ failures: ["timeout", "timeout", "timeout"] })
const refusing = runtime({ unsupportedPayers: ["ACME1"] })
const stuck = BillingRuntime.make(Layer.mergeAll(InMemoryClearinghouse.layer(members), stuckClockLayer))

const request = (
  subscriber: {
    readonly memberId: string
    readonly firstName: string
    readonly lastName: string
    readonly dateOfBirth: string
  },
  payerId: string,
  dateOfService = demoToday
) =>
  Schema.decodeUnknownSync(Eligibility.EligibilityRequest)({
    payerId,
    provider: { npi: "1245319599" },
    subscriber,
    dateOfService,
    serviceTypes: ["MH"]
  })

// Acme HMO, the patient with plenty of authorization left: visit limit, authorization required.
const hmo = request(
  { memberId: "DEMO-HMO-1001", firstName: "Ava", lastName: "Sampleton", dateOfBirth: "1991-03-14" },
  "ACME2"
)
// Acme PPO with a deductible owed.
const ppoSubscriber = { memberId: "DEMO-PPO-1212", firstName: "Lou", lastName: "Pretendo", dateOfBirth: "1990-08-19" }
const ppo = request(ppoSubscriber, "ACME1")

const meta = {
  title: "Components/EligibilityCard",
  parameters: { controls: { disable: true } }
} satisfies Meta

export default meta
type Story = StoryObj<typeof meta>

const card = (canvasElement: HTMLElement) => within(canvasElement).getByRole("region", { name: "Eligibility" })

/** Active, with the copay and the deductible left; Refresh asks the payer again. */
export const ActivePpo: Story = {
  render: () => (
    <BillingProvider runtime={answering} caller={caller}>
      <EligibilityCard.Root request={ppo} timeZone={DemoPractice.timeZone} />
    </BillingProvider>
  ),
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await expect(await canvas.findByText("Active")).toBeInTheDocument()
    await expect(canvas.getByText("Acme PPO Gold")).toBeInTheDocument()
    await expect(card(canvasElement).querySelector("[data-slot=deductible] dd")).toHaveTextContent(
      "$410.00 of $1,000.00 remaining"
    )
    const checked = card(canvasElement).querySelector("[data-slot=checked-at]") as HTMLElement
    const before = checked.textContent
    clock.advance(2 * 60 * 60_000)
    await userEvent.click(canvas.getByRole("button", { name: "Refresh" }))
    await waitFor(() => expect(checked.textContent).not.toBe(before))
    await expect(checked).toHaveAttribute("data-from-cache", "false")
  }
}

/** Active HMO: a visit limit and prior authorization required. */
export const ActiveHmo: Story = {
  render: () => (
    <BillingProvider runtime={answering} caller={caller}>
      <EligibilityCard.Root request={hmo} timeZone={DemoPractice.timeZone} />
    </BillingProvider>
  ),
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await expect(await canvas.findByText("Prior authorization required")).toBeInTheDocument()
    await expect(canvas.getByText("20 visits a year")).toBeInTheDocument()
  }
}

/** Inactive: the date of service is after the coverage ends. */
export const Inactive: Story = {
  render: () => (
    <BillingProvider runtime={answering} caller={caller}>
      <EligibilityCard.Root
        request={request(ppoSubscriber, "ACME1", DateOfService.addDays(DateOfService.make(demoToday), 400))}
        timeZone={DemoPractice.timeZone}
      />
    </BillingProvider>
  ),
  play: async ({ canvasElement }) => {
    await expect(await within(canvasElement).findByText("Inactive")).toBeInTheDocument()
    await expect(card(canvasElement)).toHaveAttribute("data-state", "inactive")
  }
}

/** The payer would not answer: the date of birth does not match (AAA 71), with the follow-up. */
export const Rejected: Story = {
  render: () => (
    <BillingProvider runtime={answering} caller={caller}>
      <EligibilityCard.Root request={request({ ...ppoSubscriber, dateOfBirth: "1990-08-20" }, "ACME1")} />
    </BillingProvider>
  ),
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await expect(await canvas.findByText("Not answered")).toBeInTheDocument()
    await expect(canvas.getByText(/Patient birth date does not match/)).toBeInTheDocument()
  }
}

/** Self-pay: nothing to check. */
export const Empty: Story = {
  render: () => (
    <BillingProvider runtime={answering} caller={caller}>
      <EligibilityCard.Root request={undefined} />
    </BillingProvider>
  ),
  play: async ({ canvasElement }) => {
    await expect(await within(canvasElement).findByText("No insurance coverage to check.")).toBeInTheDocument()
  }
}

/** Asking the payer. */
export const Loading: Story = {
  render: () => (
    <BillingProvider runtime={stuck} caller={caller}>
      <EligibilityCard.Root request={ppo} />
    </BillingProvider>
  ),
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getByText("Asking the payer…")).toBeInTheDocument()
  }
}

/** The clearinghouse timed out (three times): "Try again" asks again and gets the answer. */
export const RetryableError: Story = {
  render: () => (
    <BillingProvider runtime={timingOut} caller={caller}>
      <EligibilityCard.Root request={ppo} />
    </BillingProvider>
  ),
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    const alert = await canvas.findByRole("alert")
    await expect(alert).toHaveTextContent("The clearinghouse did not answer in time.")
    await userEvent.click(within(alert).getByRole("button", { name: "Try again" }))
    await expect(await canvas.findByText("Active")).toBeInTheDocument()
  }
}

/** The clearinghouse does not route to this payer: final, nothing to retry. */
export const FinalError: Story = {
  render: () => (
    <BillingProvider runtime={refusing} caller={caller}>
      <EligibilityCard.Root request={ppo} />
    </BillingProvider>
  ),
  play: async ({ canvasElement }) => {
    const alert = await within(canvasElement).findByRole("alert")
    await expect(alert).toHaveAttribute("data-retryable", "false")
    await expect(within(alert).queryByRole("button")).toBeNull()
  }
}
