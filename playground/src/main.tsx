import { BillingErrorBoundary, Result } from "@openrcm/react"
import { Cause } from "effect"
import { StrictMode } from "react"
import { createRoot } from "react-dom/client"
import { App } from "./App.js"
import "@openrcm/react/theme.css"
import "@openrcm/react/styles.css"
import "./playground.css"

const root = document.getElementById("root")
if (root === null) throw new Error("index.html has no #root element")
createRoot(root).render(
  <StrictMode>
    {/* The playground's data is synthetic, so a defect's whole cause goes to the console for the developer. */}
    <BillingErrorBoundary
      onError={(error) => console.error(error instanceof Result.BillingDefect ? Cause.pretty(error.cause) : error)}
    >
      <App />
    </BillingErrorBoundary>
  </StrictMode>
)
