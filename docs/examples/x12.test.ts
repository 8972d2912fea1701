// x12.ts runs as docs/x12.md says, and every line of code the page shows is a line of x12.ts (so it type-checks).
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { expect, it } from "@effect/vitest"
import { Claim837, Problem, Remittance, X12 } from "@openrcm/x12"
import { Effect, FileSystem, Result, Sink, Stream } from "effect"
import {
  claimsToBill,
  countClaimsInFile,
  limited,
  readRemittance,
  remit,
  requests,
  stream837ToFile,
  submission,
  summarize,
  tally,
  write837,
  write837File,
  write837ToFile
} from "./x12.js"

const unbalanced = remit.replace("SVC*HC:90834:95*135*95", "SVC*HC:90834:95*135*96")

it("every line of code in x12.md's TypeScript blocks is a line of x12.ts", () => {
  const page = readFileSync(join(import.meta.dirname, "..", "x12.md"), "utf8")
  const source = new Set(
    readFileSync(join(import.meta.dirname, "x12.ts"), "utf8")
      .split("\n")
      .map((line) => line.trim())
  )
  const blocks = [...page.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1] as string)
  expect(blocks.length).toBeGreaterThanOrEqual(5)
  for (const block of blocks) {
    expect(block.startsWith("// docs/examples/x12.ts")).toBe(true)
    for (const line of block.split("\n").map((l) => l.trim())) {
      // Whole-line comments (the block's title, elisions, what a call returns) are the page's own: code is not.
      if (line === "" || line.startsWith("//")) continue
      expect(source, line).toContain(line)
    }
  }
})

it("summarize reads every set with its items, and each problem with its position", () => {
  expect(summarize(remit)).toEqual({ sets: ["835 0001: 1 item(s)"], problems: [] })
  expect(summarize(unbalanced)).toEqual({
    sets: ["835 0001: 1 item(s)"],
    problems: ["error line-unbalanced at ISA 000000001 / GS 1 / ST 0001 / segment 9 SVC, element 3"]
  })
  // Strict stops at the first error; text that is not X12 is a Failure in either mode, never a throw.
  expect(summarize(unbalanced, "strict")).toEqual({
    stopped: "error line-unbalanced at ISA 000000001 / GS 1 / ST 0001 / segment 9 SVC, element 3"
  })
  expect(summarize("hello")).toEqual({ stopped: "error not-x12 at segment 0" })
})

it("limited refuses a segment past maxSegmentLength, and stops past maxProblems", () => {
  const long = limited(remit.replace("SYNTHETIC PAYER", "X".repeat(5000)))
  expect(long._tag === "Failure" && long.error.problem.code).toBe("segment-too-long")
  // 120 claims with a line that does not balance, and the transaction: 121 problems, more than the bound.
  const claim = "LX*1~CLP*PCN1*1*135*95*20*12*PAYERCN1*11*1~SVC*HC:90834:95*135*96**1~CAS*CO*45*20~CAS*PR*2*20~"
  const many = remit.replace(/LX\*1~[\s\S]*CAS\*PR\*2\*20~/, claim.repeat(120).replaceAll("~", "~\n"))
  const stopped = limited(many)
  expect(stopped._tag === "Failure" && stopped.error.problem.code).toBe("too-many-problems")
  expect(limited(remit)._tag).toBe("Success")
})

it("readRemittance returns read835's throw on input that is not X12 as a problem", () => {
  expect(readRemittance(remit)).toEqual({ claims: ["PCN1: paid 9500 of 13500 cents"], problems: [] })
  expect(readRemittance("hello")).toEqual({ claims: [], problems: ["error not-x12 at segment 0"] })
  expect(() => Remittance.read835("hello")).toThrow(Problem.X12ParseError)
  expect(() => Remittance.read835(unbalanced, { mode: "strict" })).toThrow(/line-unbalanced/)
})

it("countClaimsInFile reads a file in chunks; tally streams it in Effect", async () => {
  const dir = mkdtempSync(join(tmpdir(), "openrcm-docs-x12-"))
  const path = join(dir, "remit.835")
  writeFileSync(path, unbalanced)
  expect(await countClaimsInFile(path)).toBe(1)
  await expect(countClaimsInFile(join(dir, "none.835"))).rejects.toThrow(/ENOENT/)
  const fileSystem = FileSystem.layerNoop({ stream: () => Stream.make(new TextEncoder().encode(unbalanced)) })
  const result = await Effect.runPromise(tally(path).pipe(Effect.provide(fileSystem)))
  expect(result.claims).toBe(1)
  expect(result.problems).toEqual([
    "error line-unbalanced at ISA 000000001 / GS 1 / ST 0001 / segment 9 SVC, element 3"
  ])
  const notX12 = FileSystem.layerNoop({ stream: () => Stream.make(new TextEncoder().encode("hello")) })
  const failed = await Effect.runPromise(Effect.flip(tally(path).pipe(Effect.provide(notX12))))
  expect(failed._tag === "X12ParseError" && failed.problem.code).toBe("not-x12")
})

it("write837 writes the same text for the same submission, which reads back; write837ToFile writes the same", () => {
  const controls = { interchange: "000000001", group: "1", transaction: "0001" }
  const text = Result.getOrThrow(write837(controls))
  expect(Result.getOrThrow(write837(controls))).toBe(text)
  expect(text).toContain("~CLM*PCN1*135***10:B:1*Y*A*Y*Y~")
  const back = Claim837.read837(text)
  expect(back.problems).toEqual([])
  expect(back.claims.map((c) => c.claim.patientControlNumber)).toEqual(["PCN1"])
  const segments: Array<string> = []
  expect(write837ToFile(controls, (segment) => segments.push(segment))).toEqual([])
  expect(segments.join("")).toBe(text)
  // A refused submission: field paths, nothing written.
  const claim = submission.claims[0] as Claim837.Claim837
  const bad = Claim837.write837(
    { ...submission, claims: [{ ...claim, claim: { ...claim.claim, totalCharge: 1 } }] },
    controls,
    { date: "20251127", time: "1200" }
  )
  expect(Result.isFailure(bad) && bad.failure.map((f) => f.path)).toEqual(["claims[0].claim.totalCharge"])
})

it("write837File writes write837's text as the claims come; a wrong claim leaves no file", async () => {
  const dir = mkdtempSync(join(tmpdir(), "openrcm-docs-x12-"))
  const controls = { interchange: "000000003", group: "3", transaction: "0003" }
  const path = join(dir, "batch.837")
  // While the claims come, only the temporary file exists.
  const seen: Array<boolean> = []
  async function* watched() {
    for await (const claim of claimsToBill(3)) {
      seen.push(existsSync(path))
      yield claim
    }
  }
  expect(await write837File(path, watched(), controls)).toEqual([])
  expect(seen).toEqual([false, false, false])
  const text = readFileSync(path, "utf8")
  const claims: Array<Claim837.Claim837> = []
  for await (const claim of claimsToBill(3)) claims.push(claim)
  const options = { date: "20251127", time: "1200", usage: "T" } as const // x12.ts's
  expect(text).toBe(Result.getOrThrow(Claim837.write837({ ...submission, claims }, controls, options)))
  expect(Claim837.read837(text, { mode: "strict" }).claims.map((c) => c.claim.patientControlNumber)).toEqual([
    "PCN1",
    "PCN2",
    "PCN3"
  ])
  expect(readdirSync(dir)).toEqual(["batch.837"])
  // The second claim's total is not the sum of its lines: its path, and neither the file nor the temporary one.
  const [first, second] = claims as [Claim837.Claim837, Claim837.Claim837]
  const wrong = [first, { ...second, claim: { ...second.claim, totalCharge: 1 } }]
  const failed = join(dir, "failed.837")
  const failures = await write837File(failed, wrong, controls)
  expect(failures.map((f) => f.path)).toEqual(["claims[1].claim.totalCharge"])
  expect(existsSync(failed)).toBe(false)
  expect(readdirSync(dir)).toEqual(["batch.837"])
  // No claims at all: refused at the end, nothing left either.
  expect((await write837File(failed, [], controls)).map((f) => f.path)).toEqual(["claims"])
  expect(readdirSync(dir)).toEqual(["batch.837"])
  // Wrong control numbers, found with the header: refused before anything is written.
  let pulled = false
  function* untouched() {
    pulled = true
    yield* claims
  }
  const noInterchange = { ...controls, interchange: "" }
  const refused = await write837File(failed, untouched(), noInterchange)
  expect(refused.map((f) => f.path)).toEqual(["controls.interchange"])
  expect(pulled).toBe(false)
  expect(readdirSync(dir)).toEqual(["batch.837"])
})

it.effect("stream837ToFile writes the same text in Effect, and removes the temporary file on X12WriteError", () =>
  Effect.gen(function* () {
    const files = new Map<string, string>()
    const fileSystem = FileSystem.layerNoop({
      sink: (path) => {
        files.set(path, "")
        const decoder = new TextDecoder()
        return Sink.forEachArray((chunks: ReadonlyArray<Uint8Array>) =>
          Effect.sync(() => {
            for (const bytes of chunks)
              files.set(path, (files.get(path) ?? "") + decoder.decode(bytes, { stream: true }))
          })
        )
      },
      rename: (from, to) =>
        Effect.sync(() => {
          files.set(to, files.get(from) ?? "")
          files.delete(from)
        }),
      remove: (path) => Effect.sync(() => void files.delete(path))
    })
    const controls = { interchange: "000000004", group: "4", transaction: "0004" }
    const claims = Stream.fromAsyncIterable(claimsToBill(3), (error) => error)
    yield* stream837ToFile("/out/batch.837", claims, controls).pipe(Effect.provide(fileSystem))
    const text = yield* Effect.promise(async () => {
      const path = join(mkdtempSync(join(tmpdir(), "openrcm-docs-x12-")), "batch.837")
      expect(await write837File(path, claimsToBill(3), controls)).toEqual([])
      return readFileSync(path, "utf8")
    })
    expect([...files.keys()]).toEqual(["/out/batch.837"])
    expect(files.get("/out/batch.837")).toBe(text)
    const sample = submission.claims[0] as Claim837.Claim837
    const wrong = Stream.make(sample, { ...sample, payer: { ...sample.payer, id: "" } })
    const error = yield* Effect.flip(
      stream837ToFile("/out/failed.837", wrong, controls).pipe(Effect.provide(fileSystem))
    )
    expect(error._tag === "X12WriteError" && error.failures[0]?.path).toMatch(/^claims\[1\]\.payer/)
    expect([...files.keys()]).toEqual(["/out/batch.837"])
  })
)

it.effect("requests writes a 270 and a 276 with control numbers that do not repeat", () =>
  Effect.gen(function* () {
    const { inquiry, status } = yield* requests
    const first = X12.readText(Result.getOrThrow(inquiry), { mode: "strict" })
    const second = X12.readText(Result.getOrThrow(status), { mode: "strict" })
    if (first._tag === "Failure" || second._tag === "Failure") throw new Error("not read back")
    expect(first.interchanges.map((i) => i.interchange.control)).toEqual(["000000001"])
    expect(second.interchanges.map((i) => i.interchange.control)).toEqual(["000000002"])
    const sets = [first, second].map((r) => r.interchanges[0]?.groups[0]?.transactions[0]?.header)
    expect(sets).toEqual([
      { setId: "270", control: "0001", version: "005010X279A1" },
      { setId: "276", control: "0002", version: "005010X212" }
    ])
  })
)
