import {LakeError} from './errors'

/** Default evaluation time limit per query; `LAKE_QUERY_TIME_LIMIT_MS` overrides it. */
export const DEFAULT_QUERY_TIME_LIMIT_MS = 10_000

/** How many documents are visited between two clock reads. */
const CHECK_EVERY = 512

export function queryTimeLimitMs(): number {
  const fromEnv = Number(process.env.LAKE_QUERY_TIME_LIMIT_MS)
  return Number.isFinite(fromEnv) && fromEnv > 0 ? fromEnv : DEFAULT_QUERY_TIME_LIMIT_MS
}

/**
 * A deadline for one query. groq-js evaluates synchronously on the server's only thread, so a
 * query like `*[]{"a": *[]{"b": *[]}}` would freeze every request; instead each document the
 * query visits through `*` ticks the budget, and the query fails with `queryTooComplex` once
 * the time limit has passed.
 */
export class QueryBudget {
  private visits = 0
  private readonly deadline: number

  constructor(
    readonly limitMs: number,
    private readonly query: string,
  ) {
    this.deadline = performance.now() + limitMs
  }

  tick(): void {
    if (++this.visits % CHECK_EVERY === 0 && performance.now() > this.deadline) {
      throw new LakeError(
        400,
        'queryTooComplex',
        `Query took longer than the local lake's limit of ${this.limitMs} ms (LAKE_QUERY_TIME_LIMIT_MS): narrow nested *[...] subqueries with a filter such as _type == "..." or references(^._id)`,
        {query: this.query, limitMs: this.limitMs},
      )
    }
  }

  /** A copy of `docs` whose iteration (how groq-js scans `*` and filters) ticks this budget. */
  guard<T>(docs: readonly T[]): T[] {
    const copy = docs.slice()
    const budget = this
    Object.defineProperty(copy, Symbol.iterator, {
      enumerable: false,
      value() {
        let i = 0
        return {
          next(): IteratorResult<T> {
            if (i >= copy.length) return {done: true, value: undefined}
            budget.tick()
            return {done: false, value: copy[i++]}
          },
          [Symbol.iterator]() {
            return this
          },
        }
      },
    })
    return copy
  }
}
