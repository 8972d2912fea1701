import { BillingRuntime } from "@openrcm/core"
import { BillingErrorBoundary, BillingProvider } from "@openrcm/react"
import { Layer } from "effect"
import { StrictMode } from "react"
import { createRoot } from "react-dom/client"
import { App } from "./App.js"
import "./playground.css"

// The runtime is built once, outside React. Later it gains the embedded store and the sandbox clearinghouse.
const runtime = BillingRuntime.make(Layer.empty)

const root = document.getElementById("root")
if (root === null) throw new Error("index.html has no #root element")
createRoot(root).render(
  <StrictMode>
    <BillingErrorBoundary>
      <BillingProvider runtime={runtime}>
        <App />
      </BillingProvider>
    </BillingErrorBoundary>
  </StrictMode>
)
