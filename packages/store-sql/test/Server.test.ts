import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer, Logger } from "effect"
import * as ConfigProvider from "effect/ConfigProvider"
import { SqlClient } from "effect/sql/SqlClient"
import * as Server from "../src/Server.js"
import * as Tenancy from "../src/Tenancy.js"
import { serverUrl, superuserUrl } from "./support.js"

const whoAmI = Effect.flatMap(SqlClient, (sql) => sql<{ user: string }>`select current_user as user`)

describe("Server", () => {
  it.live("layer({ url }) connects", () =>
    Effect.gen(function* () {
      expect(yield* whoAmI).toEqual([{ user: "openrcm_app" }])
    }).pipe(Effect.provide(Server.layer({ url: serverUrl, maxConnections: 1 })))
  )

  it.live("layerConfig() reads the URL from OPENRCM_DATABASE_URL", () =>
    Effect.gen(function* () {
      expect(yield* whoAmI).toEqual([{ user: "openrcm_app" }])
    }).pipe(
      Effect.provide(
        Server.layerConfig({ maxConnections: 1 }).pipe(
          Layer.provide(ConfigProvider.layer(ConfigProvider.fromUnknown({ [Server.urlConfigName]: serverUrl })))
        )
      )
    )
  )

  it.live("layerConfig() fails with a ConfigError when the URL is missing", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(
        Effect.scoped(
          Layer.build(Server.layerConfig().pipe(Layer.provide(ConfigProvider.layer(ConfigProvider.fromUnknown({})))))
        )
      )
      expect(error._tag).toBe("ConfigError")
    })
  )

  describe("the privilege guard", () => {
    const asSuperuser = Server.layer({ url: superuserUrl, maxConnections: 1 })

    it.live("refuses a superuser", () =>
      Effect.gen(function* () {
        const error = yield* Effect.flip(Effect.scoped(Layer.build(Tenancy.layer().pipe(Layer.provide(asSuperuser)))))
        expect(error).toMatchObject({ _tag: "PrivilegedRole", role: "postgres", superuser: true, bypassRls: true })
      })
    )

    it.live("starts for a superuser with allowPrivilegedRole, with a warning", () =>
      Effect.gen(function* () {
        const warnings: Array<unknown> = []
        const collect = Logger.make((options) => {
          if (options.logLevel === "Warn") warnings.push(options.message)
        })
        const tenancy = yield* Effect.scoped(
          Layer.build(Tenancy.layer({ allowPrivilegedRole: true }).pipe(Layer.provide(asSuperuser))).pipe(
            Effect.flatMap((ctx) => Effect.provide(Tenancy.Tenancy, ctx)),
            Effect.provide(Logger.layer([collect]))
          )
        )
        expect(tenancy).toMatchObject({ connectedRole: "postgres", privileged: true })
        expect(String(warnings)).toContain("bypasses row-level security")
      })
    )

    it.live("accepts the unprivileged application role", () =>
      Effect.gen(function* () {
        const tenancy = yield* Effect.scoped(
          Layer.build(Tenancy.layer().pipe(Layer.provide(Server.layer({ url: serverUrl, maxConnections: 1 })))).pipe(
            Effect.flatMap((ctx) => Effect.provide(Tenancy.Tenancy, ctx))
          )
        )
        expect(tenancy).toMatchObject({ connectedRole: "openrcm_app", privileged: false })
      })
    )
  })
})
