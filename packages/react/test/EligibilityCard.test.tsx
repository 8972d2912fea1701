import { BillingRuntime, Eligibility } from "@openrcm/core"
import { InMemoryClearinghouse, SeededPlans } from "@openrcm/core/testing"
import { BillingProvider, EligibilityCard, manualClock, useEligibility } from "@openrcm/react"
import { render, screen, within } from "@testing-library/react"
import { userEvent } from "@testing-library/user-event"
import { Layer, Schema } from "effect"
import { afterEach, describe, expect, it, vi } from "vitest"
import { assertRenderedAsText, xssPayloads } from "./support/xss.js"

// 10:00 in Chicago on 2025-03-04; the clock's sleep is immediate, so the operation's retries take no time.
const now = Date.UTC(2025, 2, 4, 16)
const runtimes: Array<{ dispose: () => Promise<void> }> = []
afterEach(async () => {
  await Promise.all(runtimes.splice(0).map((r) => r.dispose()))
})

const setup = (
  members: ReadonlyArray<InMemoryClearinghouse.Member> = SeededPlans.members,
  options?: InMemoryClearinghouse.Options
) => {
  const clock = manualClock(now)
  const runtime = BillingRuntime.make(Layer.mergeAll(InMemoryClearinghouse.layer(members, options), clock.layer))
  runtimes.push(runtime)
  return { clock, runtime }
}

const request = (
  subscriber: Partial<Record<"memberId" | "lastName" | "dateOfBirth", string>> = {},
  payerId = "ACME1"
) =>
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

function Mine() {
  const eligibility = useEligibility({ request: request() })
  return (
    <EligibilityCard.Root eligibility={eligibility}>
      <EligibilityCard.Status />
      <output>{eligibility.result._tag === "Success" ? eligibility.result.value?.summary.copay : "…"}</output>
    </EligibilityCard.Root>
  )
}

const card = () => screen.getByRole("region", { name: "Eligibility" })

describe("EligibilityCard", () => {
  it("shows an active plan's cost share, benefits and when it was checked; refresh asks the payer again", async () => {
    const { clock, runtime } = setup()
    render(
      <BillingProvider runtime={runtime}>
        <EligibilityCard.Root request={request()} timeZone="America/Chicago" />
      </BillingProvider>
    )
    expect(card().getAttribute("data-state")).toBe("loading")
    expect(await screen.findByText("Active")).toBeTruthy()
    expect(card().getAttribute("data-state")).toBe("active")
    expect(screen.getByText("Acme Health PPO Gold")).toBeTruthy()
    expect(screen.getByText("Group GRP-4411")).toBeTruthy()
    const costs = card().querySelector("[data-slot=cost-share]") as HTMLElement
    expect(within(costs).getByText("Copay").nextElementSibling?.textContent).toBe("$25.00")
    expect(within(costs).getByText("Deductible").nextElementSibling?.textContent).toBe("$350.00 of $1,000.00 remaining")
    expect(within(costs).getByText("Out-of-pocket maximum").nextElementSibling?.textContent).toBe(
      "$3,125.50 of $4,000.00 remaining"
    )
    expect(screen.getByText("No prior authorization required")).toBeTruthy()
    const checked = card().querySelector("[data-slot=checked-at]") as HTMLElement
    expect(checked.textContent).toBe("Checked Mar 4, 2025, 10:00 AM")
    expect(checked.getAttribute("data-from-cache")).toBe("false")

    clock.advance(60 * 60_000)
    await userEvent.click(screen.getByRole("button", { name: "Refresh" }))
    await vi.waitFor(() => expect(checked.textContent).toBe("Checked Mar 4, 2025, 11:00 AM"))
    expect(checked.getAttribute("data-from-cache")).toBe("false")
  })

  it("answers from the saved answer while it is fresh", async () => {
    const { runtime } = setup()
    const { unmount } = render(
      <BillingProvider runtime={runtime}>
        <EligibilityCard.Root request={request()} />
      </BillingProvider>
    )
    await screen.findByText("Active")
    unmount()
    render(
      <BillingProvider runtime={runtime}>
        <EligibilityCard.Root request={request()} />
      </BillingProvider>
    )
    await screen.findByText("Active")
    expect(card().querySelector("[data-slot=checked-at]")?.getAttribute("data-from-cache")).toBe("true")
    expect(screen.getByText(/\(saved answer\)/)).toBeTruthy()
  })

  it("shows an HMO's visit limit, authorization requirement and no out-of-network coverage", async () => {
    const { runtime } = setup()
    render(
      <BillingProvider runtime={runtime}>
        <EligibilityCard.Root
          request={request({ memberId: "ACM900800700", lastName: "Nguyen", dateOfBirth: "1975-09-30" })}
        />
      </BillingProvider>
    )
    expect(await screen.findByText("12 of 40 visits left")).toBeTruthy()
    expect(screen.getByText("Prior authorization required").getAttribute("data-severity")).toBe("warning")
  })

  it("says inactive outside the coverage, and why the payer would not answer", async () => {
    const { runtime } = setup()
    const { rerender } = render(
      <BillingProvider runtime={runtime}>
        <EligibilityCard.Root
          request={request({ memberId: "ACM111222333", lastName: "Chen", dateOfBirth: "2001-11-11" })}
        />
      </BillingProvider>
    )
    expect(await screen.findByText("Inactive")).toBeTruthy()
    expect(screen.getByText("Coverage 2024-01-01 – 2025-02-28")).toBeTruthy()
    expect(card().querySelector("[data-slot=cost-share]")).toBeNull()
    rerender(
      <BillingProvider runtime={runtime}>
        <EligibilityCard.Root request={request({ dateOfBirth: "1988-04-13" })} />
      </BillingProvider>
    )
    expect(await screen.findByText("Not answered")).toBeTruthy()
    expect(card().getAttribute("data-state")).toBe("rejected")
    expect(screen.getByText(/Patient birth date does not match/).textContent).toContain("Correct and resubmit")
  })

  it("is empty without coverage to check", async () => {
    const { runtime } = setup()
    render(
      <BillingProvider runtime={runtime}>
        <EligibilityCard.Root request={undefined} />
      </BillingProvider>
    )
    expect(await screen.findByText("No insurance coverage to check.")).toBeTruthy()
    expect(screen.queryByRole("button", { name: "Refresh" })).toBeNull()
  })

  it("offers a retry after the clearinghouse times out, and none when it refuses the payer", async () => {
    // Three timeouts: the first ask and its two retries.
    const { runtime } = setup(SeededPlans.members, {
      failures: ["timeout", "timeout", "timeout"],
      unsupportedPayers: ["NOPE1"]
    })
    const { rerender } = render(
      <BillingProvider runtime={runtime}>
        <EligibilityCard.Root request={request()} />
      </BillingProvider>
    )
    const alert = await screen.findByRole("alert")
    expect(alert.textContent).toContain("The clearinghouse did not answer in time.")
    await userEvent.click(within(alert).getByRole("button", { name: "Try again" }))
    expect(await screen.findByText("Active")).toBeTruthy()
    rerender(
      <BillingProvider runtime={runtime}>
        <EligibilityCard.Root request={request({}, "NOPE1")} />
      </BillingProvider>
    )
    const refused = await screen.findByRole("alert")
    expect(refused.textContent).toContain("The clearinghouse refused the request.")
    expect(within(refused).queryByRole("button")).toBeNull()
  })

  it("is headless too: useEligibility with parts of your own", async () => {
    const { runtime } = setup()
    render(
      <BillingProvider runtime={runtime}>
        <Mine />
      </BillingProvider>
    )
    expect(await screen.findByText("2500")).toBeTruthy()
    expect(screen.queryByRole("button", { name: "Refresh" })).toBeNull()
  })

  it.each(xssPayloads)("renders the payer's plan name and group %s as text", async (payload) => {
    const member = SeededPlans.members[0] as InMemoryClearinghouse.Member
    const { runtime } = setup([{ ...member, plan: { name: payload, groupNumber: payload } }])
    const { container } = render(
      <BillingProvider runtime={runtime}>
        <EligibilityCard.Root request={request()} />
      </BillingProvider>
    )
    await screen.findByText("Active")
    expect(container.querySelector("[data-slot=plan-name]")?.textContent).toContain(
      payload.replace("\u0000", "\uFFFD").slice(1, 10)
    )
    assertRenderedAsText(container)
  })
})
