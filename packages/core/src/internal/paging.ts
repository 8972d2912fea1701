import { Effect } from "effect"
import type { Page } from "../Store.js"

/** Every item of a paged store query, page after page from the first. */
export const everyPage = <A, E, R>(page: (cursor: string | undefined) => Effect.Effect<Page<A>, E, R>) =>
  Effect.gen(function* () {
    const items: Array<A> = []
    let cursor: string | undefined
    do {
      const next = yield* page(cursor)
      items.push(...next.items)
      cursor = next.next
    } while (cursor !== undefined)
    return items
  })
