/**
 * The X12 mailbox over SFTP (on `ssh2`, pure JavaScript): the same contract as the directory mailbox (see
 * `Mailbox`). Node only.
 *
 * - One SSH connection, opened at the first operation and shared by the ones that follow; a dropped connection
 *   (reset, keepalive timeout, an operation that timed out) is reopened by the next operation, and the last one
 *   is closed with the layer.
 * - `put` writes a temporary dotfile, flushes it (`fsync@openssh.com` when the server has it), then renames it
 *   with the plain SFTP rename, which never replaces an existing file (the SFTP v3 rule; OpenSSH does it with a
 *   hard link): a name already there means the file was already written. Only when that rename fails and the
 *   name is still free does it try `posix-rename@openssh.com` (a server that cannot hard-link).
 * - `list` reads the folder's attributes: regular files only (symbolic links are skipped), and modification
 *   times in whole seconds, on the server's clock.
 * - Verify the server: `hostKeys` takes its public key (`ssh-ed25519 AAAA...`, as in known_hosts) or its SHA-256
 *   fingerprint (`SHA256:...`, as `ssh-keygen -lf` prints it). Without it any host key is accepted, and a warning
 *   is logged at each connection.
 * - Failures: connection refused, reset or timed out, a lost connection → `Unavailable` (retryable); failed
 *   authentication, an unknown host key, permission denied → `Refused`; no such file → `NotFound`. Messages
 *   carry the operation and a short cause, never credentials, paths' contents or server messages.
 *
 * @since 0.1.0
 */
/// <reference types="node" />
import { createHash } from "node:crypto"
import { posix } from "node:path"
import { Duration, Effect, Layer, Redacted, type Scope, Semaphore } from "effect"
import type { ConnectConfig, FileEntryWithStats, SFTPWrapper, Stats } from "ssh2"
import ssh2 from "ssh2"
import {
  checkName,
  duplicateName,
  type Entry,
  isReadyName,
  Mailbox,
  type MailboxError,
  notFound,
  oldestFirst,
  type PutResult,
  refused,
  temporaryName,
  unavailable
} from "./Mailbox.js"

type Secret = string | Redacted.Redacted<string>

/**
 * @since 0.1.0
 */
export interface Options {
  readonly host: string
  /** Default 22. */
  readonly port?: number | undefined
  readonly username: string
  /** An OpenSSH or PEM private key. */
  readonly privateKey?: Secret | Uint8Array | undefined
  /** For an encrypted private key. */
  readonly passphrase?: Secret | undefined
  readonly password?: Secret | undefined
  /** The server's public key or SHA-256 fingerprint (several during a key rotation). */
  readonly hostKeys?: ReadonlyArray<string> | undefined
  /** Where `put` drops files (a path on the server). */
  readonly outbound: string
  /** Where `list` and `read` look. */
  readonly inbound: string
  /** Where `archive` moves files; default `<inbound>/archive`. Created when needed. */
  readonly archive?: string | undefined
  /** How long the connection and handshake may take; default 20 seconds. */
  readonly readyTimeout?: Duration.Input | undefined
  /** How long one operation may take, connecting included; default 2 minutes. */
  readonly operationTimeout?: Duration.Input | undefined
  /** How often an idle connection is probed (3 unanswered probes close it); default 15 seconds. */
  readonly keepaliveInterval?: Duration.Input | undefined
}

interface Session {
  readonly client: ssh2.Client
  readonly sftp: SFTPWrapper
  readonly extensions: ReadonlySet<string>
  closed: boolean
  archiveReady: boolean
}

// ---------------------------------------------------------------------------------------------------------------
// Failures.

/** SFTP status codes (draft-ietf-secsh-filexfer-02). */
const status = { noSuchFile: 2, permissionDenied: 3, failure: 4, noConnection: 6, connectionLost: 7, unsupported: 8 }

const sftpCode = (error: unknown): number | undefined =>
  typeof error === "object" && error !== null && typeof (error as { code?: unknown }).code === "number"
    ? (error as { code: number }).code
    : undefined

/** Whether the connection itself failed (no status from the server): the session must be dropped. */
const isConnectionFailure = (error: unknown): boolean => {
  const code = sftpCode(error)
  return code === undefined || code === status.noConnection || code === status.connectionLost
}

const fromSftp = (operation: string, error: unknown, missing: string): MailboxError => {
  switch (sftpCode(error)) {
    case status.noSuchFile:
      return notFound(missing)
    case status.permissionDenied:
      return refused(`${operation}: permission denied`)
    case status.unsupported:
      return refused(`${operation}: operation not supported`)
    case status.failure:
      return unavailable(`${operation}: failure`)
    case undefined:
    case status.noConnection:
    case status.connectionLost:
      return unavailable(`${operation}: connection lost`)
    default:
      return unavailable(`${operation}: error`)
  }
}

const fromConnection = (error: unknown): MailboxError => {
  const { level, code } = (typeof error === "object" && error !== null ? error : {}) as {
    level?: unknown
    code?: unknown
  }
  switch (level) {
    case "client-authentication":
      return refused("connect: authentication failed")
    case "handshake":
      return refused("connect: handshake failed (host key or algorithms)")
    case "client-timeout":
      return unavailable("connect: timeout")
    case "client-socket":
    case "client-dns":
      return unavailable(`connect: ${typeof code === "string" ? code : "socket error"}`)
    default:
      return unavailable("connect: protocol error")
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Connecting.

/** The raw public key a `hostKeys` entry names, or its SHA-256 fingerprint. */
const hostKeyMatcher = (entries: ReadonlyArray<string>): ((key: Buffer) => boolean) => {
  const fingerprints = new Set<string>()
  for (const entry of entries) {
    const trimmed = entry.trim()
    if (trimmed.startsWith("SHA256:")) {
      fingerprints.add(trimmed.replace(/=+$/, ""))
      continue
    }
    // `type base64 [comment]`, possibly after the host names of a known_hosts line.
    const fields = trimmed.split(/\s+/)
    const index = fields.findIndex((field) => /^(ssh-|ecdsa-|sk-)/.test(field))
    const blob = index >= 0 ? fields[index + 1] : undefined
    if (blob === undefined) throw new Error("Sftp: a hostKeys entry is neither a public key nor a SHA256 fingerprint")
    fingerprints.add(fingerprintOf(Buffer.from(blob, "base64")))
  }
  return (key) => fingerprints.has(fingerprintOf(key))
}

/**
 * The SHA-256 fingerprint of a raw public key, as OpenSSH prints it (`SHA256:` and unpadded base64).
 *
 * @since 0.1.0
 */
export const fingerprintOf = (key: Uint8Array): string =>
  `SHA256:${createHash("sha256").update(key).digest("base64").replace(/=+$/, "")}`

const reveal = (secret: Secret | Uint8Array): string | Buffer =>
  Redacted.isRedacted(secret)
    ? Redacted.value(secret)
    : typeof secret === "string"
      ? secret
      : Buffer.from(secret.buffer, secret.byteOffset, secret.byteLength)

const millis = (input: Duration.Input | undefined, fallback: number): number =>
  input === undefined ? fallback : Duration.toMillis(Duration.fromInputUnsafe(input))

const connectConfig = (options: Options): ConnectConfig => {
  const config: ConnectConfig = {
    host: options.host,
    port: options.port ?? 22,
    username: options.username,
    readyTimeout: millis(options.readyTimeout, 20_000),
    keepaliveInterval: millis(options.keepaliveInterval, 15_000),
    keepaliveCountMax: 3
  }
  if (options.privateKey !== undefined) config.privateKey = reveal(options.privateKey)
  if (options.passphrase !== undefined) config.passphrase = reveal(options.passphrase)
  if (options.password !== undefined) config.password = reveal(options.password) as string
  if (options.hostKeys !== undefined) config.hostVerifier = hostKeyMatcher(options.hostKeys)
  return config
}

/** The SFTP extensions the server announced (ssh2 keeps them on the session, unexposed in its types). */
const extensionsOf = (sftp: SFTPWrapper): ReadonlySet<string> => {
  const announced = (sftp as unknown as { _extensions?: Record<string, string> })._extensions ?? {}
  return new Set(Object.keys(announced).filter((name) => announced[name] === "1"))
}

const connect = (config: ConnectConfig): Effect.Effect<Session, MailboxError> =>
  Effect.callback<Session, MailboxError>((resume) => {
    const client = new ssh2.Client()
    let settled = false
    let session: Session | undefined
    const fail = (error: MailboxError) => {
      if (settled) return
      settled = true
      client.destroy()
      resume(Effect.fail(error))
    }
    const markClosed = () => {
      if (session !== undefined) session.closed = true
    }
    // Listeners stay for the connection's life: an 'error' event without a listener would crash the process.
    client.on("error", (error) => {
      markClosed()
      fail(fromConnection(error))
    })
    client.on("close", () => {
      markClosed()
      fail(unavailable("connect: connection closed"))
    })
    client.on("ready", () => {
      client.sftp((error, sftp) => {
        if (error !== undefined && error !== null) return fail(refused("connect: no SFTP subsystem"))
        const opened: Session = {
          client,
          sftp,
          extensions: extensionsOf(sftp),
          closed: false,
          archiveReady: false
        }
        session = opened
        sftp.on("close", markClosed)
        sftp.on("error", markClosed)
        settled = true
        resume(Effect.succeed(opened))
      })
    })
    try {
      client.connect(config)
      // SFTP is request and answer: without this, Nagle's algorithm and delayed acknowledgements add about 40 ms
      // to every round trip.
      client.setNoDelay(true)
    } catch {
      // ssh2 throws on a key it cannot parse (or an encrypted key without its passphrase).
      fail(refused("connect: unusable private key"))
    }
    return Effect.sync(() => {
      if (!settled) {
        settled = true
        client.destroy()
      }
    })
  })

// ---------------------------------------------------------------------------------------------------------------
// SFTP calls as promises.

type Callback<A> = (error: Error | null | undefined, value: A) => void

const call = <A = void>(f: (callback: Callback<A>) => void): Promise<A> =>
  new Promise<A>((resolve, reject) => {
    f((error, value) => (error !== undefined && error !== null ? reject(error) : resolve(value)))
  })

const statOf = async (sftp: SFTPWrapper, path: string): Promise<Stats | undefined> => {
  try {
    return await call<Stats>((callback) => sftp.stat(path, callback))
  } catch (error) {
    if (sftpCode(error) === status.noSuchFile) return undefined
    throw error
  }
}

const removeQuietly = async (sftp: SFTPWrapper, path: string): Promise<void> => {
  try {
    await call((callback) => sftp.unlink(path, callback))
  } catch {
    // Gone already, or the connection is: a leftover temporary is a dotfile that `list` skips.
  }
}

const writeFile = async (session: Session, path: string, data: Buffer): Promise<void> => {
  const { sftp } = session
  const handle = await call<Buffer>((callback) => sftp.open(path, "wx", callback))
  let failed = true
  try {
    if (data.length > 0) await call((callback) => sftp.write(handle, data, 0, data.length, 0, callback))
    if (session.extensions.has("fsync@openssh.com")) {
      await call<unknown>((callback) => sftp.ext_openssh_fsync(handle, callback))
    }
    failed = false
  } finally {
    const closing = call((callback) => sftp.close(handle, callback))
    // A failed close after a failed write must not hide the write's failure.
    await (failed ? closing.catch(() => undefined) : closing)
  }
}

const ensureFolder = async (session: Session, path: string): Promise<void> => {
  if (session.archiveReady) return
  const { sftp } = session
  try {
    await call((callback) => sftp.mkdir(path, callback))
  } catch (error) {
    if (!(await statOf(sftp, path))?.isDirectory()) throw error
  }
  session.archiveReady = true
}

// ---------------------------------------------------------------------------------------------------------------
// The mailbox.

/**
 * A mailbox over SFTP, its connection closed with the scope.
 *
 * @since 0.1.0
 */
export const make = (options: Options): Effect.Effect<Mailbox["Service"], never, Scope.Scope> =>
  Effect.gen(function* () {
    const config = connectConfig(options)
    const { outbound, inbound } = options
    const archiveFolder = options.archive ?? posix.join(inbound, "archive")
    const operationTimeout = millis(options.operationTimeout, 120_000)
    const lock = yield* Semaphore.make(1)
    let current: Session | undefined

    const drop = (session: Session | undefined) => {
      if (session === undefined) return
      session.closed = true
      session.client.destroy()
      if (current === session) current = undefined
    }
    yield* Effect.addFinalizer(() =>
      Effect.sync(() => {
        const session = current
        current = undefined
        if (session !== undefined && !session.closed) {
          session.closed = true
          session.client.end()
        }
      })
    )

    const session = Semaphore.withPermit(lock)(
      Effect.suspend(() => {
        if (current !== undefined && !current.closed) return Effect.succeed(current)
        drop(current)
        return connect(config).pipe(
          Effect.tap((opened) =>
            Effect.sync(() => {
              current = opened
            })
          ),
          Effect.tap(() =>
            options.hostKeys === undefined
              ? Effect.logWarning("Sftp: the server's host key is not verified (set hostKeys)")
              : Effect.void
          )
        )
      })
    )

    /** Runs one operation on the session; `missing` is what "no such file" means there. */
    const use = <A>(operation: string, missing: string, f: (session: Session) => Promise<A>) =>
      Effect.flatMap(session, (opened) =>
        Effect.tryPromise({
          try: () => f(opened),
          catch: (error) => {
            if (isConnectionFailure(error)) drop(opened)
            return fromSftp(operation, error, missing)
          }
        })
      ).pipe(
        Effect.timeoutOrElse({
          duration: operationTimeout,
          orElse: () =>
            Effect.suspend(() => {
              // A hung connection: drop it, so the next operation starts afresh.
              drop(current)
              return Effect.fail(unavailable(`${operation}: timeout`))
            })
        })
      )

    const put = (name: string, content: string | Uint8Array) =>
      Effect.andThen(
        checkName(name),
        use("put", outbound, async (opened): Promise<PutResult> => {
          const { sftp } = opened
          const target = posix.join(outbound, name)
          if ((await statOf(sftp, target)) !== undefined) return { written: false }
          const temporary = posix.join(outbound, temporaryName(name))
          const data =
            typeof content === "string"
              ? Buffer.from(content, "utf8")
              : Buffer.from(content.buffer, content.byteOffset, content.byteLength)
          let renamed = false
          try {
            await writeFile(opened, temporary, data)
            try {
              await call((callback) => sftp.rename(temporary, target, callback))
              renamed = true
              return { written: true }
            } catch (error) {
              if (isConnectionFailure(error)) throw error
              if ((await statOf(sftp, target)) !== undefined) return { written: false }
              if (!opened.extensions.has("posix-rename@openssh.com")) throw error
              await call((callback) => sftp.ext_openssh_rename(temporary, target, callback))
              renamed = true
              return { written: true }
            }
          } finally {
            if (!renamed) await removeQuietly(sftp, temporary)
          }
        })
      )

    const list = () =>
      use("list", inbound, async ({ sftp }): Promise<ReadonlyArray<Entry>> => {
        const found = await call<Array<FileEntryWithStats>>((callback) => sftp.readdir(inbound, callback))
        return oldestFirst(
          found
            .filter((entry) => isReadyName(entry.filename) && entry.attrs.isFile())
            .map((entry) => ({ name: entry.filename, size: entry.attrs.size, modifiedAt: entry.attrs.mtime * 1000 }))
        )
      })

    const read = (name: string) =>
      Effect.andThen(
        checkName(name),
        use("read", name, async ({ sftp }) => {
          const content = await call<Buffer>((callback) => sftp.readFile(posix.join(inbound, name), callback))
          return content.toString("utf8")
        })
      )

    const archive = (name: string) =>
      Effect.andThen(
        checkName(name),
        use("archive", name, async (opened): Promise<void> => {
          const { sftp } = opened
          const source = posix.join(inbound, name)
          const target = posix.join(archiveFolder, name)
          await ensureFolder(opened, archiveFolder)
          try {
            await call((callback) => sftp.rename(source, target, callback))
            return
          } catch (error) {
            if (isConnectionFailure(error)) throw error
            if ((await statOf(sftp, source)) === undefined) {
              if ((await statOf(sftp, target)) !== undefined) return // archived already
              throw error
            }
            if ((await statOf(sftp, target)) === undefined) throw error
          }
          // A different file was archived under this name before: keep both.
          await call((callback) => sftp.rename(source, posix.join(archiveFolder, duplicateName(name)), callback))
        })
      )

    return { put, list, read, archive }
  })

/**
 * The SFTP mailbox as a layer; it connects at the first operation, so building it never fails.
 *
 * @since 0.1.0
 */
export const layer = (options: Options): Layer.Layer<Mailbox> => Layer.effect(Mailbox, make(options))
