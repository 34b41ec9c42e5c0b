import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {
  chapterQuery,
  homeQuery,
  searchQuery,
  seriesQuery,
  storiesByPublishedQuery,
  storiesByUpdatedQuery,
  storiesByWordCountQuery,
  STORY_PAGE_SIZE,
  storyPageQuery,
  type StoriesByPublishedQueryResult,
} from '../../queries'
import {fetchSearch, fetchSeries, fetchStory, fetchStoryList} from '../../site/data'
import {parseListRequest, type ListFilters, type ListScope, type SortValue} from '../../site/listParams'
import {startSeededLake, type FixtureStory, type SeededLake} from './archiveFixture'

let lake: SeededLake

beforeAll(async () => {
  lake = await startSeededLake(300)
})
afterAll(async () => {
  await lake?.close()
})

const NO_FILTERS: ListFilters & ListScope = {
  rating: null,
  warning: null,
  excludeWarnings: null,
  category: null,
  status: null,
  language: null,
  minWords: null,
  maxWords: null,
  fandom: null,
  author: null,
  tagged: null,
}

const SORTS: Record<SortValue, {query: string; key: (s: {publishedAt?: string | null; updatedAt?: string | null; wordCount?: number | null}) => string | number; param: string}> = {
  published: {query: storiesByPublishedQuery, key: (s) => s.publishedAt ?? '', param: 'lastPublishedAt'},
  updated: {query: storiesByUpdatedQuery, key: (s) => s.updatedAt ?? s.publishedAt ?? '', param: 'lastUpdatedAt'},
  words: {query: storiesByWordCountQuery, key: (s) => s.wordCount ?? 0, param: 'lastWordCount'},
}

/** Every page of a raw query, following the cursor of each page's last story. */
async function walk(sort: SortValue, filters: Partial<ListFilters & ListScope> = {}, client = lake.client) {
  const {query, key, param} = SORTS[sort]
  const ids: string[] = []
  let cursor: Record<string, unknown> = {[param]: null, lastId: null}
  for (let guard = 0; guard < 100; guard++) {
    const batch = await client.fetch<StoriesByPublishedQueryResult>(query, {...NO_FILTERS, ...filters, ...cursor})
    const page = batch.slice(0, STORY_PAGE_SIZE)
    ids.push(...page.map((s) => s._id))
    if (batch.length <= STORY_PAGE_SIZE) return ids
    const last = page[page.length - 1]
    cursor = {[param]: key(last), lastId: last._id}
  }
  throw new Error('cursor walk did not end')
}

function expected(sort: SortValue, keep: (s: FixtureStory) => boolean = () => true): string[] {
  const {key} = SORTS[sort]
  return lake.archive.published
    .filter(keep)
    .sort((a, b) => {
      const ka = key(a)
      const kb = key(b)
      if (ka !== kb) return ka < kb ? 1 : -1
      return a._id < b._id ? 1 : -1
    })
    .map((s) => s._id)
}

describe('story lists paged by cursor', () => {
  it.each(['published', 'updated', 'words'] as const)('sorted by %s: walking every page neither skips nor repeats', async (sort) => {
    const ids = await walk(sort)
    expect(new Set(ids).size).toBe(ids.length)
    expect(ids).toEqual(expected(sort))
  })

  it('never lists drafts, even through a client that can see them', async () => {
    const ids = await walk('published', {}, lake.rawClient)
    expect(ids.some((id) => id.startsWith('drafts.'))).toBe(false)
    expect(ids).toEqual(expected('published'))
    const home = await lake.rawClient.fetch(homeQuery)
    expect(home.stories.map((s) => s.title)).not.toContain('DRAFT TITLE of story 0')
    expect(home.stories.every((s) => !s._id.startsWith('drafts.'))).toBe(true)
  })

  const has = (s: FixtureStory, w: string) => s.warnings.includes(w)
  const filterCases: Array<{name: string; filters: Partial<ListFilters & ListScope>; keep: (s: FixtureStory) => boolean}> = [
    {name: 'rating', filters: {rating: 'mature'}, keep: (s) => s.rating._ref === 'rating.mature'},
    {name: 'with a warning', filters: {warning: 'major-character-death'}, keep: (s) => has(s, 'major-character-death')},
    {
      name: 'excluding warnings',
      filters: {excludeWarnings: ['major-character-death', 'graphic-violence']},
      keep: (s) => !has(s, 'major-character-death') && !has(s, 'graphic-violence'),
    },
    {name: 'category', filters: {category: 'f-m'}, keep: (s) => s.categories.includes('f-m')},
    {name: 'status', filters: {status: 'in-progress'}, keep: (s) => s.status === 'in-progress'},
    {name: 'language', filters: {language: 'en'}, keep: (s) => s.language === 'en'},
    {name: 'word count range', filters: {minWords: 2000, maxWords: 5000}, keep: (s) => s.wordCount >= 2000 && s.wordCount <= 5000},
    {name: 'fandom', filters: {fandom: 'fandom.glasshouse'}, keep: (s) => s.fandoms[0]._ref === 'fandom.glasshouse'},
    {name: 'author', filters: {author: 'author.birch'}, keep: (s) => s.authors[0]._ref === 'author.birch'},
    {name: 'tag', filters: {tagged: 'Slow Burn'}, keep: (s) => s.tags.includes('Slow Burn')},
    {name: 'relationship as tag', filters: {tagged: 'Mira/Oren'}, keep: (s) => s.relationships.includes('Mira/Oren')},
    {
      name: 'combined',
      filters: {rating: 'teen', status: 'complete', minWords: 1000},
      keep: (s) => s.rating._ref === 'rating.teen' && s.status === 'complete' && s.wordCount >= 1000,
    },
  ]
  it.each(filterCases)('filter: $name', async ({filters, keep}) => {
    const want = expected('published', keep)
    expect(want.length).toBeGreaterThan(0)
    expect(want.length).toBeLessThan(lake.archive.published.length)
    expect(await walk('published', filters)).toEqual(want)
  })

  it('the filtered word-count sort pages correctly too', async () => {
    const keep = (s: FixtureStory) => s.fandoms[0]._ref === 'fandom.tidewater'
    expect(await walk('words', {fandom: 'fandom.tidewater'})).toEqual(expected('words', keep))
  })
})

describe("the site's list pages", () => {
  it.each(['published', 'words'] as const)(
    'sorted by %s: leave out stories that fail the publishing checks, and still page without gaps',
    async (sort) => {
      const ids: string[] = []
      let request = parseListRequest(new URLSearchParams(sort === 'words' ? 'sort=words' : ''))
      for (let guard = 0; guard < 100; guard++) {
        const page = await fetchStoryList(lake.client, request)
        expect(page.stories.length).toBeLessThanOrEqual(STORY_PAGE_SIZE)
        ids.push(...page.stories.map((s) => s._id))
        if (!page.next) break
        request = {...request, cursor: page.next}
      }
      expect(lake.archive.failing.size).toBeGreaterThan(0)
      expect(ids).toEqual(expected(sort, (s) => !lake.archive.failing.has(s._id)))
    },
  )
})

describe("the site's list pages, continued", () => {
  it('keep fetching past a run of failing stories longer than a page', async () => {
    const request = parseListRequest(new URLSearchParams())
    const page = await fetchStoryList(lake.client, request, {fandom: null, author: null, tagged: 'Cluster'})
    const want = expected('published', (s) => s.tags.includes('Cluster') && !lake.archive.failing.has(s._id))
    expect(want).toHaveLength(5)
    expect(page.stories.map((s) => s._id)).toEqual(want)
    expect(page.next).toBeNull()
  })
})

describe('search', () => {
  it('ranks a title match first, then other fields', async () => {
    const results = await lake.client.fetch(searchQuery, {terms: ['lanternfish*']})
    expect(results.map((r) => r.title)[0]).toBe('The Lanternfish Accord')
    expect(results.map((r) => r._id).sort()).toEqual(['story.gen-0040', 'story.gen-0041', 'story.gen-0042'])
  })

  it('matches prefixes across fields (author name and title words together)', async () => {
    const author = lake.archive.published[40].authors[0]._ref.replace('author.', '')
    const results = await fetchSearch(lake.client, `lantern ${author}`)
    expect(results.map((r) => r._id)).toEqual(['story.gen-0040'])
  })

  it('never finds drafts, even through a client that can see them', async () => {
    const results = await lake.rawClient.fetch(searchQuery, {terms: ['unpublished*']})
    expect(results).toEqual([])
  })
})

describe('story and chapter pages', () => {
  it('returns the story with chapters in reading order, leaving out unpublished ones', async () => {
    const story = await fetchStory(lake.client, 'gen-50')
    const chapters = story?.chapters ?? []
    expect(chapters.map((c) => c.title)).toEqual(['Part 1', 'Part 2', 'Part 3'])
    const chapter = await lake.client.fetch(chapterQuery, {id: chapters[1]._id})
    expect(chapter?.title).toBe('Part 2')
  })

  it('gives series neighbours by position', async () => {
    const middle = await lake.client.fetch(storyPageQuery, {slug: 'gen-20'})
    expect(middle?.series?.[0]).toMatchObject({position: 2, previous: {slug: 'gen-10'}, next: {slug: 'gen-30'}})
    const first = await lake.client.fetch(storyPageQuery, {slug: 'gen-10'})
    expect(first?.series?.[0].previous).toBeNull()
    expect(first?.series?.[0].next).toMatchObject({slug: 'gen-20'})
    const series = await lake.client.fetch(seriesQuery, {slug: 'tides'})
    expect(series?.stories.map((s) => s.slug)).toEqual(['gen-10', 'gen-20', 'gen-30', 'gen-35'])
  })

  it('links no series neighbour that fails the publishing checks', async () => {
    const raw = await lake.client.fetch(storyPageQuery, {slug: 'gen-30'})
    expect(raw?.series?.[0].next).toMatchObject({slug: 'gen-35'})
    const story = await fetchStory(lake.client, 'gen-30')
    expect(story?.series?.[0]).toMatchObject({previous: {slug: 'gen-20'}, next: null})
    const series = await fetchSeries(lake.client, 'tides')
    expect(series?.stories.map((s) => s.slug)).toEqual(['gen-10', 'gen-20', 'gen-30'])
  })

  it('does not find a story that exists only as a draft, through any client', async () => {
    expect(await lake.client.fetch(storyPageQuery, {slug: 'unpublished-0'})).toBeNull()
    expect(await lake.rawClient.fetch(storyPageQuery, {slug: 'unpublished-0'})).toBeNull()
    const published = await lake.rawClient.fetch(storyPageQuery, {slug: 'gen-0'})
    expect(published?.title).toBe('Generated story 0')
  })

  it('refuses a published story that fails the publishing checks', async () => {
    const failing = [...lake.archive.failing][0]
    const slug = lake.archive.published.find((s) => s._id === failing)!.slug.current
    expect(await lake.client.fetch(storyPageQuery, {slug})).not.toBeNull()
    expect(await fetchStory(lake.client, slug)).toBeNull()
  })
})
