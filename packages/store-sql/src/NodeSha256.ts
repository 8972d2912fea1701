/**
 * Node's synchronous SHA-256 for the audit chain: the same hashes as Web Crypto's, several times faster an event
 * (no promise, no thread pool). The Node layers use it; a browser keeps the default. Node only.
 *
 * @since 0.1.0
 */
import { createHash } from "node:crypto"
import type { Audit } from "@openrcm/core"
import { Effect } from "effect"

/**
 * @since 0.1.0
 */
export const sha256: Audit.Sha256 = (text) => Effect.sync(() => createHash("sha256").update(text).digest("hex"))
