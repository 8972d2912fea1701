import { DateOfService, Money } from "@openrcm/core"
import { Amount, useBillingEffect } from "@openrcm/react"
import { practice } from "./practice.js"

export function App() {
  const today = useBillingEffect(() => DateOfService.today(practice.timeZone), [])
  const total = Money.sum(practice.feeSchedule.map((fee) => fee.rate))
  return (
    <main>
      <header>
        <h1>OpenRCM playground</h1>
        <p>
          {practice.name}: synthetic data, running in your browser, with no account anywhere.{" "}
          <span data-testid="today">Today's date of service: {today._tag === "Success" ? today.value : "…"}</span>
        </p>
      </header>
      <section aria-labelledby="fees">
        <h2 id="fees">Fee schedule</h2>
        <table>
          <caption>Default rates per service, before payer contracts</caption>
          <thead>
            <tr>
              <th scope="col">Code</th>
              <th scope="col">Service</th>
              <th scope="col">Rate</th>
            </tr>
          </thead>
          <tbody>
            {practice.feeSchedule.map((fee) => (
              <tr key={fee.code}>
                <td>{fee.code}</td>
                <td>{fee.description}</td>
                <td>
                  <Amount value={fee.rate} />
                </td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row" colSpan={2}>
                One of each
              </th>
              <td>
                <Amount value={total} />
              </td>
            </tr>
          </tfoot>
        </table>
      </section>
    </main>
  )
}
