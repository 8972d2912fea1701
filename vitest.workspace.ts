// The test projects. vitest 5 no longer reads a file of this name by itself: vitest.config.ts imports this
// list, so this file is the one place that says what `pnpm test` runs.

import { fileURLToPath } from "node:url"
import { storybookTest } from "@storybook/addon-vitest/vitest-plugin"
import { playwright } from "@vitest/browser-playwright"
import type { TestProjectInlineConfiguration } from "vitest/config"
import { chromiumArgs, chromiumPath } from "./scripts/chromium.js"

// Packages are tested from their sources through this export condition, so tests need no build.
const react18 = fileURLToPath(new URL("./compat/react18/node_modules", import.meta.url))

const sourceConditions = ["@openrcm/source", "module", "browser", "development|production"]
const sourceResolve = {
  resolve: { conditions: sourceConditions },
  ssr: { resolve: { conditions: ["@openrcm/source", "module", "node", "development|production"] } }
}

const allProjects: Array<TestProjectInlineConfiguration> = [
  {
    ...sourceResolve,
    test: { name: "core", root: "packages/core", include: ["test/**/*.test.ts"], environment: "node" }
  },
  {
    ...sourceResolve,
    test: {
      name: "cli",
      root: "packages/cli",
      include: ["test/**/*.test.ts"],
      environment: "node",
      globalSetup: ["test/build.global.ts"],
      // Each test runs the real binary: a process start and effect's load, about a second on a busy machine.
      testTimeout: 30_000
    }
  },
  {
    ...sourceResolve,
    test: { name: "x12", root: "packages/x12", include: ["test/**/*.test.ts"], environment: "node" }
  },
  {
    ...sourceResolve,
    test: {
      name: "clearinghouse-x12",
      root: "packages/clearinghouse-x12",
      include: ["test/**/*.test.ts"],
      environment: "node"
    }
  },
  {
    ...sourceResolve,
    test: {
      name: "store-sql",
      root: "packages/store-sql",
      include: ["test/**/*.test.ts"],
      environment: "node",
      // PGlite takes a few seconds to start on a busy machine.
      testTimeout: 60_000,
      hookTimeout: 60_000
    }
  },
  {
    ...sourceResolve,
    test: {
      name: "react",
      root: "packages/react",
      include: ["test/**/*.test.tsx"],
      environment: "happy-dom",
      setupFiles: ["test/setup.ts"]
    }
  },
  {
    // The same component tests on React 18.3, the oldest React the kit supports (EHR hosts are not all on 19).
    // compat/react18 installs React 18 and its own Testing Library; every import of them, from the tests and
    // from the kit's sources, is pointed there.
    ...sourceResolve,
    resolve: {
      ...sourceResolve.resolve,
      alias: [
        {
          find: /^(react|react-dom|@testing-library\/react|use-sync-external-store)(\/.*)?$/,
          replacement: `${react18}/$1$2`
        }
      ]
    },
    test: {
      name: "react18",
      root: "packages/react",
      env: { OPENRCM_REACT: "18" },
      include: ["test/**/*.test.tsx"],
      environment: "happy-dom",
      setupFiles: ["test/setup.ts"],
      // Dependencies that import React go through Vite too, so the alias reaches their imports (one React).
      server: { deps: { inline: [/@tanstack\//, /@radix-ui\//] } }
    }
  },
  {
    ...sourceResolve,
    plugins: [storybookTest({ configDir: "stories/.storybook" })],
    optimizeDeps: { include: ["react", "react-dom", "react/jsx-runtime", "react/jsx-dev-runtime", "react-dom/client"] },
    test: {
      name: "stories",
      root: "stories",
      browser: {
        enabled: true,
        headless: true,
        provider: playwright({ launchOptions: { executablePath: chromiumPath, args: chromiumArgs } }),
        instances: [{ browser: "chromium" }]
      }
    }
  },
  {
    ...sourceResolve,
    test: { name: "docs", root: "docs", include: ["examples/**/*.test.ts"], environment: "node" }
  },
  {
    test: {
      name: "packaging",
      root: "scripts/packaging",
      include: ["*.test.ts"],
      environment: "node",
      testTimeout: 180_000
    }
  },
  {
    test: {
      name: "playground-e2e",
      root: "playground",
      include: ["e2e/**/*.e2e.ts"],
      environment: "node",
      // The first visit and a reset write the demo practice into PGlite in the page: 20–40 s on a loaded machine.
      testTimeout: 240_000,
      hookTimeout: 300_000
    }
  },
  {
    // BrowserStore in headless Chromium: a harness page built by Vite, PGlite in IndexedDB, a reload and a reset.
    test: {
      name: "store-sql-browser",
      root: "packages/store-sql",
      include: ["test/browser/**/*.e2e.ts"],
      environment: "node",
      testTimeout: 120_000,
      hookTimeout: 180_000
    }
  }
]

/**
 * End-to-end runs that drive a whole app in Chromium on PGlite in the page: beside the other projects on a 2-core
 * machine a page's store answers in seconds instead of milliseconds, so CI runs them apart, after the rest
 * (`OPENRCM_TEST_GROUP=main`, then `=end-to-end`). (The playground's intermittent hangs once put down to this were a
 * PgliteClient race, fixed: an interrupted caller let go of the session while PGlite still ran its statement.)
 * Without the variable, every project runs.
 */
const endToEnd = new Set(["playground-e2e", "store-sql-browser"])
const group = process.env.OPENRCM_TEST_GROUP

export const projects: Array<TestProjectInlineConfiguration> = allProjects.filter((project) =>
  group === "main"
    ? !endToEnd.has(project.test?.name as string)
    : group === "end-to-end"
      ? endToEnd.has(project.test?.name as string)
      : true
)
