import { BillingRuntime, Caller, Claim, DateOfService, type Ids, Store } from "@openrcm/core"
import { DemoPractice, InMemoryStore } from "@openrcm/core/testing"
import { BillingProvider, ClaimEditor } from "@openrcm/react"
import { act, render, screen, waitFor, within } from "@testing-library/react"
import { userEvent } from "@testing-library/user-event"
import { Effect, Layer, Option } from "effect"
import { useState } from "react"
import { afterAll, describe, expect, it, vi } from "vitest"
import { assertRenderedAsText, xssPayloads } from "./support/xss.js"

const today = DateOfService.make("2026-11-16")
const caller: Caller.CallerInfo = { ...DemoPractice.caller, actor: "user:biller-1", purpose: "payment" }

const runtimes: Array<BillingRuntime.BillingRuntime<Store.Store, never>> = []
const seeded = () => {
  const runtime = BillingRuntime.make(DemoPractice.layer({ today }))
  runtimes.push(runtime)
  return runtime
}
afterAll(async () => {
  await Promise.all(runtimes.map((runtime) => runtime.dispose()))
})

type Runtime = BillingRuntime.BillingRuntime<Store.Store, never>

const inStore = <A, E>(runtime: Runtime, effect: (store: Store.StoreShape) => Effect.Effect<A, E, Caller.Caller>) =>
  runtime.runPromise(
    Effect.gen(function* () {
      return yield* effect(yield* Store.Store)
    }).pipe(Effect.provideService(Caller.Caller, DemoPractice.caller))
  )

/** The demo's claim of a patient in a status (the ids are derived, so they are looked up). */
const claimOf = (runtime: Runtime, patientId: Ids.PatientId, status: Claim.Status) =>
  inStore(runtime, (store) =>
    Effect.map(store.claims.query({ limit: 100, patientId, status: [status] }), (page) => {
      const found = page.items[0]
      if (found === undefined) throw new Error(`no ${status} claim for ${patientId}`)
      return found
    })
  )

const storedClaim = (runtime: Runtime, id: Ids.ClaimId) =>
  inStore(runtime, (store) => Effect.map(store.claims.get(id), Option.getOrThrow))

const { patients } = DemoPractice.ids

const renderEditor = (runtime: Runtime, props: ClaimEditor.RootProps, messages?: Record<string, string>) =>
  render(
    <BillingProvider runtime={runtime} caller={caller} messages={messages}>
      <ClaimEditor.Root asOf={today} {...props} />
    </BillingProvider>
  )

const input = (name: string | RegExp, scope: HTMLElement = document.body) =>
  within(scope).getByRole("textbox", { name }) as HTMLInputElement

const describedBy = (element: HTMLElement) =>
  (element.getAttribute("aria-describedby") ?? "")
    .split(" ")
    .map((id) => document.getElementById(id)?.textContent ?? "")
    .join(" ")

const shared = seeded()

/** A host that holds the draft in its own state (controlled) and shows its total. */
function ControlledHost({ initial, changes }: { readonly initial: Claim.Claim; readonly changes: Array<Claim.Claim> }) {
  const [claim, setClaim] = useState(initial)
  return (
    <BillingProvider runtime={shared} caller={caller}>
      <ClaimEditor.Root
        asOf={today}
        claim={claim}
        onClaimChange={(next) => {
          changes.push(next)
          setClaim(next)
        }}
      />
      <output aria-label="host total">{claim.charge}</output>
    </BillingProvider>
  )
}

describe("ClaimEditor", () => {
  it("loads a stored claim by id and shows a finding next to the field it concerns (uncontrolled)", async () => {
    const held = await claimOf(shared, patients.authorizationExpired, "scrubbed")
    renderEditor(shared, { claimId: held.id })
    const diagnosis = await screen.findByRole("textbox", { name: "Diagnosis 1 (principal)" })
    expect(diagnosis.getAttribute("value")).toBe("F32")
    await waitFor(() => expect(diagnosis.getAttribute("aria-invalid")).toBe("true"))
    expect(describedBy(diagnosis)).toContain("is a category, not a billable code")
    expect(describedBy(diagnosis)).toContain("CO-16 M81")

    // Edits re-scrub on the spot: a billable code clears the finding.
    await userEvent.clear(diagnosis)
    await userEvent.type(diagnosis, "F32.1")
    await waitFor(() => expect(diagnosis.getAttribute("aria-invalid")).toBe("false"))
    expect(diagnosis.getAttribute("aria-describedby")).toBeNull()
    expect(screen.getByText("No findings: the claim passes every edit.")).toBeTruthy()
  })

  it("scrubs with the session's minutes, as the store does: a code the minutes do not reach is flagged", async () => {
    const draft = await claimOf(shared, patients.supervised, "draft")
    const { container } = renderEditor(shared, { claimId: draft.id })
    await screen.findByText("No findings: the claim passes every edit.")
    const code = input("Procedure code", screen.getByRole("group", { name: /Line 1/ }))
    await userEvent.clear(code)
    await userEvent.type(code, "90837")
    await waitFor(() => expect(container.querySelector('[data-edit="minutes-below-minimum"]')).not.toBeNull())
    expect(code.getAttribute("aria-invalid")).toBe("true")
  })

  it("marks text that is not a value invalid, with a hint, and leaves the draft as it was", async () => {
    const ready = await claimOf(shared, patients.medicare, "ready")
    const onClaimChange = vi.fn()
    renderEditor(shared, { defaultClaim: ready, onClaimChange })
    const line = await screen.findByRole("group", { name: /Line 1/ })
    const code = input("Procedure code", line)
    await userEvent.clear(code)
    await userEvent.type(code, "9083")
    expect(code.getAttribute("aria-invalid")).toBe("true")
    expect(describedBy(code)).toContain("A CPT or HCPCS code")
    expect(onClaimChange).not.toHaveBeenCalled()
    await userEvent.type(code, "4")
    expect(code.getAttribute("aria-invalid")).toBe("false")
    expect(onClaimChange.mock.lastCall?.[0].lines[0].code).toBe("90834")
  })

  it("applies a certain fix to the draft in one click (uncontrolled, defaultClaim)", async () => {
    const ready = await claimOf(shared, patients.medicare, "ready")
    const broken = new Claim.Claim({
      ...ready,
      lines: ready.lines.map((line) => ({ ...line, diagnosisPointers: [1, 2] }))
    })
    renderEditor(shared, { defaultClaim: broken })
    const pointers = input("Diagnosis pointers", await screen.findByRole("group", { name: /Line 1/ }))
    await waitFor(() => expect(pointers.getAttribute("aria-invalid")).toBe("true"))
    expect(describedBy(pointers)).toContain("points to a diagnosis position the claim does not have")
    await userEvent.click(screen.getByRole("button", { name: "Point to diagnoses 1" }))
    await waitFor(() => expect(pointers.value).toBe("1"))
    expect(pointers.getAttribute("aria-invalid")).toBe("false")
    // The store is not touched: the draft differs from the stored claim.
    expect((await storedClaim(shared, ready.id)).lines[0]?.diagnosisPointers).toEqual([1])
  })

  it("applies a fix in the store (Billing.applyClaimFix) when the draft is the stored claim", async () => {
    const runtime = seeded()
    const ready = await claimOf(runtime, patients.medicare, "ready")
    // A stored draft that points past its diagnoses.
    await inStore(runtime, (store) =>
      Effect.gen(function* () {
        const draft = yield* store.claims.transition(ready.id, {
          to: "draft",
          expectedVersion: ready.version,
          reasons: ["test"]
        })
        yield* store.claims.update(
          new Claim.Claim({ ...draft, lines: draft.lines.map((line) => ({ ...line, diagnosisPointers: [1, 3] })) })
        )
      })
    )
    renderEditor(runtime, { claimId: ready.id })
    const fix = await screen.findByRole("button", { name: "Point to diagnoses 1" })
    await userEvent.click(fix)
    await waitFor(async () => expect((await storedClaim(runtime, ready.id)).lines[0]?.diagnosisPointers).toEqual([1]))
    await waitFor(() => expect(screen.queryByRole("button", { name: "Point to diagnoses 1" })).toBeNull())
  })

  it("says why a fix in the store was refused (the claim was closed meanwhile)", async () => {
    const runtime = seeded()
    const ready = await claimOf(runtime, patients.medicare, "ready")
    await inStore(runtime, (store) =>
      Effect.gen(function* () {
        const draft = yield* store.claims.transition(ready.id, {
          to: "draft",
          expectedVersion: ready.version,
          reasons: ["test"]
        })
        yield* store.claims.update(
          new Claim.Claim({ ...draft, lines: draft.lines.map((line) => ({ ...line, diagnosisPointers: [1, 3] })) })
        )
      })
    )
    renderEditor(runtime, { claimId: ready.id })
    const fix = await screen.findByRole("button", { name: "Point to diagnoses 1" })
    await inStore(runtime, (store) =>
      Effect.gen(function* () {
        const current = Option.getOrThrow(yield* store.claims.get(ready.id))
        yield* store.claims.transition(ready.id, { to: "closed", expectedVersion: current.version, reasons: ["test"] })
      })
    )
    await userEvent.click(fix)
    expect((await screen.findByRole("alert")).textContent).toBe("A closed claim cannot move to draft.")
    expect((await storedClaim(runtime, ready.id)).lines[0]?.diagnosisPointers).toEqual([1, 3])
  })

  it("asks the host for every change when controlled, and shows what the host holds", async () => {
    const ready = await claimOf(shared, patients.medicare, "ready")
    const changes: Array<Claim.Claim> = []
    render(<ControlledHost initial={ready} changes={changes} />)
    const units = input("Units", await screen.findByRole("group", { name: /Line 1/ }))
    await userEvent.clear(units)
    await userEvent.type(units, "2")
    const last = changes[changes.length - 1]
    expect(last?.lines[0]?.units).toBe(2)
    // The charge follows the units at the line's rate, and the claim's total follows the lines.
    expect(last?.lines[0]?.charge).toBe((ready.lines[0]?.charge ?? 0) * 2)
    expect(screen.getByRole("status", { name: "host total" }).textContent).toBe(String(ready.charge * 2))
  })

  it("adds and removes lines by keyboard, moving focus to the line", async () => {
    const ready = await claimOf(shared, patients.medicare, "ready")
    renderEditor(shared, { defaultClaim: ready })
    const add = await screen.findByRole("button", { name: "Add a line after line 1" })
    add.focus()
    await userEvent.keyboard("{Enter}")
    const second = await screen.findByRole("group", { name: /Line 2/ })
    await waitFor(() => expect(document.activeElement).toBe(input("Procedure code", second)))
    within(second).getByRole("button", { name: "Remove line 2" }).focus()
    await userEvent.keyboard("{Enter}")
    await waitFor(() => expect(screen.queryByRole("group", { name: /Line 2/ })).toBeNull())
    await waitFor(() =>
      expect(document.activeElement).toBe(input("Procedure code", screen.getByRole("group", { name: /Line 1/ })))
    )
    expect((screen.getByRole("button", { name: "Remove line 1" }) as HTMLButtonElement).disabled).toBe(true)
  })

  it("refuses to submit a claim with an error and moves focus to the first field in error", async () => {
    const runtime = seeded()
    const held = await claimOf(runtime, patients.authorizationExpired, "scrubbed")
    const onSubmitted = vi.fn()
    renderEditor(runtime, { claimId: held.id, onSubmitted })
    const diagnosis = await screen.findByRole("textbox", { name: "Diagnosis 1 (principal)" })
    await waitFor(() => expect(diagnosis.getAttribute("aria-invalid")).toBe("true"))
    await userEvent.click(screen.getByRole("button", { name: "Submit claim" }))
    expect((await screen.findByRole("alert")).textContent).toContain(
      "Not submitted: fix what the scrub found first (errors: 1)."
    )
    await waitFor(() => expect(document.activeElement).toBe(diagnosis))
    expect(onSubmitted.mock.lastCall?.[0]._tag).toBe("Blocked")
    expect((await storedClaim(runtime, held.id)).status).toBe("scrubbed")
  })

  it("saves an edited draft, scrubs it in the store and queues it, announcing the outcome", async () => {
    const runtime = seeded()
    const held = await claimOf(runtime, patients.authorizationExpired, "scrubbed")
    const { container } = renderEditor(runtime, { claimId: held.id })
    const diagnosis = await screen.findByRole("textbox", { name: "Diagnosis 1 (principal)" })
    await userEvent.clear(diagnosis)
    await userEvent.type(diagnosis, "F32.1")
    await waitFor(() => expect(diagnosis.getAttribute("aria-invalid")).toBe("false"))
    await userEvent.click(screen.getByRole("button", { name: "Submit claim" }))
    await waitFor(() => expect(container.querySelector("form")?.getAttribute("data-state")).toBe("submitted"))
    expect(screen.getByText("Submitted: the claim is queued for the clearinghouse.")).toBeTruthy()
    const stored = await storedClaim(runtime, held.id)
    expect(stored.status).toBe("submitted")
    expect(stored.diagnoses).toEqual(["F32.1"])
  })

  it("says why the store refused a claim (a claim already submitted)", async () => {
    const runtime = seeded()
    const submitted = await claimOf(runtime, patients.family, "submitted")
    renderEditor(runtime, { claimId: submitted.id })
    await screen.findByRole("group", { name: /Line 1/ })
    await waitFor(() => expect(screen.queryByText(/Checking the claim/)).toBeNull())
    await act(() => userEvent.click(screen.getByRole("button", { name: "Submit claim" })))
    expect((await screen.findByRole("alert")).textContent).toBe("Not submitted: a submitted claim cannot be submitted.")
  })

  it("shows the empty state when the claim is not in the store", async () => {
    const runtime = BillingRuntime.make(InMemoryStore.layer)
    renderEditor(runtime, { claimId: "C0000000000000000" as Ids.ClaimId })
    expect((await screen.findByText("There is no claim to edit.")).getAttribute("data-state")).toBe("empty")
    await runtime.dispose()
  })

  it("shows a retryable load error with a retry button", async () => {
    const error = new Store.StoreError({ reason: new Store.Unavailable({ detail: "down" }) })
    const unavailable = new Proxy(() => Effect.fail(error), { get: () => () => Effect.fail(error) })
    const store = new Proxy({} as Store.StoreShape, {
      get: (_, key) => (key === "transaction" ? () => Effect.fail(error) : new Proxy({}, { get: () => unavailable }))
    })
    const runtime = BillingRuntime.make(Layer.succeed(Store.Store, store))
    renderEditor(runtime, { claimId: "C0000000000000000" as Ids.ClaimId })
    const alert = await screen.findByRole("alert")
    expect(alert.textContent).toContain("Billing data is unavailable right now")
    expect(within(alert).getByRole("button", { name: "Try again" })).toBeTruthy()
    await runtime.dispose()
  })

  it.each(xssPayloads)("renders claim data and host wording as text: %s", async (payload) => {
    const ready = await claimOf(shared, patients.medicare, "ready")
    const { container } = renderEditor(
      shared,
      { defaultClaim: new Claim.Claim({ ...ready, priorAuthorization: payload.replace("\u0000", "") || "x" }) },
      { "claimEditor.findings": payload, "claimEditor.line": `${payload} {number}` }
    )
    await screen.findByRole("textbox", { name: "Prior authorization number" })
    expect(container.querySelector("[data-slot=line] legend")?.textContent).toContain(
      payload.replace("\u0000", "\uFFFD").slice(1, 10)
    )
    expect(input("Prior authorization number").value).toBe(payload.replace("\u0000", "").trim())
    assertRenderedAsText(container)
  })
})
