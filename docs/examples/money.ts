// docs/getting-started.md: money in integer cents.
import { Money } from "@openrcm/core"
import { Schema } from "effect"

// From a decimal string, as X12 and JSON APIs carry amounts: exact, no floating point.
const allowed = Schema.decodeUnknownSync(Money.MoneyFromDecimalString)("180.00")

// 20% coinsurance, rounded half-up to the cent.
const coinsurance = Money.percentage(allowed, 2000)
const planPays = Money.subtract(allowed, coinsurance)

// Split a $100.00 payment across three lines without losing a cent: [3334, 3333, 3333].
const perLine = Money.allocate(Money.dollars(100), [1, 1, 1])

export const summary = `${Money.format(planPays)} paid, ${Money.format(coinsurance)} patient, lines ${perLine.join("/")}`
