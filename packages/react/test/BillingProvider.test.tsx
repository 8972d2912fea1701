import { BillingRuntime, DateOfService } from "@openrcm/core"
import {
  Amount,
  BillingErrorBoundary,
  BillingProvider,
  MissingBillingProviderError,
  useBillingEffect,
  useBillingRuntime
} from "@openrcm/react"
import { render, screen } from "@testing-library/react"
import { userEvent } from "@testing-library/user-event"
import { Effect, Layer } from "effect"
import { TestClock } from "effect/testing"
import { afterEach, describe, expect, it, vi } from "vitest"

const runtimes: Array<BillingRuntime.BillingRuntime<never, never>> = []
const makeRuntime = () => {
  const runtime = BillingRuntime.make(Layer.empty)
  runtimes.push(runtime)
  return runtime
}
afterEach(async () => {
  await Promise.all(runtimes.splice(0).map((r) => r.dispose()))
})

function RuntimeProbe() {
  const runtime = useBillingRuntime()
  return <p>{typeof runtime.runPromise === "function" ? "runtime ready" : "no runtime"}</p>
}

describe("BillingProvider", () => {
  it("hands the runtime built outside React to the hooks below it", () => {
    render(
      <BillingProvider runtime={makeRuntime()}>
        <RuntimeProbe />
      </BillingProvider>
    )
    expect(screen.getByText("runtime ready")).toBeTruthy()
  })

  it("throws a clear error when a hook is used outside the provider", () => {
    const spy = vi.spyOn(console, "error").mockImplementation(() => {})
    expect(() => render(<RuntimeProbe />)).toThrow(MissingBillingProviderError)
    expect(() => render(<RuntimeProbe />)).toThrow(/must be used inside <BillingProvider runtime=\{\.\.\.\}>/)
    spy.mockRestore()
  })

  it("shows the missing-provider error in the error boundary, and retries", async () => {
    const spy = vi.spyOn(console, "error").mockImplementation(() => {})
    const onError = vi.fn()
    render(
      <BillingErrorBoundary onError={onError}>
        <RuntimeProbe />
      </BillingErrorBoundary>
    )
    const alert = screen.getByRole("alert")
    expect(alert.textContent).toContain("Billing is unavailable here.")
    expect(alert.textContent).toContain("useBillingRuntime must be used inside <BillingProvider")
    expect(onError).toHaveBeenCalledOnce()
    await userEvent.click(screen.getByRole("button", { name: "Try again" }))
    expect(onError).toHaveBeenCalledTimes(2)
    spy.mockRestore()
  })
})

function Today({ zone }: { readonly zone: string }) {
  const result = useBillingEffect(() => DateOfService.today(zone), [zone])
  if (result._tag === "Success") return <p>Today: {result.value}</p>
  if (result._tag === "Failure") return <p role="alert">failed</p>
  return <p>Loading</p>
}

function Failing() {
  const result = useBillingEffect(() => Effect.fail({ reason: "AuthorizationMissing" as const }), [])
  return <p>{result._tag === "Failure" ? `failed: ${result.error.reason}` : result._tag}</p>
}

function Dying() {
  const result = useBillingEffect(() => Effect.die(new Error("bug")), [])
  return <p>{result._tag}</p>
}

describe("useBillingEffect", () => {
  it("goes from Initial to Success with the operation's value", async () => {
    const runtime = BillingRuntime.make(TestClock.layer())
    await runtime.runPromise(TestClock.setTime(Date.UTC(2024, 0, 2, 12)))
    render(
      <BillingProvider runtime={runtime}>
        <Today zone="UTC" />
      </BillingProvider>
    )
    expect(screen.getByText("Loading")).toBeTruthy()
    expect(await screen.findByText("Today: 2024-01-02")).toBeTruthy()
    await runtime.dispose()
  })

  it("holds an expected error as a Failure for the component to render", async () => {
    render(
      <BillingProvider runtime={makeRuntime()}>
        <Failing />
      </BillingProvider>
    )
    expect(await screen.findByText("failed: AuthorizationMissing")).toBeTruthy()
  })

  it("sends a defect to the error boundary", async () => {
    const spy = vi.spyOn(console, "error").mockImplementation(() => {})
    render(
      <BillingProvider runtime={makeRuntime()}>
        <BillingErrorBoundary>
          <Dying />
        </BillingErrorBoundary>
      </BillingProvider>
    )
    const alert = await screen.findByRole("alert")
    expect(alert.textContent).toContain("Something went wrong while showing billing information.")
    expect(alert.textContent).not.toContain("bug")
    spy.mockRestore()
  })
})

describe("Amount", () => {
  it("renders money for people and the decimal for machines", () => {
    const { container } = render(<Amount value={123456 as never} />)
    const data = container.querySelector("data")
    expect(data?.textContent).toBe("$1,234.56")
    expect(data?.getAttribute("value")).toBe("1234.56")
    expect(data?.getAttribute("data-sign")).toBe("positive")
  })

  it.each([
    [-250, "-$2.50", "negative"],
    [0, "$0.00", "zero"]
  ])("renders %i cents as %s (%s)", (cents, text, sign) => {
    const { container } = render(<Amount value={cents as never} />)
    expect(container.querySelector("data")?.textContent).toBe(text)
    expect(container.querySelector("data")?.getAttribute("data-sign")).toBe(sign)
  })
})
