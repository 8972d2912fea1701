import { cleanup, configure } from "@testing-library/react"
import { afterEach } from "vitest"

// Testing Library cleans up by itself only when vitest's globals are on; they are off here.
afterEach(cleanup)

// findBy* waits for operations that run on a real runtime (a seeded in-memory store); on a loaded 2-core CI
// machine one second is not always enough. Waiting longer costs nothing when things are quick.
configure({ asyncUtilTimeout: 10_000 })
