/// <reference types="node" />
// The mailbox transport contract, written once and run against every implementation (a local directory, SFTP),
// and a real OpenSSH server for the SFTP runs: `startSshd()` starts Debian's /usr/sbin/sshd (installed by
// scripts/ensure-sshd.sh) as the current user on a free port of 127.0.0.1, with a throwaway config, host key and
// client key in a temporary folder. The clearinghouse's side of the mailbox is played with node:fs on the same
// folders, since the server runs on this machine.
import { type ChildProcess, execFileSync, spawn } from "node:child_process"
import { createHash } from "node:crypto"
import { once } from "node:events"
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { mkdir, mkdtemp, readdir, readFile, rm, utimes, writeFile } from "node:fs/promises"
import { createServer } from "node:net"
import { tmpdir, userInfo } from "node:os"
import { join } from "node:path"
import { describe, expect, it } from "@effect/vitest"
import { Cause, Effect, Exit, type Layer } from "effect"
import * as Mailbox from "../src/Mailbox.js"

// ---------------------------------------------------------------------------------------------------------------
// Folders and the clearinghouse's side.

export interface Folders {
  readonly root: string
  readonly outbound: string
  readonly inbound: string
  readonly archive: string
}

/** Fresh outbound and inbound folders (the archive folder is left for the mailbox to create). */
export const freshFolders = (base: string): Promise<Folders> =>
  mkdtemp(join(base, "box-")).then(async (root) => {
    const folders = {
      root,
      outbound: join(root, "outbound"),
      inbound: join(root, "inbound"),
      archive: join(root, "inbound", "archive")
    }
    await mkdir(folders.outbound)
    await mkdir(folders.inbound)
    return folders
  })

/** The clearinghouse drops a file in the inbound folder, modified at `modifiedAt` (epoch seconds). */
export const drop = async (folder: string, name: string, content: string, modifiedAt: number) => {
  await writeFile(join(folder, name), content)
  await utimes(join(folder, name), modifiedAt, modifiedAt)
}

const names = (folder: string) => readdir(folder).then((entries) => entries.sort())

const failureOf = <A>(exit: Exit.Exit<A, Mailbox.MailboxError>): Mailbox.MailboxError => {
  if (Exit.isSuccess(exit)) throw new Error("expected a failure")
  const error = Cause.findErrorOption(exit.cause)
  if (error._tag === "None") throw new Error(`expected a MailboxError, got ${Cause.pretty(exit.cause)}`)
  return error.value
}

/** Runs `self` and returns its MailboxError. */
export const failure = <A, R>(self: Effect.Effect<A, Mailbox.MailboxError, R>) =>
  Effect.map(Effect.exit(self), failureOf)

// ---------------------------------------------------------------------------------------------------------------
// The contract.

export interface Harness {
  /** A folder the folders of each test are made in (and that the implementation can reach). */
  readonly base: () => string
  /** The implementation on these folders. */
  readonly layer: (folders: { outbound: string; inbound: string; archive?: string }) => Layer.Layer<Mailbox.Mailbox>
}

const bigContent = (bytes: number) => {
  const line = "ISA*00*          *00*          *ZZ*SUBMITTER      *ZZ*RECEIVER       *260101*1200*^*00501*~\n"
  return line.repeat(Math.ceil(bytes / line.length)).slice(0, bytes)
}

export const contract = (implementation: string, harness: Harness) =>
  describe(`Mailbox contract: ${implementation}`, () => {
    const withMailbox = <A>(
      f: (mailbox: Mailbox.Mailbox["Service"], folders: Folders) => Effect.Effect<A, Mailbox.MailboxError>
    ) =>
      Effect.gen(function* () {
        const folders = yield* Effect.promise(() => freshFolders(harness.base()))
        return yield* Effect.flatMap(Mailbox.Mailbox, (mailbox) => f(mailbox, folders)).pipe(
          Effect.provide(harness.layer(folders))
        )
      })

    it.live("put drops the file; list, read and archive take what came back, oldest first", () =>
      withMailbox((mailbox, folders) =>
        Effect.gen(function* () {
          expect(yield* mailbox.put("batch-0001.837", "ISA*00~")).toEqual({ written: true })
          expect(yield* Effect.promise(() => names(folders.outbound))).toEqual(["batch-0001.837"])
          expect(yield* Effect.promise(() => readFile(join(folders.outbound, "batch-0001.837"), "utf8"))).toBe(
            "ISA*00~"
          )

          yield* Effect.promise(async () => {
            await drop(folders.inbound, "b-835.x12", "835 body", 1_700_000_200)
            await drop(folders.inbound, "a-999.x12", "999 body é", 1_700_000_100)
            await drop(folders.inbound, "c-277.x12", "277 body", 1_700_000_100)
          })
          const listed = yield* mailbox.list()
          expect(listed.map((entry) => entry.name)).toEqual(["a-999.x12", "c-277.x12", "b-835.x12"])
          expect(listed[0]).toEqual({ name: "a-999.x12", size: 11, modifiedAt: 1_700_000_100_000 })

          expect(yield* mailbox.read("a-999.x12")).toBe("999 body é")
          yield* mailbox.archive("a-999.x12")
          expect((yield* mailbox.list()).map((entry) => entry.name)).toEqual(["c-277.x12", "b-835.x12"])
          expect(yield* Effect.promise(() => names(folders.archive))).toEqual(["a-999.x12"])
          expect(yield* Effect.promise(() => readFile(join(folders.archive, "a-999.x12"), "utf8"))).toBe("999 body é")
        })
      )
    )

    it.live("put of a name already there is a no-op, and leaves no temporary behind", () =>
      withMailbox((mailbox, folders) =>
        Effect.gen(function* () {
          expect(yield* mailbox.put("batch.837", "first")).toEqual({ written: true })
          expect(yield* mailbox.put("batch.837", "second")).toEqual({ written: false })
          expect(yield* mailbox.put("batch.837", new TextEncoder().encode("third"))).toEqual({ written: false })
          expect(yield* Effect.promise(() => names(folders.outbound))).toEqual(["batch.837"])
          expect(yield* Effect.promise(() => readFile(join(folders.outbound, "batch.837"), "utf8"))).toBe("first")
        })
      )
    )

    it.live("concurrent puts of one name write it once", () =>
      withMailbox((mailbox, folders) =>
        Effect.gen(function* () {
          const results = yield* Effect.forEach(
            ["one", "two", "three", "four"],
            (content) => mailbox.put("same.837", content),
            { concurrency: "unbounded" }
          )
          expect(results.filter((result) => result.written)).toHaveLength(1)
          expect(yield* Effect.promise(() => names(folders.outbound))).toEqual(["same.837"])
        })
      )
    )

    it.live("a concurrent lister never sees a partial file", () =>
      withMailbox((mailbox, folders) =>
        Effect.gen(function* () {
          const content = bigContent(2 * 1024 * 1024)
          const files = ["big-1.837", "big-2.837", "big-3.837", "big-4.837"]
          // The clearinghouse's view of the outbound folder: the same implementation, reading it as its inbound.
          const lister = harness.layer({ outbound: folders.root, inbound: folders.outbound })
          let writing = true
          let rounds = 0
          const seen: Array<{ readonly name: string; readonly size: number; readonly read: number }> = []
          const watch = Effect.gen(function* () {
            const watcher = yield* Mailbox.Mailbox
            while (writing) {
              rounds++
              for (const entry of yield* watcher.list()) {
                seen.push({ name: entry.name, size: entry.size, read: (yield* watcher.read(entry.name)).length })
              }
            }
          }).pipe(Effect.provide(lister))
          const write = Effect.forEach(files, (name) => mailbox.put(name, content)).pipe(
            Effect.ensuring(
              Effect.sync(() => {
                writing = false
              })
            )
          )
          const [written] = yield* Effect.all([write, watch], { concurrency: 2 })
          expect(written).toEqual(files.map(() => ({ written: true })))
          // The lister ran while the files were written, and saw some of them.
          expect(rounds).toBeGreaterThan(1)
          expect(seen.length).toBeGreaterThan(0)
          for (const entry of seen) {
            expect(files).toContain(entry.name)
            expect(entry).toMatchObject({ size: content.length, read: content.length })
          }
          expect(yield* Effect.promise(() => names(folders.outbound))).toEqual(files)
        })
      )
    )

    it.live("list skips dotfiles, temporaries, partial uploads, folders and archived files", () =>
      withMailbox((mailbox, folders) =>
        Effect.gen(function* () {
          yield* Effect.promise(async () => {
            await drop(folders.inbound, "ready.835", "835", 1_700_000_000)
            await drop(folders.inbound, ".hidden", "x", 1_700_000_000)
            await drop(folders.inbound, ".ready.835.tmp-0123456789ab", "half", 1_700_000_000)
            await drop(folders.inbound, "upload.999.part", "half", 1_700_000_000)
            await drop(folders.inbound, "upload.999.filepart", "half", 1_700_000_000)
            await drop(folders.inbound, "upload.999.TMP", "half", 1_700_000_000)
            await mkdir(join(folders.inbound, "subfolder"))
            await drop(folders.inbound, "taken.277", "277", 1_700_000_000)
          })
          yield* mailbox.archive("taken.277")
          expect((yield* mailbox.list()).map((entry) => entry.name)).toEqual(["ready.835"])
        })
      )
    )

    it.live("an archived file is never listed or read again; archiving it again is a no-op", () =>
      withMailbox((mailbox, folders) =>
        Effect.gen(function* () {
          yield* Effect.promise(() => drop(folders.inbound, "r.835", "835", 1_700_000_000))
          yield* mailbox.archive("r.835")
          yield* mailbox.archive("r.835")
          expect(yield* mailbox.list()).toEqual([])
          const error = yield* failure(mailbox.read("r.835"))
          expect(error.reason).toMatchObject({ _tag: "NotFound", name: "r.835" })
          expect(error.retryable).toBe(false)
          expect(yield* Effect.promise(() => names(folders.archive))).toEqual(["r.835"])
        })
      )
    )

    it.live("a new file under an archived name is archived beside the first, never over it", () =>
      withMailbox((mailbox, folders) =>
        Effect.gen(function* () {
          yield* Effect.promise(() => drop(folders.inbound, "daily.999", "monday", 1_700_000_000))
          yield* mailbox.archive("daily.999")
          yield* Effect.promise(() => drop(folders.inbound, "daily.999", "tuesday", 1_700_086_400))
          expect((yield* mailbox.list()).map((entry) => entry.name)).toEqual(["daily.999"])
          expect(yield* mailbox.read("daily.999")).toBe("tuesday")
          yield* mailbox.archive("daily.999")
          expect(yield* mailbox.list()).toEqual([])
          const archived = yield* Effect.promise(() => names(folders.archive))
          expect(archived).toHaveLength(2)
          expect(archived[0]).toBe("daily.999")
          expect(archived[1]).toMatch(/^daily\.999\.dup-[0-9a-f]{12}$/)
          expect(yield* Effect.promise(() => readFile(join(folders.archive, "daily.999"), "utf8"))).toBe("monday")
        })
      )
    )

    it.live("read and archive of an unknown name fail with NotFound", () =>
      withMailbox((mailbox) =>
        Effect.gen(function* () {
          expect((yield* failure(mailbox.read("nope.835"))).reason).toMatchObject({ _tag: "NotFound" })
          expect((yield* failure(mailbox.archive("nope.835"))).reason).toMatchObject({ _tag: "NotFound" })
        })
      )
    )

    it.live("a missing inbound folder is NotFound, not retryable", () =>
      Effect.gen(function* () {
        const folders = yield* Effect.promise(() => freshFolders(harness.base()))
        const missing = join(folders.root, "no-such-folder")
        const error = yield* failure(
          Effect.flatMap(Mailbox.Mailbox, (mailbox) => mailbox.list()).pipe(
            Effect.provide(harness.layer({ outbound: folders.outbound, inbound: missing }))
          )
        )
        expect(error.reason).toMatchObject({ _tag: "NotFound", name: missing })
        expect(error.retryable).toBe(false)
      })
    )

    it.live("names that are not one visible path segment are defects", () =>
      withMailbox((mailbox) =>
        Effect.gen(function* () {
          for (const name of ["../escape", "a/b", ".hidden", "", "a\\b"]) {
            const exit = yield* Effect.exit(mailbox.put(name, "x"))
            expect(Exit.isFailure(exit) && Cause.hasDies(exit.cause)).toBe(true)
          }
        })
      )
    )
  })

// ---------------------------------------------------------------------------------------------------------------
// A real OpenSSH server.

export const sshdPath = process.env.SSHD_PATH ?? "/usr/sbin/sshd"

export interface Sshd {
  readonly dir: string
  readonly port: number
  readonly username: string
  /** The client key in authorized_keys, and one the server does not know. */
  readonly clientKey: string
  readonly otherKey: string
  /** The public key of `otherKey`: as a host key, one the server does not have. */
  readonly otherPublicKey: string
  /** The server's public key line, and its SHA-256 fingerprint. */
  readonly hostKey: string
  readonly hostFingerprint: string
  /** How many SSH connections the server has open (one child process each). */
  readonly connections: () => number
  /** Stops the server and ends its open sessions; `start` starts it again on the same port. */
  readonly stop: () => Promise<void>
  readonly start: () => Promise<void>
}

/** A port nothing listens on (yet). */
export const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer()
    server.once("error", reject)
    server.listen(0, "127.0.0.1", () => {
      const address = server.address()
      const port = typeof address === "object" && address !== null ? address.port : 0
      server.close(() => resolve(port))
    })
  })

const keygen = (path: string) => {
  execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", "openrcm-test", "-f", path])
  return readFileSync(path, "utf8")
}

const childrenOf = (pid: number): Array<number> => {
  const children: Array<number> = []
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue
    try {
      // /proc/<pid>/stat: "pid (comm) state ppid ..."; comm may hold spaces, so read after the last ')'.
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8")
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1])
      if (ppid === pid) children.push(Number(entry))
    } catch {
      // Exited while we looked.
    }
  }
  return children
}

export const startSshd = async (): Promise<Sshd> => {
  if (!existsSync(sshdPath)) throw new Error(`no sshd at ${sshdPath}: run scripts/ensure-sshd.sh`)
  const dir = await mkdtemp(join(tmpdir(), "openrcm-sshd-"))
  const port = await freePort()
  const username = userInfo().username
  const root = process.getuid?.() === 0
  // As root, sshd wants its privilege separation folder (a system service would have made it).
  if (root) mkdirSync("/run/sshd", { recursive: true, mode: 0o755 })
  keygen(join(dir, "host_key"))
  const clientKey = keygen(join(dir, "client_key"))
  const otherKey = keygen(join(dir, "other_key"))
  writeFileSync(join(dir, "authorized_keys"), readFileSync(join(dir, "client_key.pub")))
  const hostKey = readFileSync(join(dir, "host_key.pub"), "utf8").trim()
  const blob = Buffer.from(hostKey.split(" ")[1] ?? "", "base64")
  const hostFingerprint = `SHA256:${createHash("sha256").update(blob).digest("base64").replace(/=+$/, "")}`
  writeFileSync(
    join(dir, "sshd_config"),
    [
      `ListenAddress 127.0.0.1:${port}`,
      `HostKey ${join(dir, "host_key")}`,
      `PidFile ${join(dir, "sshd.pid")}`,
      `AuthorizedKeysFile ${join(dir, "authorized_keys")}`,
      "AuthenticationMethods publickey",
      "PubkeyAuthentication yes",
      "PasswordAuthentication no",
      "KbdInteractiveAuthentication no",
      root ? "PermitRootLogin prohibit-password" : "",
      "UsePAM no",
      "StrictModes no",
      "Subsystem sftp internal-sftp",
      "LogLevel INFO",
      ""
    ].join("\n")
  )

  let server: ChildProcess | undefined
  let log = ""
  const start = () =>
    new Promise<void>((resolve, reject) => {
      log = ""
      // -D: stay in the foreground, so the child is the listener; -e: log to stderr. sshd re-executes itself,
      // so it needs its absolute path.
      const child = spawn(sshdPath, ["-D", "-e", "-f", join(dir, "sshd_config")], {
        stdio: ["ignore", "ignore", "pipe"]
      })
      server = child
      const timer = setTimeout(() => reject(new Error(`sshd did not start:\n${log}`)), 10_000)
      child.stderr?.setEncoding("utf8")
      child.stderr?.on("data", (chunk: string) => {
        log += chunk
        if (log.includes("Server listening")) {
          clearTimeout(timer)
          resolve()
        }
      })
      child.once("exit", (code) => {
        clearTimeout(timer)
        reject(new Error(`sshd exited (${code}):\n${log}`))
      })
    })
  const stop = async () => {
    const child = server
    server = undefined
    if (child === undefined || child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return
    const exited = once(child, "exit")
    // The listener's exit leaves open sessions running: end them too, as a crashed or rebooted server would,
    // and let the listener reap them before it goes (else they linger as zombies).
    for (const pid of childrenOf(child.pid)) {
      try {
        process.kill(pid, "SIGTERM")
      } catch {
        // Gone already.
      }
    }
    const listener = child.pid
    await eventually(() => childrenOf(listener).length === 0, 2_000).catch(() => undefined)
    child.kill("SIGTERM")
    await exited
  }
  await start()
  return {
    dir,
    port,
    username,
    clientKey,
    otherKey,
    otherPublicKey: readFileSync(join(dir, "other_key.pub"), "utf8").trim(),
    hostKey,
    hostFingerprint,
    connections: () => (server?.pid === undefined ? 0 : childrenOf(server.pid).length),
    start,
    stop
  }
}

/** Stops the server and removes its folder. */
export const removeSshd = async (sshd: Sshd | undefined) => {
  if (sshd === undefined) return
  await sshd.stop()
  await rm(sshd.dir, { recursive: true, force: true })
}

/** Removes a test folder. */
export const removeFolder = (path: string) => rmSync(path, { recursive: true, force: true })

/** Waits until `check` holds (polling), up to `millis`. */
export const eventually = async (check: () => boolean, millis = 3_000) => {
  const until = Date.now() + millis
  while (!check()) {
    if (Date.now() > until) throw new Error("condition not met in time")
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
}
