import { DateOfService, Money, type RemittanceAdvice, Store } from "@openrcm/core"
import { BillingProvider, RemittanceViewer, useBillingEffect } from "@openrcm/react"
import type { Meta, StoryObj } from "@storybook/react-vite"
import { Effect } from "effect"
import type { ReactNode } from "react"
import { expect, userEvent, waitFor, within } from "storybook/test"
import { caller, corrupt, empty, failing, pending, seeded, unavailable } from "./support/runtimes.js"

const demo = seeded()
const loading = pending()
const nothing = empty()
const down = failing(unavailable)
const broken = failing(corrupt)
const noSuchRemittance = "R0000000000000000" as Parameters<typeof RemittanceViewer.Root>[0]["remittanceId"]

const $ = Money.cents
const day = DateOfService.make
const codes = ["90834", "90837", "90832", "90847", "99214"] as const

/**
 * A synthetic 835 from the demo's payer: `count` claims, most paid with CO-45 and a copay (PR-3), every seventh
 * denied (CO-197 on its line, N211 on the claim), every eleventh with a deductible (PR-1); an overpayment recovery (PLB WO)
 * and interest (L6). It balances unless `unbalanced`.
 */
const sampleAdvice = (count: number, unbalanced = false): RemittanceAdvice.RemittanceAdvice => {
  const claims = Array.from({ length: count }, (_, i): RemittanceAdvice.ClaimPayment => {
    const charge = $(15000 + (i % 5) * 1000)
    const code = codes[i % codes.length] as string
    const date = DateOfService.addDays(day("2026-10-01"), i % 40)
    if (i % 7 === 6) {
      return {
        patientControlNumber: `C${(100000 + i).toString(16).padStart(16, "0")}`,
        status: "4",
        charge,
        paid: $(0),
        payerClaimNumber: `ACME${2600000 + i}`,
        adjustments: [],
        remarks: ["N211"],
        lines: [
          {
            procedure: { code, modifiers: [] },
            charge,
            paid: $(0),
            units: 1,
            dateOfService: date,
            adjustments: [{ group: "CO", reason: "197", amount: charge }],
            remarks: []
          }
        ]
      }
    }
    const contractual = $(3500)
    const patient =
      i % 11 === 10 ? { group: "PR", reason: "1", amount: $(5000) } : { group: "PR", reason: "3", amount: $(2000) }
    const paid = Money.subtract(Money.subtract(charge, contractual), patient.amount)
    return {
      patientControlNumber: `C${(100000 + i).toString(16).padStart(16, "0")}`,
      status: "1",
      charge,
      paid: unbalanced && i === 0 ? Money.add(paid, $(100)) : paid,
      patientResponsibility: patient.amount,
      payerClaimNumber: `ACME${2600000 + i}`,
      adjustments: [],
      remarks: [],
      lines: [
        {
          procedure: { code, modifiers: i % 3 === 0 ? ["95"] : [] },
          charge,
          paid,
          units: 1,
          dateOfService: date,
          adjustments: [{ group: "CO", reason: "45", amount: contractual }, patient],
          remarks: i % 3 === 0 ? ["M80"] : []
        }
      ]
    }
  })
  const plb = [
    { reason: "WO", reference: "OVERPAY-2026-0042", amount: $(2500) },
    { reason: "L6", reference: "INTEREST", amount: $(-137) }
  ]
  const amount = Money.subtract(Money.sum(claims.map((c) => c.paid)), Money.sum(plb.map((p) => p.amount)))
  return {
    contentHash: count.toString(16).padStart(64, "0"),
    payer: { name: "Acme Health Plan", id: "ACME1" },
    payee: { name: "Demo Behavioral Health", npi: "1234567893" },
    payment: {
      handling: "I",
      method: "ACH",
      amount: unbalanced ? amount : amount,
      date: day("2026-11-10"),
      traceNumber: `EFT${1000 + count}`
    },
    claims,
    providerAdjustments: plb
  }
}

const small = sampleAdvice(8)
const large = sampleAdvice(500)
const unbalanced = sampleAdvice(3, true)

/** The demo's first paid remittance, as posted. */
function DemoRemittance({ children }: { readonly children: (id: NonNullable<typeof noSuchRemittance>) => ReactNode }) {
  const found = useBillingEffect(
    () =>
      Effect.gen(function* () {
        const store = yield* Store.Store
        const page = yield* store.remittances.list({ limit: 100 })
        return (
          page.items.find((r) => r.paymentAmount > 0 && r.claimCount > 1) ?? page.items.find((r) => r.paymentAmount > 0)
        )
      }),
    []
  )
  return found._tag === "Success" && found.value !== undefined ? children(found.value.id) : null
}

const meta = {
  title: "Components/RemittanceViewer",
  parameters: { controls: { disable: true } }
} satisfies Meta

export default meta
type Story = StoryObj<typeof meta>

/** A posted remittance is still loading. */
export const Loading: Story = {
  render: () => (
    <BillingProvider runtime={loading} caller={caller}>
      <RemittanceViewer.Root remittanceId={noSuchRemittance} />
    </BillingProvider>
  ),
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await expect(await canvas.findByText("Loading the remittance…")).toBeInTheDocument()
    await expect(canvas.getByRole("region", { name: "Remittance" })).toHaveAttribute("data-state", "loading")
  }
}

/** No remittance with that id. */
export const Empty: Story = {
  render: () => (
    <BillingProvider runtime={nothing} caller={caller}>
      <RemittanceViewer.Root remittanceId={noSuchRemittance} />
    </BillingProvider>
  ),
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await expect(await canvas.findByText("There is no remittance to show.")).toBeInTheDocument()
  }
}

/** The store is down for a moment: try again. */
export const RetryableError: Story = {
  render: () => (
    <BillingProvider runtime={down} caller={caller}>
      <RemittanceViewer.Root remittanceId={noSuchRemittance} />
    </BillingProvider>
  ),
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    const alert = await canvas.findByRole("alert")
    await expect(alert).toHaveTextContent("Billing data is unavailable right now")
    await expect(within(alert).getByRole("button", { name: "Try again" })).toBeEnabled()
  }
}

/** A stored record cannot be read: no retry. */
export const FinalError: Story = {
  render: () => (
    <BillingProvider runtime={broken} caller={caller}>
      <RemittanceViewer.Root remittanceId={noSuchRemittance} />
    </BillingProvider>
  ),
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    const alert = await canvas.findByRole("alert")
    await expect(alert).toHaveTextContent("could not be read")
    await expect(within(alert).queryByRole("button")).toBeNull()
  }
}

/** A remittance the demo practice posted, read back from the store: payments and adjustments as posted. */
export const Posted: Story = {
  render: () => (
    <BillingProvider runtime={demo} caller={caller}>
      <DemoRemittance>{(id) => <RemittanceViewer.Root remittanceId={id} />}</DemoRemittance>
    </BillingProvider>
  ),
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await waitFor(() =>
      expect(canvas.getByRole("region", { name: "Remittance" })).toHaveAttribute("data-state", "ready")
    )
    await expect(canvas.getByText(/^DEMO-/)).toBeInTheDocument()
    await expect(canvas.getByRole("table", { name: /^Claims/ })).toBeInTheDocument()
  }
}

/** An 835 as read: paid and denied claims, CARC and RARC meanings, PLB; a claim opened to its lines. */
export const Advice: Story = {
  render: () => (
    <BillingProvider runtime={demo} caller={caller}>
      <RemittanceViewer.Root advice={small} />
    </BillingProvider>
  ),
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await expect(canvas.getByRole("region", { name: "Remittance" })).toHaveAttribute("data-balanced", "true")
    await expect(canvas.getByText("EFT1008")).toBeInTheDocument()
    const denied = canvas.getByRole("button", { name: /^C00000000000186a6/ })
    await userEvent.click(denied)
    await expect(denied).toHaveAttribute("aria-expanded", "true")
    await expect(canvas.getByText("CO-197")).toBeInTheDocument()
    await expect(canvas.getByText("N211")).toBeInTheDocument()
    await expect(canvas.getByRole("table", { name: "Provider-level adjustments" })).toHaveTextContent(
      "Overpayment recovery"
    )
  }
}

/** A claim whose payment does not add up: held back from posting, and the transaction is off by the same. */
export const Unbalanced: Story = {
  render: () => (
    <BillingProvider runtime={demo} caller={caller}>
      <RemittanceViewer.Root advice={unbalanced} />
    </BillingProvider>
  ),
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await expect(canvas.getByRole("region", { name: "Remittance" })).toHaveAttribute("data-balanced", "false")
    await expect(canvas.getByRole("region", { name: "Balancing problems" })).toHaveTextContent(
      "billed less adjustments differs from paid by -$1.00"
    )
  }
}

/** Five hundred claims in one 835: totals over all, shown a hundred at a time. */
export const LargeRemittance: Story = {
  render: () => (
    <BillingProvider runtime={demo} caller={caller}>
      <RemittanceViewer.Root advice={large} />
    </BillingProvider>
  ),
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await expect(await canvas.findByText("Claims (500)")).toBeInTheDocument()
    // Totals cover every claim; the table shows a hundred at a time.
    await expect(canvasElement.querySelectorAll("[data-slot=claim]")).toHaveLength(100)
    await userEvent.click(canvas.getByRole("button", { name: "Show 100 more claims (400 not shown)" }))
    await waitFor(() => expect(canvasElement.querySelectorAll("[data-slot=claim]")).toHaveLength(200))
  }
}
