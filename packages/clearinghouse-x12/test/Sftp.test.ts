/// <reference types="node" />
// The SFTP mailbox against a real OpenSSH server on 127.0.0.1 (started here, see mailbox-support.ts): the
// transport contract, then what only a network shows: authentication and host keys, a server that is down,
// silent or restarted, and the connection's life with the layer.
import { once } from "node:events"
import { createServer, type Server, type Socket } from "node:net"
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import { Effect, Layer, Redacted } from "effect"
import * as Mailbox from "../src/Mailbox.js"
import * as Sftp from "../src/Sftp.js"
import {
  contract,
  drop,
  eventually,
  failure,
  freePort,
  freshFolders,
  removeSshd,
  type Sshd,
  startSshd
} from "./mailbox-support.js"

let sshd: Sshd
beforeAll(async () => {
  sshd = await startSshd()
}, 20_000)
afterAll(() => removeSshd(sshd))

const options = (folders: { outbound: string; inbound: string; archive?: string }): Sftp.Options => ({
  host: "127.0.0.1",
  port: sshd.port,
  username: sshd.username,
  privateKey: Redacted.make(sshd.clientKey),
  hostKeys: [sshd.hostKey],
  readyTimeout: "5 seconds",
  ...folders
})

contract("sftp", { base: () => sshd.dir, layer: (folders) => Sftp.layer(options(folders)) })

const list = (layer: Layer.Layer<Mailbox.Mailbox>) =>
  Effect.flatMap(Mailbox.Mailbox, (mailbox) => mailbox.list()).pipe(Effect.provide(layer))

describe("Sftp.layer", () => {
  it.live("a key the server does not know is Refused, not retryable, and the message holds no secret", () =>
    Effect.gen(function* () {
      const folders = yield* Effect.promise(() => freshFolders(sshd.dir))
      const error = yield* failure(list(Sftp.layer({ ...options(folders), privateKey: sshd.otherKey })))
      expect(error.reason).toMatchObject({ _tag: "Refused", detail: "connect: authentication failed" })
      expect(error.retryable).toBe(false)
      const rendered = `${error.message} ${JSON.stringify(error)} ${String(error)}`
      expect(rendered).not.toContain(sshd.otherKey.split("\n")[1])
      expect(rendered).not.toContain(folders.inbound)
    })
  )

  it.live("an unusable private key is Refused", () =>
    Effect.gen(function* () {
      const folders = yield* Effect.promise(() => freshFolders(sshd.dir))
      const error = yield* failure(list(Sftp.layer({ ...options(folders), privateKey: "not a key" })))
      expect(error.reason).toMatchObject({ _tag: "Refused", detail: "connect: unusable private key" })
    })
  )

  it.live("verifies the host key: its fingerprint passes, another key is Refused", () =>
    Effect.gen(function* () {
      const folders = yield* Effect.promise(() => freshFolders(sshd.dir))
      expect(yield* list(Sftp.layer({ ...options(folders), hostKeys: [sshd.hostFingerprint] }))).toEqual([])
      const error = yield* failure(list(Sftp.layer({ ...options(folders), hostKeys: [sshd.otherPublicKey] })))
      expect(error.reason).toMatchObject({
        _tag: "Refused",
        detail: "connect: handshake failed (host key or algorithms)"
      })
    })
  )

  it.live("nothing listening is Unavailable and retryable", () =>
    Effect.gen(function* () {
      const folders = yield* Effect.promise(() => freshFolders(sshd.dir))
      const port = yield* Effect.promise(freePort)
      const error = yield* failure(list(Sftp.layer({ ...options(folders), port })))
      expect(error.reason).toMatchObject({ _tag: "Unavailable", detail: "connect: ECONNREFUSED" })
      expect(error.retryable).toBe(true)
    })
  )

  it.live("a server that accepts but never speaks times out as Unavailable", () =>
    Effect.gen(function* () {
      const folders = yield* Effect.promise(() => freshFolders(sshd.dir))
      const sockets = new Set<Socket>()
      const silent = yield* Effect.acquireRelease(
        Effect.promise(async () => {
          const server: Server = createServer((socket) => sockets.add(socket))
          server.listen(0, "127.0.0.1")
          await once(server, "listening")
          return server
        }),
        (server) =>
          Effect.promise(() => {
            for (const socket of sockets) socket.destroy()
            return new Promise<void>((resolve) => server.close(() => resolve()))
          })
      )
      const address = silent.address()
      const port = typeof address === "object" && address !== null ? address.port : 0
      const error = yield* failure(list(Sftp.layer({ ...options(folders), port, readyTimeout: 300 })))
      expect(error.reason).toMatchObject({ _tag: "Unavailable", detail: "connect: timeout" })
      expect(error.retryable).toBe(true)
    }).pipe(Effect.scoped)
  )

  it.live("one connection for the layer's life, closed with it", () =>
    Effect.gen(function* () {
      const folders = yield* Effect.promise(() => freshFolders(sshd.dir))
      yield* Effect.promise(() => eventually(() => sshd.connections() === 0))
      yield* Effect.gen(function* () {
        const mailbox = yield* Mailbox.Mailbox
        yield* Effect.all([mailbox.list(), mailbox.put("a.837", "a"), mailbox.put("b.837", "b"), mailbox.list()], {
          concurrency: "unbounded"
        })
        expect(sshd.connections()).toBe(1)
      }).pipe(Effect.provide(Sftp.layer(options(folders))))
      yield* Effect.promise(() => eventually(() => sshd.connections() === 0))
    })
  )

  it.live("a server that goes down is Unavailable; the next operation after it is back reconnects", () =>
    Effect.gen(function* () {
      const folders = yield* Effect.promise(() => freshFolders(sshd.dir))
      yield* Effect.promise(() => drop(folders.inbound, "r.835", "835", 1_700_000_000))
      const mailbox = yield* Effect.provide(Mailbox.Mailbox, yield* Layer.build(Sftp.layer(options(folders))))
      expect(yield* mailbox.list()).toHaveLength(1)

      yield* Effect.promise(() => sshd.stop())
      const error = yield* failure(mailbox.read("r.835"))
      expect(error.reason._tag).toBe("Unavailable")
      expect(error.retryable).toBe(true)
      // Still down: a new connection is refused.
      expect((yield* failure(mailbox.list())).reason).toMatchObject({ _tag: "Unavailable" })

      yield* Effect.promise(() => sshd.start())
      expect(yield* mailbox.read("r.835")).toBe("835")
      yield* mailbox.archive("r.835")
      expect(yield* mailbox.list()).toEqual([])
    }).pipe(Effect.scoped)
  )
})
