import {isPublishedId, publishedIdOf} from './ids'
import {presented, shownIdFor} from './perspective'
import {SortedIndex} from './sorted-index'
import type {LakeDocument} from './types'
import {DerivedIds, DocView, EMPTY, ID_PREFIX, ORIGINAL_PREFIX, VERSION_OF, idPrefixKey, indexKeysOf, versionOfKey} from './view'

/** A raw document the overlay does not show, with the raw index keys it was counted under. */
interface Hidden {
  id: string
  keys: string[]
}

/**
 * The `drafts` perspective and release stacks (`rA,drafts`): for each published id, the first
 * existing layer of the stack, presented with `_id` = the published id and `_originalId` = the
 * layer's id (perspective.ts). Like PublishedView it holds no copy of the dataset and no indexes
 * of its own: lookups, index sets and sorted indexes are the raw view's, mapped.
 *
 * What it holds is about the published ids that have a draft or version (few): which raw id each
 * shows, and the raw documents it hides (a draft's published document, versions of releases not
 * in the stack, `_system.delete` markers) with their index keys, so each raw index set's size
 * minus its hidden members is exact. Every other published document shows itself.
 *
 * View order is the raw order of the document shown (a document moves where its shown draft is),
 * so a raw index set, skipping hidden ids and naming each by its published id, iterates in view
 * order, and so does `all()`.
 */
export class OverlayView extends DocView {
  /** Per published id with a draft or version in the raw view: the raw id shown (null: none) and those hidden. */
  private readonly layered = new Map<string, {shown: string | null; hidden: Hidden[]}>()
  private readonly hiddenIds = new Set<string>()
  /** Per raw index key, how many of its raw ids are hidden. */
  private readonly hiddenByKey = new Map<string, number>()
  private allCache: {source: LakeDocument[]; docs: LakeDocument[]} | null = null
  /**
   * Index sets asked for since the last write: a query naming one key twice (the Studio's
   * `_type in $__types && ... && _type == $type`) gets one object, whose intersection with itself is free.
   */
  private readonly sets = new Map<string, ReadonlySet<string>>()
  /** Sorted indexes of order keys reading `_id`/`_originalId` (which differ from the raw documents'). */
  private readonly ownSorted = new Map<string, SortedIndex>()

  constructor(
    private readonly raw: DocView,
    private readonly stack: readonly string[],
  ) {
    super()
    for (const prefix of ['drafts', 'versions']) {
      for (const id of raw.idsWithKey(idPrefixKey(prefix))) {
        const base = publishedIdOf(id)
        if (!this.layered.has(base)) this.refresh(base)
      }
    }
  }

  override get size(): number {
    return this.raw.size - this.hiddenIds.size
  }

  /** The raw id shown as `id` (a published id), or null. */
  private shownOf(id: string): string | null {
    const entry = this.layered.get(id)
    if (entry) return entry.shown
    return isPublishedId(id) && this.raw.has(id) ? id : null
  }

  override get(id: string): LakeDocument | undefined {
    const shown = this.shownOf(id)
    if (shown === null) return undefined
    const doc = this.raw.get(shown)
    return doc && presented(doc)
  }

  override has(id: string): boolean {
    return this.shownOf(id) !== null
  }

  override all(): LakeDocument[] {
    const source = this.raw.all()
    if (this.allCache?.source !== source) {
      const docs: LakeDocument[] = []
      for (const doc of source) if (!this.hiddenIds.has(doc._id)) docs.push(presented(doc))
      this.allCache = {source, docs}
    }
    return this.allCache.docs
  }

  override seqOf(id: string): number {
    const shown = this.shownOf(id)
    return shown === null ? Number.MAX_SAFE_INTEGER : this.raw.seqOf(shown)
  }

  override inViewOrder(ids: Iterable<string>): string[] {
    const withSeq: Array<{id: string; seq: number}> = []
    for (const id of ids) {
      const shown = this.shownOf(id)
      if (shown !== null) withSeq.push({id, seq: this.raw.seqOf(shown)})
    }
    return withSeq.sort((a, b) => a.seq - b.seq).map((entry) => entry.id)
  }

  /** Entries of the raw view's sorted indexes (and of this view's own) are raw ids. */
  override idInView(entryId: string): string | null {
    return this.hiddenIds.has(entryId) ? null : publishedIdOf(entryId)
  }

  /**
   * The raw view's sorted index when the key reads neither `_id` nor `_originalId` (the only
   * values a presented document changes); else one of this view's own, over the raw documents
   * shown, keyed by their presented copies.
   */
  override sortedBy(name: string, keyOf: (doc: LakeDocument) => unknown, type?: string): SortedIndex {
    if (!/"name":"_(id|originalId)"/.test(name)) return this.raw.sortedBy(name, keyOf, type)
    const fullName = type === undefined ? name : `${name}|${type}`
    let index = this.ownSorted.get(fullName)
    if (!index) {
      if (this.ownSorted.size >= 32) this.ownSorted.delete(this.ownSorted.keys().next().value!)
      index = new SortedIndex(
        (doc) => keyOf(presented(doc)),
        () => this.shownRawDocs(),
        type === undefined ? undefined : (doc) => doc._type === type,
      )
      this.ownSorted.set(fullName, index)
    }
    return index
  }

  private *shownRawDocs(): Iterable<LakeDocument> {
    for (const doc of this.raw.all()) if (!this.hiddenIds.has(doc._id)) yield doc
  }

  override idsWithKey(key: string): ReadonlySet<string> {
    const kind = key.slice(0, 2)
    // Presented ids are published ids: no document here is a draft or version of another.
    if (kind === VERSION_OF) return EMPTY
    if (kind === ID_PREFIX) return this.withIdPrefix(key.slice(2))
    // `_originalId` is the raw id shown.
    const rawKey = kind === ORIGINAL_PREFIX ? ID_PREFIX + key.slice(2) : key
    let set = this.sets.get(rawKey)
    if (!set) {
      const ids = this.raw.idsWithKey(rawKey)
      const size = ids.size - (this.hiddenByKey.get(rawKey) ?? 0)
      set = size === 0 ? EMPTY : new ShownIds(ids, size, this.hiddenIds, this.layered)
      if (this.sets.size >= 64) this.sets.delete(this.sets.keys().next().value!)
      this.sets.set(rawKey, set)
    }
    return set
  }

  /** Presented ids starting with `<segment>.` (rarely asked: computed each time). */
  private withIdPrefix(segment: string): ReadonlySet<string> {
    if (segment === 'drafts' || segment === 'versions') return EMPTY
    const ids: string[] = []
    for (const id of this.raw.idsWithKey(ID_PREFIX + segment)) if (this.shownOf(id) !== null) ids.push(id)
    // Published ids with a draft or version but no published document.
    const prefix = `${segment}.`
    for (const [base, entry] of this.layered) {
      if (entry.shown !== null && base.startsWith(prefix) && !this.raw.has(base)) ids.push(base)
    }
    return ids.length === 0 ? EMPTY : new Set(this.inViewOrder(ids))
  }

  override hiddenCount(): number {
    return 0
  }

  override put(): void {
    throw new Error('an overlay view follows the raw view')
  }

  override clear(): void {
    this.allCache = null
  }

  /**
   * Called before the raw view changes `id`: the raw document shown for its published id, which
   * this view's own sorted indexes hold (null when it has none or shows nothing).
   */
  before(id: string): {id: string; doc: LakeDocument} | null {
    if (this.ownSorted.size === 0) return null
    const shown = this.shownOf(publishedIdOf(id))
    const doc = shown === null ? undefined : this.raw.get(shown)
    return doc ? {id: shown!, doc} : null
  }

  /** Called after the raw view changed `id`, with what `before` answered. */
  after(id: string, before: {id: string; doc: LakeDocument} | null): void {
    const base = publishedIdOf(id)
    this.sets.clear()
    this.refresh(base)
    if (this.ownSorted.size === 0) return
    const shown = this.shownOf(base)
    const doc = (shown !== null && this.raw.get(shown)) || null
    for (const index of this.ownSorted.values()) {
      if (before && before.id !== shown) index.change(before.id, before.doc, null)
      if (shown !== null) index.change(shown, before?.id === shown ? before.doc : null, doc)
    }
  }

  /** Recomputes what is shown and hidden for one published id from the raw view. */
  private refresh(base: string): void {
    const old = this.layered.get(base)
    if (old) {
      for (const hidden of old.hidden) {
        this.hiddenIds.delete(hidden.id)
        for (const key of hidden.keys) {
          const count = this.hiddenByKey.get(key)! - 1
          if (count > 0) this.hiddenByKey.set(key, count)
          else this.hiddenByKey.delete(key)
        }
      }
      this.layered.delete(base)
    }
    const layers = this.raw.idsWithKey(versionOfKey(base))
    if (layers.size === 0) return
    const shown = shownIdFor(base, this.stack, (id) => this.raw.get(id))
    const hidden: Hidden[] = []
    for (const id of [base, ...layers]) {
      const doc = id === shown ? undefined : this.raw.get(id)
      if (!doc) continue
      const keys = indexKeysOf(doc)
      hidden.push({id, keys})
      this.hiddenIds.add(id)
      for (const key of keys) this.hiddenByKey.set(key, (this.hiddenByKey.get(key) ?? 0) + 1)
    }
    this.layered.set(base, {shown, hidden})
  }
}

/** A raw index set seen from an overlay view: hidden raw ids skipped, the others named by their published id. */
class ShownIds extends DerivedIds {
  constructor(
    private readonly ids: ReadonlySet<string>,
    readonly size: number,
    private readonly hidden: ReadonlySet<string>,
    private readonly layered: ReadonlyMap<string, {shown: string | null}>,
  ) {
    super()
  }

  has(id: string): boolean {
    const entry = this.layered.get(id)
    if (entry) return entry.shown !== null && this.ids.has(entry.shown)
    return isPublishedId(id) && this.ids.has(id)
  }

  *values(): SetIterator<string> {
    for (const id of this.ids) if (!this.hidden.has(id)) yield publishedIdOf(id)
  }
}
