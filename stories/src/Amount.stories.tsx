import { Money } from "@openrcm/core"
import { Amount } from "@openrcm/react"
import type { Meta, StoryObj } from "@storybook/react-vite"
import { expect } from "storybook/test"

const meta = {
  title: "Primitives/Amount",
  component: Amount,
  args: { value: Money.cents(123456) }
} satisfies Meta<typeof Amount>

export default meta
type Story = StoryObj<typeof meta>

export const Positive: Story = {
  play: async ({ canvasElement }) => {
    const amount = canvasElement.querySelector("[data-slot=amount]")
    await expect(amount).toHaveTextContent("$1,234.56")
    await expect(amount).toHaveAttribute("value", "1234.56")
    await expect(amount).toHaveAttribute("data-sign", "positive")
  }
}

export const Credit: Story = {
  args: { value: Money.cents(-2500) },
  play: async ({ canvasElement }) => {
    const amount = canvasElement.querySelector("[data-slot=amount]")
    await expect(amount).toHaveTextContent("-$25.00")
    await expect(amount).toHaveAttribute("data-sign", "negative")
  }
}

export const Zero: Story = {
  args: { value: Money.zero },
  play: async ({ canvasElement }) => {
    await expect(canvasElement.querySelector("[data-slot=amount]")).toHaveAttribute("data-sign", "zero")
  }
}

export const LargeBalance: Story = {
  args: { value: Money.dollars(1_250_000, 99) },
  play: async ({ canvasElement }) => {
    await expect(canvasElement.querySelector("[data-slot=amount]")).toHaveTextContent("$1,250,000.99")
  }
}

export const OtherLocale: Story = {
  args: { value: Money.cents(123456), locale: "de-DE" },
  play: async ({ canvasElement }) => {
    // Dollars still, written the German way.
    await expect(canvasElement.querySelector("[data-slot=amount]")).toHaveTextContent(/1\.234,56\s\$/)
  }
}
