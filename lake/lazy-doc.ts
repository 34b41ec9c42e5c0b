import type {LakeDocument} from './types'

/**
 * Documents whose large values stay in SQLite until read. A stored document's top-level object
 * or array whose JSON passes LAZY_BYTES (a story's Portable Text body) is kept out of memory: the
 * document held in memory (its head) has an enumerable getter at that key's place, which reads
 * the stored version from SQLite when a query, an answer or a patch touches it. Everything else
 * (what filters, orderings, joins and lists read) is held parsed, so queries never parse JSON.
 */
export const LAZY_BYTES = 1024

/** How a head finds its full stored version; shared by every head of one dataset. */
export interface LazyLoader {
  /** The stored document `id` at revision `rev` (SQLite's current row, or its revision). */
  load(id: string, rev: string): LakeDocument
}

interface LazyRecord {
  readonly id: string
  readonly rev: string
  /** Keys whose values are left in SQLite, in document order (shared between heads). */
  readonly keys: readonly string[]
  /** `_ref`s found inside those values (indexes need them without reading the values). */
  readonly refs: readonly string[] | null
  readonly loader: LazyLoader
  /** The full version, once SQLite no longer holds it as the current row (see pinLazy). */
  pinned?: LakeDocument
}

const RECORD = Symbol('lakeLazyRecord')
const getters = new Map<string, () => unknown>()
/** Recently read full versions: a query reading `body` twice, or `body` and `notes`, parses once. */
const recent = new Map<LazyRecord, LakeDocument>()
const RECENT = 64

function full(record: LazyRecord): LakeDocument {
  if (record.pinned) return record.pinned
  let doc = recent.get(record)
  if (doc) {
    recent.delete(record)
  } else {
    doc = record.loader.load(record.id, record.rev)
    if (recent.size >= RECENT) recent.delete(recent.keys().next().value!)
  }
  recent.set(record, doc)
  return doc
}

function getterFor(key: string): () => unknown {
  let getter = getters.get(key)
  if (!getter) {
    getter = function (this: LakeDocument) {
      return full(recordOf(this)!)[key]
    }
    getters.set(key, getter)
  }
  return getter
}

function recordOf(doc: LakeDocument): LazyRecord | undefined {
  return (doc as unknown as Record<symbol, LazyRecord | undefined>)[RECORD]
}

/** The keys of `doc` left in SQLite (empty for a document held whole). */
export function lazyKeysOf(doc: LakeDocument): readonly string[] {
  return recordOf(doc)?.keys ?? NONE
}

/** The `_ref`s inside the values left in SQLite. */
export function lazyRefsOf(doc: LakeDocument): readonly string[] {
  return recordOf(doc)?.refs ?? NONE
}

const NONE: readonly string[] = []

// Properties are defined, not assigned: V8 keeps an object built by assigning computed keys
// (past a dozen) as a dictionary, about 1.2 KB more per story head; defined ones share hidden classes.
function defineValue(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, {value, writable: true, enumerable: true, configurable: true})
}

function defineLazy(target: Record<string, unknown>, key: string): void {
  Object.defineProperty(target, key, {get: getterFor(key), enumerable: true, configurable: true})
}

/**
 * A head as loaded from SQLite: `head` is the parsed document without its lazy keys, which become
 * getters added after its other keys. The parsed object is kept, not copied: JSON.parse gives
 * documents of one shape one hidden class, and appending the same getter keeps it shared (turning
 * an existing value into a getter would make every head a dictionary). So a lazy value comes last
 * in the document's key order. Heads written before this held `0` in each lazy key's place: those
 * are copied with the getter in that place.
 */
export function lazyDocument(head: Record<string, unknown>, keys: readonly string[], refs: readonly string[] | null, loader: LazyLoader): LakeDocument {
  const record: LazyRecord = {id: head._id as string, rev: head._rev as string, keys, refs, loader}
  if (keys.some((key) => Object.hasOwn(head, key))) {
    const doc: Record<string, unknown> = {}
    for (const key in head) {
      if (keys.includes(key)) defineLazy(doc, key)
      else defineValue(doc, key, head[key])
    }
    Object.defineProperty(doc, RECORD, {value: record})
    return doc as LakeDocument
  }
  for (const key of keys) defineLazy(head, key)
  Object.defineProperty(head, RECORD, {value: record})
  return head as LakeDocument
}

/**
 * A copy of `doc` with `overrides` (as `{...doc, ...overrides}`), whose lazy values stay lazy:
 * the drafts and release views copy every document they show.
 */
export function copyDocument(doc: LakeDocument, overrides: Record<string, unknown> = {}): LakeDocument {
  const record = recordOf(doc)
  const lazy = record?.keys ?? NONE
  const copy: Record<string, unknown> = {}
  for (const key of Object.keys(doc)) {
    if (key in overrides) defineValue(copy, key, overrides[key])
    else if (lazy.includes(key)) defineLazy(copy, key)
    else defineValue(copy, key, doc[key])
  }
  for (const key of Object.keys(overrides)) if (!(key in copy)) defineValue(copy, key, overrides[key])
  if (record) Object.defineProperty(copy, RECORD, {value: record})
  return copy as LakeDocument
}

/**
 * Called before SQLite's row of `doc` is replaced or deleted: the head (and its copies) keep
 * their version by holding it whole from then on.
 */
export function pinLazy(doc: LakeDocument): void {
  const record = recordOf(doc)
  if (record && !record.pinned) record.pinned = full(record)
}

/** Forgets recently read versions (a dataset was reloaded). */
export function forgetRecent(): void {
  recent.clear()
}

/**
 * How a document is stored: its JSON (exactly JSON.stringify's), and, when some top-level value
 * is large, the head (that JSON without the large values), the large keys and the
 * `_ref`s inside them. `keep` names keys never left out (the equality indexes read them).
 */
export function storedForm(doc: LakeDocument, keep: ReadonlySet<string>): {json: string; head: string | null; lazy: string[]; refs: string[]} {
  const parts: string[] = []
  const headParts: string[] = []
  const lazy: string[] = []
  const refs = new Set<string>()
  for (const key of Object.keys(doc)) {
    const value = doc[key]
    const json = JSON.stringify(value)
    if (json === undefined) continue
    const name = JSON.stringify(key)
    parts.push(`${name}:${json}`)
    if (json.length > LAZY_BYTES && value !== null && typeof value === 'object' && !key.startsWith('_') && !keep.has(key)) {
      lazy.push(key)
      collectRefs(value, refs)
    } else {
      headParts.push(`${name}:${json}`)
    }
  }
  return {json: `{${parts.join(',')}}`, head: lazy.length > 0 ? `{${headParts.join(',')}}` : null, lazy, refs: [...refs]}
}

/** Every `_ref` string inside `value` (what the reference index holds). */
export function collectRefs(value: unknown, out: Set<string>): void {
  if (Array.isArray(value)) {
    for (const item of value) collectRefs(item, out)
  } else if (value && typeof value === 'object') {
    for (const key of Object.keys(value)) {
      const inner = (value as Record<string, unknown>)[key]
      if (key === '_ref' && typeof inner === 'string') out.add(inner)
      else if (inner && typeof inner === 'object') collectRefs(inner, out)
    }
  }
}
