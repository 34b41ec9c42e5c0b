import {createHash} from 'node:crypto'
import type {StoryDocuments} from './documents'
import type {SanityDoc} from './entities'

/**
 * Importing a newer download of a work already in the dataset. Every import stores, in
 * `source.fieldHashes`, a hash of each field it wrote (`summary=…`, `ch2.body=…`). On the next
 * import each field is one of:
 *   - unchanged in the download (new hash = stored): left alone, whatever an editor did;
 *   - changed in the download, untouched in the Studio (current = stored): refreshed;
 *   - changed in both: the editor's version is kept and reported as a conflict.
 * New chapters are added; chapters and fields are never deleted. A download identical to the
 * last one writes nothing at all.
 */

/** Fields an import never refreshes: identity, the slug readers' links use, and when it was first published. */
const UNTRACKED = new Set(['_id', '_type', '_rev', '_createdAt', '_updatedAt', '_key', 'slug', 'source', 'chapters', 'publishedAt'])
/** Follows the text: refreshed with it, kept with an editor's text, never a conflict of its own. */
const DERIVED = new Set(['wordCount'])

/** JSON with sorted keys: a stored document may come back with its keys in another order. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null'
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`
  const record = value as Record<string, unknown>
  const keys = Object.keys(record).filter((key) => record[key] !== undefined).sort()
  return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalJson(record[key])}`).join(',')}}`
}

const ABSENT = '-'

export function valueHash(value: unknown): string {
  if (value === undefined || value === null || (Array.isArray(value) && value.length === 0) || value === '') return ABSENT
  return createHash('sha256').update(canonicalJson(value)).digest('hex').slice(0, 16)
}

function trackedFields(doc: Record<string, unknown>): string[] {
  return Object.keys(doc).filter((key) => !UNTRACKED.has(key) && !key.startsWith('_'))
}

/** `field=hash` for the story's fields and `chN.field=hash` for its chapters', sorted. */
export function fieldHashes(docs: Pick<StoryDocuments, 'story' | 'chapters'>): string[] {
  const out: string[] = []
  for (const field of trackedFields(docs.story)) out.push(`${field}=${valueHash(docs.story[field])}`)
  docs.chapters.forEach((chapter, n) => {
    for (const field of trackedFields(chapter)) out.push(`ch${n + 1}.${field}=${valueHash(chapter[field])}`)
  })
  return out.sort()
}

function parseHashes(list: unknown): Map<string, string> | undefined {
  if (!Array.isArray(list)) return undefined
  const map = new Map<string, string>()
  for (const entry of list) {
    if (typeof entry !== 'string') continue
    const at = entry.lastIndexOf('=')
    if (at > 0) map.set(entry.slice(0, at), entry.slice(at + 1))
  }
  return map
}

export interface EditConflict {
  /** `summary`, `ch1.body`... */
  field: string
  documentId: string
}

export interface WriteOutcome {
  kind: 'created' | 'updated' | 'unchanged'
  /** Fields refreshed from the new download (`summary`, `ch1.body`). */
  updated: string[]
  addedChapters: number
  conflicts: EditConflict[]
}

export type Mutation = {create: SanityDoc} | {createIfNotExists: SanityDoc} | {patch: {id: string; ifRevisionID?: string; set?: Record<string, unknown>; unset?: string[]}}

/** The ids to fetch for a merge: both versions of the story and of each incoming chapter. */
export function idsForMerge(docs: StoryDocuments): string[] {
  const base = docs.storyId
  const ids = [base, `drafts.${base}`]
  for (let n = 1; n <= docs.chapters.length; n++) ids.push(`${base}.ch${n}`, `drafts.${base}.ch${n}`)
  return ids
}

/** Names a field for people: `summary`, `chapter 2 body`. */
export function fieldLabel(field: string): string {
  const match = /^ch(\d+)\.(.+)$/.exec(field)
  return match ? `chapter ${match[1]} ${match[2]}` : field
}

/**
 * The mutations that bring an existing work up to a newer download. `existing` holds whichever
 * of `idsForMerge(incoming)` the dataset has; `incoming.story.source.fieldHashes` must be set.
 */
export function mergeWork(incoming: StoryDocuments, existing: readonly SanityDoc[]): {mutations: Mutation[]; outcome: WriteOutcome} {
  const byId = new Map(existing.map((doc) => [doc._id, doc]))
  const base = incoming.storyId
  const published = byId.get(base)
  const draft = byId.get(`drafts.${base}`)
  const versions = [published, draft].filter((doc): doc is SanityDoc => doc !== undefined)
  const source = incoming.story.source as Record<string, unknown>
  const fresh = parseHashes(source.fieldHashes) ?? new Map<string, string>()
  // The draft is the newest state an editor left; both carry the same hashes unless one is legacy.
  const stored = parseHashes((draft?.source as Record<string, unknown> | undefined)?.fieldHashes) ?? parseHashes((published?.source as Record<string, unknown> | undefined)?.fieldHashes)
  const outcome: WriteOutcome = {kind: 'unchanged', updated: [], addedChapters: 0, conflicts: []}
  const newChapters = incoming.chapters.map((_, n) => n + 1).filter((n) => !byId.has(`${base}.ch${n}`) && !byId.has(`drafts.${base}.ch${n}`))
  const sameDownload = stored !== undefined && stored.size === fresh.size && [...fresh].every(([field, hash]) => stored.get(field) === hash)
  // A work first filed from a copy without its URL learns it from one that has it.
  const learnsUrl = typeof source.url === 'string' && versions.some((version) => (version.source as Record<string, unknown> | undefined)?.url !== source.url)
  if (!versions.length || (sameDownload && !newChapters.length && !learnsUrl)) return {mutations: [], outcome}

  const updated = new Set<string>()
  const conflicts = new Map<string, EditConflict>()
  const mergeFields = (current: SanityDoc, incomingDoc: Record<string, unknown>, prefix: string) => {
    const set: Record<string, unknown> = {}
    const unset: string[] = []
    const fields = new Set<string>()
    for (const key of [...fresh.keys(), ...(stored?.keys() ?? [])]) {
      if (prefix ? key.startsWith(prefix) : !/^ch\d+\./.test(key)) fields.add(key.slice(prefix.length))
    }
    for (const field of fields) {
      const n = fresh.get(prefix + field) ?? ABSENT
      const s = stored?.get(prefix + field)
      if (s === n) continue
      const c = valueHash(current[field])
      if (c === n) continue
      if (s !== undefined && c === s) {
        if (incomingDoc[field] === undefined) unset.push(field)
        else set[field] = incomingDoc[field]
        if (!DERIVED.has(field)) updated.add(prefix + field)
      } else if (!DERIVED.has(field) && !conflicts.has(prefix + field)) {
        conflicts.set(prefix + field, {field: prefix + field, documentId: current._id})
      }
    }
    return {set, unset}
  }

  const mutations: Mutation[] = []
  const patches = new Map<string, {id: string; ifRevisionID?: string; set: Record<string, unknown>; unset: string[]}>()
  const patchFor = (doc: SanityDoc) => {
    let patch = patches.get(doc._id)
    if (!patch) {
      patch = {id: doc._id, ifRevisionID: typeof doc._rev === 'string' ? doc._rev : undefined, set: {}, unset: []}
      patches.set(doc._id, patch)
    }
    return patch
  }

  for (const version of versions) {
    const {set, unset} = mergeFields(version, incoming.story, '')
    const patch = patchFor(version)
    Object.assign(patch.set, set)
    patch.unset.push(...unset)
  }
  incoming.chapters.forEach((chapter, index) => {
    const n = index + 1
    for (const id of [`${base}.ch${n}`, `drafts.${base}.ch${n}`]) {
      const current = byId.get(id)
      if (!current) continue
      const {set, unset} = mergeFields(current, chapter, `ch${n}.`)
      if (Object.keys(set).length || unset.length) {
        const patch = patchFor(current)
        Object.assign(patch.set, set)
        patch.unset.push(...unset)
      }
    }
  })

  // New chapters: published when the story is, with a reference appended to each version.
  const chapterBase = published ? '' : 'drafts.'
  const added: number[] = []
  for (const n of newChapters) {
    const chapter = incoming.chapters[n - 1]!
    const id = `${chapterBase}${base}.ch${n}`
    // A one-shot an editor has edited can't also take chapters (the schema refuses both).
    const blocked = versions.some((version) => {
      const patch = patches.get(version._id)
      const body = patch && 'body' in patch.set ? patch.set.body : patch?.unset.includes('body') ? undefined : version.body
      return Array.isArray(body) && body.length > 0
    })
    if (blocked) {
      if (!conflicts.has('chapters')) conflicts.set('chapters', {field: 'chapters', documentId: base})
      continue
    }
    mutations.push({create: {...chapter, _id: id}})
    added.push(n)
  }
  if (added.length) {
    for (const version of versions) {
      const refs = Array.isArray(version.chapters) ? [...(version.chapters as Array<Record<string, unknown>>)] : []
      const keys = new Set(refs.map((ref) => ref._key))
      for (const n of added) {
        const target = `${base}.ch${n}`
        if (refs.some((ref) => ref._ref === target)) continue
        let key = `c${n}`
        for (let i = 1; keys.has(key); i++) key = `c${n}-${i}`
        keys.add(key)
        const ref: Record<string, unknown> = {_type: 'reference', _ref: target, _key: key}
        if (!published) Object.assign(ref, {_weak: true, _strengthenOnPublish: {type: 'chapter'}})
        refs.push(ref)
      }
      patchFor(version).set.chapters = refs
    }
  }

  for (const version of versions) patchFor(version).set.source = {...source}
  // Chapters first, the story itself last: split over transactions, a reader never sees a story
  // pointing at chapters not yet written.
  const storyIds = new Set(versions.map((version) => version._id))
  const ordered = [...patches.values()].sort((a, b) => Number(storyIds.has(a.id)) - Number(storyIds.has(b.id)))
  for (const patch of ordered) {
    const body: {id: string; ifRevisionID?: string; set?: Record<string, unknown>; unset?: string[]} = {id: patch.id}
    if (patch.ifRevisionID) body.ifRevisionID = patch.ifRevisionID
    if (Object.keys(patch.set).length) body.set = patch.set
    if (patch.unset.length) body.unset = patch.unset
    if (body.set || body.unset) mutations.push({patch: body})
  }
  outcome.updated = [...updated].sort()
  outcome.addedChapters = added.length
  outcome.conflicts = [...conflicts.values()]
  outcome.kind = outcome.updated.length || added.length ? 'updated' : 'unchanged'
  return {mutations, outcome}
}
