import { Effect } from "effect"
import { maxPageSize, type Page } from "../Store.js"

/** The page a paged read asks for: the largest the store serves, from where the last one left off. */
export interface FullPage {
  readonly limit: number
  readonly cursor: string | undefined
}

/** Every item of a paged store read, a full page at a time from the first. */
export const everyPage = <A, E, R>(
  page: (request: FullPage) => Effect.Effect<Page<A>, E, R>
): Effect.Effect<Array<A>, E, R> =>
  Effect.gen(function* () {
    const items: Array<A> = []
    let cursor: string | undefined
    do {
      const next = yield* page({ limit: maxPageSize, cursor })
      items.push(...next.items)
      cursor = next.next
    } while (cursor !== undefined)
    return items
  })
