import {isDraftId, isPublishedId, isVersionId, publishedIdOf} from './ids'
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
// Keys of two characters each: the overlay views (overlay-view.ts) tell them apart by those.
export const ID_PREFIX = 'p:'
export const ORIGINAL_PREFIX = 'o:'
export const VERSION_OF = 'v:'

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

const SPLIT_PATHS = EQUALITY_INDEXED_PATHS.map((path) => ({path, parts: path.split('.'), kind: `${FIELD}${path}=`}))

function readPath(doc: LakeDocument, parts: readonly string[]): unknown {
  let value: unknown = doc
  for (const part of parts) {
    if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined
    value = (value as Record<string, unknown>)[part]
  }
  return value
}

/**
 * A document's index entries as a flat list `[kind, value, kind, value, ...]`: `kind` is a key's
 * prefix (`t:`, `r:`, `f:<path>=`, `p:`, `o:`, `v:`) and `value` what follows it (a field's value
 * unquoted). Recomputed when needed, never held per document. Kept apart rather than joined into
 * one key string: building and hashing a fresh string per entry was most of a 300,000-story start.
 */
function indexEntriesOf(doc: LakeDocument): unknown[] {
  const entries: unknown[] = [TYPE, doc._type]
  const refs = new Set<string>()
  // Values left in SQLite are not read: their refs were noted when the document was stored.
  const lazy = lazyKeysOf(doc)
  for (const key of Object.keys(doc)) {
    if (lazy.length > 0 && lazy.includes(key)) continue
    const value = doc[key]
    if (value !== null && typeof value === 'object') collectRefs(value, refs)
    else if (key === '_ref' && typeof value === 'string') refs.add(value)
  }
  for (const ref of lazyRefsOf(doc)) refs.add(ref)
  for (const ref of refs) entries.push(REF, ref)
  for (const {parts, kind} of SPLIT_PATHS) {
    const value = readPath(doc, parts)
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') entries.push(kind, value)
  }
  const id = doc._id
  const dot = id.indexOf('.')
  if (dot > 0) entries.push(ID_PREFIX, id.slice(0, dot))
  if (!isPublishedId(id)) entries.push(VERSION_OF, publishedIdOf(id))
  if (typeof doc._originalId === 'string') {
    const originalDot = doc._originalId.indexOf('.')
    if (originalDot > 0) entries.push(ORIGINAL_PREFIX, doc._originalId.slice(0, originalDot))
  }
  return entries
}

/** The key string of one entry, as `typeKey`, `refKey`, `fieldKey`... build it. */
function entryKey(kind: string, value: unknown): string {
  return kind.startsWith(FIELD) ? kind + JSON.stringify(value) : kind + (value as string)
}

/** A key string split back into its entry: `[kind, value]`. */
function splitKey(key: string): [string, unknown] {
  if (key.startsWith(FIELD)) {
    const eq = key.indexOf('=')
    try {
      return [key.slice(0, eq + 1), JSON.parse(key.slice(eq + 1))]
    } catch {
      return [key, undefined]
    }
  }
  return [key.slice(0, 2), key.slice(2)]
}

/** The index key strings of a document (`typeKey`, `refKey`, `fieldKey`, `idPrefixKey`, `versionOfKey`). */
export function indexKeysOf(doc: LakeDocument): string[] {
  const entries = indexEntriesOf(doc)
  const keys: string[] = []
  for (let i = 0; i < entries.length; i += 2) keys.push(entryKey(entries[i] as string, entries[i + 1]))
  return keys
}

function sameEntries(a: unknown[], b: unknown[]): boolean {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}

/**
 * The documents one perspective sees, in a stable order, with inverted indexes.
 * Invariant: every index set iterates in the same relative order as `docs`, so a
 * candidate subset filtered by groq-js yields the same order as a full scan would.
 * A document whose index keys change is therefore moved to the end everywhere.
 * Per document it holds the map entries and its id in each of its keys' sets: a document's
 * keys are recomputed from the document it replaces (documents are never changed in place).
 */
export class DocView {
  private readonly docs = new Map<string, LakeDocument>()
  private readonly seqById = new Map<string, number>()
  /**
   * Ids per index entry, by kind then value: a value held by one document (a slug, a chapter's
   * reference) keeps the id itself, not a Set.
   */
  private readonly index = new Map<string, Map<unknown, Set<string> | string>>()
  /** Per key, how many of its ids are drafts or versions (what the published view leaves out). */
  private readonly hidden = new Map<string, number>()
  private hiddenTotal = 0
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
   * The view sorted by `keyOf`, named by `name` (the order expression); with `type`, only that
   * type's documents. Few distinct orders are ever asked for; past 32 the oldest is dropped.
   */
  sortedBy(name: string, keyOf: (doc: LakeDocument) => unknown, type?: string): SortedIndex {
    const fullName = type === undefined ? name : `${name}|${typeKey(type)}`
    let index = this.sortedIndexes.get(fullName)
    if (!index) {
      if (this.sortedIndexes.size >= 32) this.sortedIndexes.delete(this.sortedIndexes.keys().next().value!)
      index = new SortedIndex(keyOf, () => this.docs.values(), type === undefined ? undefined : (doc) => doc._type === type)
      this.sortedIndexes.set(fullName, index)
    }
    return index
  }

  /**
   * The id in this view of a sorted index's entry (sortedBy), null when the view does not show
   * it: a view may share another view's sorted indexes, whose entries are that view's ids.
   */
  idInView(entryId: string): string | null {
    return entryId
  }

  /** Position in view order (the order a full scan sees). */
  seqOf(id: string): number {
    return this.seqById.get(id) ?? Number.MAX_SAFE_INTEGER
  }

  put(id: string, doc: LakeDocument | null | undefined): void {
    this.cachedArray = null
    const old = this.docs.get(id)
    for (const sorted of this.sortedIndexes.values()) sorted.change(id, old ?? null, doc ?? null)
    const oldEntries = old ? indexEntriesOf(old) : null
    if (!doc) {
      if (oldEntries) this.remove(id, oldEntries)
      return
    }
    const newEntries = indexEntriesOf(doc)
    if (oldEntries && sameEntries(oldEntries, newEntries)) {
      this.docs.set(id, doc)
      return
    }
    if (oldEntries) this.remove(id, oldEntries)
    this.docs.set(id, doc)
    this.seqById.set(id, this.nextSeq++)
    const hidden = !isVisibleInPublished(id)
    if (hidden) this.hiddenTotal++
    for (let i = 0; i < newEntries.length; i += 2) {
      const kind = newEntries[i] as string
      const value = newEntries[i + 1]
      let values = this.index.get(kind)
      if (!values) this.index.set(kind, (values = new Map()))
      const entry = values.get(value)
      if (entry === undefined) values.set(value, id)
      else if (typeof entry === 'string') values.set(value, new Set([entry, id]))
      else entry.add(id)
      if (hidden) {
        const key = entryKey(kind, value)
        this.hidden.set(key, (this.hidden.get(key) ?? 0) + 1)
      }
    }
  }

  clear(): void {
    this.docs.clear()
    this.seqById.clear()
    this.index.clear()
    this.hidden.clear()
    this.hiddenTotal = 0
    for (const sorted of this.sortedIndexes.values()) sorted.clear()
    this.cachedArray = null
  }

  /** Ids having an index key, in view order (the live set: do not mutate). */
  idsWithKey(key: string): ReadonlySet<string> {
    const [kind, value] = splitKey(key)
    const entry = this.index.get(kind)?.get(value)
    if (entry === undefined) return EMPTY
    return typeof entry === 'string' ? new Set([entry]) : entry
  }

  /** How many drafts and versions have `key` (all of them without a key). */
  hiddenCount(key?: string): number {
    return key === undefined ? this.hiddenTotal : (this.hidden.get(key) ?? 0)
  }

  /** Sorts ids into view order; used after unions. */
  inViewOrder(ids: Iterable<string>): string[] {
    const list = Array.from(ids).filter((id) => this.docs.has(id))
    return list.sort((a, b) => this.seqById.get(a)! - this.seqById.get(b)!)
  }

  private remove(id: string, entries: unknown[]): void {
    this.docs.delete(id)
    this.seqById.delete(id)
    const hidden = !isVisibleInPublished(id)
    if (hidden) this.hiddenTotal--
    for (let i = 0; i < entries.length; i += 2) {
      const kind = entries[i] as string
      const value = entries[i + 1]
      const values = this.index.get(kind)
      const entry = values?.get(value)
      if (entry === undefined) continue
      if (typeof entry === 'string') {
        if (entry === id) values!.delete(value)
      } else {
        entry.delete(id)
        if (entry.size === 0) values!.delete(value)
      }
      if (hidden) {
        const key = entryKey(kind, value)
        const count = (this.hidden.get(key) ?? 1) - 1
        if (count > 0) this.hidden.set(key, count)
        else this.hidden.delete(key)
      }
    }
  }
}

/**
 * The `published` perspective: the raw view without drafts and versions. It holds nothing of
 * its own (no second copy of the indexes): lookups, index sets and sorted indexes are the raw
 * view's, with drafts and versions skipped. Extends DocView only to be usable wherever one is.
 */
export class PublishedView extends DocView {
  private allCache: {source: LakeDocument[]; docs: LakeDocument[]} | null = null

  constructor(private readonly raw: DocView) {
    super()
  }

  override get size(): number {
    return this.raw.size - this.raw.hiddenCount()
  }

  override get(id: string): LakeDocument | undefined {
    return isVisibleInPublished(id) ? this.raw.get(id) : undefined
  }

  override has(id: string): boolean {
    return isVisibleInPublished(id) && this.raw.has(id)
  }

  override all(): LakeDocument[] {
    const source = this.raw.all()
    if (this.allCache?.source !== source) this.allCache = {source, docs: source.filter((doc) => isVisibleInPublished(doc._id))}
    return this.allCache.docs
  }

  /** The raw view's sorted index: an ordered walk looks each entry up with get(), which skips drafts. */
  override sortedBy(name: string, keyOf: (doc: LakeDocument) => unknown, type?: string): SortedIndex {
    return this.raw.sortedBy(name, keyOf, type)
  }

  override seqOf(id: string): number {
    return this.raw.seqOf(id)
  }

  override idInView(entryId: string): string | null {
    return isVisibleInPublished(entryId) ? entryId : null
  }

  override put(): void {
    throw new Error('the published view follows the raw view')
  }

  override clear(): void {
    this.allCache = null
  }

  override idsWithKey(key: string): ReadonlySet<string> {
    const ids = this.raw.idsWithKey(key)
    const hidden = this.raw.hiddenCount(key)
    return hidden === 0 ? ids : new VisibleIds(ids, ids.size - hidden)
  }

  override hiddenCount(): number {
    return 0
  }

  override inViewOrder(ids: Iterable<string>): string[] {
    return this.raw.inViewOrder(ids).filter(isVisibleInPublished)
  }
}

/**
 * A read-only set of ids worked out on the fly from one of the raw view's index sets, for the
 * views that hold no index of their own (published, overlays): `has`, `values` and an exact `size`.
 */
export abstract class DerivedIds implements ReadonlySet<string> {
  abstract readonly size: number
  abstract has(id: string): boolean
  abstract values(): SetIterator<string>

  keys(): SetIterator<string> {
    return this.values()
  }

  *entries(): SetIterator<[string, string]> {
    for (const id of this.values()) yield [id, id]
  }

  [Symbol.iterator](): SetIterator<string> {
    return this.values()
  }

  forEach(callback: (value: string, key: string, set: ReadonlySet<string>) => void, thisArg?: unknown): void {
    for (const id of this.values()) callback.call(thisArg, id, id, this)
  }
}

/** An index set of the raw view seen from the published one: drafts and versions skipped. */
class VisibleIds extends DerivedIds {
  constructor(
    private readonly ids: ReadonlySet<string>,
    readonly size: number,
  ) {
    super()
  }

  has(id: string): boolean {
    return isVisibleInPublished(id) && this.ids.has(id)
  }

  *values(): SetIterator<string> {
    for (const id of this.ids) if (isVisibleInPublished(id)) yield id
  }
}

/** Drafts (`drafts.`) and release versions (`versions.`) are not part of the published perspective. */
export function isVisibleInPublished(id: string): boolean {
  return !isDraftId(id) && !isVersionId(id)
}

export const EMPTY: ReadonlySet<string> = new Set()
