import { BillingRuntime, DateOfService, Eligibility, Money } from "@openrcm/core"
import { InMemoryClearinghouse, SeededPlans } from "@openrcm/core/testing"
import {
  BillingProvider,
  benefitsFromEligibility,
  manualClock,
  PatientEstimate,
  usePatientEstimate
} from "@openrcm/react"
import { render, screen, within } from "@testing-library/react"
import { userEvent } from "@testing-library/user-event"
import { Layer, Schema } from "effect"
import { afterEach, describe, expect, it } from "vitest"
import { assertRenderedAsText, xssPayloads } from "./support/xss.js"

const now = Date.UTC(2025, 2, 4, 16)
const runtimes: Array<{ dispose: () => Promise<void> }> = []
afterEach(async () => {
  await Promise.all(runtimes.splice(0).map((r) => r.dispose()))
})

const setup = (options?: InMemoryClearinghouse.Options) => {
  const runtime = BillingRuntime.make(
    Layer.mergeAll(InMemoryClearinghouse.layer(SeededPlans.members, options), manualClock(now).layer)
  )
  runtimes.push(runtime)
  return runtime
}

const day = DateOfService.make("2025-03-04")
const visit = (allowed: number, code = "90834") => [
  { dateOfService: day, lines: [{ code, allowed: Money.cents(allowed) }] }
]

const eligibility = (subscriber: Record<string, string> = {}, payerId = "ACME1") =>
  Schema.decodeUnknownSync(Eligibility.EligibilityRequest)({
    payerId,
    provider: { npi: "1245319599" },
    subscriber: {
      memberId: "ACM100200300",
      firstName: "Jordan",
      lastName: "Rivera",
      dateOfBirth: "1988-04-12",
      ...subscriber
    },
    dateOfService: "2025-03-04",
    serviceTypes: ["MH"]
  })

const region = () => screen.getByRole("region", { name: "Patient estimate" })
const cell = (part: string) => region().querySelector(`[data-part=${part}]`)?.textContent

function Headless() {
  const estimate = usePatientEstimate({
    visits: visit(10_000),
    benefits: { deductibleRemaining: Money.zero, coinsuranceBps: 2000 }
  })
  return (
    <PatientEstimate.Root estimate={estimate}>
      <PatientEstimate.Total />
    </PatientEstimate.Root>
  )
}

describe("PatientEstimate", () => {
  it("splits a session between the deductible, coinsurance and copay, with the reasons", async () => {
    render(
      <BillingProvider runtime={setup()}>
        <PatientEstimate.Root
          visits={visit(20_000)}
          benefits={{
            deductibleRemaining: Money.dollars(50),
            outOfPocketRemaining: Money.dollars(2000),
            coinsuranceBps: 2000,
            copay: Money.dollars(20)
          }}
        />
      </BillingProvider>
    )
    const total = await screen.findByText("Patient owes")
    expect(region().getAttribute("data-state")).toBe("estimated")
    // $50 deductible, 20% of the $150 left = $30, then a $20 copay: $100; the plan pays $100.
    expect(total.parentElement?.textContent).toBe("Patient owes $100.00 Plan pays $100.00 of $200.00")
    expect([cell("deductible"), cell("coinsurance"), cell("copay"), cell("patient"), cell("plan")]).toEqual([
      "$50.00",
      "$30.00",
      "$20.00",
      "$100.00",
      "$100.00"
    ])
    const why = within(screen.getByRole("list", { name: "Why" }))
      .getAllByRole("listitem")
      .map((li) => li.textContent)
    expect(why).toEqual([
      "90834: $50.00 goes to the deductible ($0.00 of it left after).",
      "90834: 20% coinsurance, $30.00.",
      "90834: a $20.00 copay."
    ])
  })

  it("reads the plan from the payer's eligibility answer", async () => {
    render(
      <BillingProvider runtime={setup()}>
        <PatientEstimate.Root visits={visit(11_800)} eligibility={eligibility()} />
      </BillingProvider>
    )
    // $350 of deductible left: the $118 session goes to it.
    expect((await screen.findByText("Patient owes")).parentElement?.textContent).toContain("Patient owes $118.00")
    expect(cell("deductible")).toBe("$118.00")
  })

  it("says when the coverage is inactive instead of estimating", async () => {
    render(
      <BillingProvider runtime={setup()}>
        <PatientEstimate.Root
          visits={visit(11_800)}
          eligibility={eligibility({ memberId: "ACM111222333", lastName: "Chen", dateOfBirth: "2001-11-11" })}
        />
      </BillingProvider>
    )
    expect(await screen.findByText(/The coverage is inactive on this date/)).toBeTruthy()
    expect(region().getAttribute("data-state")).toBe("not-covered")
    expect(screen.queryByRole("table")).toBeNull()
  })

  it("protects a Qualified Medicare Beneficiary and notes Medicare's sequestration", async () => {
    render(
      <BillingProvider runtime={setup()}>
        <PatientEstimate.Root
          visits={visit(10_000)}
          benefits={{
            deductibleRemaining: Money.zero,
            coinsuranceBps: 2000,
            sequestration: true,
            qualifiedMedicareBeneficiary: true
          }}
        />
      </BillingProvider>
    )
    expect((await screen.findByText("Patient owes")).parentElement?.textContent).toContain("Patient owes $0.00")
    const why = screen.getByRole("list", { name: "Why" }).textContent
    expect(why).toContain("$20.00 may not be billed to the patient")
    expect(why).toContain("Medicare withholds $1.60 (2%, CO-253)")
  })

  it("is empty with nothing planned, and shows a clearinghouse failure with a retry", async () => {
    const runtime = setup({ failures: ["unavailable", "unavailable", "unavailable"] })
    const { rerender } = render(
      <BillingProvider runtime={runtime}>
        <PatientEstimate.Root visits={[]} eligibility={eligibility()} />
      </BillingProvider>
    )
    expect(await screen.findByText("No session planned to estimate.")).toBeTruthy()
    rerender(
      <BillingProvider runtime={runtime}>
        <PatientEstimate.Root visits={visit(11_800)} eligibility={eligibility()} />
      </BillingProvider>
    )
    const alert = await screen.findByRole("alert")
    expect(alert.textContent).toContain("The clearinghouse is unavailable right now.")
    await userEvent.click(within(alert).getByRole("button", { name: "Try again" }))
    expect(await screen.findByText("Patient owes")).toBeTruthy()
  })

  it("is headless too", async () => {
    render(
      <BillingProvider runtime={setup()}>
        <Headless />
      </BillingProvider>
    )
    expect((await screen.findByText("Patient owes")).parentElement?.textContent).toContain("$20.00")
    expect(screen.queryByRole("table")).toBeNull()
  })

  it("benefitsFromEligibility counts an unreported deductible as met and keeps the host's design", () => {
    const summary = Eligibility.summarize({
      status: "active",
      benefits: [{ kind: "copay", serviceTypes: ["MH"], network: "in", amount: Money.dollars(25) }],
      rejections: [],
      receivedAt: now
    })
    expect(benefitsFromEligibility(summary, { copayTiming: "before-deductible" })).toEqual({
      copayTiming: "before-deductible",
      deductibleRemaining: Money.zero,
      coinsuranceBps: 0,
      copay: Money.dollars(25)
    })
  })

  it.each(xssPayloads)("renders a line's code %s as text (in the table and the explanation)", async (payload) => {
    const { container } = render(
      <BillingProvider runtime={setup()}>
        <PatientEstimate.Root
          visits={[{ dateOfService: day, lines: [{ code: payload, allowed: Money.cents(10_000) }] }]}
          benefits={{ deductibleRemaining: Money.dollars(10), coinsuranceBps: 2000 }}
        />
      </BillingProvider>
    )
    await screen.findByText("Patient owes")
    expect(container.querySelector("tbody th")?.textContent).toContain(payload.replace("\u0000", "\uFFFD").slice(1, 10))
    assertRenderedAsText(container)
  })
})
