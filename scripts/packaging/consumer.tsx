// A host app as a consumer writes it, type-checked against the packed packages' dist/ (no source condition).
import { BillingRuntime, DateOfService, type Money, Npi } from "@openrcm/core"
import * as MoneyModule from "@openrcm/core/Money"
import { Amount, BillingProvider, useBillingEffect } from "@openrcm/react"
import { Layer } from "effect"

const runtime: BillingRuntime.BillingRuntime<never, never> = BillingRuntime.make(Layer.empty)
const fee: Money.Money = MoneyModule.dollars(135)
const npiIsValid: boolean = Npi.isValid("1234567893")

export function Today() {
  const today = useBillingEffect(() => DateOfService.today("America/Chicago"), [])
  return today._tag === "Success" ? today.value : null
}

export const app = (
  <BillingProvider runtime={runtime}>
    <Amount value={fee} />
    <Today />
  </BillingProvider>
)
export { npiIsValid }

// @ts-expect-error a plain number is not Money: the brand holds in the published types
export const notMoney: Money.Money = 135
