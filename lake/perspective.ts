import {LakeError} from './errors'
import {DRAFTS_PREFIX, publishedIdOf} from './ids'
import type {LakeDocument, Perspective} from './types'
import {copyDocument} from './lazy-doc'

/** Parses the `perspective` query parameter: `raw`, `published`, `drafts`, `previewDrafts` or `rA,rB,drafts`. */
export function parsePerspective(value: unknown, fallback: Perspective = 'raw'): Perspective {
  if (value === undefined || value === null || value === '') return fallback
  if (Array.isArray(value)) return parsePerspective(value.join(','), fallback)
  if (typeof value !== 'string') throw new LakeError(400, 'validationError', 'perspective must be a string')
  if (value === 'raw' || value === 'published' || value === 'drafts') return value
  if (value === 'previewDrafts') return 'drafts'
  const stack = value.split(',').map((part) => part.trim()).filter(Boolean)
  if (stack.length === 0 || stack.includes('raw') || stack.some((name) => !/^[a-zA-Z0-9_-]+$/.test(name))) {
    throw new LakeError(400, 'validationError', `Invalid perspective "${value}"`)
  }
  if (stack.length === 1 && (stack[0] === 'published' || stack[0] === 'drafts')) return stack[0] as 'published' | 'drafts'
  return stack.filter((name) => name !== 'published')
}

export function perspectiveKey(perspective: Perspective): string {
  return typeof perspective === 'string' ? perspective : perspective.join(',')
}

/** Only `published` is visible without the token: drafts and versions are private. */
export function isPublicPerspective(perspective: Perspective): boolean {
  return perspective === 'published'
}

/**
 * Which raw document a stacked perspective shows for one published id: the first existing layer
 * of the stack (releases in order, then drafts if listed), else the published document. Null
 * when none exists or that layer is a `_system.delete` marker (the release deletes it).
 */
export function shownIdFor(baseId: string, stack: readonly string[], read: (id: string) => LakeDocument | undefined): string | null {
  for (const layer of stack) {
    const id = layer === 'drafts' ? DRAFTS_PREFIX + baseId : `versions.${layer}.${baseId}`
    const doc = read(id)
    if (doc) return (doc._system as {delete?: boolean} | undefined)?.delete ? null : id
  }
  return read(baseId) ? baseId : null
}

/** Each raw document's presented copy; a replaced raw document (documents never change in place) drops its copy. */
const presentedCopies = new WeakMap<LakeDocument, LakeDocument>()

/**
 * A raw document as a stacked perspective shows it: `_id` the published id, `_originalId` the
 * raw id. Made on first use and kept while the raw document lives (so one query sees one object
 * per document); its large values stay lazy.
 */
export function presented(doc: LakeDocument): LakeDocument {
  let copy = presentedCopies.get(doc)
  if (!copy) {
    const baseId = publishedIdOf(doc._id)
    copy = copyDocument(doc, baseId === doc._id ? {_originalId: baseId} : {_id: baseId, _originalId: doc._id})
    presentedCopies.set(doc, copy)
  }
  return copy
}

export {isVisibleInPublished} from './view'
