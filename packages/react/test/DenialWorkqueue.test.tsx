import { BillingRuntime, Caller, Denial, Store } from "@openrcm/core"
import { DemoPractice, InMemoryStore } from "@openrcm/core/testing"
import { BillingProvider, DenialWorkqueue, loadWorkqueue, type WorkqueueData } from "@openrcm/react"
import { act, render, screen, waitFor, within } from "@testing-library/react"
import { userEvent } from "@testing-library/user-event"
import { Effect, Layer } from "effect"
import { afterAll, describe, expect, it, vi } from "vitest"
import { assertRenderedAsText, xssPayloads } from "./support/xss.js"

const today = "2026-11-16" as DemoPractice.Options["today"] & string
const caller: Caller.CallerInfo = { ...DemoPractice.caller, actor: "user:biller-1", purpose: "payment" }
const runtimes: Array<BillingRuntime.BillingRuntime<never, unknown>> = []
const seeded = () => {
  const runtime = BillingRuntime.make(DemoPractice.layer({ today }))
  runtimes.push(runtime)
  return runtime
}
afterAll(() => Promise.all(runtimes.map((runtime) => runtime.dispose())))

// Every store operation fails with `error` (the Store port is a record of repositories of functions).
const failing = (error: Store.StoreError) => {
  const answer = () => Effect.fail(error)
  const method = new Proxy(answer, { get: () => answer })
  const store = new Proxy({} as Store.StoreShape, {
    get: (_, key) => (key === "transaction" ? answer : new Proxy({}, { get: () => method }))
  })
  const runtime = BillingRuntime.make(Layer.succeed(Store.Store, store))
  runtimes.push(runtime as BillingRuntime.BillingRuntime<never, unknown>)
  return runtime
}

const grid = () => screen.getByRole("grid", { name: "Denials to work" })
const bodyRows = () => within(grid()).getAllByRole("row").slice(1)
const loaded = async () => {
  await screen.findByRole("grid", { name: "Denials to work" }, { timeout: 20_000 })
  return bodyRows()
}

// A small queue given as data: the hook reads nothing from the store.
const tenantId = DemoPractice.ids.tenantId
const denial = (n: number, change: Partial<ConstructorParameters<typeof Denial.Denial>[0]> = {}) =>
  new Denial.Denial({
    id: `den-${n}` as Denial.DenialId,
    tenantId,
    claimId: `clm-${n}` as Denial.Denial["claimId"],
    payerId: (n % 2 === 0 ? "pay-a" : "pay-b") as Denial.Denial["payerId"],
    group: "CO",
    carc: n % 3 === 0 ? "197" : "16",
    rarcs: n % 3 === 0 ? [] : ["M51"],
    amount: (1000 * n) as Denial.Denial["amount"],
    deadline: "2026-12-01" as Denial.Denial["deadline"] & string,
    receivedOn: `2026-${n % 2 === 0 ? "10" : "07"}-01` as Denial.Denial["receivedOn"] & string,
    category: n % 3 === 0 ? "authorization" : "coding",
    action: n % 3 === 0 ? "appeal" : "correct-and-resubmit",
    priority: 100 - n,
    status: "open",
    notes: [],
    createdAt: 0 as Denial.Denial["createdAt"],
    version: 0,
    ...change
  })
const data = (count: number, payerNames: readonly [string, string] = ["Acme", "Beta"]): WorkqueueData => ({
  denials: Array.from({ length: count }, (_, i) => denial(i + 1)),
  payers: [
    { id: "pay-a" as Denial.Denial["payerId"], name: payerNames[0] },
    { id: "pay-b" as Denial.Denial["payerId"], name: payerNames[1] }
  ],
  asOf: today
})
// An empty store: the detail finds no remittance for these claims.
const bare = BillingRuntime.make(InMemoryStore.layer)
afterAll(() => bare.dispose())

describe("DenialWorkqueue with host data", () => {
  it("renders the rows as a grid with its row count and indexes, in queue order", () => {
    render(
      <BillingProvider runtime={bare} caller={caller}>
        <DenialWorkqueue.Root data={data(5)} />
      </BillingProvider>
    )
    expect(grid()?.getAttribute("aria-rowcount")).toBe("6")
    const rows = bodyRows()
    expect(rows).toHaveLength(5)
    expect(rows.map((row) => row.getAttribute("aria-rowindex"))).toEqual(["2", "3", "4", "5", "6"])
    expect(within(rows[0] as HTMLElement).getByRole("button", { name: /CO-16 on claim clm-1/ })).toBeTruthy()
    expect(screen.getByText("Showing 5 of 5 denials")).toBeTruthy()
  })

  it("sorts by a column header (amount: largest first, then smallest) and says so with aria-sort", async () => {
    render(
      <BillingProvider runtime={bare} caller={caller}>
        <DenialWorkqueue.Root data={data(5)} />
      </BillingProvider>
    )
    const amount = screen.getByRole("button", { name: "Sort by Amount" })
    await userEvent.click(amount)
    expect(amount.closest("th")?.getAttribute("aria-sort")).toBe("descending")
    expect(bodyRows()[0]?.textContent).toContain("clm-5")
    // The priority column keeps the queue's rank whatever the sort.
    expect(bodyRows()[0]?.querySelector("td[data-column=priority]")?.textContent).toBe("5")
    await userEvent.click(amount)
    expect(amount.closest("th")?.getAttribute("aria-sort")).toBe("ascending")
    expect(bodyRows()[0]?.textContent).toContain("clm-1")
  })

  it("filters by payer, category, age and minimum amount", async () => {
    render(
      <BillingProvider runtime={bare} caller={caller}>
        <DenialWorkqueue.Root data={data(6)} />
      </BillingProvider>
    )
    await userEvent.selectOptions(screen.getByLabelText("Payer"), "Acme")
    expect(bodyRows().map((row) => row.textContent?.match(/clm-\d/)?.[0])).toEqual(["clm-2", "clm-4", "clm-6"])
    await userEvent.selectOptions(screen.getByLabelText("Category"), "Authorization")
    expect(bodyRows().map((row) => row.textContent?.match(/clm-\d/)?.[0])).toEqual(["clm-6"])
    await userEvent.click(screen.getByRole("button", { name: "Clear filters" }))
    // Received 2026-07-01 is 138 days before the 16th of November: the odd ones.
    await userEvent.selectOptions(screen.getByLabelText("Age"), "91+ days")
    expect(bodyRows()).toHaveLength(3)
    await userEvent.type(screen.getByLabelText("Minimum amount ($)"), "40")
    expect(bodyRows().map((row) => row.textContent?.match(/clm-\d/)?.[0])).toEqual(["clm-5"])
    expect(screen.getByText("Showing 1 of 6 denials")).toBeTruthy()
  })

  it("selects uncontrolled: a checkbox, Space on a row, select all shown", async () => {
    render(
      <BillingProvider runtime={bare} caller={caller}>
        <DenialWorkqueue.Root data={data(4)} />
      </BillingProvider>
    )
    await userEvent.click(screen.getByRole("checkbox", { name: "Select CO-16 on claim clm-1" }))
    expect(screen.getByText("1 selected")).toBeTruthy()
    expect(bodyRows()[0]?.getAttribute("aria-selected")).toBe("true")
    const second = bodyRows()[1] as HTMLElement
    act(() => second.focus())
    await userEvent.keyboard(" ")
    expect(screen.getByText("2 selected")).toBeTruthy()
    await userEvent.keyboard("{ArrowDown} ")
    expect(bodyRows()[2]?.getAttribute("aria-selected")).toBe("true")
    expect(document.activeElement).toBe(bodyRows()[2])
    await userEvent.click(screen.getByRole("checkbox", { name: "Select all shown denials" }))
    expect(screen.getByText("4 selected")).toBeTruthy()
    await userEvent.click(screen.getByRole("checkbox", { name: "Select all shown denials" }))
    expect(screen.getByText("0 selected")).toBeTruthy()
  })

  it("selects controlled: reports the change and shows only what the host passes", async () => {
    const onSelectionChange = vi.fn()
    const { rerender } = render(
      <BillingProvider runtime={bare} caller={caller}>
        <DenialWorkqueue.Root data={data(3)} selection={[]} onSelectionChange={onSelectionChange} />
      </BillingProvider>
    )
    await userEvent.click(screen.getByRole("checkbox", { name: "Select CO-16 on claim clm-1" }))
    expect(onSelectionChange).toHaveBeenCalledWith(["den-1"])
    expect(screen.getByText("0 selected")).toBeTruthy()
    rerender(
      <BillingProvider runtime={bare} caller={caller}>
        <DenialWorkqueue.Root
          data={data(3)}
          selection={["den-2" as Denial.DenialId]}
          onSelectionChange={onSelectionChange}
        />
      </BillingProvider>
    )
    expect(screen.getByText("1 selected")).toBeTruthy()
    expect(bodyRows()[1]?.getAttribute("aria-selected")).toBe("true")
  })

  it("opens the detail with Enter (the codes' meaning, the recommended action) and closes it with Escape", async () => {
    render(
      <BillingProvider runtime={bare} caller={caller}>
        <DenialWorkqueue.Root data={data(3)} />
      </BillingProvider>
    )
    const third = bodyRows()[2] as HTMLElement
    act(() => third.focus())
    await userEvent.keyboard("{Enter}")
    const detail = screen.getByRole("region", { name: "CO-197 on claim clm-3" })
    expect(document.activeElement).toBe(within(detail).getByRole("heading", { name: "CO-197 on claim clm-3" }))
    expect(detail.textContent).toMatch(/precertification|authorization/i)
    expect(within(detail).getByText("Appeal")).toBeTruthy()
    await userEvent.keyboard("{Escape}")
    expect(screen.queryByRole("region", { name: "CO-197 on claim clm-3" })).toBeNull()
    expect(document.activeElement).toBe(bodyRows()[2])
  })

  it("takes sorting, filters and the open detail controlled", async () => {
    const onSortingChange = vi.fn()
    const onFiltersChange = vi.fn()
    render(
      <BillingProvider runtime={bare} caller={caller}>
        <DenialWorkqueue.Root
          data={data(4)}
          sorting={[{ column: "amount", descending: true }]}
          onSortingChange={onSortingChange}
          filters={{ payerId: "pay-b" as Denial.Denial["payerId"] }}
          onFiltersChange={onFiltersChange}
          detail={"den-1" as Denial.DenialId}
        />
      </BillingProvider>
    )
    expect(bodyRows().map((row) => row.textContent?.match(/clm-\d/)?.[0])).toEqual(["clm-3", "clm-1"])
    expect(screen.getByRole("region", { name: "CO-16 on claim clm-1" })).toBeTruthy()
    await userEvent.click(screen.getByRole("button", { name: "Sort by Amount" }))
    expect(onSortingChange).toHaveBeenCalledWith([{ column: "amount", descending: false }])
    await userEvent.selectOptions(screen.getByLabelText("Category"), "Authorization")
    expect(onFiltersChange).toHaveBeenCalledWith(
      expect.objectContaining({ payerId: "pay-b", category: "authorization" })
    )
    expect(bodyRows()).toHaveLength(2)
  })

  it("virtualizes: only the rows near the viewport exist, aria-rowcount counts them all", () => {
    render(
      <BillingProvider runtime={bare} caller={caller}>
        <DenialWorkqueue.Root data={data(2000)}>
          <DenialWorkqueue.Table overscan={5} />
        </DenialWorkqueue.Root>
      </BillingProvider>
    )
    expect(grid()?.getAttribute("aria-rowcount")).toBe("2001")
    const rendered = bodyRows().filter((row) => !row.hasAttribute("aria-hidden"))
    expect(rendered.length).toBeGreaterThan(0)
    expect(rendered.length).toBeLessThan(100)
  })
})

describe("DenialWorkqueue on the seeded practice", () => {
  it("loads the queue, then writes off two denials and reports each one", { timeout: 60_000 }, async () => {
    const onBulkReport = vi.fn()
    render(
      <BillingProvider runtime={seeded()} caller={caller}>
        <DenialWorkqueue.Root asOf={today} onBulkReport={onBulkReport} />
      </BillingProvider>
    )
    expect(screen.getByRole("status").textContent).toBe("Loading denials…")
    const rows = await loaded()
    expect(rows.length).toBeGreaterThan(1)
    const open = rows.filter((row) => row.getAttribute("data-denial-status") !== "written-off").slice(0, 2)
    for (const row of open) await userEvent.click(within(row).getByRole("checkbox"))
    await userEvent.type(screen.getByLabelText("Reason (appeal, write off)"), "small balance")
    await userEvent.click(screen.getByRole("button", { name: "Write off" }))
    const report = await screen.findByRole("region", { name: "Bulk action report" }, { timeout: 20_000 })
    const items = within(report).getAllByRole("listitem")
    expect(items).toHaveLength(2)
    for (const item of items) {
      expect(item?.getAttribute("data-outcome")).toBe("done")
      expect(item.textContent).toMatch(/balance reduced by/)
    }
    expect(onBulkReport).toHaveBeenCalledWith(expect.objectContaining({ action: "WriteOff" }))
    // The rows show the new status without a reload.
    const written = bodyRows().filter((row) => row.getAttribute("data-denial-status") === "written-off")
    expect(written.length).toBeGreaterThanOrEqual(2)
    // Writing the same ones off again is skipped, each with its reason.
    await userEvent.click(screen.getByRole("button", { name: "Write off" }))
    await waitFor(() =>
      expect(
        within(screen.getByRole("region", { name: "Bulk action report" }))
          .getAllByRole("listitem")
          .map((item) => item.getAttribute("data-outcome"))
      ).toEqual(["skipped", "skipped"])
    )
    expect(screen.getByText("0 done, 2 skipped, 0 failed")).toBeTruthy()
  })

  it("shows the remittance that posted to the denial's claim in the detail", { timeout: 60_000 }, async () => {
    render(
      <BillingProvider runtime={seeded()} caller={caller}>
        <DenialWorkqueue.Root asOf={today} />
      </BillingProvider>
    )
    const rows = await loaded()
    act(() => (rows[0] as HTMLElement).focus())
    await userEvent.keyboard("{Enter}")
    const detail = screen.getByRole("region", { name: /on claim/ })
    const remittance = await within(detail).findByRole("table", { name: "Amounts posted to the claim" })
    expect(within(remittance).getAllByRole("row").length).toBeGreaterThan(1)
    expect(detail.textContent).toMatch(/Trace /)

    // A note (Billing.noteDenial) shows at once, in the detail and the row's data.
    await userEvent.type(within(detail).getByLabelText("Note"), "called the payer, ref 42")
    await userEvent.click(within(detail).getByRole("button", { name: "Add note" }))
    await within(detail).findByText("called the payer, ref 42", {}, { timeout: 10_000 })
    await waitFor(() => expect((within(detail).getByLabelText("Note") as HTMLTextAreaElement).value).toBe(""))
    // Taking it (Billing.assignDenial) puts the caller as its assignee.
    await userEvent.click(within(detail).getByRole("button", { name: "Assign to me" }))
    await waitFor(() => expect(within(detail).queryByRole("button", { name: "Assign to me" })).toBeNull())
    expect(detail.textContent).toContain("user:biller-1")
    // The appeal letter (Billing.appealPacket), as text.
    await userEvent.click(within(detail).getByRole("button", { name: "Prepare the appeal letter" }))
    const letter = await within(detail).findByText(/Request for reconsideration of claim/, {}, { timeout: 10_000 })
    expect(letter.closest("[data-slot=appeal-letter]")?.textContent).toMatch(/^Appeal letter/)
  })

  it.each([
    ["a retryable error with Try again", new Store.Unavailable({ detail: "down" }), true],
    ["a final error without", new Store.Corrupt({ entity: "denial", detail: "seal broken" }), false]
  ] as const)("shows %s", async (_, reason, retryable) => {
    render(
      <BillingProvider runtime={failing(new Store.StoreError({ reason }))} caller={caller}>
        <DenialWorkqueue.Root />
      </BillingProvider>
    )
    const alert = await screen.findByRole("alert")
    expect(alert?.getAttribute("data-retryable")).toBe(String(retryable))
    expect(within(alert).queryByRole("button", { name: "Try again" }) !== null).toBe(retryable)
    expect(screen.queryByRole("grid")).toBeNull()
  })
})

describe("loadWorkqueue", () => {
  it("loads every page of the queue in priority order and reports progress between pages", {
    timeout: 60_000
  }, async () => {
    const runtime = BillingRuntime.make(DemoPractice.layer({ today, denials: 2500 }))
    runtimes.push(runtime)
    const progress: Array<number> = []
    const data = await runtime.runPromise(
      loadWorkqueue({ asOf: today, onProgress: (n) => progress.push(n) }).pipe(
        Effect.provideService(Caller.Caller, caller)
      )
    )
    expect(data.denials.length).toBeGreaterThan(2500)
    expect(progress).toEqual([1000, 2000])
    const priorities = data.denials.map((d) => d.priority)
    expect(priorities).toEqual([...priorities].sort((a, b) => b - a))
    expect(data.payers.map((p) => p.id)).toContain(DemoPractice.ids.payers.medicare)
    expect(data.asOf).toBe(today)
  })
})

describe("payer text is rendered as text", () => {
  it.each(xssPayloads)("in cells, filters and the detail: %s", async (payload) => {
    const { container } = render(
      <BillingProvider runtime={bare} caller={caller}>
        <DenialWorkqueue.Root
          data={{
            ...data(2, [payload, payload]),
            denials: [denial(1, { notes: [{ at: 0 as never, actor: "user:1", text: payload }] }), denial(2)]
          }}
          defaultDetail={"den-1" as Denial.DenialId}
        />
      </BillingProvider>
    )
    const payerCells = Array.from(grid().querySelectorAll("td[data-column=payer]"))
    expect(payerCells.map((cell) => cell.textContent?.includes(payload.slice(1, 12)))).toEqual([true, true])
    expect(screen.getByRole("region", { name: "CO-16 on claim clm-1" }).textContent).toContain(payload.slice(1, 10))
    assertRenderedAsText(container)
  })
})
