import type {FindingCode} from '../../rules'
import {hasBody} from './checkContext'
import {CHAPTER_OPENING_QUERY, FANDOMS_QUERY, idsWithDrafts, loadCatalogue, preferDrafts, publishedId, referencedIds, type FetchClient} from './fandoms'
import {missingRequiredFindings} from './schemaFindings'
import {computeGuardFindings, groupByCode} from './findings'
import type {FandomDoc, ResolvedGuardOptions} from './types'

export interface AttentionGroup {
  code: FindingCode
  title: string
  /** Published ids of the documents with this finding. */
  ids: string[]
}

const FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/

/** Drafts of the guarded types, with only what the checks read (the body's opening, not all of it). */
export function draftsQuery(options: ResolvedGuardOptions, required: readonly string[] = []): string {
  if (!FIELD_NAME.test(options.fandomsField)) {
    throw new Error(`publishing-guard: fandomsField "${options.fandomsField}" is not a plain field name`)
  }
  // Required fields are only tested for being present: a count or a flag, never their content.
  const presence = required.filter((field) => FIELD_NAME.test(field)).map((field) => `"${field}": select(defined(${field}) => coalesce(count(${field}), 1), 0)`)
  return `*[_type in $types && _id in path("drafts.**")]{_id, disclaimer, summary, "body": body[0...12], chapters, "fandoms": ${options.fandomsField}${presence.length ? `, "required": {${presence.join(', ')}}` : ''}}`
}

interface DraftRow {
  _id: string
  disclaimer?: string
  summary?: string
  body?: unknown[]
  chapters?: unknown
  fandoms?: unknown
  required?: Record<string, unknown> | null
}

const unique = (ids: Array<string | undefined>): string[] => [...new Set(ids.filter((id): id is string => Boolean(id)))]

/**
 * Runs the checks over every draft of the guarded types, three queries in all, and groups the
 * failing drafts by finding code.
 */
export async function needsAttentionGroups(client: FetchClient, options: ResolvedGuardOptions, required: readonly string[] = []): Promise<AttentionGroup[]> {
  const drafts = (await client.fetch<DraftRow[]>(draftsQuery(options, required), {types: options.schemaTypes})) ?? []
  const fandomIds = unique(drafts.flatMap((draft) => referencedIds(draft.fandoms)))
  const firstChapter = (draft: DraftRow) => (hasBody(draft.body) ? undefined : referencedIds(draft.chapters)[0])
  const chapterIds = unique(drafts.map(firstChapter))
  const [fandomRows, chapterRows, catalogue] = await Promise.all([
    fandomIds.length ? client.fetch<FandomDoc[]>(FANDOMS_QUERY, {ids: idsWithDrafts(fandomIds)}) : Promise.resolve([]),
    chapterIds.length
      ? client.fetch<Array<{_id: string; body?: unknown}>>(CHAPTER_OPENING_QUERY, {ids: idsWithDrafts(chapterIds)})
      : Promise.resolve([]),
    fandomIds.length ? loadCatalogue(client) : Promise.resolve(undefined),
  ])
  const fandoms = new Map(preferDrafts(fandomRows ?? [], fandomIds).map((row) => [publishedId(row._id), row]))
  const openings = new Map(preferDrafts(chapterRows ?? [], chapterIds).map((row) => [publishedId(row._id), row.body]))
  const results = drafts.map((draft) => {
    const chapter = firstChapter(draft)
    const opening = chapter ? openings.get(chapter) : undefined
    const context = {
      fandoms: referencedIds(draft.fandoms).flatMap((id) => fandoms.get(id) ?? []),
      chapterOpening: Array.isArray(opening) ? opening : null,
      catalogue,
    }
    const present = (draft.required ?? {}) as Record<string, unknown>
    // 0: absent or an empty list; anything else: there.
    const missing = missingRequiredFindings(Object.fromEntries(required.map((field) => [field, present[field] === 0 ? undefined : true])), required)
    return {id: publishedId(draft._id), findings: [...missing, ...computeGuardFindings(draft, context, options)]}
  })
  return groupByCode(results)
}
