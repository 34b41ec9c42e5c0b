import {LakeError} from './errors'
import {DRAFTS_PREFIX, isDraftId, isVersionId, publishedIdOf, releaseOf} from './ids'
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
 * The document a perspective shows for one published id: the first existing layer of
 * the stack (releases in order, then drafts if listed), falling back to the published
 * document. The result carries the published `_id` and `_originalId` = the layer's id.
 */
export function overlayFor(
  baseId: string,
  stack: readonly string[],
  read: (id: string) => LakeDocument | undefined,
): LakeDocument | null {
  for (const layer of stack) {
    const id = layer === 'drafts' ? DRAFTS_PREFIX + baseId : `versions.${layer}.${baseId}`
    const doc = read(id)
    if (doc) {
      if ((doc._system as {delete?: boolean} | undefined)?.delete) return null
      return copyDocument(doc, {_id: baseId, _originalId: id})
    }
  }
  const published = read(baseId)
  return published ? copyDocument(published, {_originalId: baseId}) : null
}



export {isVisibleInPublished} from './view'

/** Which published ids a change to `id` can affect in a stacked perspective. */
export function affectedBaseId(id: string, stack: readonly string[]): string | null {
  if (isDraftId(id)) return stack.includes('drafts') ? publishedIdOf(id) : null
  const release = releaseOf(id)
  if (release !== null) return stack.includes(release) ? publishedIdOf(id) : null
  return id
}
