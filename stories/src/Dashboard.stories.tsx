import { DateOfService } from "@openrcm/core"
import { DemoPractice } from "@openrcm/core/testing"
import { BillingProvider, Dashboard, PatientBalance } from "@openrcm/react"
import type { Meta, StoryObj } from "@storybook/react-vite"
import { expect, userEvent, within } from "storybook/test"
import { caller, corrupt, demoToday, empty, failing, pending, seeded, unavailable } from "./support/runtimes.js"

const period = { from: DateOfService.addDays(demoToday, -180), to: demoToday }
const runtimes = {
  seeded: seeded(),
  empty: empty(),
  pending: pending(),
  unavailable: failing(unavailable),
  corrupt: failing(corrupt)
}

/** The practice's revenue at a glance: A/R aging, denial trends, clean-claim rate and collections. */
const meta = {
  title: "Components/Dashboard",
  parameters: { controls: { disable: true }, layout: "fullscreen" }
} satisfies Meta

export default meta
type Story = StoryObj<typeof meta>

const board = (runtime: keyof typeof runtimes) => () => (
  <BillingProvider runtime={runtimes[runtime]} caller={caller}>
    <Dashboard.Root period={period} />
  </BillingProvider>
)

export const Success: Story = {
  render: board("seeded"),
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    const aging = canvas.getByRole("region", { name: "Accounts receivable by age" })
    await expect(await within(aging).findByRole("img", { name: /Accounts receivable by age\./ })).toBeVisible()
    await userEvent.click(within(aging).getByRole("button", { name: "Table" }))
    const table = within(aging).getByRole("table", { name: "Accounts receivable by age" })
    await expect(within(table).getAllByRole("row").length).toBeGreaterThan(1)
    await expect(await canvas.findByText(/% clean \(\d+ of \d+ claims\)/)).toBeVisible()
    await expect(await canvas.findByText(/collected from payers/)).toBeVisible()
  }
}

export const Loading: Story = {
  render: board("pending"),
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getAllByText("Loading…")).toHaveLength(4)
  }
}

export const Empty: Story = {
  render: board("empty"),
  play: async ({ canvasElement }) => {
    await expect(await within(canvasElement).findByText("No payments were posted in this period.")).toBeVisible()
  }
}

export const RetryableError: Story = {
  render: board("unavailable"),
  play: async ({ canvasElement }) => {
    const alerts = await within(canvasElement).findAllByRole("alert")
    await expect(alerts.length).toBeGreaterThan(0)
    await expect(within(alerts[0] as HTMLElement).getByRole("button", { name: "Try again" })).toBeVisible()
  }
}

export const FinalError: Story = {
  render: board("corrupt"),
  play: async ({ canvasElement }) => {
    const alerts = await within(canvasElement).findAllByRole("alert")
    await expect(alerts[0]).toHaveTextContent("A stored claim could not be read. Contact support.")
    await expect(within(alerts[0] as HTMLElement).queryByRole("button")).toBeNull()
  }
}

/** Each part alone, as a host would place it, with another grouping. */
export const DenialsByPayer: Story = {
  render: () => (
    <BillingProvider runtime={runtimes.seeded} caller={caller}>
      <Dashboard.DenialTrends period={period} by="payer" defaultView="table" />
    </BillingProvider>
  ),
  play: async ({ canvasElement }) => {
    const table = await within(canvasElement).findByRole("table", { name: "Denial rate by payer" })
    await expect(within(table).getByRole("columnheader", { name: "Denial rate" })).toBeVisible()
  }
}

export const PatientBalanceSelfPay: Story = {
  render: () => (
    <BillingProvider runtime={runtimes.seeded} caller={caller}>
      <PatientBalance.Root patientId={DemoPractice.ids.patients.selfPay} asOf={demoToday} />
    </BillingProvider>
  ),
  play: async ({ canvasElement }) => {
    const statement = await within(canvasElement).findByRole("table", { name: "Statement" })
    await expect(within(statement).getAllByRole("row").length).toBeGreaterThan(1)
  }
}

export const PatientBalanceEmpty: Story = {
  render: () => (
    <BillingProvider runtime={runtimes.empty} caller={caller}>
      <PatientBalance.Root patientId={DemoPractice.ids.patients.selfPay} asOf={demoToday} />
    </BillingProvider>
  ),
  play: async ({ canvasElement }) => {
    await expect(
      await within(canvasElement).findByText("The patient owes nothing and has no charges yet.")
    ).toBeVisible()
  }
}
