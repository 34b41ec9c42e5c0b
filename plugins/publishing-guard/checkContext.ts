import type {FandomCatalogue} from '../../rules'
import {loadCatalogue, loadChapterOpening, loadFandoms, referencedIds, type CachedLoader, type FetchClient} from './fandoms'
import type {FandomDoc, ResolvedGuardOptions} from './types'

/** What the checks need besides the document itself. */
export interface CheckContext {
  fandoms: FandomDoc[]
  /** For a work in chapters: the first chapter's opening blocks, standing in for the body. */
  chapterOpening?: unknown[] | null
  /** Every owner the archive knows, so a disclaimer naming another fandom's owner is caught. */
  catalogue?: FandomCatalogue
}

export interface CheckContextLoaders {
  fandoms: CachedLoader<FandomDoc[]>
  chapterOpening: CachedLoader<unknown[] | null>
  catalogue?: (client: FetchClient) => Promise<FandomCatalogue>
}

export const sharedLoaders: CheckContextLoaders = {fandoms: loadFandoms, chapterOpening: loadChapterOpening, catalogue: loadCatalogue}

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
  const fandomIds = referencedIds(document[options.fandomsField])
  const [fandoms, chapterOpening, catalogue] = await Promise.all([
    loaders.fandoms(client, fandomIds),
    firstChapter ? loaders.chapterOpening(client, [firstChapter]) : Promise.resolve(null),
    // Only a disclaimer of a story with fandoms is judged against owners.
    // Without the catalogue the checks still judge the story's own owners, so a failure here
    // only drops the wrong-owner check.
    fandomIds.length && loaders.catalogue ? loaders.catalogue(client).catch(() => undefined) : Promise.resolve(undefined),
  ])
  return {fandoms, chapterOpening, catalogue}
}
