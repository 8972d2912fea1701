import { DenialWorkqueue } from "@openrcm/react"
import { today } from "../runtime.js"

export function DenialsScreen() {
  return <DenialWorkqueue.Root asOf={today} />
}
