// docs/react.md: an AuthorizationAlert gating a SessionTracker's start, composed by the host.
import type { Authorization, Session } from "@openrcm/core"
import { AuthorizationAlert, SessionTracker, useAuthorizationAlert } from "@openrcm/react"

export function StartWithAuthorization(props: {
  readonly session: Session.TrackedSession
  readonly visit: Authorization.Visit
}) {
  const alert = useAuthorizationAlert({
    visit: props.visit,
    rulePack: "acme-health-hmo",
    timeZone: "America/Chicago",
    // The person typed why they start without a valid authorization: keep it with the session.
    onOverride: ({ reason, check }) => void recordOverride(props.session.id, check._tag, reason)
  })
  return (
    <>
      <AuthorizationAlert.Root alert={alert} />
      <SessionTracker.Root
        defaultSession={props.session}
        canStart={alert.canStart}
        onBeforeStart={alert.requestStart}
      />
    </>
  )
}

declare function recordOverride(sessionId: string, check: string, reason: string): Promise<void>
