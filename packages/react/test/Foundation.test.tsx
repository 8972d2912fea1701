import { Billing, BillingRuntime, Caller, Clearinghouse, type Denial, Ids, KeyProvider, Store } from "@openrcm/core"
import {
  BillingErrorBoundary,
  BillingProvider,
  ErrorMessage,
  Messages,
  MissingCallerError,
  ThemeScope,
  useBillingAction,
  useBillingQuery,
  useCaller,
  useText
} from "@openrcm/react"
import { render, screen } from "@testing-library/react"
import { userEvent } from "@testing-library/user-event"
import { Effect, Layer } from "effect"
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

const caller = { tenantId: "tenant-a", actor: "user:7", purpose: "payment" } as Caller.CallerInfo
const timeout = new Clearinghouse.ClearinghouseError({ reason: new Clearinghouse.Timeout({ afterMillis: 30_000 }) })
const conflict = new Store.StoreError({ reason: new Store.Conflict({ entity: "claim", detail: "version 3" }) })

describe("Messages", () => {
  it("words an error by its most specific key, filled from its fields", () => {
    expect(Messages.keysOf(conflict)).toEqual(["StoreError.Conflict", "StoreError", "error"])
    expect(Messages.describe(conflict, Messages.defaultMessages)).toBe(
      "Someone else changed this claim first. Reload it and apply your change again."
    )
    expect(Messages.describe(conflict, { StoreError: "Données indisponibles." })).toBe("Données indisponibles.")
    expect(Messages.describe(new Error("raw"), {})).toBe(Messages.defaultMessages.error)
    expect(Messages.isRetryable(timeout)).toBe(true)
    expect(Messages.isRetryable(conflict)).toBe(false)
  })

  it("words every expected error of the core operations in its own terms, not the generic fallback", () => {
    const claimId = Ids.ClaimId.make("C1")
    const errors = [
      conflict,
      timeout,
      new Billing.SessionNotBillable({ reason: "tooFewMinutes", text: "under 16 minutes" }),
      new Billing.ManualMoveRefused({ claimId, from: "ready", to: "submitted", use: "submitClaims" }),
      new Billing.ClaimNotFound({ claimId }),
      new Billing.MissingPayerClaimNumber({ claimId }),
      new Billing.DenialNotFound({ denialId: "D1" as Denial.DenialId }),
      new Billing.PayerNotFound({ payerId: Ids.PayerId.make("P1") }),
      new Billing.AppealTemplateError({ unknown: ["x"] }),
      new KeyProvider.KeyError({ reason: new KeyProvider.Unavailable({ detail: "kms" }) }),
      new KeyProvider.KeyError({ reason: new KeyProvider.UnknownMasterKey({ masterKeyId: "k1" }) })
    ]
    for (const error of errors) {
      const own = Messages.keysOf(error).filter((key) => key !== "error")
      expect(
        own.some((key) => key in Messages.defaultMessages),
        error._tag
      ).toBe(true)
    }
    expect(Messages.describe(errors[2], Messages.defaultMessages)).toBe(
      "This session is not billable: under 16 minutes"
    )
    expect(Messages.describe(errors[3], Messages.defaultMessages)).toContain("moves to submitted")
  })

  it("leaves out a placeholder with no plain value", () => {
    expect(Messages.format("a {x} b {y} c", { x: 1, y: { nested: true } })).toBe("a 1 b  c")
  })
})

describe("ErrorMessage", () => {
  it("renders the host's wording, and a retry only for a retryable error", async () => {
    const onRetry = vi.fn()
    const { rerender } = render(
      <BillingProvider runtime={makeRuntime()} messages={{ "ClearinghouseError.Timeout": "Le centre ne répond pas." }}>
        <ErrorMessage error={timeout} onRetry={onRetry} />
      </BillingProvider>
    )
    expect(screen.getByRole("alert").textContent).toContain("Le centre ne répond pas.")
    await userEvent.click(screen.getByRole("button", { name: "Try again" }))
    expect(onRetry).toHaveBeenCalledTimes(1)
    rerender(
      <BillingProvider runtime={makeRuntime()}>
        <ErrorMessage error={conflict} onRetry={onRetry} />
      </BillingProvider>
    )
    expect(screen.queryByRole("button")).toBeNull()
    expect(screen.getByRole("alert").getAttribute("data-retryable")).toBe("false")
  })
})

function Who() {
  const { result, refresh } = useBillingQuery(
    () =>
      Effect.gen(function* () {
        const c = yield* Caller.Caller
        return `${c.tenantId}/${c.actor}`
      }),
    []
  )
  return (
    <div>
      <output>{result._tag === "Success" ? result.value : result._tag}</output>
      <button type="button" onClick={refresh}>
        refresh
      </button>
    </div>
  )
}

/** Every render of a patient's chart: whose chart it was, and whose data it showed. */
const chartRenders: Array<string> = []
/** A load the test lets finish when it says. */
interface Gate {
  readonly promise: Promise<void>
  readonly open: () => void
}
const gate = (): Gate => {
  let open = () => {}
  const promise = new Promise<void>((resolve) => {
    open = resolve
  })
  return { promise, open }
}
/** The charts' loads, one per patient. */
const chartLoads = new Map<string, Gate>()
const chartLoad = (patient: string) => {
  const load = chartLoads.get(patient) ?? gate()
  chartLoads.set(patient, load)
  return load.promise
}

function Chart({ patient, keep }: { readonly patient: string; readonly keep?: boolean | undefined }) {
  const { result, refresh } = useBillingQuery(
    () =>
      Effect.as(
        Effect.promise(() => chartLoad(patient)),
        `chart of ${patient}`
      ),
    [patient],
    { keepPreviousValue: keep }
  )
  const shown = `${result._tag === "Success" ? result.value : result._tag}${result.waiting ? " (waiting)" : ""}`
  chartRenders.push(`${patient}: ${shown}`)
  return (
    <div>
      <output>{shown}</output>
      <button type="button" onClick={refresh}>
        refresh
      </button>
    </div>
  )
}

/** A chart of patient a, loaded; `show(patient)` re-renders the host with another patient's chart. */
const chartOfA = async (keep?: boolean) => {
  chartRenders.length = 0
  chartLoads.clear()
  const runtime = makeRuntime()
  const host = (patient: string) => (
    <BillingProvider runtime={runtime}>
      <Chart patient={patient} keep={keep} />
    </BillingProvider>
  )
  const { rerender } = render(host("a"))
  chartLoads.get("a")?.open()
  expect(await screen.findByText("chart of a")).toBeTruthy()
  return { show: (patient: string) => rerender(host(patient)) }
}

/** How many times `Counted` ran its query. */
const countedRuns = { n: 0 }

function Counted() {
  const { result } = useBillingQuery(
    () =>
      Effect.gen(function* () {
        countedRuns.n++
        return (yield* Caller.Caller).tenantId
      }),
    []
  )
  return <output>{result._tag === "Success" ? result.value : result._tag}</output>
}

function Probe() {
  return <p>{useCaller("Probe").actor}</p>
}

function Label() {
  return <p>{useText()("sessionTracker.start", "Start {what}", { what: "session" })}</p>
}

describe("useBillingQuery", () => {
  it("runs the operation as the provider's caller, and again on refresh", async () => {
    render(
      <BillingProvider runtime={makeRuntime()} caller={caller}>
        <Who />
      </BillingProvider>
    )
    expect(await screen.findByText("tenant-a/user:7")).toBeTruthy()
    await userEvent.click(screen.getByRole("button", { name: "refresh" }))
    expect(await screen.findByText("tenant-a/user:7")).toBeTruthy()
  })

  it("never shows a value under deps it was not loaded for: another patient's chart waits as Initial", async () => {
    const { show } = await chartOfA()
    chartRenders.length = 0
    show("b")
    // From the very render with the new patient, not an effect later.
    expect(chartRenders[0]).toBe("b: Initial (waiting)")
    expect(screen.getByRole("status").textContent).toBe("Initial (waiting)")
    chartLoads.get("b")?.open()
    expect(await screen.findByText("chart of b")).toBeTruthy()
    expect(chartRenders.filter((line) => line.startsWith("b:") && line.includes("chart of a"))).toEqual([])
  })

  it("keeps the value, marked waiting, on refresh, and across deps with keepPreviousValue", async () => {
    const { show } = await chartOfA(true)
    chartLoads.set("a", gate())
    await userEvent.click(screen.getByRole("button", { name: "refresh" }))
    expect(await screen.findByText("chart of a (waiting)")).toBeTruthy()
    chartLoads.get("a")?.open()
    expect(await screen.findByText("chart of a")).toBeTruthy()
    show("b")
    expect(screen.getByRole("status").textContent).toBe("chart of a (waiting)")
    chartLoads.get("b")?.open()
    expect(await screen.findByText("chart of b")).toBeTruthy()
  })

  it("takes the caller by value: an inline caller with the same fields runs nothing again; another tenant does", async () => {
    countedRuns.n = 0
    const runtime = makeRuntime()
    const host = (tenantId: string) => (
      <BillingProvider runtime={runtime} caller={{ ...caller, tenantId } as Caller.CallerInfo}>
        <Counted />
      </BillingProvider>
    )
    const { rerender } = render(host("tenant-a"))
    expect(await screen.findByText("tenant-a")).toBeTruthy()
    rerender(host("tenant-a"))
    rerender(host("tenant-a"))
    expect(screen.getByRole("status").textContent).toBe("tenant-a")
    expect(countedRuns.n).toBe(1)
    rerender(host("tenant-b"))
    expect(screen.getByRole("status").textContent).toBe("Initial")
    expect(await screen.findByText("tenant-b")).toBeTruthy()
    expect(countedRuns.n).toBe(2)
  })

  it("useCaller without a caller is a wiring error for the boundary", () => {
    const spy = vi.spyOn(console, "error").mockImplementation(() => {})
    expect(() =>
      render(
        <BillingProvider runtime={makeRuntime()}>
          <Probe />
        </BillingProvider>
      )
    ).toThrow(MissingCallerError)
    spy.mockRestore()
  })
})

function Submit({ fail }: { readonly fail: "no" | "expected" | "defect" }) {
  const action = useBillingAction((n: number) =>
    fail === "expected" ? Effect.fail(timeout) : fail === "defect" ? Effect.die("bug") : Effect.succeed(n * 2)
  )
  return (
    <div>
      <button type="button" onClick={() => void action.run(21)}>
        submit
      </button>
      {action.result._tag === "Success" ? <output>{action.result.value}</output> : null}
      {action.result._tag === "Failure" ? <ErrorMessage error={action.result.error} /> : null}
      <span>{action.result._tag === "Initial" ? "not run" : "run"}</span>
    </div>
  )
}

describe("useBillingAction", () => {
  it("is Initial until run, then holds the value", async () => {
    render(
      <BillingProvider runtime={makeRuntime()}>
        <Submit fail="no" />
      </BillingProvider>
    )
    expect(screen.getByText("not run")).toBeTruthy()
    await userEvent.click(screen.getByRole("button", { name: "submit" }))
    expect(await screen.findByText("42")).toBeTruthy()
  })

  it("renders an expected error inline", async () => {
    render(
      <BillingProvider runtime={makeRuntime()}>
        <Submit fail="expected" />
      </BillingProvider>
    )
    await userEvent.click(screen.getByRole("button", { name: "submit" }))
    expect((await screen.findByRole("alert")).textContent).toContain("did not answer in time")
  })

  it("sends a defect to the error boundary", async () => {
    const spy = vi.spyOn(console, "error").mockImplementation(() => {})
    render(
      <BillingErrorBoundary>
        <BillingProvider runtime={makeRuntime()}>
          <Submit fail="defect" />
        </BillingProvider>
      </BillingErrorBoundary>
    )
    await userEvent.click(screen.getByRole("button", { name: "submit" }))
    expect((await screen.findByRole("alert")).textContent).toContain("Billing is unavailable here.")
    spy.mockRestore()
  })
})

describe("ThemeScope and useText", () => {
  it("sets a tenant's tokens as custom properties on its region", () => {
    render(
      <ThemeScope theme="river" tokens={{ "color-accent": "#aa0000", radius: "2px" }} data-testid="scope">
        x
      </ThemeScope>
    )
    const scope = screen.getByTestId("scope")
    expect(scope.getAttribute("data-openrcm-theme")).toBe("river")
    expect(scope.style.getPropertyValue("--openrcm-color-accent")).toBe("#aa0000")
    expect(scope.style.getPropertyValue("--openrcm-radius")).toBe("2px")
  })

  it("words a label from the host's messages, else the default", () => {
    const { rerender } = render(
      <BillingProvider runtime={makeRuntime()}>
        <Label />
      </BillingProvider>
    )
    expect(screen.getByText("Start session")).toBeTruthy()
    rerender(
      <BillingProvider runtime={makeRuntime()} messages={{ "sessionTracker.start": "Commencer" }}>
        <Label />
      </BillingProvider>
    )
    expect(screen.getByText("Commencer")).toBeTruthy()
  })
})
