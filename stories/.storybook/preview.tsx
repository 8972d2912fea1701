import type { Preview } from "@storybook/react-vite"

const preview: Preview = {
  parameters: {
    // Every story is an accessibility test: a violation fails the run, in the browser and in CI.
    a11y: { test: "error" }
  },
  tags: ["autodocs"]
}

export default preview
