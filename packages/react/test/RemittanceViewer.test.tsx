import {
  BillingRuntime,
  Caller,
  DateOfService,
  DenialCatalog,
  type Ids,
  Money,
  type RemittanceAdvice,
  Store
} from "@openrcm/core"
import { DemoPractice, InMemoryStore } from "@openrcm/core/testing"
import { BillingProvider, RemittanceViewer } from "@openrcm/react"
import { render, screen, waitFor, within } from "@testing-library/react"
import { userEvent } from "@testing-library/user-event"
import { Effect, Layer, Option } from "effect"
import { useState } from "react"
import { afterAll, describe, expect, it } from "vitest"
import { assertRenderedAsText, xssPayloads } from "./support/xss.js"

const caller: Caller.CallerInfo = { ...DemoPractice.caller, actor: "user:biller-1", purpose: "payment" }
const runtimes: Array<BillingRuntime.BillingRuntime<Store.Store, never>> = []
const seeded = () => {
  const runtime = BillingRuntime.make(DemoPractice.layer({ today: DateOfService.make("2026-11-16") }))
  runtimes.push(runtime)
  return runtime
}
afterAll(async () => {
  await Promise.all(runtimes.map((runtime) => runtime.dispose()))
})

const $ = Money.cents
const day = DateOfService.make

/** An 835 with a paid claim (CO-45, PR-3 on its line), a denied one (CO-197, N211) and an overpayment recovery. */
const advice = (change: Partial<RemittanceAdvice.RemittanceAdvice> = {}): RemittanceAdvice.RemittanceAdvice => ({
  contentHash: "a".repeat(64),
  payer: { name: "Acme Health", id: "ACME1" },
  payee: { name: "Demo Practice", npi: "1234567893" },
  payment: { handling: "I", method: "ACH", amount: $(9000), date: day("2026-11-10"), traceNumber: "EFT-0001" },
  claims: [
    {
      patientControlNumber: "CLAIM-1",
      status: "1",
      charge: $(15000),
      paid: $(9500),
      patientResponsibility: $(2000),
      payerClaimNumber: "PCN-77",
      adjustments: [],
      remarks: [],
      lines: [
        {
          procedure: { code: "90834", modifiers: ["95"] },
          charge: $(15000),
          paid: $(9500),
          units: 1,
          dateOfService: day("2026-11-01"),
          adjustments: [
            { group: "CO", reason: "45", amount: $(3500) },
            { group: "PR", reason: "3", amount: $(2000) }
          ],
          remarks: []
        }
      ]
    },
    {
      patientControlNumber: "CLAIM-2",
      status: "4",
      charge: $(15000),
      paid: $(0),
      adjustments: [{ group: "CO", reason: "197", amount: $(15000) }],
      remarks: ["N211"],
      lines: []
    }
  ],
  providerAdjustments: [{ reason: "WO", reference: "OVERPAY-9", amount: $(500) }],
  ...change
})

const emptyRuntime = BillingRuntime.make(InMemoryStore.layer)
afterAll(() => emptyRuntime.dispose())

const renderViewer = (props: RemittanceViewer.RootProps, runtime = emptyRuntime) =>
  render(
    <BillingProvider runtime={runtime} caller={caller}>
      <RemittanceViewer.Root {...props} />
    </BillingProvider>
  )

const claimsTable = () => screen.getByRole("table", { name: /^Claims/ })
const rowOf = (claim: string) =>
  screen.getByRole("button", { name: new RegExp(`^${claim}`) }).closest("tr") as HTMLElement

/** A host that keeps which claims are open. */
function ControlledHost({ changes }: { readonly changes: Array<ReadonlyArray<string>> }) {
  const [expanded, setExpanded] = useState<ReadonlyArray<string>>(["1:CLAIM-2"])
  return (
    <BillingProvider runtime={emptyRuntime} caller={caller}>
      <RemittanceViewer.Root
        advice={advice()}
        expanded={expanded}
        onExpandedChange={(next) => {
          changes.push(next)
          setExpanded(next)
        }}
      />
    </BillingProvider>
  )
}

describe("RemittanceViewer", () => {
  it("shows the payment: payer, payee, EFT, amount, date and trace number", () => {
    renderViewer({ advice: advice() })
    const payment = screen.getByRole("region", { name: "Remittance" })
    expect(payment.getAttribute("data-state")).toBe("ready")
    expect(payment.getAttribute("data-balanced")).toBe("true")
    const text = payment.textContent ?? ""
    for (const expected of ["Acme Health", "Demo Practice (NPI 1234567893)", "EFT (ACH)", "$90.00", "2026-11-10"])
      expect(text).toContain(expected)
    expect(screen.getByText("EFT trace number").nextElementSibling?.textContent).toBe("EFT-0001")
  })

  it("says 'check number' for a check", () => {
    renderViewer({ advice: advice({ payment: { ...advice().payment, method: "CHK", traceNumber: "10442" } }) })
    expect(screen.getByText("Check number").nextElementSibling?.textContent).toBe("10442")
  })

  it("lists each claim with billed, paid and adjustments by group, and totals", () => {
    renderViewer({ advice: advice() })
    const paid = rowOf("CLAIM-1")
    const cells = within(paid)
      .getAllByRole("cell")
      .map((cell) => cell.textContent)
    expect(cells).toEqual(["Processed as primary", "$150.00", "$95.00", "$35.00", "$20.00", "", ""])
    const denied = rowOf("CLAIM-2")
    expect(
      within(denied)
        .getAllByRole("cell")
        .map((cell) => cell.textContent)
    ).toEqual(["Denied", "$150.00", "$0.00", "$150.00", "", "", ""])
    const totals = within(claimsTable()).getByRole("row", { name: /^Total/ })
    expect(
      within(totals)
        .getAllByRole("cell")
        .map((cell) => cell.textContent)
    ).toEqual(["$300.00", "$95.00", "$185.00", "$20.00", "", ""])
  })

  it("opens a claim to its lines, adjustments with the CARC's meaning, and remarks with the RARC's (uncontrolled)", async () => {
    renderViewer({ advice: advice() })
    const toggle = screen.getByRole("button", { name: /^CLAIM-1/ })
    expect(toggle.getAttribute("aria-expanded")).toBe("false")
    toggle.focus()
    await userEvent.keyboard("{Enter}")
    expect(toggle.getAttribute("aria-expanded")).toBe("true")
    const lines = screen.getByRole("table", { name: "Service lines of claim CLAIM-1" })
    const line = within(lines).getByRole("row", { name: /90834:95/ })
    const co45 = Option.getOrThrow(DenialCatalog.carc("45")).description
    expect(line.textContent).toContain("CO-45")
    expect(line.textContent).toContain(co45)
    expect(line.textContent).toContain("PR-3")
    expect(screen.getByText("Payer claim number: PCN-77")).toBeTruthy()

    await userEvent.click(screen.getByRole("button", { name: /^CLAIM-2/ }))
    const n211 = Option.getOrThrow(DenialCatalog.rarc("N211")).description
    const detail = document.getElementById(
      screen.getByRole("button", { name: /^CLAIM-2/ }).getAttribute("aria-controls") ?? ""
    )
    expect(detail?.textContent).toContain("CO-197")
    expect(detail?.textContent).toContain(n211)
  })

  it("opens the claims the host says (controlled), asking it for each change", async () => {
    const changes: Array<ReadonlyArray<string>> = []
    render(<ControlledHost changes={changes} />)
    expect(screen.getByRole("button", { name: /^CLAIM-2/ }).getAttribute("aria-expanded")).toBe("true")
    await userEvent.click(screen.getByRole("button", { name: /^CLAIM-1/ }))
    expect(changes).toEqual([["1:CLAIM-2", "0:CLAIM-1"]])
    expect(screen.getByRole("button", { name: /^CLAIM-1/ }).getAttribute("aria-expanded")).toBe("true")
  })

  it("shows a page of claims at a time, with totals over all of them", async () => {
    render(
      <BillingProvider runtime={emptyRuntime} caller={caller}>
        <RemittanceViewer.Root advice={advice()}>
          <RemittanceViewer.Claims pageSize={1} />
        </RemittanceViewer.Root>
      </BillingProvider>
    )
    expect(screen.getByRole("table", { name: "Claims (2)" })).toBeTruthy()
    expect(screen.queryByRole("button", { name: /^CLAIM-2/ })).toBeNull()
    const totals = within(claimsTable()).getByRole("row", { name: /^Total/ })
    expect(within(totals).getAllByRole("cell")[0]?.textContent).toBe("$300.00")
    await userEvent.click(screen.getByRole("button", { name: "Show 1 more claims (1 not shown)" }))
    expect(screen.getByRole("button", { name: /^CLAIM-2/ })).toBeTruthy()
    expect(screen.queryByRole("button", { name: /more claims/ })).toBeNull()
  })

  it("shows provider-level adjustments (PLB)", () => {
    renderViewer({ advice: advice() })
    const plb = screen.getByRole("table", { name: "Provider-level adjustments" })
    const row = within(plb).getByRole("row", { name: /WO/ })
    expect(row.textContent).toContain("Overpayment recovery")
    expect(row.textContent).toContain("OVERPAY-9")
    expect(row.textContent).toContain("$5.00")
  })

  it("reports what does not balance, claim and transaction, with the difference", () => {
    const unbalanced = advice()
    const [first, second] = unbalanced.claims
    renderViewer({
      advice: {
        ...unbalanced,
        claims: [
          { ...(first as RemittanceAdvice.ClaimPayment), paid: $(9600) },
          second as RemittanceAdvice.ClaimPayment
        ]
      }
    })
    expect(screen.getByRole("region", { name: "Remittance" }).getAttribute("data-balanced")).toBe("false")
    const problems = within(screen.getByRole("region", { name: "Balancing problems" })).getAllByRole("listitem")
    const text = problems.map((p) => p.textContent).join("\n")
    expect(text).toContain("Claim CLAIM-1: billed less adjustments differs from paid by -$1.00")
    expect(text).toContain("differ from the payment by $1.00")
    expect(rowOf("CLAIM-1").textContent).toContain("does not balance")
  })

  it("shows what posting did: an unmatched claim, then a duplicate 835", async () => {
    const runtime = seeded()
    const unknown = advice({
      contentHash: "b".repeat(64),
      claims: [{ ...(advice().claims[1] as RemittanceAdvice.ClaimPayment), patientControlNumber: "NOT-OURS-1" }],
      payment: { ...advice().payment, amount: $(-500) }
    })
    const report = await runtime.postRemittance(caller, unknown)
    const { unmount } = renderViewer({ advice: unknown, report }, runtime)
    expect(rowOf("NOT-OURS-1").textContent).toContain("not matched to a claim")
    expect(rowOf("NOT-OURS-1").getAttribute("data-match")).toBe("unmatched")
    unmount()
    const again = await runtime.postRemittance(caller, unknown)
    renderViewer({ advice: unknown, report: again }, runtime)
    expect(screen.getByText("Posted before: this copy changed nothing.")).toBeTruthy()
  })

  it("loads a posted remittance from the store by id", async () => {
    const runtime = seeded()
    const remittance = await runtime.runPromise(
      Effect.gen(function* () {
        const store = yield* Store.Store
        const page = yield* store.remittances.list({ limit: 100 })
        const paid = page.items.find((r) => r.paymentAmount > 0)
        if (paid === undefined) throw new Error("the demo has no paid remittance")
        return paid
      }).pipe(Effect.provideService(Caller.Caller, DemoPractice.caller))
    )
    renderViewer({ remittanceId: remittance.id }, runtime)
    await waitFor(() =>
      expect(screen.getByRole("region", { name: "Remittance" }).getAttribute("data-source")).toBe("posted")
    )
    expect(screen.getByText(remittance.traceNumber)).toBeTruthy()
    const totals = within(claimsTable()).getByRole("row", { name: /^Total/ })
    expect(within(totals).getAllByRole("cell")[1]?.textContent).toBe(Money.format(remittance.paymentAmount))
    expect(screen.getByRole("region", { name: "Remittance" }).textContent).toMatch(/Acme|Medicare|Medicaid/)
  })

  it("shows the empty state for an id the store does not have", async () => {
    renderViewer({ remittanceId: "R0" as Ids.RemittanceId })
    expect((await screen.findByText("There is no remittance to show.")).getAttribute("data-state")).toBe("empty")
  })

  it("shows a retryable store error with a retry button", async () => {
    const error = new Store.StoreError({ reason: new Store.Unavailable({ detail: "down" }) })
    const method = new Proxy(() => Effect.fail(error), { get: () => () => Effect.fail(error) })
    const store = new Proxy({} as Store.StoreShape, {
      get: (_, key) => (key === "transaction" ? () => Effect.fail(error) : new Proxy({}, { get: () => method }))
    })
    const runtime = BillingRuntime.make(Layer.succeed(Store.Store, store))
    renderViewer({ remittanceId: "R0" as Ids.RemittanceId }, runtime as never)
    const alert = await screen.findByRole("alert")
    expect(alert.textContent).toContain("Billing data is unavailable right now")
    expect(within(alert).getByRole("button", { name: "Try again" })).toBeTruthy()
    await runtime.dispose()
  })

  it.each(xssPayloads)("renders payer text as text: %s", async (payload) => {
    const base = advice()
    const first = base.claims[0] as RemittanceAdvice.ClaimPayment
    const line = first.lines[0] as RemittanceAdvice.ServiceLine
    const hostile = advice({
      payer: { name: payload },
      payee: { name: payload, npi: payload },
      payment: { ...base.payment, traceNumber: payload, method: payload },
      claims: [
        {
          ...first,
          patientControlNumber: payload,
          payerClaimNumber: payload,
          status: payload,
          remarks: [payload],
          adjustments: [{ group: payload, reason: payload, amount: $(0) }],
          lines: [
            {
              ...line,
              procedure: { code: payload, modifiers: [payload] },
              remarks: [payload],
              adjustments: [...line.adjustments, { group: "CO", reason: payload, amount: $(0) }]
            }
          ]
        }
      ],
      providerAdjustments: [{ reason: payload, reference: payload, amount: $(500) }]
    })
    const { container } = renderViewer({ advice: hostile, defaultExpanded: [`0:${payload}`] })
    expect(screen.getByRole("table", { name: /^Service lines of claim/ })).toBeTruthy()
    expect(container.textContent).toContain(payload.replace("\u0000", "\uFFFD").slice(1, 10))
    assertRenderedAsText(container)
  })
})
