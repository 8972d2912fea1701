import { BillingRuntime, Caller, DateOfService, Payer, Store } from "@openrcm/core"
import { DemoPractice, InMemoryStore } from "@openrcm/core/testing"
import { BillingProvider, Dashboard, PatientBalance } from "@openrcm/react"
import { render, screen, within } from "@testing-library/react"
import { userEvent } from "@testing-library/user-event"
import { Effect, Layer, Schema } from "effect"
import { afterAll, describe, expect, it } from "vitest"
import { assertRenderedAsText, xssPayloads } from "./support/xss.js"

const today = DateOfService.make("2026-11-16")
const period = { from: DateOfService.addDays(today, -180), to: today }
const caller = { ...DemoPractice.caller, purpose: "payment" as const }
const seeded = BillingRuntime.make(DemoPractice.layer({ today }))
const empty = BillingRuntime.make(InMemoryStore.layer)
const unavailable = new Store.StoreError({ reason: new Store.Unavailable({ detail: "down" }) })
let failures = 0
// A store that is down for its first reads, then an empty one: the retry button must run the report again.
const flaky = BillingRuntime.make(
  Layer.effect(
    Store.Store,
    Effect.map(InMemoryStore.make, (store) => ({
      ...store,
      reports: {
        aging: (asOf: DateOfService.DateOfService) =>
          failures++ < 1 ? Effect.fail(unavailable) : store.reports.aging(asOf)
      }
    }))
  )
)
afterAll(() => Promise.all([seeded, empty, flaky].map((r) => r.dispose())))

describe("Dashboard", { timeout: 30_000 }, () => {
  it("shows the four reports of the demo practice, each with a table view naming payers", async () => {
    render(
      <BillingProvider runtime={seeded} caller={caller}>
        <Dashboard.Root period={period} />
      </BillingProvider>
    )
    const dashboard = screen.getByRole("region", { name: "Revenue dashboard" })
    const aging = within(dashboard).getByRole("region", { name: "Accounts receivable by age" })
    expect(await within(aging).findByRole("img", { name: /Accounts receivable by age\. .+: \$/ })).toBeTruthy()
    await userEvent.click(within(aging).getByRole("button", { name: "Table" }))
    const table = within(aging).getByRole("table", { name: "Accounts receivable by age" })
    expect(
      within(table)
        .getAllByRole("columnheader")
        .map((h) => h.textContent)
    ).toEqual(["Payer", "0–30 days", "31–60", "61–90", "91–120", "120+", "Total"])
    // Rows are named by the payer's name, not its id.
    expect(within(table).queryByText(/^demo-pay-/)).toBeNull()
    expect(within(aging).getByRole("button", { name: "Table" }).getAttribute("aria-pressed")).toBe("true")

    const denials = within(dashboard).getByRole("region", { name: "Denial rate by category" })
    expect((await within(denials).findByText(/of claims denied/)).textContent).toMatch(
      /^\d+(\.\d)?% of claims denied \(\$/
    )
    const clean = within(dashboard).getByRole("region", { name: "Clean-claim rate" })
    expect((await within(clean).findByText(/clean \(/)).textContent).toMatch(
      /^\d+(\.\d)?% clean \(\d+ of \d+ claims\)$/
    )
    const collections = within(dashboard).getByRole("region", { name: "Collections by clinician" })
    expect((await within(collections).findByText(/collected from payers/)).textContent).toMatch(
      /^\$[\d,]+\.\d\d collected/
    )
  })

  it("says there is nothing to show on an empty practice", async () => {
    render(
      <BillingProvider runtime={empty} caller={caller}>
        <Dashboard.Root period={period} />
      </BillingProvider>
    )
    expect(await screen.findByText("Nothing is owed by payers.")).toBeTruthy()
    expect(await screen.findByText("No claims were adjudicated in this period.")).toBeTruthy()
    expect(await screen.findByText("No claims were sent in this period.")).toBeTruthy()
    expect(await screen.findByText("No payments were posted in this period.")).toBeTruthy()
  })

  it("shows a retryable error inline, and the retry runs the report again", async () => {
    render(
      <BillingProvider runtime={flaky} caller={caller}>
        <Dashboard.Aging asOf={today} />
      </BillingProvider>
    )
    const alert = await screen.findByRole("alert")
    expect(alert.textContent).toContain("Billing data is unavailable right now.")
    await userEvent.click(within(alert).getByRole("button", { name: "Try again" }))
    expect(await screen.findByText("Nothing is owed by payers.")).toBeTruthy()
    expect(failures).toBe(2)
  })

  it("renders a payer's name as text", async () => {
    const runtime = BillingRuntime.make(DemoPractice.layer({ today }))
    const rename = (name: string) =>
      runtime.runPromise(
        Effect.gen(function* () {
          const store = yield* Store.Store
          const acme = yield* store.payers.get(DemoPractice.ids.payers.acmePpo)
          if (acme._tag === "None") return yield* Effect.die("the demo practice has Acme PPO")
          yield* store.payers.put(
            Schema.decodeUnknownSync(Payer.Payer)({ ...Schema.encodeSync(Payer.Payer)(acme.value), name })
          )
        }).pipe(Effect.provideService(Caller.Caller, caller))
      )
    for (const payload of xssPayloads.slice(0, 8)) {
      await rename(payload)
      const { container, unmount } = render(
        <BillingProvider runtime={runtime} caller={caller}>
          <Dashboard.Aging asOf={today} defaultView="table" />
        </BillingProvider>
      )
      expect(await screen.findByText(payload.trim(), { normalizer: (s) => s })).toBeTruthy()
      assertRenderedAsText(container)
      unmount()
    }
    await runtime.dispose()
  })
})

let payerListings = 0
// The demo practice, counting how often the payers are listed (the names of every report row).
const counting = BillingRuntime.make(
  Layer.effect(
    Store.Store,
    Effect.gen(function* () {
      const store = yield* Store.Store
      return {
        ...store,
        payers: {
          ...store.payers,
          list: (page?: Store.PageRequest) => {
            payerListings++
            return store.payers.list(page)
          }
        }
      }
    })
  ).pipe(Layer.provide(DemoPractice.layer({ today })))
)
afterAll(() => counting.dispose())

describe("Dashboard parts", { timeout: 30_000 }, () => {
  it("read the payers' and clinicians' names once for the whole dashboard", async () => {
    render(
      <BillingProvider runtime={counting} caller={caller}>
        <Dashboard.Root period={period} />
      </BillingProvider>
    )
    await screen.findByText(/collected from payers/)
    await screen.findByText(/% clean/)
    expect(payerListings).toBe(1)
  })

  it("show the view the host controls, and ask it to change", async () => {
    const asked: Array<string> = []
    const { rerender } = render(
      <BillingProvider runtime={seeded} caller={caller}>
        <Dashboard.Aging asOf={today} view="chart" onViewChange={(view) => asked.push(view)} />
      </BillingProvider>
    )
    await userEvent.click(await screen.findByRole("button", { name: "Table" }))
    expect(asked).toEqual(["table"])
    // Controlled: it stays a chart until the host says otherwise.
    expect(screen.getByRole("button", { name: "Chart" }).getAttribute("aria-pressed")).toBe("true")
    expect(screen.queryByRole("table")).toBeNull()
    rerender(
      <BillingProvider runtime={seeded} caller={caller}>
        <Dashboard.Aging asOf={today} view="table" onViewChange={(view) => asked.push(view)} />
      </BillingProvider>
    )
    expect(await screen.findByRole("table", { name: "Accounts receivable by age" })).toBeTruthy()
  })
})

describe("PatientBalance", { timeout: 30_000 }, () => {
  it("shows what the self-pay patient owes, by claim, with its age", async () => {
    render(
      <BillingProvider runtime={seeded} caller={caller}>
        <PatientBalance.Root patientId={DemoPractice.ids.patients.selfPay} asOf={today} />
      </BillingProvider>
    )
    const region = screen.getByRole("region", { name: "Patient balance" })
    const statement = await within(region).findByRole("table", { name: "Statement" })
    expect(within(statement).getAllByRole("row").length).toBeGreaterThan(1)
    expect(within(region).getByText(/Balance due|Credit/)).toBeTruthy()
    expect(within(region).getByText("0–30 days")).toBeTruthy()
    expect(within(statement).getAllByText(/Self-pay|Payment|Fee/).length).toBeGreaterThan(0)
  })

  it("says so when the patient has no charges", async () => {
    render(
      <BillingProvider runtime={empty} caller={caller}>
        <PatientBalance.Root patientId={DemoPractice.ids.patients.selfPay} asOf={today} />
      </BillingProvider>
    )
    expect(await screen.findByText("The patient owes nothing and has no charges yet.")).toBeTruthy()
  })
})
