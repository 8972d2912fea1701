import { DateOfService } from "@openrcm/core"
import { Dashboard } from "@openrcm/react"
import { today } from "../runtime.js"

export function DashboardsScreen() {
  return <Dashboard.Root period={{ from: DateOfService.addDays(today, -180), to: today }} />
}
