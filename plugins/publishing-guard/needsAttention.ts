import type {FindingCode} from '../../rules'
import {hasBody} from './checkContext'
import {CHAPTER_OPENING_QUERY, FANDOMS_QUERY, idsWithDrafts, preferDrafts, publishedId, referencedIds, type FetchClient} from './fandoms'
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
export function draftsQuery(options: ResolvedGuardOptions): string {
  if (!FIELD_NAME.test(options.fandomsField)) {
    throw new Error(`publishing-guard: fandomsField "${options.fandomsField}" is not a plain field name`)
  }
  return `*[_type in $types && _id in path("drafts.**")]{_id, disclaimer, summary, "body": body[0...12], chapters, "fandoms": ${options.fandomsField}}`
}

interface DraftRow {
  _id: string
  disclaimer?: string
  summary?: string
  body?: unknown[]
  chapters?: unknown
  fandoms?: unknown
}

const unique = (ids: Array<string | undefined>): string[] => [...new Set(ids.filter((id): id is string => Boolean(id)))]

/**
 * Runs the checks over every draft of the guarded types, three queries in all, and groups the
 * failing drafts by finding code.
 */
export async function needsAttentionGroups(client: FetchClient, options: ResolvedGuardOptions): Promise<AttentionGroup[]> {
  const drafts = (await client.fetch<DraftRow[]>(draftsQuery(options), {types: options.schemaTypes})) ?? []
  const fandomIds = unique(drafts.flatMap((draft) => referencedIds(draft.fandoms)))
  const firstChapter = (draft: DraftRow) => (hasBody(draft.body) ? undefined : referencedIds(draft.chapters)[0])
  const chapterIds = unique(drafts.map(firstChapter))
  const [fandomRows, chapterRows] = await Promise.all([
    fandomIds.length ? client.fetch<FandomDoc[]>(FANDOMS_QUERY, {ids: idsWithDrafts(fandomIds)}) : Promise.resolve([]),
    chapterIds.length
      ? client.fetch<Array<{_id: string; body?: unknown}>>(CHAPTER_OPENING_QUERY, {ids: idsWithDrafts(chapterIds)})
      : Promise.resolve([]),
  ])
  const fandoms = new Map(preferDrafts(fandomRows ?? [], fandomIds).map((row) => [publishedId(row._id), row]))
  const openings = new Map(preferDrafts(chapterRows ?? [], chapterIds).map((row) => [publishedId(row._id), row.body]))
  const results = drafts.map((draft) => {
    const chapter = firstChapter(draft)
    const opening = chapter ? openings.get(chapter) : undefined
    const context = {
      fandoms: referencedIds(draft.fandoms).flatMap((id) => fandoms.get(id) ?? []),
      chapterOpening: Array.isArray(opening) ? opening : null,
    }
    return {id: publishedId(draft._id), findings: computeGuardFindings(draft, context, options)}
  })
  return groupByCode(results)
}
