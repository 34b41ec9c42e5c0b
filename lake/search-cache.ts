/**
 * Full-text lookups (query.ts, `Planner.lookup`) kept between the queries of one dataset until
 * its next write: the ids SQLite's index finds for a term, and those ids as one view's candidate
 * set. A search box sends the same few terms again and again (each keystroke, each page, the
 * Studio's and the site's searches alike), and a common term's lookup reads tens of thousands
 * of ids: reading them once per write instead of once per query keeps a search's cost with its
 * answer. Any write to the dataset's index drops everything (`invalidate`), so a lookup never
 * answers from before a commit.
 */
export interface RawLookup {
  limit: number
  ids: string[] | null
}

export interface LookupCache {
  /** Raw ids per FTS5 query, found with `limit`; null when more than that matched. */
  readonly raw: Map<string, RawLookup>
  /** Candidate sets of one view, per the planner's lookup key. */
  lookups(view: object): Map<string, ReadonlySet<string> | null>
  /** Records `ids` more ids held; past the cap the cache starts again empty. */
  count(ids: number): void
}

/** Ids held at most (about 60 bytes each in a Set or array): a bound on the cache's memory. */
const MAX_IDS = 2_000_000

export class SearchCache implements LookupCache {
  raw = new Map<string, RawLookup>()
  private views = new WeakMap<object, Map<string, ReadonlySet<string> | null>>()
  private held = 0

  lookups(view: object): Map<string, ReadonlySet<string> | null> {
    let map = this.views.get(view)
    if (!map) this.views.set(view, (map = new Map()))
    return map
  }

  count(ids: number): void {
    this.held += ids
    if (this.held > MAX_IDS) this.invalidate()
  }

  invalidate(): void {
    if (this.held === 0 && this.raw.size === 0) {
      this.views = new WeakMap()
      return
    }
    this.raw = new Map()
    this.views = new WeakMap()
    this.held = 0
  }
}
