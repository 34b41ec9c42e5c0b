import {loadChapterOpening, loadFandoms, referencedIds, type CachedLoader, type FetchClient} from './fandoms'
import type {FandomDoc, ResolvedGuardOptions} from './types'

/** What the checks need besides the document itself. */
export interface CheckContext {
  fandoms: FandomDoc[]
  /** For a work in chapters: the first chapter's opening blocks, standing in for the body. */
  chapterOpening?: unknown[] | null
}

export interface CheckContextLoaders {
  fandoms: CachedLoader<FandomDoc[]>
  chapterOpening: CachedLoader<unknown[] | null>
}

export const sharedLoaders: CheckContextLoaders = {fandoms: loadFandoms, chapterOpening: loadChapterOpening}

export function hasBody(body: unknown): boolean {
  return Array.isArray(body) && body.length > 0
}

/** Loads the document's fandoms and, for a work in chapters, its first chapter's opening. */
export async function loadCheckContext(
  client: FetchClient,
  document: Record<string, unknown>,
  options: ResolvedGuardOptions,
  loaders: CheckContextLoaders = sharedLoaders,
): Promise<CheckContext> {
  const [firstChapter] = hasBody(document.body) ? [] : referencedIds(document.chapters)
  const [fandoms, chapterOpening] = await Promise.all([
    loaders.fandoms(client, referencedIds(document[options.fandomsField])),
    firstChapter ? loaders.chapterOpening(client, [firstChapter]) : Promise.resolve(null),
  ])
  return {fandoms, chapterOpening}
}
