/** Cents as X12 writes an amount: no trailing zeros, no decimal point for whole dollars (`13500` → `"135"`). */
export const formatAmount = (cents: number): string => {
  const abs = cents < 0 ? -cents : cents
  const whole = Math.floor(abs / 100)
  const fraction = abs - whole * 100
  const text =
    fraction === 0
      ? String(whole)
      : fraction % 10 === 0
        ? `${whole}.${fraction / 10}`
        : `${whole}.${fraction < 10 ? "0" : ""}${fraction}`
  return cents < 0 ? `-${text}` : text
}
