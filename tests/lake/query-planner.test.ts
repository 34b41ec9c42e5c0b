/**
 * The planner narrows the query shapes the site and the Studio really send (results equal a
 * full scan: archive-conformance.test.ts); here, that each shape is narrowed at all.
 */
import {readFileSync} from 'node:fs'
import {DatabaseSync} from 'node:sqlite'
import {join} from 'node:path'
import {beforeAll, describe, expect, test} from 'vitest'
import {explainQuery, runQuery} from '../../lake/query'
import {DocView} from '../../lake/view'
import {searchQuery, seriesQuery, storiesByPublishedQuery, storyPageQuery} from '../../queries'
import {generateArchive} from '../../scripts/bench/support/archive'
import {OverlayView} from '../../lake/overlay-view'
import {indexText} from '../../lake/search-text'

const studio = JSON.parse(readFileSync(join(import.meta.dirname, 'fixtures', 'studio-queries.json'), 'utf8')) as Array<{query: string; params: Record<string, unknown>}>
const NO_FILTERS = {rating: null, warning: null, excludeWarnings: null, category: null, status: null, language: null, minWords: null, maxWords: null, fandom: null, author: null, tagged: null}

let raw: DocView
let drafts: DocView
let stories: number
beforeAll(() => {
  raw = new DocView()
  for (const doc of generateArchive({stories: 3000, bodyBytes: [200, 400]})) raw.put(doc._id, {...doc})
  drafts = new OverlayView(raw, ['drafts'])
  stories = raw.all().filter((doc) => doc._type === 'story').length
})

describe('the planner narrows', () => {
  test('a parameter switched off by `$x == null ||` and a fandom given through it', () => {
    const plan = explainQuery(raw, storiesByPublishedQuery, {...NO_FILTERS, fandom: 'fandom.3', lastPublishedAt: null, lastId: null})
    expect(plan.fullScan).toBe(false)
    expect(plan.candidates[0]).toBeLessThan(200)
  })

  test('an ordered slice to about the slice, not the archive', () => {
    const plan = explainQuery(raw, storiesByPublishedQuery, {...NO_FILTERS, lastPublishedAt: null, lastId: null})
    expect(plan.fullScan).toBe(false)
    expect(plan.candidates[0]).toBeGreaterThanOrEqual(21)
    expect(plan.candidates[0]).toBeLessThan(60)
    expect(stories).toBeGreaterThan(2500)
  })

  test('subqueries on ^ per row, never through the whole dataset', () => {
    expect(explainQuery(raw, seriesQuery, {slug: 'series-3'}).fullScan).toBe(false)
    expect(explainQuery(raw, storyPageQuery, {slug: 'story-12'}).fullScan).toBe(false)
    expect(explainQuery(raw, '*[_type == "fandom"]{"n": count(*[_type == "story" && references(^._id)])}').fullScan).toBe(false)
  })

  test('a count of documents the type index answers exactly reads no document', () => {
    for (const view of [raw, drafts]) {
      const plan = explainQuery(view, '{"stories": count(*[_type == "story"]), "some": count(*[_type in ["author", "fandom"] || _type == $t])}', {t: 'series'})
      expect(plan).toEqual({candidates: [], fullScan: false})
    }
    // A filter the index cannot answer exactly is still counted by groq-js over its candidates.
    expect(explainQuery(raw, 'count(*[_type == "story" && defined(slug.current)])').candidates).toEqual([stories])
  })

  test('an ordered slice needing its key defined never reads the documents without it', async () => {
    const view = new DocView()
    for (let i = 0; i < 30; i++) view.put(`dated.${i}`, {_id: `dated.${i}`, _type: 'story', publishedAt: `2020-01-${String(i + 1).padStart(2, '0')}`, updatedAt: i % 2 ? null : '2021-01-01'})
    for (let i = 0; i < 2000; i++) view.put(`undated.${i}`, {_id: `undated.${i}`, _type: 'story', publishedAt: i % 2 ? null : undefined})
    view.put('object.1', {_id: 'object.1', _type: 'story', publishedAt: {year: 2020}})
    // 2,000 undated stories would be read first by a walk from the newest; a read cap of 200 says they are not.
    for (const query of [
      '*[_type == "story" && defined(publishedAt)] | order(publishedAt desc)[0...5]._id',
      '*[_type == "story" && defined(publishedAt)] | order(coalesce(updatedAt, publishedAt) desc, _id)[0...5]._id',
    ]) {
      const capped = await runQuery(view, query, {}, {maxReads: 200})
      expect(capped).toEqual(await runQuery(view, query, {}, {fullScan: true}))
    }
    // The index is patched, not rebuilt, on writes: keys becoming defined, null, or an object.
    view.put('undated.5', {_id: 'undated.5', _type: 'story', publishedAt: '2030-01-01'})
    view.put('dated.29', {_id: 'dated.29', _type: 'story', publishedAt: null})
    view.put('object.2', {_id: 'object.2', _type: 'story', publishedAt: [1]})
    view.put('undated.7', {_id: 'undated.7', _type: 'story'})
    for (const query of ['*[_type == "story" && defined(publishedAt)] | order(publishedAt desc)[0...5]._id', '*[_type == "story" && defined(publishedAt)] | order(publishedAt asc)[0...40]._id']) {
      const capped = await runQuery(view, query, {}, {maxReads: 200})
      expect(capped).toEqual(await runQuery(view, query, {}, {fullScan: true}))
    }
    // Objects and arrays rank above strings in GROQ's order, then the newest date.
    expect(await runQuery(view, '*[_type == "story" && defined(publishedAt)] | order(publishedAt desc)[0...3]._id', {}, {maxReads: 200})).toEqual(expect.arrayContaining(['object.1', 'object.2', 'undated.5']))
    // Without `defined()` they may be in the answer, and are read.
    await expect(runQuery(view, '*[_type == "story"] | order(publishedAt desc)[0...5]._id', {}, {maxReads: 200})).rejects.toThrow(/reads more than/)
  })

  test("an ordered slice over one type walks that type's own sorted index, kept right under writes", async () => {
    const view = new DocView()
    for (let i = 0; i < 40; i++) view.put(`story.${i}`, {_id: `story.${i}`, _type: 'story', _updatedAt: `2020-01-${String((i % 28) + 1).padStart(2, '0')}`})
    for (let i = 0; i < 40; i++) view.put(`author.${i}`, {_id: `author.${i}`, _type: 'author', _updatedAt: '2030-01-01'})
    const query = '*[_type == "story"] | order(_updatedAt desc)[0...5]._id'
    const check = async () => {
      // The drafts overlay follows the raw view's writes through the store (DatasetState): built afresh here.
      for (const v of [view, new OverlayView(view, ['drafts'])]) expect(await runQuery(v, query)).toEqual(await runQuery(v, query, {}, {fullScan: true}))
      const typed = view.sortedBy(JSON.stringify({type: 'AccessAttribute', name: '_updatedAt'}), (doc) => doc._updatedAt, 'story').sorted()
      expect(typed.map((entry) => entry.id).sort()).toEqual(view.all().filter((doc) => doc._type === 'story').map((doc) => doc._id).sort())
    }
    await check()
    // A story becoming an author, an author becoming a story, a newer draft of a story, a story deleted.
    view.put('story.3', {_id: 'story.3', _type: 'author', _updatedAt: '2031-01-01'})
    view.put('author.7', {_id: 'author.7', _type: 'story', _updatedAt: '2029-06-01'})
    view.put('drafts.story.9', {_id: 'drafts.story.9', _type: 'story', _updatedAt: '2029-07-01'})
    view.put('story.20', null)
    await check()
    expect(((await runQuery(new OverlayView(view, ['drafts']), query)) as string[]).slice(0, 2)).toEqual(['story.9', 'author.7'])
  })

  test('an ordered slice whose candidates are many tests each entry it walks, without intersecting the sets', async () => {
    // Counts the ids read out of index sets (an intersection reads every id of the smaller set).
    let read = 0
    class CountingView extends DocView {
      override idsWithKey(key: string): ReadonlySet<string> {
        const ids = super.idsWithKey(key)
        return {
          has: (id: string) => ids.has(id),
          get size() {
            return ids.size
          },
          *[Symbol.iterator]() {
            for (const id of ids) {
              read++
              yield id
            }
          },
          values: () => ids.values(),
          keys: () => ids.keys(),
          entries: () => ids.entries(),
          forEach: (fn: (a: string, b: string, set: ReadonlySet<string>) => void) => ids.forEach(fn),
        } as ReadonlySet<string>
      }
    }
    const view = new CountingView()
    for (let i = 0; i < 3000; i++) view.put(`story.${i}`, {_id: `story.${i}`, _type: 'story', _updatedAt: `2020-01-${String((i % 28) + 1).padStart(2, '0')}`})
    for (let i = 0; i < 1000; i++) view.put(`drafts.story.${i}`, {_id: `drafts.story.${i}`, _type: 'story', _updatedAt: i % 100 ? '2019-01-01' : `2024-01-${String(i / 100 + 1).padStart(2, '0')}`})
    const query = '*[_type == "story" && (_id in path("drafts.**") || _originalId in path("drafts.**"))] | order(_updatedAt desc)[0...5]._id'
    read = 0
    const walked = await runQuery(view, query)
    expect(read).toBeLessThan(50)
    expect(walked).toEqual(await runQuery(view, query, {}, {fullScan: true}))
    // Where the walk finds too few in as many steps as the drafts are, the candidates are worked out after all.
    view.put('drafts.story.999', {_id: 'drafts.story.999', _type: 'story', _updatedAt: '2019-01-01', title: 'needle'})
    const few = '*[_type == "story" && _id in path("drafts.**") && title == "needle"] | order(_updatedAt desc)[0...5]._id'
    read = 0
    expect(await runQuery(view, few)).toEqual(['drafts.story.999'])
    expect(read).toBeGreaterThanOrEqual(1000)
  })

  test('a keyset page starts its walk at the cursor: a deep page reads what the first does', async () => {
    const view = new DocView()
    for (let i = 0; i < 2000; i++) {
      // Mostly numbers; some strings, objects and nulls, which GROQ orders apart and `<` never passes.
      const words = i % 97 === 0 ? String(i) : i % 89 === 0 ? {n: i} : i % 83 === 0 ? null : i % 500
      view.put(`story.${i}`, {_id: `story.${i}`, _type: 'story', publishedAt: `2020-${String((i % 12) + 1).padStart(2, '0')}-${String((i % 28) + 1).padStart(2, '0')}`, wordCount: words})
    }
    const pages = [
      ['*[_type == "story" && defined(publishedAt) && ($lastId == null || publishedAt < $last || (publishedAt == $last && _id < $lastId))] | order(publishedAt desc, _id desc)[0...5]._id', {last: '2020-02-14', lastId: 'story.1000'}],
      ['*[_type == "story" && ($lastId == null || coalesce(wordCount, 0) < $last || (coalesce(wordCount, 0) == $last && _id < $lastId))] | order(coalesce(wordCount, 0) desc, _id desc)[0...5]._id', {last: 40, lastId: 'story.1040'}],
      ['*[_type == "story" && $last < publishedAt] | order(publishedAt asc)[0...5]._id', {last: '2020-11-20'}],
      ['*[_type == "story" && publishedAt >= $last && _id != "story.5"] | order(publishedAt)[0...5]._id', {last: '2020-11-20'}],
    ] as const
    for (const [query, params] of pages) {
      const expected = await runQuery(view, query, params, {fullScan: true})
      expect(expected).toHaveLength(5)
      // Hundreds of stories come before the cursor: a read cap of 100 says they are not read.
      expect(await runQuery(view, query, params, {maxReads: 100})).toEqual(expected)
    }
  })

  test('versionOf batches and path() on ids', () => {
    const batch = explainQuery(raw, '[*[sanity::versionOf("story.1")]._id, *[sanity::versionOf("story.2")]._id]')
    expect(batch.fullScan).toBe(false)
    expect(Math.max(...batch.candidates)).toBeLessThanOrEqual(3)
    const draftsOnly = explainQuery(raw, '*[_id in path("drafts.**")]._id')
    expect(draftsOnly.candidates[0]).toBe(raw.all().filter((doc) => doc._id.startsWith('drafts.')).length)
  })

  test('text search through the full-text index, following one reference', () => {
    // The store's index (SQLite FTS5 over indexText), in memory.
    const db = new DatabaseSync(':memory:')
    db.exec("CREATE VIRTUAL TABLE t USING fts5(text, detail=none, tokenize='unicode61 remove_diacritics 2'); CREATE TABLE ids (row INTEGER PRIMARY KEY, id TEXT)")
    raw.all().forEach((doc, row) => {
      db.prepare('INSERT INTO t (rowid, text) VALUES (?, ?)').run(row + 1, indexText(doc, []))
      db.prepare('INSERT INTO ids (row, id) VALUES (?, ?)').run(row + 1, doc._id)
    })
    const find = db.prepare('SELECT ids.id AS id FROM t JOIN ids ON ids.row = t.rowid WHERE t MATCH ?')
    const textSearch = {raw: true, search: (match: string) => (find.all(match) as Array<{id: string}>).map((row) => row.id)}
    const title = String(raw.get('story.5')!.title).split(' ').at(-1)!
    const global = studio.find((e) => e.query.includes('findability-source: global'))!
    const plan = explainQuery(raw, global.query, {...global.params, __query: `${title}*`, __rawQuery: title}, textSearch)
    expect(plan.fullScan).toBe(false)
    expect(plan.candidates[0]).toBeLessThan(50)
    const site = explainQuery(raw, searchQuery, {terms: [`${title}*`]}, textSearch)
    expect(site.candidates[0]).toBeLessThan(50)
    const author = String(raw.get(String((raw.get('story.5')!.authors as Array<{_ref: string}>)[0]._ref))!.name).split(' ')[0]
    // An author's name reaches their stories through `authors[]->name`.
    expect(explainQuery(raw, searchQuery, {terms: [`${author}*`]}, textSearch).candidates[0]).toBeGreaterThan(0)
  })

  test("the Studio's lists, with an empty search box, in the drafts perspective", () => {
    for (const entry of studio.filter((e) => e.query.includes('findability-source: list') && (e.params.__types as string[])[0] === 'story')) {
      const plan = explainQuery(drafts, entry.query, entry.params)
      expect(plan.fullScan).toBe(false)
      expect(plan.candidates[0]).toBeLessThan(400)
    }
  })
})
