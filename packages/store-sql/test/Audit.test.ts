// The audit trail on SQL, seen from under the Store: an operation whose audit write fails fails whole (a trigger
// made to refuse it), verify finds tampering done directly in the tables, and writes undone by a failure the
// database raises take their audit events with them.
import { describe, expect, layer } from "@effect/vitest"
import { Audit, type Ids, Store } from "@openrcm/core"
import { Effect, Exit, Layer, Option } from "effect"
import type { SqlClient } from "effect/sql/SqlClient"
import * as F from "../../core/test/store/fixtures.js"
import {
  admin,
  as,
  type Backend,
  errorText,
  needlesIn,
  pgliteBackend,
  serverBackend,
  store,
  storeFailure
} from "./security.js"

const timeout = 60_000

const counts = (tenant: Ids.TenantId) =>
  admin(
    (sql) =>
      sql<{ patients: string; claims: string; claim_events: string; ledger: string; events: string }>`select
      (select count(*) from patients where tenant_id = ${tenant}) as patients,
      (select count(*) from claims where tenant_id = ${tenant}) as claims,
      (select count(*) from claim_events where tenant_id = ${tenant}) as claim_events,
      (select count(*) from patient_ledger where tenant_id = ${tenant}) as ledger,
      (select count(*) from audit_events where tenant_id = ${tenant}) as events`.withoutTransform
  ).pipe(
    Effect.map(([row]) => ({
      patients: Number(row?.patients),
      claims: Number(row?.claims),
      claimEvents: Number(row?.claim_events),
      ledger: Number(row?.ledger),
      events: Number(row?.events)
    }))
  )

let triggers = 0

/**
 * As the superuser, makes every `when` on `table` of this tenant raise; the effect runs with it in place, and it
 * is dropped after.
 */
const refusing =
  (tenant: Ids.TenantId, table: "audit_events" | "audit_heads", when: "insert" | "update") =>
  <A, E, R>(self: Effect.Effect<A, E, R>) => {
    triggers += 1
    const name = `refuse_${table}_${triggers}`
    const create = admin((sql) =>
      Effect.andThen(
        sql.unsafe(`create function ${name}() returns trigger language plpgsql as $$
          begin
            if new.tenant_id = '${tenant}' then raise exception 'the audit store refuses'; end if;
            return new;
          end $$`),
        sql.unsafe(`create trigger ${name} before ${when} on ${table} for each row execute function ${name}()`)
      )
    )
    const drop = admin((sql) =>
      Effect.andThen(sql.unsafe(`drop trigger ${name} on ${table}`), sql.unsafe(`drop function ${name}()`))
    ).pipe(Effect.orDie)
    return Effect.acquireUseRelease(
      create,
      () => self,
      () => drop
    )
  }

const eventsOf = (tenant: Ids.TenantId) => Store.Store.use((s) => s.audit.events()).pipe(as(tenant))
const verifyOf = (tenant: Ids.TenantId) => Store.Store.use((s) => s.audit.verify()).pipe(as(tenant))

/** A fresh tenant with five audit events (sequences 1..5). */
const fiveEvents = Effect.gen(function* () {
  const tenant = F.tenantId("chain")
  const s = yield* Store.Store
  for (let i = 0; i < 5; i++) yield* s.payers.put(F.payer(tenant)).pipe(as(tenant))
  const events = yield* eventsOf(tenant)
  expect(events.map((e) => e.sequence)).toEqual([1, 2, 3, 4, 5])
  expect((yield* verifyOf(tenant))._tag).toBe("Intact")
  return tenant
})

const auditSuite = (name: string, backend: Layer.Layer<Backend, unknown>) =>
  layer(Layer.provideMerge(store(), backend), { excludeTestServices: true, timeout })(name, (it) => {
    it.effect("when the audit insert fails, the operation fails and its change is not stored", () =>
      Effect.gen(function* () {
        const s = yield* Store.Store
        const tenant = F.tenantId("refused")
        const kept = F.patient(tenant)
        yield* s.patients.put(kept).pipe(as(tenant))
        const before = yield* counts(tenant)
        const p = F.patient(tenant)
        const c = F.claim(tenant, { patientId: p.id })
        const failures = yield* Effect.gen(function* () {
          return [
            yield* storeFailure(s.patients.put(p).pipe(as(tenant))),
            yield* storeFailure(s.claims.create([c]).pipe(as(tenant))),
            yield* storeFailure(s.patientLedger.append([F.patientLedgerEntry(tenant)]).pipe(as(tenant))),
            // An audited read returns nothing when its audit cannot be written.
            yield* storeFailure(s.patients.get(kept.id).pipe(as(tenant))),
            // Nor does a transaction keep its first write when a later one's audit fails.
            yield* storeFailure(
              s.transaction(Effect.andThen(s.patients.put(F.patient(tenant)), s.patients.put(p))).pipe(as(tenant))
            )
          ]
        }).pipe(refusing(tenant, "audit_events", "insert"))
        for (const error of failures) {
          expect(error.reason._tag).toBe("Unavailable")
          expect(needlesIn(errorText(error))).toEqual([])
          expect(errorText(error)).not.toContain("refuses")
        }
        expect(yield* counts(tenant)).toEqual(before)
        expect(yield* s.patients.get(p.id).pipe(as(tenant))).toEqual(Option.none())
        expect(yield* s.claims.get(c.id).pipe(as(tenant))).toEqual(Option.none())
        const verified = yield* verifyOf(tenant)
        expect(verified).toMatchObject({ _tag: "Intact" })
        const events = yield* eventsOf(tenant)
        expect(events.map((e) => e.sequence)).toEqual(events.map((_, i) => i + 1))
      })
    )

    it.effect("when the head update (the last statement) fails, the change and its events are undone", () =>
      Effect.gen(function* () {
        const s = yield* Store.Store
        const tenant = F.tenantId("head")
        yield* s.patients.put(F.patient(tenant)).pipe(as(tenant))
        const before = yield* counts(tenant)
        const p = F.patient(tenant)
        const error = yield* storeFailure(s.patients.put(p).pipe(as(tenant))).pipe(
          refusing(tenant, "audit_heads", "update")
        )
        expect(error.reason._tag).toBe("Unavailable")
        expect(yield* counts(tenant)).toEqual(before)
        expect(yield* s.patients.get(p.id).pipe(as(tenant))).toEqual(Option.none())
        expect((yield* verifyOf(tenant))._tag).toBe("Intact")
      })
    )

    it.effect("verify finds tampering done directly in the tables, and names the event", () =>
      Effect.gen(function* () {
        const cases: ReadonlyArray<
          readonly [
            string,
            (sql: SqlClient, tenant: Ids.TenantId) => Effect.Effect<unknown, unknown>,
            Audit.Verification
          ]
        > = [
          [
            "an event's actor edited",
            (sql, t) => sql`update audit_events set data = jsonb_set(data, '{actor}', '"user:mallory"')
              where tenant_id = ${t} and sequence = 3`,
            { _tag: "Broken", sequence: 3, problem: "edited" }
          ],
          [
            "an event deleted",
            (sql, t) => sql`delete from audit_events where tenant_id = ${t} and sequence = 3`,
            { _tag: "Broken", sequence: 3, problem: "missing" }
          ],
          [
            "two events' data swapped",
            (sql, t) => sql`update audit_events e set data = o.data from audit_events o
              where e.tenant_id = ${t} and o.tenant_id = ${t}
              and ((e.sequence = 2 and o.sequence = 3) or (e.sequence = 3 and o.sequence = 2))`,
            { _tag: "Broken", sequence: 2, problem: "missing" }
          ],
          [
            "the last event deleted",
            (sql, t) => sql`delete from audit_events where tenant_id = ${t} and sequence = 5`,
            { _tag: "Broken", sequence: 5, problem: "tail-missing" }
          ],
          [
            "the last event deleted and the head moved back to the one before",
            (sql, t) =>
              Effect.andThen(
                sql`delete from audit_events where tenant_id = ${t} and sequence = 5`,
                sql`update audit_heads h set sequence = 4, hash = e.data->>'hash' from audit_events e
                  where h.tenant_id = ${t} and e.tenant_id = ${t} and e.sequence = 3`
              ),
            { _tag: "Broken", sequence: 4, problem: "head-mismatch" }
          ],
          [
            "a copy of an event appended",
            (sql, t) => sql`insert into audit_events (tenant_id, sequence, data)
              select tenant_id, 6, data from audit_events where tenant_id = ${t} and sequence = 2`,
            { _tag: "Broken", sequence: 2, problem: "inserted-or-reordered" }
          ],
          [
            "an event edited with its hash recomputed",
            (sql, t) =>
              Effect.gen(function* () {
                const [row] = yield* sql<{ data: unknown }>`select data from audit_events
                  where tenant_id = ${t} and sequence = 3`.withoutTransform
                const { hash: _, ...unsigned } = {
                  ...(typeof row?.data === "string" ? JSON.parse(row.data) : row?.data),
                  action: "payers.delete"
                } as Audit.Event
                const forged = { ...unsigned, hash: yield* Audit.hashOf(unsigned) }
                yield* sql`update audit_events set data = ${JSON.stringify(forged)}::jsonb
                  where tenant_id = ${t} and sequence = 3`
              }),
            { _tag: "Broken", sequence: 4, problem: "broken-link" }
          ]
        ]
        for (const [what, tamper, expected] of cases) {
          const tenant = yield* fiveEvents
          yield* admin((sql) => tamper(sql, tenant))
          expect({ what, result: yield* verifyOf(tenant) }).toEqual({ what, result: expected })
        }

        // An event moved under another tenant: a gap in its own chain, a stranger in the other's.
        const tenant = yield* fiveEvents
        const other = yield* fiveEvents
        yield* admin(
          (sql) => sql`update audit_events set tenant_id = ${other}, sequence = 6
            where tenant_id = ${tenant} and sequence = 3`
        )
        expect(yield* verifyOf(tenant)).toEqual({ _tag: "Broken", sequence: 3, problem: "missing" })
        expect(yield* verifyOf(other)).toEqual({ _tag: "Broken", sequence: 3, problem: "wrong-tenant" })
      })
    )

    it.effect("a unique violation the database raises mid-batch undoes the transaction and its audit events", () =>
      Effect.gen(function* () {
        const s = yield* Store.Store
        const tenant = F.tenantId("unique")
        const taken = F.claim(tenant)
        const takenEntry = F.patientLedgerEntry(tenant)
        yield* s.claims.create([taken]).pipe(as(tenant))
        yield* s.patientLedger.append([takenEntry]).pipe(as(tenant))
        const before = yield* counts(tenant)
        const eventsBefore = yield* eventsOf(tenant)

        // The whole transaction fails: nothing of it stays.
        const p = F.patient(tenant)
        const c1 = F.claim(tenant)
        const c2 = F.claim(tenant)
        const error = yield* storeFailure(
          s
            .transaction(
              Effect.gen(function* () {
                yield* s.patients.put(p)
                yield* s.claims.create([c1, taken, c2])
              })
            )
            .pipe(as(tenant))
        )
        expect(error.reason).toMatchObject({ _tag: "Conflict", entity: "claim" })
        // A single batch with a taken id in the middle: none of it.
        const entries = [F.patientLedgerEntry(tenant), takenEntry, F.patientLedgerEntry(tenant)]
        const ledger = yield* storeFailure(s.patientLedger.append(entries).pipe(as(tenant)))
        expect(ledger.reason._tag).toBe("Conflict")
        expect(yield* counts(tenant)).toEqual(before)
        expect(yield* eventsOf(tenant)).toEqual(eventsBefore)

        // Caught inside the transaction: the failed operation and its events are undone, the rest commits.
        const q = F.patient(tenant)
        const caught = yield* s
          .transaction(
            Effect.gen(function* () {
              yield* s.patients.put(p)
              const exit = yield* Effect.exit(s.claims.create([c1, taken, c2]))
              yield* s.patients.put(q)
              return exit
            })
          )
          .pipe(as(tenant))
        expect(Exit.isFailure(caught)).toBe(true)
        const after = yield* counts(tenant)
        expect(after).toEqual({ ...before, patients: before.patients + 2, events: before.events + 2 })
        const events = yield* eventsOf(tenant)
        expect(events.slice(eventsBefore.length).map((e) => [e.action, e.entityId])).toEqual([
          ["patients.put", p.id],
          ["patients.put", q.id]
        ])
        expect(events.map((e) => e.sequence)).toEqual(events.map((_, i) => i + 1))
        expect(yield* verifyOf(tenant)).toMatchObject({ _tag: "Intact", events: events.length })
      })
    )
  })

describe("the audit trail on SQL", () => {
  auditSuite("on PGlite", pgliteBackend())
  auditSuite("on PostgreSQL", serverBackend("audit"))
})
