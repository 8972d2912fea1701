import { BillingRuntime, DateOfService } from "@openrcm/core"
import { BillingErrorBoundary, BillingProvider, useBillingEffect } from "@openrcm/react"
import type { Meta, StoryObj } from "@storybook/react-vite"
import { Layer } from "effect"
import { expect, userEvent, within } from "storybook/test"

function PracticeToday({ timeZone }: { readonly timeZone: string }) {
  const today = useBillingEffect(() => DateOfService.today(timeZone), [timeZone])
  return (
    <p>
      Date of service in {timeZone}: <output>{today._tag === "Success" ? today.value : "…"}</output>
    </p>
  )
}

const runtime = BillingRuntime.make(Layer.empty)

// The runtime is not an arg: args must be serializable, and a host builds its runtime once, outside React.
const meta = {
  title: "Setup/BillingProvider",
  parameters: { controls: { disable: true } }
} satisfies Meta

export default meta
type Story = StoryObj<typeof meta>

export const WithRuntime: Story = {
  render: () => (
    <BillingProvider runtime={runtime}>
      <PracticeToday timeZone="America/Chicago" />
    </BillingProvider>
  ),
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await expect(await canvas.findByText(/^\d{4}-\d{2}-\d{2}$/)).toBeInTheDocument()
  }
}

/** What a host developer sees when a billing component renders outside the provider. */
export const MissingProvider: Story = {
  render: () => (
    <BillingErrorBoundary>
      <PracticeToday timeZone="America/Chicago" />
    </BillingErrorBoundary>
  ),
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    const alert = await canvas.findByRole("alert")
    await expect(alert).toHaveTextContent("Billing is unavailable here.")
    await expect(alert).toHaveTextContent("useBillingRuntime must be used inside <BillingProvider runtime={...}>")
    // Retrying without a provider fails the same way, and the alert comes back.
    await userEvent.click(canvas.getByRole("button", { name: "Try again" }))
    await expect(await canvas.findByRole("alert")).toBeInTheDocument()
  }
}
