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
  private readonly keyById = new Map<string, unknown>()
  private pending = new Map<string, LakeDocument | null>()
  private built = false

  constructor(
    private readonly keyOf: (doc: LakeDocument) => unknown,
    private readonly all: () => Iterable<LakeDocument>,
  ) {}

  /** Records a change; applied on the next read. */
  change(id: string, doc: LakeDocument | null): void {
    if (!this.built) return
    this.pending.set(id, doc)
    if (this.pending.size > REBUILD_AFTER) this.built = false
  }

  clear(): void {
    this.entries = []
    this.keyById.clear()
    this.pending.clear()
    this.built = false
  }

  /** Entries in ascending key order (ties in no particular order). */
  sorted(): readonly Entry[] {
    if (this.built && this.pending.size > 0) this.applyPending()
    if (!this.built) this.build()
    return this.entries
  }

  private build(): void {
    this.pending.clear()
    this.keyById.clear()
    const entries: Entry[] = []
    for (const doc of this.all()) {
      const key = this.keyOf(doc)
      entries.push({id: doc._id, key})
      this.keyById.set(doc._id, key)
    }
    entries.sort((a, b) => compareKeys(a.key, b.key))
    this.entries = entries
    this.built = true
  }

  private applyPending(): void {
    for (const [id, doc] of this.pending) {
      if (!this.built) return
      if (this.keyById.has(id)) this.removeEntry(id, this.keyById.get(id))
      if (doc) {
        const key = this.keyOf(doc)
        this.keyById.set(id, key)
        this.entries.splice(this.upperBound(key), 0, {id, key})
      }
    }
    this.pending.clear()
  }

  private removeEntry(id: string, key: unknown): void {
    this.keyById.delete(id)
    for (let i = this.lowerBound(key); i < this.entries.length && compareKeys(this.entries[i].key, key) === 0; i++) {
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
      if (compareKeys(this.entries[mid].key, key) < 0) lo = mid + 1
      else hi = mid
    }
    return lo
  }

  private upperBound(key: unknown): number {
    let lo = 0
    let hi = this.entries.length
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (compareKeys(this.entries[mid].key, key) <= 0) lo = mid + 1
      else hi = mid
    }
    return lo
  }
}
