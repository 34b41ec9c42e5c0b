import {countPortableTextWords} from '../../rules'
import {idsWithDrafts, publishedId, referencedIds, type FetchClient} from './fandoms'

/** The fields a guarded document gets set just before it is published. */
export interface PublishPatchSet {
  wordCount: number
  updatedAt: string
  publishedAt?: string
}

interface ChapterCount {
  _id: string
  wordCount?: number | null
}

const CHAPTER_COUNTS_QUERY = '*[_id in $ids]{_id, wordCount}'
const CHAPTER_BODIES_QUERY = '*[_id in $ids]{_id, body}'

/**
 * The word count of each chapter, in the story's order. The published chapter is what readers
 * get, so it wins over a draft; a chapter that was never counted is counted from its body.
 */
export async function fetchChapterWordCounts(client: FetchClient, chapterIds: readonly string[]): Promise<number[]> {
  if (chapterIds.length === 0) return []
  const rows = await client.fetch<ChapterCount[]>(CHAPTER_COUNTS_QUERY, {ids: idsWithDrafts(chapterIds)})
  const chosen = preferPublished(rows ?? [])
  const uncounted = [...chosen.values()].filter((row) => typeof row.wordCount !== 'number').map((row) => row._id)
  const counted = new Map<string, number>()
  if (uncounted.length > 0) {
    const bodies = await client.fetch<Array<{_id: string; body?: unknown}>>(CHAPTER_BODIES_QUERY, {ids: uncounted})
    for (const row of bodies ?? []) counted.set(row._id, countPortableTextWords(asBlocks(row.body)))
  }
  return chapterIds.map((id) => {
    const row = chosen.get(id)
    if (!row) return 0
    return typeof row.wordCount === 'number' ? row.wordCount : (counted.get(row._id) ?? 0)
  })
}

function preferPublished(rows: readonly ChapterCount[]): Map<string, ChapterCount> {
  const byId = new Map<string, ChapterCount>()
  for (const row of rows) {
    const id = publishedId(row._id)
    if (!byId.has(id) || row._id === id) byId.set(id, row)
  }
  return byId
}

function asBlocks(value: unknown): Parameters<typeof countPortableTextWords>[0] {
  return (Array.isArray(value) ? value : []) as Parameters<typeof countPortableTextWords>[0]
}

/**
 * What to set before publishing: the word count (a work in chapters sums its chapters, a
 * one-shot counts its body), `updatedAt` now, and `publishedAt` only the first time.
 */
export function publishPatchSet(
  document: Record<string, unknown>,
  chapterWordCounts: readonly number[] | null,
  now: Date,
): PublishPatchSet {
  const hasChapters = referencedIds(document.chapters).length > 0
  const wordCount =
    hasChapters && chapterWordCounts
      ? chapterWordCounts.reduce((sum, count) => sum + count, 0)
      : countPortableTextWords(asBlocks(document.body))
  const set: PublishPatchSet = {wordCount, updatedAt: now.toISOString()}
  if (!document.publishedAt) set.publishedAt = set.updatedAt
  return set
}

/**
 * What a chapter gets set before it is published: its own word count, counted from the body
 * being published. A story in chapters sums its published chapters' stored counts, so this
 * keeps them true after Studio edits (the importer is not the only writer).
 */
export function chapterPublishPatchSet(document: Record<string, unknown>): {wordCount: number} {
  return {wordCount: countPortableTextWords(asBlocks(document.body))}
}

/** Everything needed before pressing the built-in Publish: fetches chapter counts when there are chapters. */
export async function preparePublishPatch(
  client: FetchClient,
  document: Record<string, unknown>,
  now: Date = new Date(),
): Promise<PublishPatchSet> {
  const chapterIds = referencedIds(document.chapters)
  const counts = chapterIds.length > 0 ? await fetchChapterWordCounts(client, chapterIds) : null
  return publishPatchSet(document, counts, now)
}
