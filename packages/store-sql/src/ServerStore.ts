/**
 * The store on a PostgreSQL server: connected by URL, migrated at start under a lock, tenant transactions under
 * row-level security. It refuses to connect as a superuser or a BYPASSRLS role unless `allowPrivilegedRole` says
 * so (and then logs a warning). Master keys come from the context's `KeyProvider` (`KeyProvider.layerConfig()`
 * reads `OPENRCM_MASTER_KEYS`; a KMS adapter is a KeyProvider too).
 *
 * @since 0.1.0
 */
import { Layer } from "effect"
import * as NodeSha256 from "./NodeSha256.js"
import * as Server from "./Server.js"
import * as SqlStore from "./SqlStore.js"

/**
 * @since 0.1.0
 */
export interface Options extends SqlStore.SetupOptions, Omit<Server.Options, "url"> {
  readonly url: Server.Options["url"]
}

/**
 * @since 0.1.0
 */
export const layer = ({ encryptPhi, tenantRole, allowPrivilegedRole, ...client }: Options) =>
  SqlStore.layerMigrated({ encryptPhi, tenantRole, allowPrivilegedRole, sha256: NodeSha256.sha256 }).pipe(
    Layer.provideMerge(Server.layer(client))
  )

/**
 * The server named by `OPENRCM_DATABASE_URL`.
 *
 * @since 0.1.0
 */
export const layerConfig = (options: SqlStore.SetupOptions & Server.ClientOptions = {}) => {
  const { encryptPhi, tenantRole, allowPrivilegedRole, ...client } = options
  return SqlStore.layerMigrated({ encryptPhi, tenantRole, allowPrivilegedRole, sha256: NodeSha256.sha256 }).pipe(
    Layer.provideMerge(Server.layerConfig(client))
  )
}
