#!/usr/bin/env node
import { NodeRuntime, NodeServices } from "@effect/platform-node"
import { Effect, Logger } from "effect"
import { run } from "./main.js"

run(process.argv.slice(2)).pipe(
  // Bad input is reported plainly on standard error, with exit code 1, and no stack trace.
  Effect.catchTag("InputError", (error) =>
    Effect.sync(() => {
      process.stderr.write(`error: ${error.message}\n`)
      process.exitCode = 1
    })
  ),
  // Standard output is the commands' results (JSON a script reads): logs go to standard error.
  Effect.provideService(Logger.LogToStderr, true),
  Effect.provide(NodeServices.layer),
  NodeRuntime.runMain
)
