/**
 * The embedded database: PGlite in this process, served on a private socket to `@effect/sql-pg`.
 */
export * as Embedded from "./Embedded.js"

/**
 * Schema migrations: a record in code, applied forward-only under an advisory lock.
 */
export * as Migrations from "./Migrations.js"

/**
 * A PostgreSQL server through `@effect/sql-pg`.
 */
export * as Server from "./Server.js"

/**
 * Tenant-scoped transactions and the privilege guard.
 */
export * as Tenancy from "./Tenancy.js"
