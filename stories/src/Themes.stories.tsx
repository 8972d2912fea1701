import { BillingRuntime, Clearinghouse } from "@openrcm/core"
import { BillingProvider, ErrorMessage, ThemeScope } from "@openrcm/react"
import type { Meta, StoryObj } from "@storybook/react-vite"
import { Layer } from "effect"
import { expect, within } from "storybook/test"

const runtime = BillingRuntime.make(Layer.empty)
const timeout = new Clearinghouse.ClearinghouseError({ reason: new Clearinghouse.Timeout({ afterMillis: 30_000 }) })

function Sample({ label }: { readonly label: string }) {
  return (
    <div className="openrcm-sample" style={{ display: "grid", gap: "0.5rem", padding: "0.5rem" }}>
      <strong>{label}</strong>
      <button type="button" data-variant="primary">
        Submit claims
      </button>
      <ErrorMessage error={timeout} onRetry={() => {}} />
    </div>
  )
}

/** The themes side by side, and a tenant's brand set at run time: what a white-label host starts from. */
const meta = {
  title: "Setup/Themes",
  parameters: { controls: { disable: true } },
  render: () => (
    <BillingProvider runtime={runtime}>
      <div style={{ display: "grid", gridTemplateColumns: "repeat(auto-fit, minmax(14rem, 1fr))", gap: "1rem" }}>
        {["default", "dark", "river", "summit"].map((theme) => (
          <ThemeScope key={theme} theme={theme} data-testid={`theme-${theme}`}>
            <Sample label={theme} />
          </ThemeScope>
        ))}
        <ThemeScope tokens={{ "color-accent": "#8a1c7c", radius: "999px" }} data-testid="theme-tenant">
          <Sample label="a tenant's tokens" />
        </ThemeScope>
      </div>
    </BillingProvider>
  )
} satisfies Meta

export default meta
type Story = StoryObj<typeof meta>

export const AllThemes: Story = {
  play: async ({ canvasElement, globals }) => {
    const canvas = within(canvasElement)
    const accentOf = (theme: string) =>
      getComputedStyle(within(canvas.getByTestId(`theme-${theme}`)).getByRole("button", { name: "Submit claims" }))
        .backgroundColor
    if (globals.theme === "unstyled") return
    await expect(accentOf("default")).toBe("rgb(31, 95, 191)")
    await expect(accentOf("river")).toBe("rgb(15, 107, 103)")
    await expect(accentOf("tenant")).toBe("rgb(138, 28, 124)")
    await expect(accentOf("summit")).not.toBe(accentOf("default"))
  }
}
