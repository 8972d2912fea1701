import { BillingProvider, ThemeScope } from "@openrcm/react"
import { type ReactNode, useEffect, useState } from "react"
import {
  callerOf,
  flush,
  initialRuntime,
  type PlaygroundRuntime,
  type Role,
  ready,
  reset,
  roles,
  today
} from "./runtime.js"
import { ClaimsScreen } from "./screens/Claims.js"
import { DashboardsScreen } from "./screens/Dashboards.js"
import { DenialsScreen } from "./screens/Denials.js"
import { FilesScreen } from "./screens/Files.js"
import { PatientsScreen } from "./screens/Patients.js"
import { RemittancesScreen } from "./screens/Remittances.js"
import { RulePacksScreen } from "./screens/RulePacks.js"
import { ScheduleScreen } from "./screens/Schedule.js"
import { SessionScreen } from "./screens/Session.js"

interface Screen {
  readonly id: string
  readonly label: string
  readonly roles: ReadonlyArray<Role>
  readonly render: (runtime: PlaygroundRuntime) => ReactNode
}

/** The screens, in the order of the cycle: schedule → session → claim → clearinghouse → denials → balance → reports. */
const screens: ReadonlyArray<Screen> = [
  { id: "schedule", label: "Schedule", roles: ["front-desk", "clinician"], render: () => <ScheduleScreen /> },
  { id: "session", label: "Session", roles: ["clinician"], render: () => <SessionScreen /> },
  { id: "claims", label: "Claims", roles: ["biller"], render: (r) => <ClaimsScreen runtime={r} /> },
  { id: "remittances", label: "Remittances", roles: ["biller"], render: () => <RemittancesScreen /> },
  { id: "denials", label: "Denials", roles: ["biller"], render: () => <DenialsScreen /> },
  { id: "patients", label: "Patient balances", roles: ["front-desk", "biller"], render: () => <PatientsScreen /> },
  { id: "dashboards", label: "Dashboards", roles: ["biller", "admin"], render: () => <DashboardsScreen /> },
  { id: "rule-packs", label: "Rule packs", roles: ["admin"], render: () => <RulePacksScreen /> },
  { id: "files", label: "X12 files", roles: ["biller", "admin"], render: (r) => <FilesScreen runtime={r} /> }
]

const storedRole = (): Role => {
  const saved = localStorage.getItem("openrcm-playground-role")
  return roles.some((r) => r.role === saved) ? (saved as Role) : "biller"
}

const screenFromHash = () => window.location.hash.replace(/^#\/?/, "")

export function App() {
  const [role, setRole] = useState<Role>(storedRole)
  const [screenId, setScreenId] = useState(screenFromHash)
  const [current, setCurrent] = useState(initialRuntime)
  // The screens show only while the store is open: not while it starts (seeded on a first visit) or resets.
  const [phase, setPhase] = useState<"starting" | "ready" | "resetting" | "failed">("starting")
  // The store writes to IndexedDB in the background; a page being hidden (closed, reloaded) flushes it.
  useEffect(() => {
    const onHide = () => {
      if (phase === "ready") void flush(current)
    }
    window.addEventListener("pagehide", onHide)
    document.addEventListener("visibilitychange", onHide)
    return () => {
      window.removeEventListener("pagehide", onHide)
      document.removeEventListener("visibilitychange", onHide)
    }
  }, [current, phase])
  useEffect(() => {
    let live = true
    setPhase((p) => (p === "resetting" ? p : "starting"))
    ready(current).then(
      () => live && setPhase("ready"),
      (error: unknown) => {
        console.error(error)
        if (live) setPhase("failed")
      }
    )
    return () => {
      live = false
    }
  }, [current])
  useEffect(() => {
    const onHash = () => setScreenId(screenFromHash())
    window.addEventListener("hashchange", onHash)
    return () => window.removeEventListener("hashchange", onHash)
  }, [])
  useEffect(() => localStorage.setItem("openrcm-playground-role", role), [role])
  const visible = screens.filter((s) => s.roles.includes(role))
  const screen = visible.find((s) => s.id === screenId) ?? visible[0]
  const caller = callerOf(role)
  return (
    <ThemeScope theme="default" className="playground">
      <header className="playground-header">
        <h1>OpenRCM playground</h1>
        <p>
          A synthetic behavioral-health practice, running in your browser on the real packages, with no account
          anywhere. Today is <span data-testid="today">{today}</span>.
        </p>
        <div className="playground-controls">
          <label>
            Acting as{" "}
            <select value={role} onChange={(event) => setRole(event.target.value as Role)}>
              {roles.map((r) => (
                <option key={r.role} value={r.role}>
                  {r.label}
                </option>
              ))}
            </select>
          </label>
          <button
            type="button"
            disabled={phase !== "ready"}
            onClick={async () => {
              // The screens leave first, so nothing runs on the store while it is deleted.
              setPhase("resetting")
              setCurrent(await reset(current))
            }}
          >
            Reset the practice
          </button>
        </div>
        <nav aria-label="Screens">
          <ul>
            {visible.map((s) => (
              <li key={s.id}>
                <a href={`#/${s.id}`} aria-current={s.id === screen?.id ? "page" : undefined}>
                  {s.label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
      </header>
      <main>
        {phase === "starting" ? (
          <p role="status" aria-busy="true" data-testid="phase">
            Opening the practice in your browser. The first visit writes five months of synthetic history through the
            real operations, which takes a little while; later visits find it in this browser's storage.
          </p>
        ) : phase === "resetting" ? (
          <p role="status" aria-busy="true" data-testid="phase">
            Deleting this browser's practice and writing a fresh one…
          </p>
        ) : phase === "failed" ? (
          <p role="alert">
            The practice could not be opened in this browser (it needs IndexedDB and a secure context). The console has
            the details.
          </p>
        ) : null}
        <BillingProvider runtime={current} caller={caller}>
          {screen && phase === "ready" ? (
            <section aria-labelledby="screen-title" key={`${screen.id}-${role}`}>
              <h2 id="screen-title">{screen.label}</h2>
              {screen.render(current)}
            </section>
          ) : null}
        </BillingProvider>
      </main>
    </ThemeScope>
  )
}
