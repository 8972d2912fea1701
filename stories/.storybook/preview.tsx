import { ThemeScope } from "@openrcm/react"
import styles from "@openrcm/react/styles.css?inline"
import theme from "@openrcm/react/theme.css?inline"
import type { Decorator, Preview } from "@storybook/react-vite"

// The kit is unstyled unless the host imports its stylesheets, so "unstyled" removes them from the page.
const setStylesheets = (on: boolean) => {
  const id = "openrcm-stylesheets"
  const existing = document.getElementById(id)
  if (!on) return existing?.remove()
  if (existing) return
  const element = document.createElement("style")
  element.id = id
  element.textContent = `${theme}\n${styles}`
  document.head.append(element)
}

const withTheme: Decorator = (Story, context) => {
  const selected = String(context.globals.theme ?? "default")
  setStylesheets(selected !== "unstyled")
  return selected === "unstyled" ? (
    <Story />
  ) : (
    <ThemeScope theme={selected} style={{ padding: "1rem" }}>
      <Story />
    </ThemeScope>
  )
}

const preview: Preview = {
  parameters: {
    // Every story is an accessibility test: a violation fails the run, in the browser and in CI.
    a11y: { test: "error" }
  },
  globalTypes: {
    theme: {
      description: "The kit's theme: none (unstyled), the default, dark, or one of the example brands",
      toolbar: {
        title: "Theme",
        icon: "paintbrush",
        items: [
          { value: "unstyled", title: "Unstyled" },
          { value: "default", title: "Default" },
          { value: "dark", title: "Dark" },
          { value: "river", title: "River (brand)" },
          { value: "summit", title: "Summit (brand)" }
        ],
        dynamicTitle: true
      }
    }
  },
  initialGlobals: { theme: "default" },
  decorators: [withTheme],
  tags: ["autodocs"]
}

export default preview
