// docs/react.md: the ClaimEditor, the default composition, one composed from its parts, and the headless hook.
import type { Caller, Claim, Ids } from "@openrcm/core"
import { BillingProvider, ClaimEditor, claimFieldOf, useClaimEditor } from "@openrcm/react"
import { useState } from "react"
import { runtime } from "./runtime.js"

// Uncontrolled, from the store: the editor loads the claim, scrubs every edit and submits.
export function EditClaim({ claimId, caller }: { readonly claimId: Ids.ClaimId; readonly caller: Caller.CallerInfo }) {
  return (
    <BillingProvider runtime={runtime} caller={caller}>
      <ClaimEditor.Root
        claimId={claimId}
        onSubmitted={(result) => {
          if (result._tag === "Submitted" && result.outcome._tag === "Queued") void notify("queued")
        }}
      />
    </BillingProvider>
  )
}

// Controlled, composed from the parts you want: the host keeps the draft (a claim Billing.buildClaims made).
export function CompactEditor({ built }: { readonly built: Claim.Claim }) {
  const [claim, setClaim] = useState(built)
  return (
    <ClaimEditor.Root claim={claim} onClaimChange={setClaim}>
      <ClaimEditor.Diagnoses />
      <ClaimEditor.Lines />
      <ClaimEditor.Findings />
      <ClaimEditor.Submit />
    </ClaimEditor.Root>
  )
}

// Headless: your own markup over the same draft, scrub and submission.
export function ErrorsBadge({ claimId }: { readonly claimId: Ids.ClaimId }) {
  const editor = useClaimEditor({ claimId })
  const errors = editor.findings.filter((finding) => finding.severity === "error")
  return (
    <ul>
      {errors.map((finding) => (
        <li key={`${finding.edit}${finding.line ?? ""}`}>
          {claimFieldOf(finding)}: {finding.message}
          {finding.fix ? (
            <button type="button" onClick={() => void (finding.fix && editor.applyFix(finding.fix))}>
              Fix
            </button>
          ) : null}
        </li>
      ))}
    </ul>
  )
}

declare function notify(what: string): Promise<void>
