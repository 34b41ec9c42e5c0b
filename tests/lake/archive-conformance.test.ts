/**
 * Indexed answers equal full-scan answers for the queries that are really sent: every query in
 * queries/ with the parameters the site passes, and every query the Studio sent in a real
 * session (fixtures/studio-queries.json, captured with LAKE_LOG=1, see tests/e2e/archive.test.ts),
 * over a generated archive with drafts, release versions, missing fields, nulls and mixed types.
 * Each query is also run through the yielding evaluation (lake/query.ts `runQuery`, sliceMs 0).
 */
import {readFileSync, rmSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, test} from 'vitest'
import {allFandomsQuery, authorQuery, catalogueQuery, chapterQuery, fandomQuery, fandomsByIdQuery, homeQuery, searchQuery, seriesQuery, storiesByPublishedQuery, storiesByUpdatedQuery, storiesByWordCountQuery, storyPageQuery} from '../../queries'
import {openStore, type Store} from '../../lake/store'
import type {Perspective} from '../../lake/types'
import {archiveShape, generateArchive} from '../../scripts/bench/support/archive'
import {sampleDocuments} from '../../scripts/seed/sample-content'
import {tempDir} from './helpers'

const STORIES = 1500
const shape = archiveShape(STORIES)
const studioQueries = JSON.parse(readFileSync(join(import.meta.dirname, 'fixtures', 'studio-queries.json'), 'utf8')) as Array<{
  query: string
  params: Record<string, unknown>
  perspective: Perspective
}>

const NO_FILTERS = {rating: null, warning: null, excludeWarnings: null, category: null, status: null, language: null, minWords: null, maxWords: null, fandom: null, author: null, tagged: null}
const FILTER_SETS: Array<Record<string, unknown>> = [
  {},
  {fandom: 'fandom.3'},
  {author: 'author.7'},
  {rating: 'teen', excludeWarnings: ['major-character-death', 'graphic-violence']},
  {warning: 'no-archive-warnings-apply', status: 'complete', language: 'en'},
  {minWords: 300, maxWords: 600, category: 'gen'},
  {tagged: 'moonlit au'},
  {fandom: 'fandom.saltmarsh-chronicles'},
  {fandom: 'fandom.1', rating: 'general', minWords: 100},
]
const LISTS: Array<[string, string, string]> = [
  ['published', storiesByPublishedQuery, 'lastPublishedAt'],
  ['updated', storiesByUpdatedQuery, 'lastUpdatedAt'],
  ['words', storiesByWordCountQuery, 'lastWordCount'],
]

let dir: string
let store: Store
beforeAll(() => {
  dir = tempDir()
  store = openStore(dir)
  const docs = [...generateArchive({stories: STORIES, messy: true, seed: 11, bodyBytes: [300, 900]}), ...sampleDocuments()]
  for (let i = 0; i < docs.length; i += 1000) {
    store.mutate('production', docs.slice(i, i + 1000).map((doc) => ({createOrReplace: doc})), {skipRevisions: true, keepTimestamps: true})
  }
  // Queried as a started lake holds them: heads, with the larger bodies left in SQLite (lake/lazy-doc.ts).
  store.close()
  store = openStore(dir)
})
afterAll(() => {
  store.close()
  rmSync(dir, {recursive: true, force: true})
})

async function expectSame(query: string, params: Record<string, unknown>, perspective: Perspective): Promise<unknown> {
  const scanned = await store.query('production', query, params, perspective, {fullScan: true, timeLimitMs: 120_000})
  const indexed = await store.query('production', query, params, perspective)
  expect(indexed).toEqual(scanned)
  // The yielding evaluation (what a query gets once it outlasts its synchronous slice) answers the same.
  const yielded = await store.query('production', query, params, perspective, {sliceMs: 0})
  expect(yielded).toEqual(scanned)
  return scanned
}

describe('site queries', () => {
  for (const [sort, query, cursorKey] of LISTS) {
    test.each(FILTER_SETS.map((f) => [JSON.stringify(f), f] as const))(`${sort} list %s, first three pages`, async (_name, filters) => {
      let cursor: Record<string, unknown> = {[cursorKey]: null, lastId: null}
      for (let page = 0; page < 3; page++) {
        const result = (await expectSame(query, {...NO_FILTERS, ...filters, ...cursor}, 'published')) as Array<Record<string, unknown>>
        if (result.length < 21) break
        const last = result[19]
        const value = sort === 'words' ? (last.wordCount ?? 0) : sort === 'updated' ? (last.updatedAt ?? last.publishedAt) : last.publishedAt
        cursor = {[cursorKey]: value, lastId: last._id}
      }
    })
  }

  test.each(['story-1', 'story-2', 'story-17', 'the-lighthouse-keepers-ledger', 'seven-winters', 'missing'])('story page %s', async (slug) => {
    await expectSame(storyPageQuery, {slug}, 'published')
  })

  test('story pages of every story in a series', async () => {
    const slugs = (await store.query('production', '*[_type == "story" && defined(series)].slug.current', {}, 'published', {fullScan: true})) as string[]
    expect(slugs.length).toBeGreaterThan(20)
    for (const slug of slugs.slice(0, 25)) await expectSame(storyPageQuery, {slug}, 'published')
  })

  test.each([
    ['home', homeQuery, {}],
    ['fandom', fandomQuery, {slug: 'fandom-2'}],
    ['fandom with children', fandomQuery, {slug: 'saltmarsh-chronicles'}],
    ['author', authorQuery, {slug: 'author-4'}],
    ['series', seriesQuery, {slug: 'series-3'}],
    ['series (sample)', seriesQuery, {slug: 'station-logs'}],
    ['chapter', chapterQuery, {id: 'story.seven-winters.ch1'}],
    ['search one term', searchQuery, {terms: ['moonlit*']}],
    ['search two terms', searchQuery, {terms: ['silver*', 'harbour*']}],
    ['search no hit', searchQuery, {terms: ['zzzzqx*']}],
  ] as const)('%s', async (_name, query, params) => {
    await expectSame(query, params, 'published')
  })

  test("the home page's fandoms: those of the newest stories, then those fandoms", async () => {
    const home = (await expectSame(homeQuery, {}, 'published')) as {recentFandoms: Array<Array<{_ref: string}> | null>}
    expect(home.recentFandoms).toHaveLength(200)
    const ids = [...new Set(home.recentFandoms.flatMap((refs) => (refs ?? []).map((ref) => ref._ref)))]
    expect(ids.length).toBeGreaterThan(5)
    const rows = (await expectSame(fandomsByIdQuery, {ids}, 'published')) as unknown[]
    expect(rows.length).toBeGreaterThan(5)
    await expectSame(allFandomsQuery, {}, 'published')
    await expectSame(catalogueQuery, {}, 'published')
  })

  test('the site queries also agree in the raw and drafts perspectives', async () => {
    for (const perspective of ['raw', 'drafts'] as Perspective[]) {
      await expectSame(storiesByPublishedQuery, {...NO_FILTERS, fandom: 'fandom.2', lastPublishedAt: null, lastId: null}, perspective)
      await expectSame(storyPageQuery, {slug: 'story-5'}, perspective)
      await expectSame(searchQuery, {terms: ['quiet*']}, perspective)
    }
  })
})

describe('captured Studio queries', () => {
  test.each(studioQueries.map((entry, i) => [i, entry.query.replace(/\s+/g, ' ').slice(0, 100), entry] as const))('#%i %s', async (_i, _name, entry) => {
    await expectSame(entry.query, entry.params, entry.perspective)
  })

  const lists = studioQueries.filter((entry) => entry.query.includes('findability-source: list'))
  const global = studioQueries.find((entry) => entry.query.includes('findability-source: global'))!
  test.each(['*', 'moonlit*', 'silver harbour*', 'story.12*', 'zzzzqx*', 'moonlit zzzzqx*'])('lists and global search for %s', async (text) => {
    const raw = text.replace(/\*$/, '')
    for (const entry of lists) {
      for (const perspective of ['drafts', 'raw'] as Perspective[]) {
        await expectSame(entry.query, {...entry.params, __query: text, __rawQuery: raw === '' ? '' : raw}, perspective)
      }
    }
    for (const perspective of ['raw', 'drafts'] as Perspective[]) {
      await expectSame(global.query, {...global.params, __query: text, __rawQuery: raw}, perspective)
    }
  })

  test('lists of generated fandoms, ratings and references', async () => {
    const byFandom = lists.find((entry) => entry.params.fandomId)!
    const byRating = lists.find((entry) => entry.params.ratingId)!
    for (let f = 0; f < shape.fandoms; f += 4) await expectSame(byFandom.query, {...byFandom.params, fandomId: `fandom.${f}`}, 'drafts')
    for (const rating of ['rating.general', 'rating.explicit']) await expectSame(byRating.query, {...byRating.params, ratingId: rating}, 'drafts')
    await expectSame(global.query, {...global.params, __query: 'fandom.3*', __rawQuery: 'fandom.3'}, 'raw')
  })

  test('versionOf batches and rows by id for generated stories', async () => {
    const ids = Array.from({length: 15}, (_, k) => `story.${k * 37}`)
    await expectSame(`[${ids.map((id) => `*[sanity::versionOf("${id}")]._id`).join(',')}]`, {}, 'raw')
    await expectSame('*[sanity::versionOf($publishedId)]._id', {publishedId: 'story.40'}, 'raw')
    for (const perspective of ['raw', 'drafts', ['rA', 'drafts']] as Perspective[]) {
      await expectSame(`[*[_id in $ids][0...15]{_id,_rev,_type,title,authors,fandoms,rating,wordCount,_createdAt,_updatedAt}][0...1]`, {ids}, perspective)
    }
  })
})
