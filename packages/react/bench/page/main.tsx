// The bench page: renders the DenialWorkqueue on synthetic data and times, with performance.now() inside the page,
// the first render (commit and layout), a sort click and a filter change; also seeding the demo practice's store
// with N denials and loading the whole queue through it. Driven by ../workqueue.bench.ts in Chromium.
import { BillingRuntime, Caller, Denial } from "@openrcm/core"
import { DemoPractice, InMemoryStore } from "@openrcm/core/testing"
import { BillingProvider, DenialWorkqueue, loadWorkqueue, type WorkqueueData } from "@openrcm/react"
import "@openrcm/react/theme.css"
import "@openrcm/react/styles.css"
import { Effect } from "effect"
import { flushSync } from "react-dom"
import { createRoot, type Root } from "react-dom/client"

const today = "2026-11-16" as WorkqueueData["asOf"]
const caller = { ...DemoPractice.caller, actor: "user:bench", purpose: "payment" as const }
const payers = ["medicare", "medicaid", "acme-ppo", "acme-hmo", "self"].map((key) => ({
  id: `demo-pay-${key}` as Denial.Denial["payerId"],
  name: key.toUpperCase()
}))
const reasons = [
  ["16", ["M51"], "coding", "correct-and-resubmit"],
  ["197", [], "authorization", "appeal"],
  ["27", [], "eligibility", "correct-and-resubmit"],
  ["29", [], "timely-filing", "appeal"],
  ["50", ["N115"], "medical-necessity", "appeal"],
  ["18", [], "duplicate", "write-off"],
  ["22", [], "coordination-of-benefits", "bill-secondary"]
] as const
const statuses = ["open", "open", "open", "in-progress", "appealed", "resubmitted"] as const

/** `count` denials, deterministic (xorshift32), spread like DemoPractice.seedDenials. */
const synthetic = (count: number): WorkqueueData => {
  let state = 0x2545f491
  const next = () => {
    state ^= state << 13
    state ^= state >>> 17
    state ^= state << 5
    return (state >>> 0) / 0x1_0000_0000
  }
  const denials: Array<Denial.Denial> = []
  for (let i = 0; i < count; i++) {
    const [carc, rarcs, category, action] = reasons[Math.floor(next() * reasons.length)] as (typeof reasons)[number]
    const day = 1 + Math.floor(next() * 28)
    const month = 6 + Math.floor(next() * 5)
    const amount = 2500 + Math.floor(next() * 40) * 500
    denials.push(
      Denial.Denial.make(
        {
          id: `bench-${i}` as Denial.DenialId,
          tenantId: DemoPractice.ids.tenantId,
          claimId: `clm-${i % 5000}` as Denial.Denial["claimId"],
          payerId: (payers[Math.floor(next() * payers.length)] as (typeof payers)[number]).id,
          group: "CO",
          carc,
          rarcs: [...rarcs],
          amount: amount as Denial.Denial["amount"],
          receivedOn:
            `2026-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}` as Denial.Denial["deadline"] &
              string,
          deadline: `2027-0${1 + Math.floor(next() * 3)}-${String(day).padStart(2, "0")}` as Denial.Denial["deadline"] &
            string,
          category,
          action,
          priority: count - i,
          status: statuses[Math.floor(next() * statuses.length)] as Denial.Status,
          notes: [],
          createdAt: 0 as Denial.Denial["createdAt"],
          version: 0
        },
        { disableChecks: true }
      )
    )
  }
  return { denials, payers, asOf: today }
}

const runtime = BillingRuntime.make(InMemoryStore.layer)
const container = document.getElementById("root") as HTMLElement
let root: Root | undefined

const layout = () => document.body.getBoundingClientRect().height
const frame = () => new Promise<number>((resolve) => requestAnimationFrame(() => resolve(performance.now())))

export interface Timing {
  readonly rows: number
  readonly virtualize: boolean
  readonly renderedRows: number
  readonly firstRender: number
  readonly firstRenderPaint: number
  readonly sort: number
  readonly filter: number
  readonly scrollFrameMean: number | undefined
  readonly scrollFrameMax: number | undefined
  readonly idleFrameMean: number | undefined
}

/** Mounts the queue on `count` synthetic denials and times the first render, a sort and a filter. */
const run = async (count: number, virtualize: boolean): Promise<Timing> => {
  root?.unmount()
  container.replaceChildren()
  root = createRoot(container)
  const data = synthetic(count)
  await frame()
  const start = performance.now()
  flushSync(() =>
    (root as Root).render(
      <BillingProvider runtime={runtime} caller={caller}>
        <DenialWorkqueue.Root data={data}>
          <DenialWorkqueue.Filters />
          {/* The same 600 px scroll area either way. */}
          <DenialWorkqueue.Table
            virtualize={virtualize}
            height="600px"
            style={virtualize ? undefined : { overflow: "auto", maxHeight: "600px" }}
          />
        </DenialWorkqueue.Root>
      </BillingProvider>
    )
  )
  layout()
  const firstRender = performance.now() - start
  const firstRenderPaint = (await frame()) - start
  const renderedRows = container.querySelectorAll("tbody tr[data-index]").length

  const button = container.querySelector<HTMLButtonElement>('button[aria-label="Sort by Amount"]') as HTMLButtonElement
  await frame()
  const sortStart = performance.now()
  flushSync(() => button.click())
  layout()
  const sort = performance.now() - sortStart
  if (button.closest("th")?.getAttribute("aria-sort") !== "descending") throw new Error("the sort did not apply")

  const select = container.querySelector<HTMLSelectElement>("select[data-slot=filter-category]") as HTMLSelectElement
  await frame()
  const filterStart = performance.now()
  flushSync(() => {
    const setter = Object.getOwnPropertyDescriptor(HTMLSelectElement.prototype, "value")?.set
    setter?.call(select, "authorization")
    select.dispatchEvent(new Event("change", { bubbles: true }))
  })
  layout()
  const filter = performance.now() - filterStart
  const left = container.querySelectorAll("tbody tr[data-index]")
  if (Array.from(left).some((row) => row.getAttribute("data-category") !== "authorization"))
    throw new Error("the filter did not apply")

  let scrollFrameMean: number | undefined
  let scrollFrameMax: number | undefined
  let idleFrameMean: number | undefined
  {
    // The frame interval with nothing changing: what a scroll frame is compared with (headless, software paint).
    const idle: Array<number> = []
    let previous = await frame()
    for (let i = 0; i < 30; i++) {
      const now = await frame()
      idle.push(now - previous)
      previous = now
    }
    idleFrameMean = idle.reduce((a, b) => a + b, 0) / idle.length
    // 60 frames at 150 px a frame (9,000 px/s, a fast flick): a few rows enter and leave each frame.
    const scroller = container.querySelector<HTMLElement>("[data-slot=scroll]") as HTMLElement
    const frames: Array<number> = []
    let last = await frame()
    for (let i = 0; i < 60; i++) {
      scroller.scrollTop += 150
      const now = await frame()
      frames.push(now - last)
      last = now
    }
    scrollFrameMean = frames.reduce((a, b) => a + b, 0) / frames.length
    scrollFrameMax = Math.max(...frames)
  }
  return {
    rows: count,
    virtualize,
    renderedRows,
    firstRender,
    firstRenderPaint,
    sort,
    filter,
    scrollFrameMean,
    scrollFrameMax,
    idleFrameMean
  }
}

/** Seeds the demo practice with `count` extra denials in an in-memory store, then loads the whole queue. */
const seed = async (count: number) => {
  const start = performance.now()
  const seeded = BillingRuntime.make(DemoPractice.layer({ today, denials: count }))
  await seeded.runPromise(Effect.void)
  const seededAt = performance.now()
  const data = await seeded.runPromise(
    loadWorkqueue({ asOf: today }).pipe(Effect.provideService(Caller.Caller, caller))
  )
  const loadedAt = performance.now()
  await seeded.dispose()
  return { count, denials: data.denials.length, seed: seededAt - start, load: loadedAt - seededAt }
}

declare global {
  interface Window {
    bench: { run: typeof run; seed: typeof seed }
  }
}
window.bench = { run, seed }
