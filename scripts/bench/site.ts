/**
 * Benchmark for the reader site's server rendering: a 100,000-word one-shot story page and a
 * 20-story list page, rendered ~100 times each from pre-fetched data (p50/p95), beside a
 * baseline measured in the same run: React rendering the same text as bare <p> elements, and
 * @portabletext/to-html when it is installed. Then the story page once more through HTTP
 * (local lake + site server), which adds the GROQ query and the transfer.
 *
 *   tsx scripts/bench/site.ts                  (full size, ~30 s)
 *   SITE_BENCH_SCALE=0.1 tsx scripts/bench/site.ts
 */
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {performance} from 'node:perf_hooks'
import {localLakeClient} from '../../lake/connection'
import {startLake} from '../../lake/server'
import {countPortableTextWords, RATING_SEED, toPlainText} from '../../rules'
import type {Story, StoryCard} from '../../site/data'

// Measure what readers get: React's production build (the development build is ~10x slower).
// Set before React loads, hence the dynamic imports below.
process.env.NODE_ENV ??= 'production'
const {createElement: h} = await import('react')
const {renderToStaticMarkup} = await import('react-dom/server')
const {renderDocument} = await import('../../site/handler')
const {parseListRequest} = await import('../../site/listParams')
const {BrowsePage} = await import('../../site/pages/ListPages')
const {StoryPage} = await import('../../site/pages/StoryPage')
const {startSite} = await import('../../site/server')

const scale = Math.max(0.001, Number(process.env.SITE_BENCH_SCALE ?? process.env.BENCH_SCALE ?? '1') || 1)
const WORDS = Math.round(100_000 * scale)
const RENDERS = Math.max(10, Math.round(100 * Math.min(1, scale * 5)))
const HTTP_REQUESTS = Math.max(5, Math.round(30 * Math.min(1, scale * 5)))

const VOCAB = (
  "the rain had not stopped for three days when Ilsa found the letter under door she didn't open it until " +
  "kettle boiled Corwin's boat was late again and harbour-master said nothing — nothing at all which meant trouble " +
  'naïve café <script>alert(1)</script> & "quoted"'
).split(' ')

/** Deterministic story text: ~100-word paragraphs with emphasis, a link, footnotes and breaks. */
function makeBody(words: number) {
  let seed = 42
  const next = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff)
  const blocks: Array<Record<string, unknown>> = []
  let written = 0
  while (written < words) {
    const key = `b${blocks.length}`
    if (blocks.length % 40 === 39) {
      blocks.push({_type: 'sceneBreak', _key: key, style: 'asterisks'})
      continue
    }
    const n = Math.min(100, words - written)
    const parts: string[] = []
    for (let i = 0; i < n; i++) parts.push(VOCAB[next() % VOCAB.length])
    const third = Math.floor(n / 3)
    const markDefs: unknown[] = []
    const linked = blocks.length % 25 === 0
    const footnoted = blocks.length % 30 === 0
    if (linked) markDefs.push({_type: 'link', _key: 'l', href: 'https://example.org/'})
    if (footnoted) markDefs.push({_type: 'footnote', _key: 'f', text: 'A footnote about the harbour.'})
    blocks.push({
      _type: 'block',
      _key: key,
      style: blocks.length % 50 === 0 ? 'h2' : 'normal',
      markDefs,
      children: [
        {_type: 'span', _key: `${key}a`, text: parts.slice(0, third).join(' ') + ' ', marks: linked ? ['l'] : []},
        {_type: 'span', _key: `${key}b`, text: parts.slice(third, 2 * third).join(' '), marks: ['em', ...(footnoted ? ['f'] : [])]},
        {_type: 'span', _key: `${key}c`, text: ' ' + parts.slice(2 * third).join(' ') + '.', marks: []},
      ],
    })
    written += n
  }
  return blocks
}

const fandom = {
  _id: 'fandom.bench',
  title: 'Bench Fandom',
  slug: 'bench',
  aliases: null,
  rightsHolders: [{_id: 'rightsHolder.bench-press', name: 'Bench Press Ltd', aliases: null}],
  isOriginalWork: false,
  isRealPerson: false,
  parent: null,
  mediaType: 'book' as const,
}
const rating = RATING_SEED[1]

function storyDocument(body: unknown[]) {
  return {
    _id: 'story.bench',
    _type: 'story',
    title: 'The Long Benchmark',
    slug: {_type: 'slug', current: 'the-long-benchmark'},
    authors: [{_type: 'reference', _ref: 'author.bench', _key: 'a0'}],
    fandoms: [{_type: 'reference', _ref: fandom._id, _key: 'f0'}],
    rating: {_type: 'reference', _ref: rating._id},
    warnings: ['no-archive-warnings-apply'],
    categories: ['gen'],
    tags: ['Long', 'Benchmark'],
    language: 'en',
    status: 'complete',
    summary: 'A very long story, written by a random number generator, to see how fast the site renders it.',
    disclaimer: 'Bench Fandom belongs to Bench Press Ltd. I do not own it and make no money from this.',
    body,
    wordCount: countPortableTextWords(body),
    publishedAt: '2026-01-01T00:00:00Z',
  }
}

function storyPageData(body: unknown[]): Story {
  const doc = storyDocument(body)
  return {
    ...doc,
    _type: 'story',
    slug: doc.slug.current,
    status: 'complete',
    language: 'en',
    notes: null,
    endNotes: null,
    body: body as Story['body'],
    characters: null,
    relationships: null,
    updatedAt: null,
    originalPublication: null,
    authors: [{_id: 'author.bench', name: 'Bench Author', slug: 'bench-author'}],
    fandoms: [fandom],
    rating: {_id: rating._id, code: rating.code, title: rating.title, description: rating.description, minimumAge: rating.minimumAge, requiresContentGate: rating.requiresContentGate},
    chapters: null,
    series: null,
  }
}

function listData(): StoryCard[] {
  return Array.from({length: 20}, (_, i) => ({
    _id: `story.list-${i}`,
    _type: 'story' as const,
    title: `Listed story number ${i}`,
    slug: `listed-${i}`,
    summary: 'A summary long enough to look like a real one, with a few clauses, a name or two, and a promise of what happens.',
    disclaimer: 'Not mine.',
    publishedAt: '2026-01-01T00:00:00Z',
    updatedAt: null,
    originalPublication: null,
    wordCount: 1000 * i,
    status: 'complete' as const,
    language: 'en' as const,
    warnings: ['no-archive-warnings-apply'],
    categories: ['gen'],
    characters: ['Ilsa Varn'],
    relationships: null,
    tags: ['Fluff', 'Slow Burn', 'Found Family'],
    chapterCount: i % 3,
    authors: [{_id: 'author.bench', name: 'Bench Author', slug: 'bench-author'}],
    fandoms: [fandom],
    rating: {_id: rating._id, code: rating.code, title: rating.title, requiresContentGate: rating.requiresContentGate, sortOrder: rating.sortOrder},
  }))
}

interface Stats {
  p50: number
  p95: number
}

function measure(runs: number, fn: () => unknown): Stats {
  for (let i = 0; i < Math.min(3, runs); i++) fn() // warm-up: JIT, caches
  const times: number[] = []
  for (let i = 0; i < runs; i++) {
    const t = performance.now()
    fn()
    times.push(performance.now() - t)
  }
  return stats(times)
}

function stats(times: number[]): Stats {
  const sorted = [...times].sort((a, b) => a - b)
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]
  return {p50: at(0.5), p95: at(0.95)}
}

const ms = (n: number) => `${n.toFixed(2).padStart(8)} ms`

function report(label: string, s: Stats, baseline?: Stats) {
  const ratio = baseline ? `  ${(s.p50 / baseline.p50).toFixed(2)}x baseline p50` : ''
  console.log(`${label.padEnd(46)} p50 ${ms(s.p50)}  p95 ${ms(s.p95)}${ratio}`)
}

async function loadToHtml(): Promise<((blocks: unknown[]) => string) | null> {
  try {
    const mod = (await import('@portabletext/to-html' as string)) as {toHTML: (blocks: unknown[], options?: unknown) => string}
    return (blocks) => mod.toHTML(blocks, {onMissingComponent: false})
  } catch {
    return null
  }
}

async function main() {
  const body = makeBody(WORDS)
  const story = storyPageData(body)
  const paragraphs = toPlainText(body).split('\n\n')
  console.log(`React ${process.env.NODE_ENV} build. Story: ${countPortableTextWords(body).toLocaleString('en')} words in ${body.length} blocks; ${RENDERS} renders each`)

  let html = ''
  const storyStats = measure(RENDERS, () => (html = renderDocument(h(StoryPage, {story}))))
  const plainStats = measure(RENDERS, () =>
    renderToStaticMarkup(h('article', null, paragraphs.map((p, i) => h('p', {key: i}, p)))),
  )
  console.log(`Story page HTML: ${(Buffer.byteLength(html) / 1024).toFixed(0)} KiB`)
  report('baseline: React, plain <p> paragraphs', plainStats)
  const toHtml = await loadToHtml()
  if (toHtml) report('reference: @portabletext/to-html of the body', measure(RENDERS, () => toHtml(body)), plainStats)
  report(`story page (${Math.round(WORDS / 1000)}k words), StoryPage`, storyStats, plainStats)

  const cards = listData()
  const request = parseListRequest(new URLSearchParams())
  const listBaseline = measure(RENDERS, () =>
    renderToStaticMarkup(
      h('ul', null, cards.map((c) => h('li', {key: c._id}, h('a', {href: `/stories/${c.slug}`}, c.title), ' ', c.summary))),
    ),
  )
  const listStats = measure(RENDERS, () => renderDocument(h(BrowsePage, {request, page: {stories: cards, next: null}})))
  report('baseline: React, bare list of 20 links', listBaseline)
  report('list page (20 stories), BrowsePage', listStats, listBaseline)

  // Through HTTP: the lake holds the story; the site queries, checks, renders and sends it.
  const dataDir = mkdtempSync(join(tmpdir(), 'site-bench-'))
  const lake = await startLake({dataDir, port: 0})
  try {
    const raw = localLakeClient({httpUrl: lake.httpUrl, token: lake.token, perspective: 'raw'})
    await raw
      .transaction()
      .createOrReplace({_id: 'author.bench', _type: 'author', name: 'Bench Author', slug: {_type: 'slug', current: 'bench-author'}})
      .createOrReplace({...fandom, slug: {_type: 'slug', current: 'bench'}, _type: 'fandom'})
      .createOrReplace({...rating})
      .createOrReplace(storyDocument(body))
      .commit({visibility: 'sync'})
    const site = await startSite({client: localLakeClient({httpUrl: lake.httpUrl, token: lake.token, perspective: 'published'}), port: 0})
    try {
      const times: number[] = []
      for (let i = 0; i < HTTP_REQUESTS + 2; i++) {
        const t = performance.now()
        const res = await fetch(`${site.url}/stories/the-long-benchmark`)
        const text = await res.text()
        if (res.status !== 200 || !text.includes('The Long Benchmark')) throw new Error(`story page answered ${res.status}`)
        if (i >= 2) times.push(performance.now() - t)
      }
      report(`story page through HTTP (${HTTP_REQUESTS} requests)`, stats(times), storyStats)
    } finally {
      await site.close()
    }
  } finally {
    await lake.close()
    rmSync(dataDir, {recursive: true, force: true})
  }
}

main().catch((error: unknown) => {
  console.error(`bench site: ${error instanceof Error ? error.message : String(error)}`)
  process.exit(1)
})
