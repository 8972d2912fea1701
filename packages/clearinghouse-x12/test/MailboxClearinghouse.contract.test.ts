/// <reference types="node" />
// The Clearinghouse contract on the mailbox clearinghouse, over a local folder and over SFTP against a real
// OpenSSH server (mailbox-support.ts starts it), with a real far side: `settle` runs the remote clearinghouse's
// loop (mailbox-clearinghouse-support.ts), which takes the 837s, adjudicates them in the sandbox and drops its
// 999, 277CA and 835 files in the inbound folder. Failures are injected into the mailbox (and the eligibility
// channel); the mailbox has no Timeout reason, so only Unavailable and Refused are injected.
import { mkdtemp } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, beforeAll } from "@effect/vitest"
import { Effect, Layer, Redacted } from "effect"
import { clearinghouseContract } from "../../core/test/clearinghouse/contract.js"
import * as Mailbox from "../src/Mailbox.js"
import * as Sftp from "../src/Sftp.js"
import { adapterLayer, freshBox, makeRemote, type Remote } from "./mailbox-clearinghouse-support.js"
import { removeFolder, removeSshd, type Sshd, startSshd } from "./mailbox-support.js"

let base = ""
let sshd: Sshd | undefined
beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), "openrcm-mailbox-ch-"))
  sshd = await startSshd()
}, 20_000)
afterAll(async () => {
  await removeSshd(sshd)
  removeFolder(base)
})

// Each test builds a fresh adapter; `settle` runs the far side of the one built last.
let current: Remote | undefined
const settle = Effect.suspend(() => current?.settle ?? Effect.die(new Error("no remote clearinghouse yet")))

const runner =
  (folder: () => string, transport: Parameters<typeof adapterLayer>[1]) => (setup: Parameters<typeof makeRemote>[1]) =>
    Layer.unwrap(
      Effect.gen(function* () {
        const box = yield* Effect.promise(() => freshBox(folder()))
        const remote = yield* makeRemote(box, setup)
        current = remote
        return adapterLayer(remote, transport)
      })
    )

clearinghouseContract(
  "MailboxClearinghouse over a local folder",
  runner(() => base, Mailbox.layerDirectory),
  { settle, injects: ["Unavailable", "Refused"], timeout: 20_000 }
)

const sftpOf = (box: { outbound: string; inbound: string; archive: string }): Sftp.Options => {
  if (sshd === undefined) throw new Error("sshd is not running")
  return {
    host: "127.0.0.1",
    port: sshd.port,
    username: sshd.username,
    privateKey: Redacted.make(sshd.clientKey),
    hostKeys: [sshd.hostKey],
    readyTimeout: "5 seconds",
    outbound: box.outbound,
    inbound: box.inbound,
    archive: box.archive
  }
}

clearinghouseContract(
  "MailboxClearinghouse over SFTP (OpenSSH)",
  runner(
    () => sshd?.dir ?? base,
    (box) => Sftp.layer(sftpOf(box))
  ),
  { settle, injects: ["Unavailable", "Refused"], timeout: 30_000 }
)
