import { BillingRuntime } from "@openrcm/core"
import { BillingProvider, ErrorMessage } from "@openrcm/react"
import { render } from "@testing-library/react"
import { Layer } from "effect"
import { afterAll, describe, expect, it } from "vitest"
import { assertRenderedAsText, xssPayloads } from "./support/xss.js"

const runtime = BillingRuntime.make(Layer.empty)
afterAll(() => runtime.dispose())

describe("payer text is rendered as text", () => {
  it("the corpus is caught when rendered as markup (the check can fail)", () => {
    const container = document.createElement("div")
    container.innerHTML = xssPayloads[1] as string
    expect(() => assertRenderedAsText(container)).toThrow(/img/)
  })

  it.each(xssPayloads)("ErrorMessage words a host message containing %s as text", (payload) => {
    const error = { _tag: "PayerSaid" }
    const { container } = render(
      <BillingProvider runtime={runtime} messages={{ PayerSaid: payload }}>
        <ErrorMessage error={error} />
      </BillingProvider>
    )
    expect(container.textContent).toContain(payload.replace("\u0000", "\uFFFD").slice(1, 10))
    assertRenderedAsText(container)
  })
})
