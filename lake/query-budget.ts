import {LakeError} from './errors'

/** Default evaluation time limit per query; `LAKE_QUERY_TIME_LIMIT_MS` overrides it. */
export const DEFAULT_QUERY_TIME_LIMIT_MS = 10_000

/**
 * How long a query may hold the thread in one piece: first as a synchronous evaluation (most
 * queries finish well inside it), then, in the yielding evaluation, between two turns of the
 * event loop. Small enough that a ping or a document fetch waiting behind a slow query answers
 * in a few ms; large enough that the Studio's and the site's queries rarely need the slower
 * yielding evaluation.
 */
export const DEFAULT_SLICE_MS = 8
export const YIELD_EVERY_MS = 4

/**
 * Documents one query may read (through `*`, candidate lists and streams), counting every time a
 * subquery reads one again. A bound on memory as much as on time: a query like
 * `*[]{"x": *[]{_id}}` builds a new object per read, and within the time limit that was enough to
 * run the lake out of heap. Far above what a query of the Studio or the site reads.
 */
export const DEFAULT_MAX_READS = 4_000_000

/** How many documents are visited between two clock reads (a visit can cost tens of µs). */
const CHECK_EVERY = 16

/** `LAKE_QUERY_SLICE_MS` overrides the slice (`Infinity`: never yield, how the lake ran before; for benchmarks). */
export function querySliceMs(): number {
  const fromEnv = Number(process.env.LAKE_QUERY_SLICE_MS)
  return process.env.LAKE_QUERY_SLICE_MS && fromEnv >= 0 ? fromEnv : DEFAULT_SLICE_MS
}

export function queryTimeLimitMs(): number {
  const fromEnv = Number(process.env.LAKE_QUERY_TIME_LIMIT_MS)
  return Number.isFinite(fromEnv) && fromEnv > 0 ? fromEnv : DEFAULT_QUERY_TIME_LIMIT_MS
}

/** Thrown by `tick()` when the synchronous slice is used up: the query then runs again, yielding. */
export const SLICE_USED_UP: unique symbol = Symbol('lake:sliceUsedUp')

/** What `pause()` answers once the query is over or has failed: every stream then ends. */
export const STOP: unique symbol = Symbol('lake:stop')

/**
 * The deadline of one query, and the slices it runs in. Each document the query visits
 * through `*` or a candidate list ticks the budget: past the query limit the query fails with
 * `queryTooComplex`; past the synchronous slice `tick()` throws `SLICE_USED_UP`; in the
 * yielding evaluation `pause()` hands the thread to other requests every few ms.
 *
 * Nothing throws inside the yielding evaluation's streams: groq-js runs each stream in a promise
 * of its own, and an error there nobody awaits yet would crash the process as an unhandled
 * rejection. A stream that fails records the error (`fail`) and ends, every other stream ends at
 * its next pause, and `runQuery` answers the recorded error at once. groq-js still finishes the
 * rows it has buffered, behind the answer; a stopped stream ends only on the next turn of the
 * event loop, so that winding down too leaves room for other requests.
 */
export class QueryBudget {
  private visits = 0
  private readonly deadline: number
  private sliceEnd = Number.POSITIVE_INFINITY
  private lastYield = 0
  private stopped = false
  /** The first error of the yielding evaluation. */
  failure: unknown = null
  /** Resolves when the yielding evaluation fails: the query answers then, groq-js winds down behind it. */
  readonly failed: Promise<void>
  private resolveFailed!: () => void

  constructor(
    readonly limitMs: number,
    private readonly query: string,
    private readonly maxReads = Number.POSITIVE_INFINITY,
  ) {
    this.deadline = performance.now() + limitMs
    this.failed = new Promise((resolve) => (this.resolveFailed = resolve))
  }

  /** From now on `tick()` throws `SLICE_USED_UP` once `ms` have passed (Infinity: never). */
  slice(ms: number): void {
    this.sliceEnd = performance.now() + ms
  }

  tick(): void {
    if (++this.visits % CHECK_EVERY === 0) this.check()
  }

  check(): void {
    // A finished query's lists (a result may hold one) no longer count against it.
    if (this.stopped) return
    const now = performance.now()
    if (now > this.deadline) throw this.tooComplex()
    if (this.visits > this.maxReads) throw this.tooManyReads()
    if (now > this.sliceEnd) throw SLICE_USED_UP
  }

  /**
   * For the yielding evaluation, before each document: `STOP` once the query is over or failed
   * (past the limit or the read cap), else null or (every `YIELD_EVERY_MS` of work) a promise
   * that resolves on the next turn of the event loop, after pending I/O has been served.
   */
  pause(): Promise<void> | null | typeof STOP {
    if (this.stopped) return STOP
    if (++this.visits % CHECK_EVERY !== 0) return null
    const now = performance.now()
    if (now > this.deadline) return this.fail(this.tooComplex())
    if (this.visits > this.maxReads) return this.fail(this.tooManyReads())
    if (now - this.lastYield < YIELD_EVERY_MS) return null
    return nextTurn().then(() => {
      this.lastYield = performance.now()
    })
  }

  /** Records the yielding evaluation's first error and stops every stream. */
  fail(error: unknown): typeof STOP {
    this.failure ??= error
    this.stopped = true
    this.resolveFailed()
    return STOP
  }

  /** The query is done: its streams stop (groq-js may leave one running after an error). */
  finish(): void {
    this.stopped = true
  }

  /** Starts the yielding evaluation's clock. */
  startYielding(): void {
    this.sliceEnd = Number.POSITIVE_INFINITY
    this.lastYield = performance.now()
  }

  private tooComplex(): LakeError {
    return new LakeError(
      400,
      'queryTooComplex',
      `Query took longer than the local lake's limit of ${this.limitMs} ms (LAKE_QUERY_TIME_LIMIT_MS): narrow nested *[...] subqueries with a filter such as _type == "..." or references(^._id)`,
      {query: this.query, limitMs: this.limitMs},
    )
  }

  private tooManyReads(): LakeError {
    return new LakeError(
      400,
      'queryTooComplex',
      `Query reads more than ${this.maxReads.toLocaleString('en')} documents, the local lake's limit: narrow nested *[...] subqueries with a filter such as _type == "..." or references(^._id)`,
      {query: this.query, maxReads: this.maxReads},
    )
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

  /**
   * `docs` as an async iterator for groq-js's async evaluator (which wraps it in a stream), a
   * fresh one per call, pausing as `pause()` says.
   */
  async *stream<T>(docs: readonly T[]): AsyncGenerator<T> {
    for (let i = 0; i < docs.length; i++) {
      const pause = this.pause()
      if (pause === STOP) return await nextTurn()
      if (pause) await pause
      yield docs[i]
    }
  }
}

/** Resolves on the next turn of the event loop, after pending I/O. */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve))
}
