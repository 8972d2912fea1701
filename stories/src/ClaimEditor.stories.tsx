import { Claim, DateOfService, type Ids, Store } from "@openrcm/core"
import { DemoPractice } from "@openrcm/core/testing"
import { BillingProvider, ClaimEditor, useBillingEffect } from "@openrcm/react"
import type { Meta, StoryObj } from "@storybook/react-vite"
import { Effect } from "effect"
import type { ReactNode } from "react"
import { expect, userEvent, waitFor, within } from "storybook/test"
import { caller, corrupt, demoToday, empty, failing, pending, seeded, unavailable } from "./support/runtimes.js"

// One runtime per state; the stories that submit get their own, since a submitted claim cannot be submitted again.
const demo = seeded()
const forSubmit = seeded()
const forRefusal = seeded()
const loading = pending()
const nothing = empty()
const down = failing(unavailable)
const broken = failing(corrupt)
const today = DateOfService.make(demoToday)
const someClaim = "C0000000000000000" as Ids.ClaimId
const { patients } = DemoPractice.ids

/** The demo's claim of a patient in a status: claim ids are derived from their content, so they are looked up. */
function DemoClaim({
  patientId,
  status,
  children
}: {
  readonly patientId: Ids.PatientId
  readonly status: Claim.Status
  readonly children: (claim: Claim.Claim) => ReactNode
}) {
  const found = useBillingEffect(
    () =>
      Effect.gen(function* () {
        const store = yield* Store.Store
        const page = yield* store.claims.query({ limit: 10, patientId, status: [status] })
        return page.items[0]
      }),
    [patientId, status]
  )
  return found._tag === "Success" && found.value !== undefined ? children(found.value) : null
}

const meta = {
  title: "Components/ClaimEditor",
  parameters: { controls: { disable: true } }
} satisfies Meta

export default meta
type Story = StoryObj<typeof meta>

/** The stored claim is still loading. */
export const Loading: Story = {
  render: () => (
    <BillingProvider runtime={loading} caller={caller}>
      <ClaimEditor.Root claimId={someClaim} asOf={today} />
    </BillingProvider>
  ),
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await expect(await canvas.findByText("Loading the claim…")).toBeInTheDocument()
    await expect(canvas.getByRole("form", { name: "Claim" })).toHaveAttribute("data-state", "loading")
  }
}

/** No claim with that id. */
export const Empty: Story = {
  render: () => (
    <BillingProvider runtime={nothing} caller={caller}>
      <ClaimEditor.Root claimId={someClaim} asOf={today} />
    </BillingProvider>
  ),
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await expect(await canvas.findByText("There is no claim to edit.")).toBeInTheDocument()
    await expect(canvas.getByRole("form", { name: "Claim" })).toHaveAttribute("data-state", "empty")
  }
}

/** The store is down for a moment: the error says so and offers to try again. */
export const RetryableError: Story = {
  render: () => (
    <BillingProvider runtime={down} caller={caller}>
      <ClaimEditor.Root claimId={someClaim} asOf={today} />
    </BillingProvider>
  ),
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    const alert = await canvas.findByRole("alert")
    await expect(alert).toHaveTextContent("Billing data is unavailable right now")
    await expect(within(alert).getByRole("button", { name: "Try again" })).toBeEnabled()
  }
}

/** The stored claim cannot be read: no retry. */
export const FinalError: Story = {
  render: () => (
    <BillingProvider runtime={broken} caller={caller}>
      <ClaimEditor.Root claimId={someClaim} asOf={today} />
    </BillingProvider>
  ),
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    const alert = await canvas.findByRole("alert")
    await expect(alert).toHaveTextContent("A stored claim could not be read")
    await expect(within(alert).queryByRole("button")).toBeNull()
  }
}

/** A clean claim, ready to submit: every field editable, no findings. */
export const Clean: Story = {
  render: () => (
    <BillingProvider runtime={demo} caller={caller}>
      <DemoClaim patientId={patients.medicare} status="ready">
        {(claim) => <ClaimEditor.Root claimId={claim.id} asOf={today} />}
      </DemoClaim>
    </BillingProvider>
  ),
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await expect(await canvas.findByText("No findings: the claim passes every edit.")).toBeInTheDocument()
    await expect(canvas.getByRole("textbox", { name: "Diagnosis 1 (principal)" })).toHaveAttribute(
      "aria-invalid",
      "false"
    )
  }
}

/** A line points past the claim's diagnoses: the finding sits under the pointers, and its certain fix is one click. */
export const FindingWithCertainFix: Story = {
  render: () => (
    <BillingProvider runtime={demo} caller={caller}>
      <DemoClaim patientId={patients.medicare} status="ready">
        {(claim) => (
          <ClaimEditor.Root
            defaultClaim={
              new Claim.Claim({ ...claim, lines: claim.lines.map((line) => ({ ...line, diagnosisPointers: [1, 2] })) })
            }
            asOf={today}
          />
        )}
      </DemoClaim>
    </BillingProvider>
  ),
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    const line = await canvas.findByRole("group", { name: /Line 1/ })
    const pointers = within(line).getByRole("textbox", { name: "Diagnosis pointers" })
    await waitFor(() => expect(pointers).toHaveAttribute("aria-invalid", "true"))
    await expect(pointers).toHaveAccessibleDescription(/points to a diagnosis position the claim does not have/)
    await userEvent.click(within(line).getByRole("button", { name: "Point to diagnoses 1" }))
    await waitFor(() => expect(pointers).toHaveValue("1"))
    await expect(pointers).toHaveAttribute("aria-invalid", "false")
    await expect(await canvas.findByText("No findings: the claim passes every edit.")).toBeInTheDocument()
  }
}

/** A claim the scrubber holds (an unspecific diagnosis): submit is refused and focus goes to the diagnosis. */
export const SubmitRefused: Story = {
  render: () => (
    <BillingProvider runtime={forRefusal} caller={caller}>
      <DemoClaim patientId={patients.authorizationExpired} status="scrubbed">
        {(claim) => <ClaimEditor.Root claimId={claim.id} asOf={today} />}
      </DemoClaim>
    </BillingProvider>
  ),
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    const diagnosis = await canvas.findByRole("textbox", { name: "Diagnosis 1 (principal)" })
    await waitFor(() => expect(diagnosis).toHaveAttribute("aria-invalid", "true"))
    await userEvent.click(canvas.getByRole("button", { name: "Submit claim" }))
    await expect(await canvas.findByRole("alert")).toHaveTextContent(
      "Not submitted: fix what the scrub found first (errors: 1)."
    )
    await waitFor(() => expect(diagnosis).toHaveFocus())
    await expect(canvas.getByRole("form", { name: "Claim" })).toHaveAttribute("data-state", "refused")
  }
}

/** A clean draft: submit saves, scrubs and queues it, and says so. */
export const SubmitSuccess: Story = {
  render: () => (
    <BillingProvider runtime={forSubmit} caller={caller}>
      <DemoClaim patientId={patients.supervised} status="draft">
        {(claim) => <ClaimEditor.Root claimId={claim.id} asOf={today} />}
      </DemoClaim>
    </BillingProvider>
  ),
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await canvas.findByText("No findings: the claim passes every edit.")
    await userEvent.click(canvas.getByRole("button", { name: "Submit claim" }))
    await expect(
      await canvas.findByText("Submitted: the claim is queued for the clearinghouse.", undefined, { timeout: 5000 })
    ).toBeInTheDocument()
    await expect(canvas.getByRole("form", { name: "Claim" })).toHaveAttribute("data-state", "submitted")
  }
}

/** Fifty lines, a claim's most, one a day. */
export const LargeClaim: Story = {
  render: () => (
    <BillingProvider runtime={demo} caller={caller}>
      <DemoClaim patientId={patients.medicare} status="ready">
        {(claim) => {
          const line = claim.lines[0] as Claim.Line
          const lines = Array.from({ length: 50 }, (_, i) => ({
            ...line,
            dateOfService: DateOfService.addDays(line.dateOfService, i)
          }))
          const charge = lines.reduce((sum, l) => sum + l.charge, 0)
          const large = new Claim.Claim({
            ...claim,
            lines,
            charge: charge as Claim.Claim["charge"],
            balance: charge as Claim.Claim["charge"]
          })
          return <ClaimEditor.Root defaultClaim={large} asOf={today} />
        }}
      </DemoClaim>
    </BillingProvider>
  ),
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await waitFor(() => expect(canvas.getAllByRole("group", { name: /^Line \d+/ })).toHaveLength(50))
    await expect(canvas.getByRole("button", { name: "Add a line after line 50" })).toBeDisabled()
  }
}
