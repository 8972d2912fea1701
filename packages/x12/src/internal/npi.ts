/**
 * The NPI check digit: Luhn over the card-issuer prefix 80840 and the first nine digits of `firstNine` (a whole NPI
 * may be given; its tenth is not read). (The same rule as `@openrcm/core`'s `Npi`; repeated here because this
 * package depends on nothing of OpenRCM's.)
 */
export const npiCheckDigit = (firstNine: string): number => {
  // The prefix 80840 adds 24 to the Luhn sum; doubling starts at the rightmost of the nine digits.
  let sum = 24
  for (let i = 0; i < 9; i++) {
    let digit = firstNine.charCodeAt(8 - i) - 48
    if (i % 2 === 0) {
      digit *= 2
      if (digit > 9) digit -= 9
    }
    sum += digit
  }
  return (10 - (sum % 10)) % 10
}

/** Ten digits with a valid check digit. */
export const isValidNpi = (npi: string): boolean =>
  /^\d{10}$/u.test(npi) && npiCheckDigit(npi) === npi.charCodeAt(9) - 48
