import type {LakeDocument} from './types'

/**
 * GROQ's total order for `order()` as groq-js implements it: numbers, then strings, then
 * booleans, then everything else (null, objects, arrays), which compare equal. Ties keep
 * input order there, so an index only has to agree with this on the sort key.
 */
function rank(value: unknown): number {
  switch (typeof value) {
    case 'number':
      return 2
    case 'string':
      return 3
    case 'boolean':
      return 4
    default:
      return 100
  }
}

export function compareKeys(a: unknown, b: unknown): number {
  const ra = rank(a)
  const rb = rank(b)
  if (ra !== rb) return ra - rb
  if (ra === 2 || ra === 4) return (a as number) - (b as number)
  if (ra === 3) return (a as string) < (b as string) ? -1 : (a as string) > (b as string) ? 1 : 0
  return 0
}

function isNullish(value: unknown): boolean {
  return value === null || value === undefined
}

/**
 * The index's own order: GROQ's, and among the keys GROQ ranks alike (null, objects, arrays)
 * null and missing keys last, so a walk for documents where the key is defined (`defined(k)` in
 * the filter: the site's lists, where 30% of documents have no `publishedAt`) stops before them.
 */
function compareEntryKeys(a: unknown, b: unknown): number {
  return compareKeys(a, b) || Number(isNullish(a)) - Number(isNullish(b))
}

interface Entry {
  id: string
  key: unknown
}

/** Past this many pending changes an index is rebuilt instead of patched (bulk loads). */
const REBUILD_AFTER = 2000

/**
 * The documents of a view sorted by one key (an `order()` expression evaluated per document),
 * for ordered slices that stop after `b` matches. Built on first use, then kept up to date;
 * changes are applied lazily, so a bulk import costs one rebuild, not one splice per document.
 */
export class SortedIndex {
  private entries: Entry[] = []
  /** Per changed id: the document its entry was made from (null: none) and its new document. */
  private pending = new Map<string, {before: LakeDocument | null; after: LakeDocument | null}>()
  private built = false

  constructor(
    private readonly keyOf: (doc: LakeDocument) => unknown,
    private readonly all: () => Iterable<LakeDocument>,
    /** Which documents the index holds (one type's: a list of stories walks no author); all without it. */
    private readonly accepts?: (doc: LakeDocument) => boolean,
  ) {}

  /**
   * Records a change; applied on the next read. An entry is found again by the key of the
   * document it was made from (keys are not held per id: documents are never changed in place).
   */
  change(id: string, before: LakeDocument | null, after: LakeDocument | null): void {
    if (!this.built) return
    if (this.accepts) {
      if (before && !this.accepts(before)) before = null
      if (after && !this.accepts(after)) after = null
      if (!before && !after) return
    }
    const earlier = this.pending.get(id)
    this.pending.set(id, {before: earlier ? earlier.before : before, after})
    if (this.pending.size > REBUILD_AFTER) this.built = false
  }

  clear(): void {
    this.entries = []
    this.pending.clear()
    this.built = false
  }

  /** Entries in ascending key order (ties in no particular order; null and missing keys last). */
  sorted(): readonly Entry[] {
    if (this.built && this.pending.size > 0) this.applyPending()
    if (!this.built) this.build()
    return this.entries
  }

  /** How many entries of sorted() have a key that is neither null nor missing (they come first). */
  definedCount(): number {
    const entries = this.sorted()
    let lo = 0
    let hi = entries.length
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (isNullish(entries[mid].key)) hi = mid
      else lo = mid + 1
    }
    return lo
  }

  private build(): void {
    this.pending.clear()
    const entries: Entry[] = []
    for (const doc of this.all()) if (!this.accepts || this.accepts(doc)) entries.push({id: doc._id, key: this.keyOf(doc)})
    entries.sort((a, b) => compareEntryKeys(a.key, b.key))
    this.entries = entries
    this.built = true
  }

  private applyPending(): void {
    for (const [id, {before, after}] of this.pending) {
      if (!this.built) return
      if (before) this.removeEntry(id, this.keyOf(before))
      if (after) {
        const key = this.keyOf(after)
        this.entries.splice(this.upperBound(key), 0, {id, key})
      }
    }
    this.pending.clear()
  }

  private removeEntry(id: string, key: unknown): void {
    for (let i = this.lowerBound(key); i < this.entries.length && compareEntryKeys(this.entries[i].key, key) === 0; i++) {
      if (this.entries[i].id === id) {
        this.entries.splice(i, 1)
        return
      }
    }
    // Not where its key says: rebuild rather than keep a wrong index.
    this.built = false
  }

  private lowerBound(key: unknown): number {
    let lo = 0
    let hi = this.entries.length
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (compareEntryKeys(this.entries[mid].key, key) < 0) lo = mid + 1
      else hi = mid
    }
    return lo
  }

  private upperBound(key: unknown): number {
    let lo = 0
    let hi = this.entries.length
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (compareEntryKeys(this.entries[mid].key, key) <= 0) lo = mid + 1
      else hi = mid
    }
    return lo
  }
}
