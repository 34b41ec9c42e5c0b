/**
 * The full-text index holds groq-js's own tokens (lake/search-text.ts) and ranked slices score only
 * the documents that can reach the slice (lake/query.ts, rankedSlice): both must leave every answer
 * exactly a groq-js full scan's. Documents here are chosen for where the two could part: case
 * folding outside ASCII, dots at word edges, long fields the index only marks, ties at the cut,
 * a document's own `_score`, references followed by `->`.
 */
import {rmSync} from 'node:fs'
import fc from 'fast-check'
import {afterAll, beforeAll, describe, expect, test} from 'vitest'
import {encodeToken, termFilter} from '../../lake/search-text'
import {openStore, type Store} from '../../lake/store'
import {searchQuery} from '../../queries'
import {tempDir} from './helpers'

const GLOBAL_SEARCH =
  '*[_type in $types] | score(boost(_type in ["story"] && title match text::query($q), 10), boost(_type in ["author"] && name match text::query($q), 10), ([@, _id] match text::query($q) || references($raw))) [_score > 0] {_type, _id, "orderings": [_score]} | order(orderings[0] desc) [0...$limit]'

const long = (word: string) => Array.from({length: 120}, (_, i) => `${i % 7 === 0 ? word : 'filler'} text`).join(' ')

const docs = [
  {_id: 'author.a', _type: 'author', name: 'Silas Moon'},
  {_id: 'author.b', _type: 'author', name: 'Kelvin Star'},
  {_id: 'fandom.f', _type: 'fandom', title: 'Moon.lit Sagas'},
  ...Array.from({length: 70}, (_, i) => ({
    _id: `story.${i}`,
    _type: 'story',
    slug: {_type: 'slug', current: `s-${i}`},
    title: i % 5 === 0 ? 'Moonlit Harbour' : i % 3 === 0 ? 'Moonlit Road' : `Plain ${i}`,
    summary: i % 4 === 0 ? 'the moonlit moonlit harbour' : 'nothing here',
    tags: i % 6 === 0 ? ['moonlit au'] : [],
    authors: [{_type: 'reference', _ref: i % 2 ? 'author.a' : 'author.b', _key: 'a'}],
    fandoms: i % 7 === 0 ? [{_type: 'reference', _ref: 'fandom.f', _key: 'f'}] : [],
    publishedAt: `2020-01-${String((i % 28) + 1).padStart(2, '0')}T00:00:00Z`,
    body: [{_type: 'block', _key: 'b', children: [{_type: 'span', _key: 's', text: long(i % 9 === 0 ? 'harbour' : 'sea')}]}],
  })),
  // Scores that differ only by how often a word repeats, so a loose cut would drop one.
  ...Array.from({length: 6}, (_, n) => ({_id: `story.rep${n}`, _type: 'story', slug: {_type: 'slug', current: `rep-${n}`}, title: 'Moonlit '.repeat(n + 2), summary: 'moonlit '.repeat(6 - n), publishedAt: '2019-01-01T00:00:00Z'})),
  {_id: 'story.score', _type: 'story', title: 'Own score', _score: 50},
  {_id: 'story.sigma', _type: 'story', title: 'ſtar İstanbul ﬁsh', publishedAt: '2021-01-01T00:00:00Z'},
  {_id: 'drafts.story.1', _type: 'story', title: 'Moonlit Harbour revised'},
]

let dir: string
let store: Store
beforeAll(() => {
  dir = tempDir('lake-search-')
  store = openStore(dir)
  store.mutate('production', docs.map((doc) => ({create: doc})))
})
afterAll(() => {
  store.close()
  rmSync(dir, {recursive: true, force: true})
})

async function expectSame(query: string, params: Record<string, unknown>, perspective: 'raw' | 'published' | 'drafts') {
  const scanned = await store.query('production', query, params, perspective, {fullScan: true})
  const indexed = await store.query('production', query, params, perspective)
  expect(indexed).toEqual(scanned)
  return indexed as unknown[]
}

describe('full-text index and ranked slices', () => {
  test.each(['moonlit', 'Moonlit Harbour', 'harbour', 'moon.lit', 'moonl', 'silas', 'ſilas', 'star', 'kelvin', 'İstanbul', 'istanbul', 'sea', 'zzq', 'own', 'fish', 'ﬁsh'])(
    'Studio global search for %s, cut at 1, 3 and 10',
    async (q) => {
      for (const perspective of ['raw', 'drafts'] as const) {
        for (const limit of [1, 3, 5, 10]) {
          await expectSame(GLOBAL_SEARCH, {types: ['story', 'author'], q: `${q}*`, raw: q, limit}, perspective)
        }
      }
    },
  )

  test.each([['moonlit*'], ['moonlit*', 'harbour*'], ['moon*'], ['silas*'], ['sagas*'], ['moonlit*', 'zzq*']])('site search for %s', async (...terms) => {
    const results = await expectSame(searchQuery, {terms}, 'published')
    if (terms[0] === 'moonlit*' && terms.length === 1) expect(results.length).toBeGreaterThan(10)
  })

  test('a document with its own _score outranks text matches', async () => {
    const results = (await expectSame(GLOBAL_SEARCH, {types: ['story'], q: 'moonlit*', raw: 'moonlit', limit: 3}, 'raw')) as Array<{_id: string}>
    expect(results[0]._id).toBe('story.score')
  })

  test('a write is seen by the next search: lookups kept between queries are dropped on every write', async () => {
    const site = (terms: string[]) => expectSame(searchQuery, {terms}, 'published') as Promise<Array<{_id: string}>>
    // story.score has a _score of its own: every search finds it.
    const studio = async () => ((await expectSame(GLOBAL_SEARCH, {types: ['story'], q: 'zebu*', raw: 'zebu', limit: 5}, 'raw')) as Array<{_id: string}>).filter((row) => row._id !== 'story.score')
    expect(await site(['zebu*'])).toEqual([])
    expect(await studio()).toEqual([])
    const story = {_id: 'story.zebu', _type: 'story', slug: {_type: 'slug', current: 'zebu'}, title: 'Zebu Nights', publishedAt: '2020-02-02T00:00:00Z'}
    await store.mutate('production', [{create: story}])
    expect((await site(['zebu*'])).map((row) => row._id)).toEqual(['story.zebu'])
    expect((await studio()).map((row) => row._id)).toEqual(['story.zebu'])
    await store.mutate('production', [{patch: {id: 'story.zebu', set: {title: 'Yak Nights'}}}])
    expect(await site(['zebu*'])).toEqual([])
    expect((await site(['yak*'])).map((row) => row._id)).toEqual(['story.zebu'])
    await store.mutate('production', [{delete: {id: 'story.zebu'}}])
    expect(await site(['yak*'])).toEqual([])
    expect(await studio()).toEqual([])
    // Rows of another dataset (one may take the number the deleted row had) are not this dataset's.
    await store.mutate('other', [{create: {...story, title: 'Yak Nights'}}])
    expect(await site(['yak*'])).toEqual([])
    expect(await store.query('other', searchQuery, {terms: ['yak*']}, 'published')).toMatchObject([{_id: 'story.zebu'}])
    await store.mutate('production', [{create: {...story, _id: 'story.yak', title: 'Yak Nights'}}])
    expect((await site(['yak*'])).map((row) => row._id)).toEqual(['story.yak'])
  })

  test('a field where a term matches two tokens is bounded as such: repeated, or two words sharing a start', async () => {
    // A term matching one token of a field scores 1 there; two tokens, 1.375. The index marks
    // fields where a term can match two (search-text.ts): without the mark for two words sharing
    // a start, the bound of "Moonbeam Moonrise" would be 1 and the cut at the second score
    // (1.375, "Moon Moon") would leave it out, though it ties and comes first in view order.
    const notes = [
      {_id: 'note.beam', _type: 'note', title: 'Moonbeam Moonrise'},
      ...Array.from({length: 20}, (_, i) => ({_id: `note.one${i}`, _type: 'note', title: `Moon ${i}`})),
      {_id: 'note.two', _type: 'note', title: 'Moon Moon'},
      {_id: 'note.three', _type: 'note', title: 'Moon Moon moon'},
    ]
    await store.mutate('repeat', notes.map((doc) => ({create: doc})))
    const query = '*[_type == "note"] | score(title match $q) | order(_score desc)[0...$n]{_id, _score}'
    for (const n of [1, 2, 3]) {
      const scanned = await store.query('repeat', query, {q: 'moon*', n}, 'raw', {fullScan: true})
      expect(await store.query('repeat', query, {q: 'moon*', n}, 'raw')).toEqual(scanned)
    }
    expect((await store.query('repeat', query, {q: 'moon*', n: 2}, 'raw')) as unknown[]).toEqual([
      {_id: 'note.three', _score: (3 * 2.2) / 4.2},
      {_id: 'note.beam', _score: (2 * 2.2) / 3.2},
    ])
  })

  test('tokens are folded as a case-insensitive RegExp folds them, prefix-free', () => {
    expect(encodeToken('Zoo')).toBe('zzoo')
    expect(encodeToken('ſ')).not.toBe(encodeToken('s'))
    expect(encodeToken('ς')).toBe(encodeToken('σ'))
    expect(encodeToken('ab').startsWith(encodeToken('a'))).toBe(true)
    expect(encodeToken('éa').startsWith(encodeToken('é'))).toBe(true)
    expect(encodeToken('z').startsWith(encodeToken('y'))).toBe(false)
  })

  test('@ keeps only strings that can hold a term, across dots at word edges', () => {
    const keep = termFilter(['moonlit*'])!
    expect(keep('a Moon.lit night')).toBe(true)
    expect(keep('a moon night')).toBe(false)
    expect(termFilter(['*lit'])).toBeNull()
    expect(termFilter(['moon.lit*'])).toBeNull()
  })
})

describe('ranked slices over stories whose bodies stay in SQLite', () => {
  // Stored and opened again, so every story is held as its head, its body read only on demand
  // (lake/lazy-doc.ts); ranked slices score such heads as shells (search-text.ts, SearchCopies.shell).
  let lazyDir: string
  let lazyStore: Store
  const body = (text: string, ref?: string) => [
    {_type: 'block', _key: 'b', markDefs: ref ? [{_type: 'link', _key: 'm', reference: {_type: 'reference', _ref: ref}}] : [], children: [{_type: 'span', _key: 's', text: long(text)}]},
  ]
  beforeAll(() => {
    lazyDir = tempDir('lake-search-lazy-')
    const writer = openStore(lazyDir)
    writer.mutate('production', [
      {create: {_id: 'zebra', _type: 'author', name: 'Zed'}},
      ...Array.from({length: 12}, (_, i) => ({
        create: {_id: `story.l${i}`, _type: 'story', title: i % 2 ? `Lantern ${i}` : `Plain ${i}`, publishedAt: `2020-03-${String(i + 1).padStart(2, '0')}T00:00:00Z`, body: body(i % 3 ? 'sea' : 'lantern', i === 4 ? 'zebra' : undefined)},
      })),
    ])
    writer.close()
    lazyStore = openStore(lazyDir)
  })
  afterAll(() => {
    lazyStore.close()
    rmSync(lazyDir, {recursive: true, force: true})
  })
  const same = async (query: string, params: Record<string, unknown>) => {
    const scanned = await lazyStore.query('production', query, params, 'raw', {fullScan: true})
    const indexed = await lazyStore.query('production', query, params, 'raw')
    expect(indexed).toEqual(scanned)
    return indexed as Array<Record<string, unknown>>
  }

  test('rows handed on keep the values left in SQLite', async () => {
    const rows = await same('*[_type == "story"] | score(title match $q) | order(_score desc)[0...3]', {q: 'lantern*'})
    expect(rows).toHaveLength(3)
    for (const row of rows) expect(Array.isArray(row.body)).toBe(true)
  })

  test('references() counts a reference held only in a body left in SQLite', async () => {
    const rows = await same(GLOBAL_SEARCH, {types: ['story', 'author'], q: 'zebra*', raw: 'zebra', limit: 5})
    expect(rows.map((row) => row._id)).toContain('story.l4')
  })

  test('@ reads the body of a shell', async () => {
    const rows = await same(GLOBAL_SEARCH, {types: ['story'], q: 'lantern*', raw: 'lantern', limit: 4})
    expect(rows.length).toBe(4)
  })
})

describe('ranked slices over random documents and score() shapes', () => {
  // Words sharing starts, repeated in fields, in several fields, in long bodies and behind
  // references: where a bound, the marks of repeated tokens or the guess at the cut could err.
  const WORDS = ['moon', 'moonlit', 'moonbeam', 'sea', 'seal', 'harbour', 'tide', 'ash', 'ashen', 'light']
  let random = 12345
  const next = (n: number) => {
    random = (Math.imul(random, 1664525) + 1013904223) >>> 0
    return random % n
  }
  const words = (max: number) => Array.from({length: next(max + 1)}, () => WORDS[next(WORDS.length)]).join(' ')
  const docs = [
    ...Array.from({length: 8}, (_, i) => ({_id: `rauthor.${i}`, _type: 'author', name: words(2) || 'nobody'})),
    ...Array.from({length: 160}, (_, i) => ({
      _id: `rstory.${i}`,
      _type: 'story',
      title: words(4),
      summary: words(8),
      tags: Array.from({length: next(3)}, () => words(2)),
      authors: [{_type: 'reference', _key: 'a', _ref: `rauthor.${next(8)}`}],
      publishedAt: `2020-01-${String(next(28) + 1).padStart(2, '0')}T00:00:00Z`,
      ...(next(4) === 0 ? {body: [{_type: 'block', _key: 'b', children: [{_type: 'span', _key: 's', text: `${words(3)} ${'filler '.repeat(200)}`}]}]} : {}),
      ...(next(30) === 0 ? {_score: next(5)} : {}),
    })),
  ]
  const SHAPES = [
    GLOBAL_SEARCH,
    '*[_type == "story"] | score(boost(title match $q, $w), boost(tags[] match $q, 2), summary match $q, boost(authors[]->name match $q, 3)) | order(_score desc, _id asc)[0...$limit]{_id, _score}',
    '*[_type == "story"] | score(boost(title match $q, $w), summary match $q) [_score > 0] | order(_score desc)[0...$limit]{_id, _score}',
    '*[_type == "story" && [title, summary, ...coalesce(tags, [])] match $q] | score(boost(title match $q, $w), [summary, title] match $q) | order(_score desc, publishedAt desc, _id desc)[0...$limit]{_id, _score}',
    '*[_type in ["story", "author"]] | score((title match $q && summary match $q) || boost(name match $q, $w), @ match $q) [_score > 0] | order(_score desc)[0...$limit]{_id, _score}',
  ]
  beforeAll(async () => {
    await store.mutate('random', docs.map((doc) => ({create: doc})))
  })

  test('answer as a full scan does', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...SHAPES),
        fc.array(fc.constantFrom('moon*', 'moonl*', 'moonbeam', 'sea*', 'seal', 'harbour*', 'tide*', 'ash*', 'light*', 'a*'), {minLength: 1, maxLength: 3}),
        fc.integer({min: 1, max: 12}),
        fc.constantFrom(0.5, 2, 10),
        async (query, terms, limit, w) => {
          const q = terms.join(' ')
          const params = {q, raw: q, types: ['story', 'author'], limit, w}
          const scanned = await store.query('random', query, params, 'raw', {fullScan: true})
          expect(await store.query('random', query, params, 'raw')).toEqual(scanned)
        },
      ),
      {numRuns: 800, seed: 42},
    )
  })
})

test('a dataset whose size is not a multiple of four is searched (the lookup limit SQLite is given is an integer)', async () => {
  const bigDir = tempDir('lake-search-size-')
  const big = openStore(bigDir)
  try {
    // Past 20,000 documents the lookup limit is a quarter of the dataset.
    const lines = Array.from({length: 20_003}, (_, i) => JSON.stringify({_id: `author.${i}`, _type: 'author', name: i === 7 ? 'Unusual Quillon' : i === 20_001 ? 'Rare Zephyrine' : `Writer ${i % 50}`}))
    big.importNdjson('production', lines)
    const search = async (word: string) => ((await big.query('production', GLOBAL_SEARCH, {types: ['author'], q: `${word}*`, raw: word, limit: 5}, 'raw')) as Array<{_id: string}>).map((row) => row._id)
    expect(await search('quillon')).toEqual(['author.7'])
    // The first search starts reading the index's rows into memory, 20,000 a turn: two turns here.
    for (let turn = 0; turn < 3; turn++) await new Promise((resolve) => setImmediate(resolve))
    expect(await search('zephyrine')).toEqual(['author.20001'])
    expect(await search('quillon')).toEqual(['author.7'])
  } finally {
    big.close()
    rmSync(bigDir, {recursive: true, force: true})
  }
})
