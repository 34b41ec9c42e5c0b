/**
 * Fetching for the reader site: each page's data in one or two GROQ requests, with the
 * publishing checks applied. Lists drop stories that fail the checks and refill the page from
 * further down the list, so a page shows up to STORY_PAGE_SIZE readable stories and the
 * cursor continues after the last story looked at, never skipping or repeating one.
 */
import type {SanityClient} from '@sanity/client'
import {
  allFandomsQuery,
  authorQuery,
  chapterQuery,
  fandomQuery,
  fandomsByIdQuery,
  HOME_FANDOM_WINDOW,
  homeQuery,
  searchQuery,
  seriesQuery,
  storiesByPublishedQuery,
  storiesByUpdatedQuery,
  storiesByWordCountQuery,
  STORY_PAGE_SIZE,
  storyPageQuery,
  type AllFandomsQueryResult,
  type AuthorQueryResult,
  type ChapterQueryResult,
  type FandomQueryResult,
  type FandomsByIdQueryResult,
  type HomeQueryResult,
  type SearchQueryResult,
  type SeriesQueryResult,
  type StoriesByPublishedQueryResult,
  type StoryPageQueryResult,
} from '../queries'
import type {Cursor, ListFilters, ListRequest, ListScope, SortValue} from './listParams'
import {searchTerms} from './listParams'
import {catalogueFor} from './catalogue'
import {passesPublishingChecks} from './publishable'
import type {FandomCatalogue} from '../rules'

export type StoryCard = StoriesByPublishedQueryResult[number]
export type Story = NonNullable<StoryPageQueryResult>
export type Chapter = NonNullable<ChapterQueryResult>

export interface StoryListPage {
  stories: StoryCard[]
  next: Cursor | null
}

/** A list page stops refilling after this many requests and shows what it has. */
const MAX_FETCH_ROUNDS = 4

const NO_SCOPE: ListScope = {fandom: null, author: null, tagged: null}

const SORT_QUERIES: Record<SortValue, string> = {
  published: storiesByPublishedQuery,
  updated: storiesByUpdatedQuery,
  words: storiesByWordCountQuery,
}

function cursorOf(story: StoryCard, sort: SortValue): Cursor {
  if (sort === 'words') return {value: story.wordCount ?? 0, id: story._id}
  if (sort === 'updated') return {value: story.updatedAt ?? story.publishedAt ?? '', id: story._id}
  return {value: story.publishedAt ?? '', id: story._id}
}

function cursorParams(sort: SortValue, cursor: Cursor | null): Record<string, string | number | null> {
  const value = cursor?.value ?? null
  const lastId = cursor?.id ?? null
  if (sort === 'words') return {lastWordCount: typeof value === 'number' ? value : null, lastId: typeof value === 'number' ? lastId : null}
  const key = sort === 'updated' ? 'lastUpdatedAt' : 'lastPublishedAt'
  return {[key]: typeof value === 'string' ? value : null, lastId: typeof value === 'string' ? lastId : null}
}

function filterParams(filters: ListFilters, scope: ListScope) {
  return {...filters, ...scope}
}

type Checkable = Parameters<typeof passesPublishingChecks>[0]

/** The publishing checks with the archive's catalogue, as a filter predicate. */
function checker(catalogue: FandomCatalogue): (story: Checkable) => boolean {
  return (story) => passesPublishingChecks(story, catalogue)
}

/** A page's query and the catalogue, read side by side. */
async function withChecks<T>(client: SanityClient, read: Promise<T>): Promise<[T, (story: Checkable) => boolean]> {
  const [value, catalogue] = await Promise.all([read, catalogueFor(client)])
  return [value, checker(catalogue)]
}

export async function fetchStoryList(
  client: SanityClient,
  request: ListRequest,
  scope: ListScope = NO_SCOPE,
): Promise<StoryListPage> {
  const stories: StoryCard[] = []
  let cursor = request.cursor
  const catalogue = catalogueFor(client)
  for (let round = 0; round < MAX_FETCH_ROUNDS; round++) {
    const [batch, readable] = await Promise.all([
      client.fetch<StoriesByPublishedQueryResult>(SORT_QUERIES[request.sort], {
        ...filterParams(request.filters, scope),
        ...cursorParams(request.sort, cursor),
      }),
      catalogue.then(checker),
    ])
    const candidates = batch.slice(0, STORY_PAGE_SIZE)
    for (let i = 0; i < candidates.length; i++) {
      const story = candidates[i]
      if (readable(story)) stories.push(story)
      cursor = cursorOf(story, request.sort)
      if (stories.length === STORY_PAGE_SIZE) {
        const more = i < candidates.length - 1 || batch.length > STORY_PAGE_SIZE
        return {stories, next: more ? cursor : null}
      }
    }
    if (batch.length <= STORY_PAGE_SIZE) return {stories, next: null}
  }
  return {stories, next: cursor}
}

export interface HomeData {
  stories: StoryCard[]
  /** Fandoms of the newest stories, by title, each with how many of those stories it has. */
  fandoms: Array<FandomsByIdQueryResult[number] & {storyCount: number}>
  /**
   * True when the archive has more stories than the home page's window (HOME_FANDOM_WINDOW):
   * the list then shows the fandoms of the newest stories, and its counts are not totals.
   */
  fandomsFromRecent: boolean
  /** How many fandoms the archive has in all (the list at /fandoms). */
  fandomTotal: number
}

export async function fetchHome(client: SanityClient): Promise<HomeData> {
  const [home, readable] = await withChecks(client, client.fetch<HomeQueryResult>(homeQuery))
  const counts = new Map<string, number>()
  for (const refs of home.recentFandoms) {
    const ids = new Set((Array.isArray(refs) ? refs : []).map((ref) => ref?._ref))
    for (const id of ids) if (typeof id === 'string') counts.set(id, (counts.get(id) ?? 0) + 1)
  }
  const ids = [...counts.keys()]
  const fandoms = ids.length ? await client.fetch<FandomsByIdQueryResult>(fandomsByIdQuery, {ids}) : []
  return {
    stories: home.stories.filter(readable).slice(0, 10),
    fandoms: fandoms.map((fandom) => ({...fandom, storyCount: counts.get(fandom._id) ?? 0})),
    fandomsFromRecent: home.recentFandoms.length >= HOME_FANDOM_WINDOW,
    fandomTotal: home.fandomTotal,
  }
}

export type FandomListEntry = AllFandomsQueryResult[number]

export async function fetchAllFandoms(client: SanityClient): Promise<FandomListEntry[]> {
  return client.fetch<AllFandomsQueryResult>(allFandomsQuery)
}

/** The story, or null when it does not exist, is not published or fails the checks. */
export async function fetchStory(client: SanityClient, slug: string): Promise<Story | null> {
  const [story, readable] = await withChecks(client, client.fetch<StoryPageQueryResult>(storyPageQuery, {slug}))
  if (!story || !readable(story)) return null
  return {...story, chapters: readableChapters(story), series: readableSeriesLinks(story, readable)}
}

/** A neighbour that fails the checks would answer 404: show no link rather than a dead one. */
function readableSeriesLinks(story: Story, readable: (story: Checkable) => boolean): Story['series'] {
  return (story.series ?? []).map((entry) => ({
    ...entry,
    previous: entry.previous && readable(entry.previous) ? entry.previous : null,
    next: entry.next && readable(entry.next) ? entry.next : null,
  }))
}

/** Published chapters in reading order; an unpublished one (a null reference) is left out. */
function readableChapters(story: Story): Story['chapters'] {
  return (story.chapters ?? []).filter((c) => c !== null && typeof c._id === 'string')
}

export async function fetchChapter(client: SanityClient, id: string): Promise<Chapter | null> {
  return client.fetch<ChapterQueryResult>(chapterQuery, {id})
}

export type Fandom = NonNullable<FandomQueryResult>
export type Author = NonNullable<AuthorQueryResult>
export type Series = NonNullable<SeriesQueryResult>
export type SearchResult = SearchQueryResult[number]

export async function fetchFandom(client: SanityClient, slug: string): Promise<Fandom | null> {
  return client.fetch<FandomQueryResult>(fandomQuery, {slug})
}

export async function fetchAuthor(client: SanityClient, slug: string): Promise<Author | null> {
  return client.fetch<AuthorQueryResult>(authorQuery, {slug})
}

export async function fetchSeries(client: SanityClient, slug: string): Promise<Series | null> {
  const [series, readable] = await withChecks(client, client.fetch<SeriesQueryResult>(seriesQuery, {slug}))
  if (!series) return null
  return {...series, stories: series.stories.filter(readable)}
}

export async function fetchSearch(client: SanityClient, input: string): Promise<SearchResult[]> {
  const terms = searchTerms(input)
  if (terms.length === 0) return []
  const [results, readable] = await withChecks(client, client.fetch<SearchQueryResult>(searchQuery, {terms}))
  return results.filter(readable)
}
