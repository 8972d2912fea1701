/**
 * The transport of an X12 file mailbox: the practice drops batch files (837P) in an outbound folder, and picks up
 * what comes back (999, 277CA, 835) from an inbound one. No X12 here: names and contents only. Two
 * implementations pass the same contract: a local directory (`layerDirectory`, this module) and SFTP
 * (`Sftp.layer`). Node only.
 *
 * Guarantees:
 * - `put` is atomic: the content goes to a temporary dotfile in the outbound folder (flushed to disk), then takes
 *   its name in one step, so a reader never sees a partial file. It never replaces a file: when the name is
 *   already there it does nothing and says `{ written: false }`, so the same submission dropped twice is one file.
 *   That protects only while the file is in the folder: once the clearinghouse has taken it, a second `put` drops
 *   it again, so the adapter must remember what it sent (the submission key).
 * - `list` returns the inbound files ready to read, oldest first (modification time, then name). It skips
 *   dotfiles (our own temporaries and other writers' hidden files), names of files still being written by common
 *   tools (`*.tmp`, `*.part`, `*.partial`, `*.filepart`), folders and anything that is not a regular file.
 * - `archive` moves a file from the inbound folder to the archive folder (default `<inbound>/archive`) in one
 *   step: the archive is the record of what was taken, and `list` never returns an archived file. Archiving an
 *   archived file does nothing; a new file that arrives under an archived name is archived beside it under a
 *   `<name>.dup-<random>` name, never over it.
 * - Delivery is at least once: a crash (or a failure) between `read` and `archive` leaves the file in the inbound
 *   folder, and the next `list` returns it again, by design. The consumer must make its processing idempotent
 *   (for example, keyed by the interchange control number or the file name) and archive only after it has
 *   durably recorded what it read.
 *
 * File names are single path segments (no `/`, `\`, NUL, no leading dot, not `.` or `..`); anything else is a
 * defect of the caller, not a failure of the mailbox.
 *
 * @since 0.1.0
 */
/// <reference types="node" />
import { randomBytes } from "node:crypto"
import { link, mkdir, open, readdir, readFile, rename, stat, unlink } from "node:fs/promises"
import { join } from "node:path"
import { Context, Effect, Layer, Schema } from "effect"

/**
 * The other side cannot be reached right now (connection refused or reset, a time-out, a full or busy disk):
 * try again later.
 *
 * @since 0.1.0
 */
export class Unavailable extends Schema.TaggedError<Unavailable>()("Unavailable", { detail: Schema.String }) {
  readonly retryable = true
}

/**
 * The other side said no (authentication failed, permission denied, an unknown host key, an operation it does
 * not support): retrying will not help until someone changes the set-up.
 *
 * @since 0.1.0
 */
export class Refused extends Schema.TaggedError<Refused>()("Refused", { detail: Schema.String }) {
  readonly retryable = false
}

/**
 * The file (or a configured folder) is not there: `name` is the file name, or the folder's configured path.
 *
 * @since 0.1.0
 */
export class NotFound extends Schema.TaggedError<NotFound>()("NotFound", { name: Schema.String }) {
  readonly retryable = false
}

/**
 * Every failure of a mailbox. The message names the reason only: never credentials, file contents or names.
 *
 * @since 0.1.0
 */
export class MailboxError extends Schema.TaggedError<MailboxError>()("MailboxError", {
  reason: Schema.Union([Unavailable, Refused, NotFound])
}) {
  get retryable(): boolean {
    return this.reason.retryable
  }
  override get message() {
    const reason = this.reason
    return reason._tag === "NotFound" ? "mailbox: NotFound" : `mailbox: ${reason._tag} (${reason.detail})`
  }
}

/**
 * @since 0.1.0
 */
export const unavailable = (detail: string): MailboxError => new MailboxError({ reason: new Unavailable({ detail }) })

/**
 * @since 0.1.0
 */
export const refused = (detail: string): MailboxError => new MailboxError({ reason: new Refused({ detail }) })

/**
 * @since 0.1.0
 */
export const notFound = (name: string): MailboxError => new MailboxError({ reason: new NotFound({ name }) })

/**
 * An inbound file ready to read.
 *
 * @since 0.1.0
 */
export interface Entry {
  readonly name: string
  readonly size: number
  /** Epoch milliseconds, as the storage reports it (SFTP: whole seconds, on the server's clock). */
  readonly modifiedAt: number
}

/**
 * @since 0.1.0
 */
export interface PutResult {
  /** False when a file of that name was already in the outbound folder: nothing was written. */
  readonly written: boolean
}

/**
 * The mailbox port of the X12 clearinghouse adapters.
 *
 * @since 0.1.0
 */
export class Mailbox extends Context.Service<
  Mailbox,
  {
    /** Drops a file in the outbound folder, atomically; a name already there is left as it is. */
    readonly put: (name: string, content: string | Uint8Array) => Effect.Effect<PutResult, MailboxError>
    /** The inbound files ready to read, oldest first; never an archived file. */
    readonly list: () => Effect.Effect<ReadonlyArray<Entry>, MailboxError>
    /** An inbound file's content, as UTF-8. */
    readonly read: (name: string) => Effect.Effect<string, MailboxError>
    /** Moves an inbound file to the archive folder; done once, a no-op after. */
    readonly archive: (name: string) => Effect.Effect<void, MailboxError>
  }
>()("@openrcm/clearinghouse-x12/Mailbox") {}

// ---------------------------------------------------------------------------------------------------------------
// Shared by the implementations.

/**
 * Whether `name` is a single, visible path segment: what `put`, `read` and `archive` accept.
 *
 * @since 0.1.0
 */
export const isValidName = (name: string): boolean =>
  name.length > 0 && name.length <= 255 && !name.startsWith(".") && !/[/\\\0]/.test(name)

/**
 * Dies (a defect of the caller) when `name` is not a valid file name.
 *
 * @since 0.1.0
 */
export const checkName = (name: string): Effect.Effect<void> =>
  isValidName(name) ? Effect.void : Effect.die(new Error("Mailbox: invalid file name"))

const partialSuffixes = [".tmp", ".part", ".partial", ".filepart"]

/**
 * Whether a regular file of this name in the inbound folder is ready to read: not a dotfile (our temporaries
 * are dotfiles) and not a name that common tools use while they write.
 *
 * @since 0.1.0
 */
export const isReadyName = (name: string): boolean => {
  if (!isValidName(name)) return false
  const lower = name.toLowerCase()
  return !partialSuffixes.some((suffix) => lower.endsWith(suffix))
}

/**
 * Oldest first: modification time, then name.
 *
 * @since 0.1.0
 */
export const oldestFirst = (entries: ReadonlyArray<Entry>): ReadonlyArray<Entry> =>
  [...entries].sort((a, b) =>
    a.modifiedAt !== b.modifiedAt ? a.modifiedAt - b.modifiedAt : a.name < b.name ? -1 : a.name > b.name ? 1 : 0
  )

const randomSuffix = (): string => randomBytes(6).toString("hex")

/**
 * The temporary name `put` writes to before the rename: a dotfile in the same folder, unique per attempt.
 *
 * @since 0.1.0
 */
export const temporaryName = (name: string): string => `.${name.slice(0, 200)}.tmp-${randomSuffix()}`

/**
 * The name an inbound file is archived under when the archive already holds a different file of its name.
 *
 * @since 0.1.0
 */
export const duplicateName = (name: string): string => `${name.slice(0, 200)}.dup-${randomSuffix()}`

// ---------------------------------------------------------------------------------------------------------------
// Directory implementation.

/**
 * @since 0.1.0
 */
export interface DirectoryOptions {
  /** Where `put` drops files. */
  readonly outbound: string
  /** Where `list` and `read` look. */
  readonly inbound: string
  /** Where `archive` moves files; default `<inbound>/archive`. Must be on the inbound folder's filesystem. */
  readonly archive?: string | undefined
  /** Permissions of the files `put` creates; default 0o600 (they hold PHI). */
  readonly fileMode?: number | undefined
}

const codeOf = (error: unknown): string =>
  typeof error === "object" && error !== null && typeof (error as { code?: unknown }).code === "string"
    ? (error as { code: string }).code
    : "unknown"

const refusedCodes = new Set(["EACCES", "EPERM", "EROFS", "EXDEV", "ENOTDIR", "EISDIR", "ENAMETOOLONG", "ELOOP"])
const linkUnsupported = new Set(["EPERM", "ENOTSUP", "EOPNOTSUPP", "ENOSYS", "EMLINK"])

/** Maps a file system error; `missing` is what ENOENT means in that place. */
const fromFs = (operation: string, error: unknown, missing: string): MailboxError => {
  const code = codeOf(error)
  if (code === "ENOENT") return notFound(missing)
  return refusedCodes.has(code) ? refused(`${operation}: ${code}`) : unavailable(`${operation}: ${code}`)
}

const exists = async (path: string): Promise<boolean> => {
  try {
    await stat(path)
    return true
  } catch (error) {
    if (codeOf(error) === "ENOENT") return false
    throw error
  }
}

const unlinkIfThere = async (path: string): Promise<void> => {
  try {
    await unlink(path)
  } catch (error) {
    if (codeOf(error) !== "ENOENT") throw error
  }
}

/** Makes a folder's entries (a rename, a new link) durable. Some platforms cannot: best effort. */
const syncFolder = async (path: string): Promise<void> => {
  try {
    const handle = await open(path, "r")
    try {
      await handle.sync()
    } finally {
      await handle.close()
    }
  } catch {
    // Not supported here (Windows, some network file systems): the rename is still atomic.
  }
}

/** Links `from` to `to` when `to` is free; false when `to` exists. Falls back to check-then-rename. */
const linkNoReplace = async (from: string, to: string): Promise<boolean> => {
  try {
    await link(from, to)
    await unlinkIfThere(from)
    return true
  } catch (error) {
    const code = codeOf(error)
    if (code === "EEXIST") return false
    if (!linkUnsupported.has(code)) throw error
  }
  // No hard links on this file system: check, then rename (a racing writer of the same name may win).
  if (await exists(to)) return false
  await rename(from, to)
  return true
}

/**
 * A mailbox on local folders (or a mounted share): node:fs, atomic renames within one filesystem, each file
 * flushed before it takes its name. The folders must exist; the archive folder is created when needed.
 *
 * @since 0.1.0
 */
export const makeDirectory = (options: DirectoryOptions): Mailbox["Service"] => {
  const { outbound, inbound } = options
  const archiveFolder = options.archive ?? join(inbound, "archive")
  const fileMode = options.fileMode ?? 0o600

  const put = (name: string, content: string | Uint8Array) =>
    Effect.andThen(
      checkName(name),
      Effect.tryPromise({
        try: async (): Promise<PutResult> => {
          const target = join(outbound, name)
          if (await exists(target)) return { written: false }
          const temporary = join(outbound, temporaryName(name))
          try {
            const handle = await open(temporary, "wx", fileMode)
            try {
              await handle.writeFile(content)
              await handle.sync()
            } finally {
              await handle.close()
            }
            const written = await linkNoReplace(temporary, target)
            if (written) await syncFolder(outbound)
            return { written }
          } finally {
            await unlinkIfThere(temporary)
          }
        },
        catch: (error) => fromFs("put", error, outbound)
      })
    )

  const list = () =>
    Effect.tryPromise({
      try: async (): Promise<ReadonlyArray<Entry>> => {
        const names = (await readdir(inbound)).filter(isReadyName)
        const entries: Array<Entry> = []
        for (const name of names) {
          try {
            const stats = await stat(join(inbound, name))
            if (stats.isFile()) entries.push({ name, size: stats.size, modifiedAt: Math.trunc(stats.mtimeMs) })
          } catch (error) {
            // Archived (or removed) since the folder was read.
            if (codeOf(error) !== "ENOENT") throw error
          }
        }
        return oldestFirst(entries)
      },
      catch: (error) => fromFs("list", error, inbound)
    })

  const read = (name: string) =>
    Effect.andThen(
      checkName(name),
      Effect.tryPromise({
        try: () => readFile(join(inbound, name), "utf8"),
        catch: (error) => (codeOf(error) === "EISDIR" ? notFound(name) : fromFs("read", error, name))
      })
    )

  const archive = (name: string) =>
    Effect.andThen(
      checkName(name),
      Effect.tryPromise({
        try: async (): Promise<void> => {
          const source = join(inbound, name)
          const target = join(archiveFolder, name)
          await mkdir(archiveFolder, { recursive: true })
          let sourceStats: Awaited<ReturnType<typeof stat>>
          try {
            sourceStats = await stat(source)
          } catch (error) {
            if (codeOf(error) === "ENOENT" && (await exists(target))) return
            throw error
          }
          if (!sourceStats.isFile()) throw Object.assign(new Error("not a file"), { code: "ENOENT" })
          if (!(await linkNoReplace(source, target))) {
            const targetStats = await stat(target)
            if (targetStats.ino === sourceStats.ino && targetStats.dev === sourceStats.dev) {
              // The same file, linked by an archive that stopped before it unlinked the inbound name.
              await unlinkIfThere(source)
            } else if (!(await linkNoReplace(source, join(archiveFolder, duplicateName(name))))) {
              throw Object.assign(new Error("duplicate name taken"), { code: "EEXIST" })
            }
          }
          await syncFolder(archiveFolder)
          await syncFolder(inbound)
        },
        catch: (error) => fromFs("archive", error, name)
      })
    )

  return { put, list, read, archive }
}

/**
 * @since 0.1.0
 */
export const layerDirectory = (options: DirectoryOptions): Layer.Layer<Mailbox> =>
  Layer.succeed(Mailbox, makeDirectory(options))
