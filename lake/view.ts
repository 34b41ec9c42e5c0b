import {isPublishedId, publishedIdOf} from './ids'
import {collectRefs, lazyKeysOf, lazyRefsOf} from './lazy-doc'
import {SortedIndex} from './sorted-index'
import type {LakeDocument} from './types'

/**
 * Fields with an equality index; `_type`, `_id` and every `_ref` are always indexed.
 * Only used to narrow candidates, so adding a path never changes query results.
 */
export const EQUALITY_INDEXED_PATHS = ['slug.current', 'code', 'status', 'language'] as const

const TYPE = 't:'
const REF = 'r:'
const FIELD = 'f:'
const ID_PREFIX = 'p:'
const ORIGINAL_PREFIX = 'o:'
const VERSION_OF = 'v:'

export function typeKey(type: string): string {
  return TYPE + type
}
export function refKey(id: string): string {
  return REF + id
}
export function fieldKey(path: string, value: string | number | boolean): string {
  return `${FIELD}${path}=${JSON.stringify(value)}`
}

/** Documents whose `_id` (or, in stacked perspectives, `_originalId`) starts with `<segment>.`. */
export function idPrefixKey(segment: string, field: '_id' | '_originalId' = '_id'): string {
  return (field === '_id' ? ID_PREFIX : ORIGINAL_PREFIX) + segment
}
/** Drafts and versions of a published id (`sanity::versionOf`); the published document itself is looked up by id. */
export function versionOfKey(publishedId: string): string {
  return VERSION_OF + publishedId
}

function readPath(doc: LakeDocument, path: string): unknown {
  let value: unknown = doc
  for (const part of path.split('.')) {
    if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined
    value = (value as Record<string, unknown>)[part]
  }
  return value
}

/** The document an overlay copy (drafts / release perspectives) was made from: same content, other ids. */
const overlaySources = new WeakMap<LakeDocument, LakeDocument>()

export function registerOverlay(copy: LakeDocument, source: LakeDocument): void {
  overlaySources.set(copy, source)
}

/** Index keys from a document's content (type, references, indexed fields), computed once per stored version. */
const contentKeys = new WeakMap<LakeDocument, string[]>()

function contentKeysOf(doc: LakeDocument): string[] {
  let keys = contentKeys.get(doc)
  if (!keys) {
    keys = [typeKey(doc._type)]
    const refs = new Set<string>()
    // Values left in SQLite are not read: their refs were noted when the document was stored.
    const lazy = lazyKeysOf(doc)
    for (const key of Object.keys(doc)) {
      if (lazy.includes(key)) continue
      const value = doc[key]
      if (key === '_ref' && typeof value === 'string') refs.add(value)
      else collectRefs(value, refs)
    }
    for (const ref of lazyRefsOf(doc)) refs.add(ref)
    for (const ref of refs) keys.push(refKey(ref))
    for (const path of EQUALITY_INDEXED_PATHS) {
      const value = readPath(doc, path)
      if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
        keys.push(fieldKey(path, value))
      }
    }
    contentKeys.set(doc, keys)
  }
  return keys
}

export function indexKeysOf(doc: LakeDocument): string[] {
  const keys = [...contentKeysOf(overlaySources.get(doc) ?? doc)]
  const dot = doc._id.indexOf('.')
  if (dot > 0) keys.push(idPrefixKey(doc._id.slice(0, dot)))
  if (!isPublishedId(doc._id)) keys.push(versionOfKey(publishedIdOf(doc._id)))
  if (typeof doc._originalId === 'string') {
    const originalDot = doc._originalId.indexOf('.')
    if (originalDot > 0) keys.push(idPrefixKey(doc._originalId.slice(0, originalDot), '_originalId'))
  }
  return keys
}

function sameKeys(a: string[], b: string[]): boolean {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}

/**
 * The documents one perspective sees, in a stable order, with inverted indexes.
 * Invariant: every index set iterates in the same relative order as `docs`, so a
 * candidate subset filtered by groq-js yields the same order as a full scan would.
 * A document whose index keys change is therefore moved to the end everywhere.
 */
export class DocView {
  private readonly docs = new Map<string, LakeDocument>()
  private readonly keysById = new Map<string, string[]>()
  private readonly seqById = new Map<string, number>()
  private readonly index = new Map<string, Set<string>>()
  private readonly sortedIndexes = new Map<string, SortedIndex>()
  private nextSeq = 0
  private cachedArray: LakeDocument[] | null = null

  get size(): number {
    return this.docs.size
  }

  get(id: string): LakeDocument | undefined {
    return this.docs.get(id)
  }

  has(id: string): boolean {
    return this.docs.has(id)
  }

  /** All documents in view order; cached until the next change. */
  all(): LakeDocument[] {
    if (!this.cachedArray) this.cachedArray = Array.from(this.docs.values())
    return this.cachedArray
  }

  /**
   * The view sorted by `keyOf`, named by `name` (the order expression). Few distinct orders are
   * ever asked for; past 32 the oldest is dropped.
   */
  sortedBy(name: string, keyOf: (doc: LakeDocument) => unknown): SortedIndex {
    let index = this.sortedIndexes.get(name)
    if (!index) {
      if (this.sortedIndexes.size >= 32) this.sortedIndexes.delete(this.sortedIndexes.keys().next().value!)
      index = new SortedIndex(keyOf, () => this.docs.values())
      this.sortedIndexes.set(name, index)
    }
    return index
  }

  /** Position in view order (the order a full scan sees). */
  seqOf(id: string): number {
    return this.seqById.get(id) ?? Number.MAX_SAFE_INTEGER
  }

  put(id: string, doc: LakeDocument | null | undefined): void {
    this.cachedArray = null
    for (const sorted of this.sortedIndexes.values()) sorted.change(id, doc ?? null)
    const oldKeys = this.keysById.get(id)
    if (!doc) {
      if (oldKeys) this.remove(id, oldKeys)
      return
    }
    const newKeys = indexKeysOf(doc)
    if (oldKeys && sameKeys(oldKeys, newKeys)) {
      this.docs.set(id, doc)
      return
    }
    if (oldKeys) this.remove(id, oldKeys)
    this.docs.set(id, doc)
    this.keysById.set(id, newKeys)
    this.seqById.set(id, this.nextSeq++)
    for (const key of newKeys) {
      let set = this.index.get(key)
      if (!set) this.index.set(key, (set = new Set()))
      set.add(id)
    }
  }

  clear(): void {
    this.docs.clear()
    this.keysById.clear()
    this.seqById.clear()
    this.index.clear()
    for (const sorted of this.sortedIndexes.values()) sorted.clear()
    this.cachedArray = null
  }

  /** Ids having an index key, in view order (the live set: do not mutate). */
  idsWithKey(key: string): ReadonlySet<string> {
    return this.index.get(key) ?? EMPTY
  }

  /** Sorts ids into view order; used after unions. */
  inViewOrder(ids: Iterable<string>): string[] {
    const list = Array.from(ids).filter((id) => this.docs.has(id))
    return list.sort((a, b) => this.seqById.get(a)! - this.seqById.get(b)!)
  }

  private remove(id: string, keys: string[]): void {
    this.docs.delete(id)
    this.keysById.delete(id)
    this.seqById.delete(id)
    for (const key of keys) {
      const set = this.index.get(key)
      if (!set) continue
      set.delete(id)
      if (set.size === 0) this.index.delete(key)
    }
  }
}

const EMPTY: ReadonlySet<string> = new Set()
