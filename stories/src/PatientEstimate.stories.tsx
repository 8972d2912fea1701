import { BillingRuntime, DateOfService, Eligibility, Money } from "@openrcm/core"
import { DemoPractice, InMemoryClearinghouse } from "@openrcm/core/testing"
import { BillingProvider, PatientEstimate } from "@openrcm/react"
import type { Meta, StoryObj } from "@storybook/react-vite"
import { Layer, Schema } from "effect"
import { expect, userEvent, within } from "storybook/test"
import { caller, demoToday } from "./support/runtimes.js"
import { storyClock, stuckClockLayer } from "./support/session.js"

// The demo practice's plans answer eligibility through the in-memory clearinghouse, on the demo's "today".
const clock = storyClock()
const members = DemoPractice.members(DateOfService.make(demoToday))
const runtime = (options?: InMemoryClearinghouse.Options) =>
  BillingRuntime.make(Layer.mergeAll(InMemoryClearinghouse.layer(members, options), clock.layer))
const answering = runtime()
const unavailableOnce = runtime({ failures: ["unavailable", "unavailable", "unavailable"] })
const refusing = runtime({ unsupportedPayers: ["ACME1"] })
const stuck = BillingRuntime.make(Layer.mergeAll(InMemoryClearinghouse.layer(members), stuckClockLayer))

const today = DateOfService.make(demoToday)
// Acme PPO with $410 of the deductible left (the demo's eligibility-denied patient).
const ppo = (dateOfService = demoToday) =>
  Schema.decodeUnknownSync(Eligibility.EligibilityRequest)({
    payerId: "ACME1",
    provider: { npi: "1245319599" },
    subscriber: { memberId: "DEMO-PPO-1212", firstName: "Lou", lastName: "Pretendo", dateOfBirth: "1990-08-19" },
    dateOfService,
    serviceTypes: ["MH"]
  })
// A 90834 at Acme PPO's allowed amount (78% of the practice's $140 charge).
const session = [{ dateOfService: today, lines: [{ code: "90834", allowed: Money.cents(10_920) }] }]

const meta = {
  title: "Components/PatientEstimate",
  parameters: { controls: { disable: true } }
} satisfies Meta

export default meta
type Story = StoryObj<typeof meta>

const region = (canvasElement: HTMLElement) => within(canvasElement).getByRole("region", { name: "Patient estimate" })

/** From the payer's answer: the session goes to the deductible. */
export const FromEligibility: Story = {
  render: () => (
    <BillingProvider runtime={answering} caller={caller}>
      <PatientEstimate.Root visits={session} eligibility={ppo()} />
    </BillingProvider>
  ),
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await expect(await canvas.findByText("Patient owes")).toBeInTheDocument()
    await expect(region(canvasElement).querySelector("[data-part=deductible]")).toHaveTextContent("$109.20")
  }
}

/** Deductible met: coinsurance and a copay, for a month of weekly sessions. */
export const DeductibleCoinsuranceCopay: Story = {
  render: () => (
    <BillingProvider runtime={answering} caller={caller}>
      <PatientEstimate.Root
        visits={[0, 7, 14, 21].map((d) => ({
          dateOfService: DateOfService.addDays(today, d),
          lines: [{ code: "90837", allowed: Money.cents(14_430) }]
        }))}
        benefits={{
          deductibleRemaining: Money.dollars(60),
          outOfPocketRemaining: Money.dollars(150),
          coinsuranceBps: 2000,
          copay: Money.dollars(20)
        }}
      />
    </BillingProvider>
  ),
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await canvas.findByText("Patient owes")
    await expect(canvas.getAllByRole("row")).toHaveLength(5)
    await expect(canvas.getByRole("list", { name: "Why" })).toHaveTextContent("out-of-pocket maximum is reached")
  }
}

/** Medicare for a Qualified Medicare Beneficiary: nothing to the patient, sequestration noted. */
export const QualifiedMedicareBeneficiary: Story = {
  render: () => (
    <BillingProvider runtime={answering} caller={caller}>
      <PatientEstimate.Root
        visits={session}
        benefits={{
          deductibleRemaining: Money.zero,
          coinsuranceBps: 2000,
          sequestration: true,
          qualifiedMedicareBeneficiary: true
        }}
      />
    </BillingProvider>
  ),
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await expect((await canvas.findByText("Patient owes")).parentElement).toHaveTextContent("Patient owes $0.00")
  }
}

/** Coverage inactive on the date: no estimate, a warning. */
export const NotCovered: Story = {
  render: () => (
    <BillingProvider runtime={answering} caller={caller}>
      <PatientEstimate.Root visits={session} eligibility={ppo(DateOfService.addDays(today, 400))} />
    </BillingProvider>
  ),
  play: async ({ canvasElement }) => {
    await expect(await within(canvasElement).findByText(/The coverage is inactive/)).toBeInTheDocument()
  }
}

export const Empty: Story = {
  render: () => (
    <BillingProvider runtime={answering} caller={caller}>
      <PatientEstimate.Root visits={[]} eligibility={ppo()} />
    </BillingProvider>
  ),
  play: async ({ canvasElement }) => {
    await expect(await within(canvasElement).findByText("No session planned to estimate.")).toBeInTheDocument()
  }
}

export const Loading: Story = {
  render: () => (
    <BillingProvider runtime={stuck} caller={caller}>
      <PatientEstimate.Root visits={session} eligibility={ppo()} />
    </BillingProvider>
  ),
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getByText("Estimating…")).toBeInTheDocument()
  }
}

/** The clearinghouse is down for a moment: "Try again" gets the estimate. */
export const RetryableError: Story = {
  render: () => (
    <BillingProvider runtime={unavailableOnce} caller={caller}>
      <PatientEstimate.Root visits={session} eligibility={ppo()} />
    </BillingProvider>
  ),
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    const alert = await canvas.findByRole("alert")
    await userEvent.click(within(alert).getByRole("button", { name: "Try again" }))
    await expect(await canvas.findByText("Patient owes")).toBeInTheDocument()
  }
}

export const FinalError: Story = {
  render: () => (
    <BillingProvider runtime={refusing} caller={caller}>
      <PatientEstimate.Root visits={session} eligibility={ppo()} />
    </BillingProvider>
  ),
  play: async ({ canvasElement }) => {
    const alert = await within(canvasElement).findByRole("alert")
    await expect(alert).toHaveAttribute("data-retryable", "false")
  }
}
