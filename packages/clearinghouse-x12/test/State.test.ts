/// <reference types="node" />
// The adapters' local key–value store: one behaviour for memory and a folder, and what only a folder shows
// (file names for any key, no temporaries left, owner-only files, a value that is not JSON).
import { mkdtemp, readdir, stat, writeFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import { Effect, Option } from "effect"
import * as State from "../src/State.js"
import { removeFolder } from "./mailbox-support.js"

let base = ""
beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), "openrcm-state-"))
})
afterAll(() => removeFolder(base))

const freshFolder = () => Effect.promise(() => mkdtemp(join(base, "state-")))

const behaves = (name: string, make: () => Effect.Effect<State.State["Service"]>) =>
  describe(`State: ${name}`, () => {
    it.effect("get, set, replace and remove; values come back as copies", () =>
      Effect.gen(function* () {
        const state = yield* make()
        expect(yield* state.get("submission/a")).toEqual(Option.none())
        const value = { status: "pending", claimIds: ["c-1"] }
        yield* state.set("submission/a", value)
        value.claimIds.push("c-2")
        expect(yield* state.get("submission/a")).toEqual(Option.some({ status: "pending", claimIds: ["c-1"] }))
        yield* state.set("submission/a", { status: "sent" })
        expect(yield* state.get("submission/a")).toEqual(Option.some({ status: "sent" }))
        expect(yield* state.get("submission/b")).toEqual(Option.none())
        yield* state.remove("submission/a")
        yield* state.remove("submission/a")
        expect(yield* state.get("submission/a")).toEqual(Option.none())
      })
    )

    it.effect("keys that differ only in characters a file name cannot hold stay apart", () =>
      Effect.gen(function* () {
        const state = yield* make()
        const keys = ["a/b", "a_b", "a_2fb", "a:b", "a.b", ".a", "", "é", "A/B", "a/b/", "x".repeat(400)]
        for (const [i, key] of keys.entries()) yield* state.set(key, i)
        for (const [i, key] of keys.entries()) expect(yield* state.get(key)).toEqual(Option.some(i))
      })
    )

    it.effect("a value that is not JSON is refused", () =>
      Effect.gen(function* () {
        const state = yield* make()
        const error = yield* Effect.flip(state.set("k", undefined))
        expect(error).toMatchObject({ _tag: "StateError", kind: "corrupt" })
        expect(error.retryable).toBe(false)
      })
    )
  })

behaves("memory", () => Effect.sync(State.makeMemory))
behaves("directory", () => Effect.map(freshFolder(), (folder) => State.makeDirectory({ folder: join(folder, "s") })))

describe("State.makeDirectory", () => {
  it("names files safely: no dot first, no separator, within 255 characters, one key per name", () => {
    const keys = ["submission/a:b", "a_b", "a/b", ".hidden", "..", "", "x".repeat(1000), "x".repeat(1001)]
    const files = keys.map(State.fileNameOf)
    expect(new Set(files).size).toBe(keys.length)
    for (const file of files) {
      expect(file).not.toMatch(/^\./)
      expect(file).not.toMatch(/[/\\:\0]/)
      expect(file.length).toBeLessThanOrEqual(255)
    }
    expect(State.fileNameOf("submission/batch-1")).toBe("submission_2fbatch-1.json")
  })

  it.effect("writes owner-only files, leaves no temporaries, and reports a file that is not JSON as corrupt", () =>
    Effect.gen(function* () {
      const folder = join(yield* freshFolder(), "state")
      const state = State.makeDirectory({ folder })
      for (let i = 0; i < 5; i++) yield* state.set("control-numbers", [{ last: i }])
      expect(yield* Effect.promise(() => readdir(folder))).toEqual(["control-numbers.json"])
      const { mode } = yield* Effect.promise(() => stat(join(folder, "control-numbers.json")))
      expect(mode & 0o777).toBe(0o600)
      yield* Effect.promise(() => writeFile(join(folder, "control-numbers.json"), "{ half"))
      const error = yield* Effect.flip(state.get("control-numbers"))
      expect(error).toMatchObject({ _tag: "StateError", kind: "corrupt" })
      expect(error.message).not.toContain("half")
    })
  )

  it.effect("a folder that cannot be made is an io failure, retryable", () =>
    Effect.gen(function* () {
      const parent = yield* freshFolder()
      yield* Effect.promise(() => writeFile(join(parent, "file"), "x"))
      const state = State.makeDirectory({ folder: join(parent, "file", "state") })
      const error = yield* Effect.flip(state.set("k", 1))
      expect(error).toMatchObject({ _tag: "StateError", kind: "io" })
      expect(error.retryable).toBe(true)
    })
  )
})
