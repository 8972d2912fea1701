import { Money } from "@openrcm/core"
import type { ComponentPropsWithoutRef } from "react"

export interface AmountProps extends Omit<ComponentPropsWithoutRef<"data">, "value" | "children"> {
  /** The amount in integer cents. */
  readonly value: Money.Money
  /** A BCP 47 locale for the digits and separators; `en-US` by default. */
  readonly locale?: string
}

/**
 * An amount of money as people read it (`$1,234.56`), with the machine-readable decimal in `value` and
 * `data-sign` (`positive`, `negative`, `zero`) for styling credits and balances.
 */
export function Amount({ value, locale, ...props }: AmountProps) {
  const sign = value > 0 ? "positive" : value < 0 ? "negative" : "zero"
  return (
    <data data-slot="amount" data-sign={sign} {...props} value={Money.toDecimalString(value)}>
      {Money.format(value, { locale })}
    </data>
  )
}
