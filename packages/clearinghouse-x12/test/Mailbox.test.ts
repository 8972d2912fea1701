/// <reference types="node" />
// The directory mailbox: the transport contract on local folders, and what only a file system shows (the
// temporary a failed write leaves nowhere, file permissions, a crash between link and unlink while archiving).
import { link, mkdir, mkdtemp, readdir, stat } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import * as Mailbox from "../src/Mailbox.js"
import { contract, drop, failure, freshFolders, removeFolder } from "./mailbox-support.js"

let base = ""
beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), "openrcm-mailbox-"))
})
afterAll(() => removeFolder(base))

contract("directory", { base: () => base, layer: Mailbox.layerDirectory })

describe("Mailbox.layerDirectory", () => {
  const use = <A>(
    folders: { outbound: string; inbound: string },
    f: (mailbox: Mailbox.Mailbox["Service"]) => Effect.Effect<A, Mailbox.MailboxError>
  ) => Effect.flatMap(Mailbox.Mailbox, f).pipe(Effect.provide(Mailbox.layerDirectory(folders)))

  it.live("creates files readable by their owner only", () =>
    Effect.gen(function* () {
      const folders = yield* Effect.promise(() => freshFolders(base))
      yield* use(folders, (mailbox) => mailbox.put("batch.837", "ISA~"))
      const { mode } = yield* Effect.promise(() => stat(join(folders.outbound, "batch.837")))
      expect(mode & 0o777).toBe(0o600)
    })
  )

  it.live("finishes an archive that stopped between its link and its unlink", () =>
    Effect.gen(function* () {
      const folders = yield* Effect.promise(() => freshFolders(base))
      yield* Effect.promise(async () => {
        await drop(folders.inbound, "half.835", "835", 1_700_000_000)
        await mkdir(folders.archive)
        await link(join(folders.inbound, "half.835"), join(folders.archive, "half.835"))
      })
      // The inbound name is still there, so the file is listed again (at least once)...
      expect(yield* use(folders, (mailbox) => mailbox.list())).toHaveLength(1)
      // ...and archiving it again completes the move without a duplicate.
      yield* use(folders, (mailbox) => mailbox.archive("half.835"))
      expect(yield* use(folders, (mailbox) => mailbox.list())).toEqual([])
      expect(yield* Effect.promise(() => readdir(folders.archive))).toEqual(["half.835"])
    })
  )

  it.live("a missing outbound folder fails put with NotFound and leaves nothing", () =>
    Effect.gen(function* () {
      const folders = yield* Effect.promise(() => freshFolders(base))
      const outbound = join(folders.root, "gone")
      const error = yield* failure(use({ ...folders, outbound }, (mailbox) => mailbox.put("batch.837", "ISA~")))
      expect(error.reason).toMatchObject({ _tag: "NotFound", name: outbound })
      expect(yield* Effect.promise(() => readdir(folders.root))).toEqual(["inbound", "outbound"])
    })
  )
})
