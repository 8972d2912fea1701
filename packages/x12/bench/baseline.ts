// The hand-written baseline: split on the terminator and the element separator, build claim objects for CLP,
// SVC and CAS, with nothing else (no envelopes, no positions, no problems, no balancing).
export interface BaselineClaim {
  id: string
  charge: number
  paid: number
  adjustments: Array<{ group: string; reason: string; amount: number }>
  lines: Array<{
    code: string
    charge: number
    paid: number
    adjustments: Array<{ group: string; reason: string; amount: number }>
  }>
}

export const baseline835 = (text: string): Array<BaselineClaim> => {
  const element = text[3] as string
  const terminator = text[105] as string
  const claims: Array<BaselineClaim> = []
  let claim: BaselineClaim | undefined
  let line: BaselineClaim["lines"][number] | undefined
  let at = 0
  while (at < text.length) {
    let end = text.indexOf(terminator, at)
    if (end < 0) end = text.length
    const e = text.slice(at, end).trim().split(element)
    at = end + 1
    switch (e[0]) {
      case "CLP":
        claim = {
          id: e[1] ?? "",
          charge: Math.round(Number(e[3]) * 100),
          paid: Math.round(Number(e[4]) * 100),
          adjustments: [],
          lines: []
        }
        line = undefined
        claims.push(claim)
        break
      case "SVC":
        line = {
          code: e[1] ?? "",
          charge: Math.round(Number(e[2]) * 100),
          paid: Math.round(Number(e[3]) * 100),
          adjustments: []
        }
        claim?.lines.push(line)
        break
      case "CAS": {
        const target = line ?? claim
        for (let i = 2; i < e.length; i += 3)
          target?.adjustments.push({
            group: e[1] ?? "",
            reason: e[i] ?? "",
            amount: Math.round(Number(e[i + 1]) * 100)
          })
        break
      }
    }
  }
  return claims
}
