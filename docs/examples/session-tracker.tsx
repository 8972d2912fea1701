// docs/react.md: the SessionTracker, the default composition and one composed from its parts.
import type { Session } from "@openrcm/core"
import { BillingProvider, SessionTracker, useSessionTracker } from "@openrcm/react"
import { useState } from "react"
import { runtime } from "./runtime.js"

// Uncontrolled: the tracker keeps the session; save each change it reports.
export function TrackSession({ scheduled }: { readonly scheduled: Session.TrackedSession }) {
  return (
    <BillingProvider runtime={runtime}>
      <SessionTracker.Root defaultSession={scheduled} onSessionChange={(session) => void save(session)} />
    </BillingProvider>
  )
}

// Controlled, composed from the parts you want, with a start your screen gates.
export function CompactTracker({ scheduled }: { readonly scheduled: Session.TrackedSession }) {
  const [session, setSession] = useState(scheduled)
  return (
    <SessionTracker.Root session={session} onSessionChange={setSession} onBeforeStart={() => confirmReady()}>
      <SessionTracker.Timer />
      <SessionTracker.Controls />
      <SessionTracker.Error />
      <SessionTracker.Billing />
    </SessionTracker.Root>
  )
}

// Headless: your own markup over the same state machine.
export function MinutesBadge({ scheduled }: { readonly scheduled: Session.TrackedSession }) {
  const tracker = useSessionTracker({ defaultSession: scheduled })
  return (
    <button type="button" onClick={() => void (tracker.status === "scheduled" ? tracker.start() : tracker.stop())}>
      {tracker.minutes.service} min{tracker.next ? `, next code in ${tracker.next.inMinutes}` : ""}
    </button>
  )
}

declare function save(session: Session.TrackedSession): Promise<void>
declare function confirmReady(): Promise<boolean>
