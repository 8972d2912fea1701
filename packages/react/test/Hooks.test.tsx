import { BillingRuntime, type Coding, DateOfService, type Ids } from "@openrcm/core"
import { DemoPractice, InMemoryClearinghouse } from "@openrcm/core/testing"
import {
  BillingProvider,
  useClaims,
  useCoding,
  useExchangeWithClearinghouse,
  useScrubClaims,
  useSubmitClaims
} from "@openrcm/react"
import { render, screen, waitFor } from "@testing-library/react"
import { userEvent } from "@testing-library/user-event"
import { Layer } from "effect"
import { afterAll, describe, expect, it } from "vitest"

const today = DateOfService.make("2026-11-16")
const caller = { ...DemoPractice.caller, purpose: "payment" as const }
const runtime = BillingRuntime.make(
  Layer.merge(DemoPractice.layer({ today }), InMemoryClearinghouse.layer(DemoPractice.members(today)))
)
afterAll(() => runtime.dispose())

const request: Coding.CodingRequest = {
  dateOfService: today,
  rulePack: "acme-health",
  service: "psychotherapy",
  minutes: 45,
  delivery: { mode: "video", patientLocation: "home" },
  clinician: { credential: "LCSW" }
} as Coding.CodingRequest

function Coded() {
  const { result } = useCoding(request)
  const coded = result._tag === "Success" && result.value?._tag === "Billable" ? result.value.lines : []
  return <output>{coded.map((l) => `${l.code}:${l.modifiers.join(":")} POS ${l.placeOfService}`).join(" + ")}</output>
}

function ScrubReady() {
  const { result } = useClaims({ status: ["ready"] })
  const scrub = useScrubClaims()
  const ids: ReadonlyArray<Ids.ClaimId> = result._tag === "Success" ? result.value.items.map((c) => c.id) : []
  return (
    <div>
      <button type="button" disabled={ids.length === 0} onClick={() => void scrub.run(ids)}>
        scrub
      </button>
      {scrub.result._tag === "Success" ? (
        <p>{scrub.result.value.map((o) => (o._tag === "Scrubbed" ? `${o._tag} ${o.status}` : o._tag)).join(", ")}</p>
      ) : null}
    </div>
  )
}

function ReadyClaims() {
  const { result, refresh } = useClaims({ status: ["ready"] })
  const submit = useSubmitClaims()
  const exchange = useExchangeWithClearinghouse()
  const ids: ReadonlyArray<Ids.ClaimId> = result._tag === "Success" ? result.value.items.map((c) => c.id) : []
  return (
    <div>
      <p>{result._tag === "Success" ? `${ids.length} ready` : "loading"}</p>
      <button
        type="button"
        onClick={async () => {
          await submit.run(ids)
          refresh()
        }}
      >
        submit
      </button>
      <button type="button" onClick={() => void exchange.run()}>
        send
      </button>
      {submit.result._tag === "Success" ? (
        <p>queued {submit.result.value.claims.filter((o) => o._tag === "Queued").length}</p>
      ) : null}
      {exchange.result._tag === "Success" ? (
        <p>sent {exchange.result.value.delivered.filter((d) => d._tag === "Sent").length}</p>
      ) : null}
    </div>
  )
}

describe("operation hooks", { timeout: 30_000 }, () => {
  it("useCoding codes a session with the pack's explanation of each line", async () => {
    render(
      <BillingProvider runtime={runtime} caller={caller}>
        <Coded />
      </BillingProvider>
    )
    expect(await screen.findByText("90834:95 POS 10")).toBeTruthy()
  })

  it("useScrubClaims scrubs the ready claim again, and it stays ready", async () => {
    render(
      <BillingProvider runtime={runtime} caller={caller}>
        <ScrubReady />
      </BillingProvider>
    )
    const button = screen.getByRole("button", { name: "scrub" })
    await screen.findByRole("button", { name: "scrub" })
    await waitFor(() => expect((button as HTMLButtonElement).disabled).toBe(false))
    await userEvent.click(button)
    expect(await screen.findByText("Scrubbed ready")).toBeTruthy()
  })

  it("useClaims lists, useSubmitClaims queues, useExchangeWithClearinghouse sends", async () => {
    render(
      <BillingProvider runtime={runtime} caller={caller}>
        <ReadyClaims />
      </BillingProvider>
    )
    expect(await screen.findByText("1 ready")).toBeTruthy()
    await userEvent.click(screen.getByRole("button", { name: "submit" }))
    expect(await screen.findByText("queued 1")).toBeTruthy()
    expect(await screen.findByText("0 ready")).toBeTruthy()
    await userEvent.click(screen.getByRole("button", { name: "send" }))
    expect((await screen.findByText(/^sent \d+$/)).textContent).not.toBe("sent 0")
  })
})
