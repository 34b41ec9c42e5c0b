/**
 * A generated archive for the site's query tests: a few hundred published stories with
 * deliberate ties in every sort key, drafts (of published stories and never-published ones),
 * stories that fail the publishing checks, a series and a multi-chapter work.
 */
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import type {SanityClient} from '@sanity/client'
import {localLakeClient} from '../../lake/connection'
import {startLake} from '../../lake/server'
import {CATEGORIES, LANGUAGES, RATING_SEED, WARNINGS} from '../../rules'

export interface FixtureStory {
  _id: string
  _type: 'story'
  title: string
  slug: {_type: 'slug'; current: string}
  authors: Array<{_type: 'reference'; _ref: string; _key: string}>
  fandoms: Array<{_type: 'reference'; _ref: string; _key: string}>
  rating: {_type: 'reference'; _ref: string}
  warnings: string[]
  categories: string[]
  tags: string[]
  characters: string[]
  relationships: string[]
  language: string
  status: 'complete' | 'in-progress'
  summary: string
  disclaimer?: string
  wordCount: number
  publishedAt: string
  updatedAt?: string
  body: unknown[]
  chapters?: Array<{_type: 'reference'; _ref: string; _key: string; _weak?: boolean}>
  series?: Array<{_type: 'seriesEntry'; _key: string; series: {_type: 'reference'; _ref: string}; position: number}>
}

type Doc = {_id: string; _type: string; [k: string]: unknown}

const ref = (id: string) => ({_type: 'reference' as const, _ref: id})
const keyedRef = (id: string, _key: string) => ({...ref(id), _key})

/** Small deterministic PRNG so failures reproduce. */
function prng(seed: number) {
  let s = seed >>> 0
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0
    return s / 2 ** 32
  }
}

export const FANDOMS: Doc[] = [
  {_id: 'fandom.tidewater', _type: 'fandom', title: 'Tidewater', slug: {_type: 'slug', current: 'tidewater'}, rightsHolders: ['Ada Brook'], isOriginalWork: false, mediaType: 'book'},
  {_id: 'fandom.glasshouse', _type: 'fandom', title: 'Glasshouse', slug: {_type: 'slug', current: 'glasshouse'}, rightsHolders: ['Prism Studios'], isOriginalWork: false, mediaType: 'tv'},
  {_id: 'fandom.original', _type: 'fandom', title: 'Original Work', slug: {_type: 'slug', current: 'original'}, rightsHolders: [], isOriginalWork: true, mediaType: 'original'},
]
const DISCLAIMERS: Record<string, string> = {
  'fandom.tidewater': 'Tidewater belongs to Ada Brook. I do not own it and make no money from this.',
  'fandom.glasshouse': 'Glasshouse is owned by Prism Studios, not me. No infringement intended.',
}
export const AVATAR_ASSET: Doc = {_id: 'image-birch-96x96-png', _type: 'sanity.imageAsset', url: 'https://cdn.example.org/images/birch-96x96.png'}
export const AUTHORS: Doc[] = ['ash', 'birch', 'cedar', 'dawn'].map((n) => ({
  _id: `author.${n}`,
  _type: 'author',
  name: `${n[0].toUpperCase()}${n.slice(1)} Writer`,
  slug: {_type: 'slug', current: n},
  // Birch has a picture (without alt text, so the page uses the name).
  ...(n === 'birch' ? {avatar: {_type: 'image', asset: {_type: 'reference', _ref: AVATAR_ASSET._id}}} : {}),
}))
export const TAGS = ['Fluff', 'Angst', 'Hurt/Comfort', 'Slow Burn', 'Found Family']

function paragraph(key: string, text: string) {
  return {_type: 'block', _key: key, style: 'normal', markDefs: [], children: [{_type: 'span', _key: `${key}s`, text, marks: []}]}
}

export interface Archive {
  documents: Doc[]
  /** Published stories (what a reader may see before the publishing checks). */
  published: FixtureStory[]
  drafts: Doc[]
  /** Published stories that fail the publishing checks. */
  failing: Set<string>
}

export function generateArchive(count = 300, seed = 7): Archive {
  if (count < 60) throw new Error(`generateArchive needs at least 60 stories (got ${count}): fixed indices below set up series, chapters and search targets`)
  const rand = prng(seed)
  const pick = <T,>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]
  const published: FixtureStory[] = []
  const failing = new Set<string>()
  const base = Date.parse('2025-01-01T00:00:00Z')
  for (let i = 0; i < count; i++) {
    const id = `story.gen-${String(i).padStart(4, '0')}`
    const fandom = pick(FANDOMS)
    const fails = i % 29 === 5
    // Triples share a publication time, so the _id tie-break is exercised on every page.
    const publishedAt = new Date(base + Math.floor(i / 3) * 3600_000).toISOString()
    const updated = rand() < 0.5 ? new Date(base + Math.floor(rand() * count) * 3600_000).toISOString() : undefined
    const words = Math.floor(rand() * 40) * 250
    const story: FixtureStory = {
      _id: id,
      _type: 'story',
      title: `Generated story ${i}`,
      slug: {_type: 'slug', current: `gen-${i}`},
      authors: [keyedRef(pick(AUTHORS)._id, 'a0')],
      fandoms: [keyedRef(fandom._id, 'f0')],
      rating: ref(pick(RATING_SEED)._id),
      warnings: [pick(WARNINGS).value, ...(rand() < 0.2 ? ['major-character-death'] : [])].filter((w, k, all) => all.indexOf(w) === k),
      categories: [pick(CATEGORIES).value],
      tags: TAGS.filter(() => rand() < 0.3),
      characters: rand() < 0.5 ? ['Mira Vance'] : ['Oren Hale'],
      relationships: rand() < 0.3 ? ['Mira/Oren'] : [],
      language: rand() < 0.8 ? 'en' : pick(LANGUAGES.slice(1, 4)).value,
      status: rand() < 0.6 ? 'complete' : 'in-progress',
      summary: `A generated tale number ${i}, about tides, glass and the people who keep both.`,
      // A failing story lacks the disclaimer its fandom requires (an error in rules/checkStory).
      ...(fandom.isOriginalWork || fails ? {} : {disclaimer: DISCLAIMERS[fandom._id]}),
      wordCount: words,
      publishedAt,
      ...(updated ? {updatedAt: updated} : {}),
      body: [paragraph(`p${i}`, `The text of story ${i}.`)],
    }
    if (fails && !fandom.isOriginalWork) failing.add(id)
    published.push(story)
  }

  // A run of 25 failing stories inside a tag, longer than a page: the site must keep fetching.
  if (count >= 130) {
    for (let i = 100; i < 130; i++) {
      const story = published[i]
      story.tags = [...story.tags, 'Cluster']
      if (i < 125) {
        story.fandoms = [keyedRef('fandom.tidewater', 'f0')]
        delete story.disclaimer
        failing.add(story._id)
      }
    }
  }

  // Search targets: one word in a title, a summary and a tag of three different stories.
  published[40].title = 'The Lanternfish Accord'
  published[41].summary = 'Nobody mentions the lanternfish until the third act, when it saves everyone.'
  published[42].tags = [...published[42].tags, 'Lanternfish']

  // A series of three stories and one multi-chapter work.
  published[10].series = [{_type: 'seriesEntry', _key: 's0', series: ref('series.tides'), position: 1}]
  published[20].series = [{_type: 'seriesEntry', _key: 's0', series: ref('series.tides'), position: 2}]
  published[30].series = [{_type: 'seriesEntry', _key: 's0', series: ref('series.tides'), position: 3}]
  // The series' last part fails the checks: readers get no link to it.
  published[35].series = [{_type: 'seriesEntry', _key: 's0', series: ref('series.tides'), position: 4}]
  published[35].fandoms = [keyedRef('fandom.tidewater', 'f0')]
  delete published[35].disclaimer
  failing.add(published[35]._id)
  published[50].body = []
  // The second reference points at a chapter that exists only as a draft: readers skip it. It is
  // weak, as the Studio and the importer write it: the Content Lake refuses a strong one.
  published[50].chapters = [
    keyedRef('chapter.gen-50-1', 'c0'),
    {...keyedRef('chapter.gen-50-unpublished', 'c1'), _weak: true},
    keyedRef('chapter.gen-50-2', 'c2'),
    keyedRef('chapter.gen-50-3', 'c3'),
  ]

  const drafts: Doc[] = [
    // A draft of a published story: its draft title must never show.
    {...published[0], _id: `drafts.${published[0]._id}`, title: 'DRAFT TITLE of story 0'},
    ...Array.from({length: 25}, (_, k) => ({
      ...published[(k + 60) % published.length],
      _id: `drafts.story.unpublished-${k}`,
      title: `Unpublished draft ${k} lanternfish`,
      slug: {_type: 'slug', current: `unpublished-${k}`},
      publishedAt: new Date(base + 10 * 365 * 86400_000).toISOString(),
      wordCount: 1_000_000,
    })),
    {_id: 'drafts.chapter.gen-50-2', _type: 'chapter', title: 'Draft of chapter two'},
    {_id: 'drafts.chapter.gen-50-unpublished', _type: 'chapter', title: 'Unpublished chapter'},
  ]
  const chapters: Doc[] = [1, 2, 3].map((n) => ({
    _id: `chapter.gen-50-${n}`,
    _type: 'chapter',
    title: `Part ${n}`,
    body: [paragraph(`c${n}`, `Chapter ${n} text.`)],
    wordCount: 3,
  }))
  const series: Doc = {_id: 'series.tides', _type: 'series', title: 'Tides', slug: {_type: 'slug', current: 'tides'}, complete: true}
  const documents: Doc[] = [
    ...RATING_SEED.map((r) => ({...r}) as Doc),
    ...FANDOMS,
    AVATAR_ASSET,
    ...AUTHORS,
    series,
    ...chapters,
    ...(published as unknown as Doc[]),
    ...drafts,
  ]
  return {documents, published, drafts, failing}
}

export interface SeededLake {
  archive: Archive
  /** Reads like the site: published perspective. */
  client: SanityClient
  /** Sees drafts too, for checking that the queries themselves exclude them. */
  rawClient: SanityClient
  close(): Promise<void>
}

export async function startSeededLake(count = 300): Promise<SeededLake> {
  const dataDir = mkdtempSync(join(tmpdir(), 'site-test-lake-'))
  const lake = await startLake({dataDir, port: 0})
  const archive = generateArchive(count)
  const rawClient = localLakeClient({httpUrl: lake.httpUrl, token: lake.token, perspective: 'raw'})
  const tx = rawClient.transaction()
  for (const doc of archive.documents) tx.createOrReplace(doc)
  await tx.commit({visibility: 'sync'})
  return {
    archive,
    client: localLakeClient({httpUrl: lake.httpUrl, token: lake.token, perspective: 'published'}),
    rawClient,
    close: async () => {
      await lake.close()
      rmSync(dataDir, {recursive: true, force: true})
    },
  }
}
