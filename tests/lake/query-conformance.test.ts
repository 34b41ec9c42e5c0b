import {rmSync} from 'node:fs'
import {afterAll, beforeAll, describe, expect, test} from 'vitest'
import {explainQuery} from '../../lake/query'
import {DocView} from '../../lake/view'
import {openStore, type Store} from '../../lake/store'
import type {Perspective} from '../../lake/types'
import {tempDir} from './helpers'

/** Deterministic pseudo-random numbers so failures reproduce. */
function rng(seed: number) {
  let state = seed
  return () => {
    state = (state * 1664525 + 1013904223) % 4294967296
    return state / 4294967296
  }
}

const STORIES = 2000
const AUTHORS = 60
const FANDOMS = 40
const RATINGS = ['general', 'teen', 'mature', 'explicit', 'not-rated']

function generate(): Array<Record<string, unknown>> {
  const random = rng(42)
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]
  const ref = (id: string, key?: string) => ({_type: 'reference', _ref: id, ...(key ? {_key: key} : {})})
  const docs: Array<Record<string, unknown>> = []
  RATINGS.forEach((code, i) => docs.push({_id: `rating.${code}`, _type: 'rating', code, title: code.toUpperCase(), sortOrder: i, minimumAge: i * 4}))
  for (let i = 0; i < AUTHORS; i++) docs.push({_id: `author.${i}`, _type: 'author', name: `Author ${i}`, slug: {_type: 'slug', current: `author-${i}`}, aliases: i % 3 ? [`alias-${i}`] : []})
  for (let i = 0; i < FANDOMS; i++) docs.push({_id: `fandom.${i}`, _type: 'fandom', title: `Fandom ${i}`, mediaType: pick(['book', 'tv', 'film', 'game']), parent: i > 5 ? ref(`fandom.${i % 5}`) : undefined})
  for (let i = 0; i < STORIES; i++) {
    const story: Record<string, unknown> = {
      _id: `story.${i}`,
      _type: 'story',
      title: `${pick(['Moonlit', 'Ash', 'Silver', 'Quiet'])} ${pick(['Harbour', 'Ember', 'Road', 'Letters'])} ${i}`,
      slug: {_type: 'slug', current: `story-${i}`},
      authors: Array.from({length: 1 + Math.floor(random() * 2)}, (_, k) => ref(`author.${Math.floor(random() * AUTHORS)}`, `a${k}`)),
      fandoms: Array.from({length: 1 + Math.floor(random() * 2)}, (_, k) => ref(`fandom.${Math.floor(random() * FANDOMS)}`, `f${k}`)),
      rating: ref(`rating.${pick(RATINGS)}`),
      status: pick(['complete', 'in-progress']),
      language: pick(['en', 'en', 'de', 'fr']),
      wordCount: Math.floor(random() * 100000),
      tags: random() < 0.5 ? [pick(['angst', 'fluff', 'au', 'hurt/comfort'])] : [],
      publishedAt: new Date(Date.UTC(2020, 0, 1) + Math.floor(random() * 1e11)).toISOString(),
    }
    if (random() < 0.1) delete story.publishedAt
    docs.push(story)
    if (random() < 0.15) docs.push({...story, _id: `drafts.story.${i}`, title: `${story.title} (draft)`, status: 'in-progress'})
    if (random() < 0.03) docs.push({...story, _id: `versions.rA.story.${i}`, title: `${story.title} (release)`})
  }
  docs.push({_id: '_.releases.rA', _type: 'system.release', name: 'rA', metadata: {title: 'Spring'}})
  for (let i = 0; i < 60; i++) docs.push({_id: `drafts.story.new${i}`, _type: 'story', title: `Unpublished ${i}`, slug: {_type: 'slug', current: `new-${i}`}, fandoms: [ref(`fandom.${i % FANDOMS}`, 'f0')]})
  return docs
}

const QUERIES: Array<[string, Record<string, unknown>]> = [
  ['*[_type == "story"]', {}],
  ['*[_type == "story"]._id', {}],
  ['count(*[_type == "story"])', {}],
  ['count(*[_type in ["story", "author", "nothing"]])', {}],
  ['count(*[(_type == "story" || _type == $t) && _type == "author"])', {t: 'author'}],
  ['{"n": count(*[_type == $t]), "m": count(*[_type == 1])}', {t: 'fandom'}],
  ['*[_type == $type][0...10]{_id, title}', {type: 'author'}],
  ['*[_id == $id][0]', {id: 'story.7'}],
  ['*[_id == "drafts.story.new3"][0]', {}],
  ['*[_id in $ids]{_id}', {ids: ['story.1', 'story.2', 'nope', 'drafts.story.new1']}],
  ['*[slug.current == $slug][0]{..., "authors": authors[]->{name}, fandoms[]->{title}, rating->{title}}', {slug: 'story-42'}],
  ['*[_type == "story" && slug.current == $slug][0]{title}', {slug: 'new-5'}],
  ['*[_type == "story" && references($fandom)] | order(publishedAt desc)[0...20]{title, slug, "authors": authors[]->name}', {fandom: 'fandom.3'}],
  ['*[_type == "story" && $fandom in fandoms[]._ref] | order(publishedAt desc, _id asc){_id}', {fandom: 'fandom.7'}],
  ['*[references($ids)]{_id}', {ids: ['author.1', 'fandom.2']}],
  ['*[_type == "story" && rating._ref == "rating.teen"]{_id, "r": rating->code}', {}],
  ['*[_type == "story" && rating->code == "mature"]._id', {}],
  ['*[_type in ["author", "fandom"]] | order(_id)', {}],
  ['*[_type in $types]{_type, _id}', {types: ['rating', 'fandom']}],
  ['*[_type == "story" && status == "complete" && language == "de"]{_id, wordCount}', {}],
  ['*[_type == "story" && (status == "complete" || language == "fr")]._id', {}],
  ['*[_type == "story" && !(status == "complete")]._id', {}],
  ['*[_type == "story" && defined(publishedAt)] | order(publishedAt asc)[5...15]._id', {}],
  ['*[_type == "story" && !defined(publishedAt)]._id', {}],
  ['*[_type == "story" && wordCount > 50000 && wordCount <= 80000] | order(wordCount desc)[0...25]{_id, wordCount}', {}],
  ['*[_type == "story" && title match "moonlit*"]{_id, title}', {}],
  ['*[_type == "story" && "angst" in tags]._id', {}],
  ['*[_type == "author"] | order(_id)[0...8]{name, "stories": count(*[_type == "story" && references(^._id)])}', {}],
  ['*[_type == "fandom"]{title, "parent": parent->title, "children": *[_type == "fandom" && parent._ref == ^._id].title}', {}],
  ['*[_type == "rating"] | order(sortOrder){code, "n": count(*[_type == "story" && rating._ref == ^._id])}', {}],
  ['{"stories": count(*[_type == "story"]), "authors": count(*[_type == "author"]), "first": *[_type == "story"] | order(_id)[0]._id}', {}],
  ['*[_type == "story"]{_id, "label": select(wordCount > 60000 => "long", wordCount > 20000 => "medium", "short")}[0...50]', {}],
  ['*[_type == "story"]{_id, "when": coalesce(publishedAt, "never")}[0...50]', {}],
  ['*[_type == "story" && slug.current in ["story-1", "story-2", "new-1"]]{_id}', {}],
  ['*[_type == "story" && _id == $id && status == "complete"]', {id: 'story.11'}],
  ['*[_type == "story" && references("author.5") && references("fandom.1")]._id', {}],
  ['*[_type == "story" && count(authors) > 1]._id', {}],
  ['*[_type == "story"] | order(title asc)[100...110]{title}', {}],
  ['*[_type == "nothing"]', {}],
  ['*[_type == 5]', {}],
  ['*[slug.current == 7]', {}],
  ['*[_id in path("drafts.**")]._id', {}],
  ['*[_type == "story" && _id in path("versions.**")]{_id, title}', {}],
  ['*[!(_id in path("drafts.**")) && _type == "story" && fandoms[0]._ref == "fandom.4"]._id', {}],
  ['*[_type == "author" && name == "Author 3"][0]{name, "aliases": aliases}', {}],
  ['*[_type == "story" && references($fandoms)] | order(_id)[0...30]._id', {fandoms: ['fandom.1', 'fandom.9', 'nope']}],
  ['*[_type == "fandom" && mediaType == "book"][0...3]{title, "stories": *[_type == "story" && references(^._id)] | order(_id)[0...3]._id}', {}],
  ['*[_type == "story"] | order(publishedAt desc)[0]{title, "rating": rating->title}', {}],
  // `_ref` reached through `->` or `^` is not a reference this document holds.
  ['*[fandoms[0]->parent._ref == "fandom.1"]._id', {}],
  ['*["fandom.2" in fandoms[]->parent._ref]._id', {}],
  ['*[_type == "story"] | order(_id)[0...6]{_id, "n": count(*[^.rating._ref == "rating.teen"])}', {}],
  ['*[_type == "story" && rating->_ref == "rating.teen"]._id', {}],
  // Functions that read the dataset without `*`.
  ['count(releases::all())', {}],
  ['releases::all()[0]{name}', {}],
  // null equals a missing `_ref`, so it cannot be narrowed through the reference index.
  ['*[null in tags[]._ref]._id', {}],
  ['*[_type == "story" && $none in authors[]._ref]._id', {none: null}],
  // The search text is never visible to GROQ (tests below run a search first).
  ['*[defined(__lakeSearchText)]._id', {}],
  ['*[_type == "story"] | order(_id)[0...3]{_id, __lakeSearchText}', {}],
]

const PERSPECTIVES: Perspective[] = ['raw', 'published', 'drafts', ['rA', 'drafts']]

let dir: string
let store: Store
beforeAll(() => {
  dir = tempDir()
  store = openStore(dir)
  const docs = generate()
  for (let i = 0; i < docs.length; i += 1000) store.mutate('production', docs.slice(i, i + 1000).map((doc) => ({create: doc})), {skipRevisions: true})
})
afterAll(() => {
  store.close()
  rmSync(dir, {recursive: true, force: true})
})

async function expectSame(perspective: Perspective, query: string, params: Record<string, unknown>) {
  const indexed = await store.query('production', query, params, perspective)
  const scanned = await store.query('production', query, params, perspective, {fullScan: true})
  expect(indexed).toEqual(scanned)
}

describe.each(PERSPECTIVES.map((p) => [typeof p === 'string' ? p : p.join(',')] as const))('perspective %s', (name) => {
  const perspective = PERSPECTIVES.find((p) => (typeof p === 'string' ? p : p.join(',')) === name)!
  test.each(QUERIES)('%s', async (query, params) => {
    await expectSame(perspective, query, params)
  })
})

test('results stay identical after edits move documents between indexes', async () => {
  store.mutate('production', [
    {patch: {id: 'story.3', set: {slug: {_type: 'slug', current: 'story-42'}, fandoms: [{_type: 'reference', _ref: 'fandom.3', _key: 'x'}]}}},
    {delete: {id: 'story.5'}},
    {create: {_id: 'story.5', _type: 'story', title: 'Recreated', slug: {_type: 'slug', current: 'story-5'}, fandoms: [{_type: 'reference', _ref: 'fandom.7', _key: 'y'}]}},
    {createOrReplace: {_id: 'drafts.story.9', _type: 'story', title: 'New draft of 9', status: 'complete', language: 'de'}},
    {patch: {id: 'story.12', set: {status: 'complete', language: 'de'}}},
    {delete: {id: 'drafts.story.new3'}},
  ])
  for (const perspective of PERSPECTIVES) {
    for (const [query, params] of QUERIES.slice(0, 20)) await expectSame(perspective, query, params)
  }
})

test('a search leaves no trace in later results', async () => {
  const search = '*[_type == "story" && [@, _id] match "moonlit*"] | order(_id)[0...3]{_id, __lakeSearchText, "hidden": defined(__lakeSearchText)}'
  for (const perspective of PERSPECTIVES) {
    const found = (await store.query('production', search, {}, perspective)) as Array<Record<string, unknown>>
    expect(found.length).toBeGreaterThan(0)
    expect(found.every((doc) => doc.__lakeSearchText === null && doc.hidden === false)).toBe(true)
    expect(await store.query('production', '*[defined(__lakeSearchText)]._id', {}, perspective)).toEqual([])
    const docs = store.documents('production', 'raw')
    expect(docs.filter((doc) => Object.getOwnPropertySymbols(doc).length > 0 || '__lakeSearchText' in doc)).toEqual([])
  }
})

test('the planner narrows filters to index candidates', () => {
  const raw = openStoreView()
  const withSlug = store.documents('production', 'raw').filter((doc) => (doc.slug as {current?: string} | undefined)?.current === 'story-42')
  expect(withSlug.length).toBeGreaterThan(0)
  expect(explainQuery(raw, '*[_type == "story" && slug.current == $s][0]', {s: 'story-42'}).candidates).toEqual([withSlug.length])
  expect(explainQuery(raw, '*[_id == "story.7"]').candidates).toEqual([1])
  const byFandom = explainQuery(raw, '*[_type == "story" && references($f)] | order(publishedAt desc)[0...20]', {f: 'fandom.3'})
  expect(byFandom.fullScan).toBe(false)
  expect(byFandom.candidates[0]).toBeLessThan(300)
  expect(explainQuery(raw, '*[wordCount > 5]').fullScan).toBe(true)
})

/** A view rebuilt from the store's raw documents, so the planner can be inspected directly. */
function openStoreView(): DocView {
  const view = new DocView()
  for (const doc of store.documents('production', 'raw')) view.put(doc._id, doc)
  return view
}
