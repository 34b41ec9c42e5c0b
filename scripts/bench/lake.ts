/**
 * Lake query benchmark at archive scale: generates 300,000 realistic stories (BENCH_SCALE
 * scales that; plus authors, fandoms, series, chapters, drafts: support/archive.ts), starts the
 * lake on them in a process of its own, and times over HTTP every query the reader site sends
 * (from queries/, with the parameters site/data.ts passes) and the Studio's own queries as
 * captured from a real Studio session (tests/lake/fixtures/studio-queries.json). Each is
 * printed beside the same query through a groq-js full scan of the same documents, measured in
 * the same run, whose result must equal the lake's (all HTTP timings come first: the baselines
 * load the archive into this process). Also prints start-up time and the lake's resident memory
 * after start and after the run.
 *   npm run bench -- lake            BENCH_SCALE=0.05 npm run bench -- lake
 * BENCH_DATA=<folder> keeps the stored archive in that folder and reuses it on the next run at the
 * same scale (storing 300,000 stories takes minutes). A groq-js full scan past BENCH_SCAN_LIMIT_S
 * (default 120 s) is stopped and printed as "> limit"; that query's answer is then not compared
 * (tests/lake/archive-conformance.test.ts compares every query both ways).
 */
import {spawn, type ChildProcess} from 'node:child_process'
import {existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {createInterface} from 'node:readline'
import {allFandomsQuery, authorQuery, fandomQuery, fandomsByIdQuery, homeQuery, searchQuery, seriesQuery, storiesByPublishedQuery, storiesByUpdatedQuery, storiesByWordCountQuery, storyPageQuery} from '../../queries'
import {openStore} from '../../lake/store'
import type {Perspective} from '../../lake/types'
import {archiveShape, importArchive} from './support/archive'

const scale = Number(process.env.BENCH_SCALE ?? 1)
if (!(scale > 0)) throw new Error('BENCH_SCALE must be a positive number')
const STORIES = Math.max(1000, Math.round(300_000 * scale))
const shape = archiveShape(STORIES)
/** Requests per query, or fewer once a query has used its time budget. */
const REQUESTS = 60
const BUDGET_MS = 15_000
const SCAN_RUNS = 1
const SCAN_LIMIT_MS = Number(process.env.BENCH_SCAN_LIMIT_S ?? 120) * 1000
const token = 'b'.repeat(64)
const root = join(import.meta.dirname, '..', '..')

interface Bench {
  name: string
  query: string
  perspective: Perspective
  params: (i: number) => Record<string, unknown>
}

const NO_FILTERS = {rating: null, warning: null, excludeWarnings: null, category: null, status: null, language: null, minWords: null, maxWords: null, fandom: null, author: null, tagged: null}

function studioQuery(match: (entry: {query: string; params: Record<string, unknown>; perspective: Perspective}) => boolean, what: string) {
  const fixtures = JSON.parse(readFileSync(join(root, 'tests', 'lake', 'fixtures', 'studio-queries.json'), 'utf8')) as Array<{query: string; params: Record<string, unknown>; perspective: Perspective}>
  const found = fixtures.find(match)
  if (!found) throw new Error(`no captured Studio query for ${what} in tests/lake/fixtures/studio-queries.json`)
  return found
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]
}

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024
}

async function main() {
  const kept = process.env.BENCH_DATA
  const dir = kept ?? mkdtempSync(join(tmpdir(), 'lake-bench-'))
  let child: ChildProcess | undefined
  try {
    await run(dir, (c) => (child = c))
  } finally {
    child?.kill('SIGTERM')
    if (!kept) rmSync(dir, {recursive: true, force: true})
  }
}

/** The archive stored in `dir` by an earlier run at this scale (BENCH_DATA), else stored now. */
function seeded(dir: string): {seriesStories: string[]; titles: string[]} {
  const marker = join(dir, 'bench-archive.json')
  if (existsSync(marker)) {
    const saved = JSON.parse(readFileSync(marker, 'utf8')) as {stories: number; seriesStories: string[]; titles: string[]}
    if (saved.stories === STORIES) {
      console.log(`reusing the archive of ${STORIES} stories stored in ${dir}`)
      return saved
    }
    throw new Error(`${dir} holds an archive of ${saved.stories} stories, not ${STORIES}: give BENCH_DATA an empty folder`)
  }
  if (existsSync(join(dir, 'lake.sqlite'))) throw new Error(`${dir} holds a lake that is not a benchmark archive: give BENCH_DATA an empty folder`)
  mkdirSync(dir, {recursive: true})
  const found = seed(dir)
  writeFileSync(marker, JSON.stringify({stories: STORIES, ...found}))
  return found
}

/** Writes the generated archive through the store's import (batch by batch, as `npm run lake -- import` does), keeping the documents' own timestamps. */
function seed(dir: string) {
  const t0 = performance.now()
  const seeder = openStore(dir)
  const seriesStories: string[] = []
  const titles: string[] = []
  let count = 0
  importArchive(seeder, 'production', {stories: STORIES}, (doc) => {
    count++
    if (doc._type === 'story' && !doc._id.includes('.', 6)) {
      if (doc.series && seriesStories.length < 200) seriesStories.push((doc.slug as {current: string}).current)
      if (titles.length < 200 && count % 7 === 0) titles.push(String(doc.title))
    }
  })
  seeder.close()
  const seedSeconds = (performance.now() - t0) / 1000
  console.log(`generated ${STORIES} stories (${count} documents: ${shape.authors} authors, ${shape.fandoms} fandoms, ${shape.series} series, chapters, drafts) and stored them in ${seedSeconds.toFixed(1)} s`)
  return {seriesStories, titles}
}

async function run(dir: string, setChild: (child: ChildProcess) => void) {
  const {seriesStories, titles} = seeded(dir)

  // The lake under test, started on the data folder in its own process.
  const startedAt = performance.now()
  const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'support', 'lake-server.ts'), dir, token], {stdio: ['ignore', 'pipe', 'inherit'], cwd: root})
  setChild(child)
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({input: child.stdout!}).once('line', resolve)
    child.once('exit', (code) => reject(new Error(`lake exited (${code}) before listening`)))
  })
  const {httpUrl} = JSON.parse(line) as {httpUrl: string}
  const endpoint = `${httpUrl}/v2025-02-19/data/query/production`
  const headers = {authorization: `Bearer ${token}`, 'content-type': 'application/json'}
  async function ask(query: string, params: Record<string, unknown>, perspective: Perspective): Promise<unknown> {
    const init = {method: 'POST', headers, body: JSON.stringify({query, params, perspective: typeof perspective === 'string' ? perspective : perspective.join(',')})}
    // A kept-alive connection the lake closed while the full scan ran fails once: ask again.
    const res = await fetch(endpoint, init).catch(() => fetch(endpoint, init))
    const body = (await res.json()) as {result?: unknown; error?: {description?: string}}
    if (!res.ok) throw new Error(`${res.status} ${body.error?.description ?? JSON.stringify(body).slice(0, 300)}`)
    return body.result
  }
  const total = await ask('count(*)', {}, 'raw')
  const startSeconds = (performance.now() - startedAt) / 1000
  const rssStart = rssMb(child.pid!)
  console.log(`lake start-up (process start to first answer, ${total} documents) ${startSeconds.toFixed(1)} s; resident ${rssStart.toFixed(0)} MB`)

  // Parameters the site sends for page 2 of a filtered browse: a rating, two warnings excluded, the cursor page 1 ended on.
  const browse: Array<Record<string, unknown>> = []
  for (const rating of ['general', 'teen', 'mature', 'explicit']) {
    const filters = {...NO_FILTERS, rating, excludeWarnings: ['major-character-death', 'graphic-violence']}
    const page1 = (await ask(storiesByPublishedQuery, {...filters, lastPublishedAt: null, lastId: null}, 'published')) as Array<{_id: string; publishedAt: string}>
    const last = page1[19] ?? page1.at(-1)
    browse.push({...filters, lastPublishedAt: last?.publishedAt ?? null, lastId: last?._id ?? null})
  }
  // A deep page: the cursor a reader paging on from the first page reaches after 100 pages (or,
  // in a smaller archive, a fifteenth of the stories in).
  const deepBrowse: Array<Record<string, unknown>> = []
  const depth = Math.min(2000, Math.floor(STORIES / 15))
  for (const rating of ['general', 'teen', 'mature', 'explicit']) {
    const filters = {...NO_FILTERS, rating, excludeWarnings: ['major-character-death', 'graphic-violence']}
    const deep = storiesByPublishedQuery.replace('[0...21]', `[${depth}]`)
    const last = (await ask(deep, {...filters, lastPublishedAt: null, lastId: null}, 'published')) as {_id: string; publishedAt: string} | null
    if (last) deepBrowse.push({...filters, lastPublishedAt: last.publishedAt, lastId: last._id})
  }
  const recent = ((await ask(homeQuery, {}, 'published')) as {recentFandoms: Array<Array<{_ref: string}> | null>}).recentFandoms
  const homeFandomIds = [...new Set(recent.flatMap((refs) => (refs ?? []).map((ref) => ref._ref)))]
  const slugAt = (i: number) => `story-${(i * 7919) % STORIES}`
  const listQuery = studioQuery((e) => e.query.includes('findability-source: list') && e.query.includes('(_type == $type)') && e.params.type === 'story', 'the story list')
  const reviewQuery = studioQuery((e) => e.query.includes('findability-source: list') && e.query.includes('_originalId in path("drafts.**")'), 'Drafts waiting for review')
  const globalSearch = studioQuery((e) => e.query.includes('findability-source: global'), 'global search')
  const byIds = studioQuery((e) => e.query.startsWith('[*[_id in [') && e.perspective === 'drafts' && e.query.includes('title,authors'), 'list rows by id')
  const searchTerms = (i: number) => {
    const words = titles[i % titles.length].split(' ').slice(0, 2)
    return {query: `${words.join(' ')}*`, raw: words.join(' ')}
  }
  const storyIds = (i: number, n: number) => Array.from({length: n}, (_, k) => `story.${(i * 104729 + k * 7919) % STORIES}`)

  const benches: Bench[] = [
    {name: 'site: list by fandom, page 1', query: storiesByPublishedQuery, perspective: 'published', params: (i) => ({...NO_FILTERS, fandom: `fandom.${i % shape.fandoms}`, lastPublishedAt: null, lastId: null})},
    {name: 'site: filtered browse, page 2', query: storiesByPublishedQuery, perspective: 'published', params: (i) => browse[i % browse.length]},
    ...(deepBrowse.length > 0 ? [{name: `site: filtered browse, ${depth.toLocaleString('en')} stories in`, query: storiesByPublishedQuery, perspective: 'published' as const, params: (i: number) => deepBrowse[i % deepBrowse.length]}] : []),
    {name: 'site: by updated, page 1', query: storiesByUpdatedQuery, perspective: 'published', params: () => ({...NO_FILTERS, lastUpdatedAt: null, lastId: null})},
    {name: 'site: longest, by author', query: storiesByWordCountQuery, perspective: 'published', params: (i) => ({...NO_FILTERS, author: `author.${(i * 31) % shape.authors}`, lastWordCount: null, lastId: null})},
    {name: 'site: story by slug', query: storyPageQuery, perspective: 'published', params: (i) => ({slug: slugAt(i)})},
    {name: 'site: story in a series', query: storyPageQuery, perspective: 'published', params: (i) => ({slug: seriesStories[i % seriesStories.length]})},
    {name: 'site: home', query: homeQuery, perspective: 'published', params: () => ({})},
    {name: "site: home's fandoms by id", query: fandomsByIdQuery, perspective: 'published', params: () => ({ids: homeFandomIds})},
    {name: 'site: all fandoms (/fandoms)', query: allFandomsQuery, perspective: 'published', params: () => ({})},
    {name: 'site: fandom page', query: fandomQuery, perspective: 'published', params: (i) => ({slug: `fandom-${i % shape.fandoms}`})},
    {name: 'site: author page', query: authorQuery, perspective: 'published', params: (i) => ({slug: `author-${i % shape.authors}`})},
    {name: 'site: series page', query: seriesQuery, perspective: 'published', params: (i) => ({slug: `series-${i % shape.series}`})},
    {name: 'site: search', query: searchQuery, perspective: 'published', params: (i) => ({terms: searchTerms(i).query.split(' ').map((t) => (t.endsWith('*') ? t : `${t}*`))})},
    {name: 'Studio: story list (101 rows)', query: listQuery.query, perspective: listQuery.perspective, params: () => listQuery.params},
    {name: 'Studio: drafts waiting for review', query: reviewQuery.query, perspective: reviewQuery.perspective, params: () => reviewQuery.params},
    {name: 'Studio: global search', query: globalSearch.query, perspective: globalSearch.perspective, params: (i) => ({...globalSearch.params, __query: searchTerms(i).query, __rawQuery: searchTerms(i).raw})},
    {name: 'Studio: versionOf batch (15 rows)', query: `[${storyIds(0, 15).map((id) => `*[sanity::versionOf("${id}")]._id`).join(',')}]`, perspective: 'raw', params: () => ({})},
    {name: 'Studio: list rows by id (15)', query: byIds.query.replace(/\[_id in \[[^\]]*\]\]\[0\.\.\.\d+\]/, `[_id in $ids][0...15]`), perspective: 'drafts', params: (i) => ({ids: storyIds(i, 15)})},
    {name: 'count(*[_type == "story"])', query: 'count(*[_type == "story"])', perspective: 'published', params: () => ({})},
  ]

  // Every HTTP figure is taken before the full-scan baselines load the archive into this process:
  // its garbage collection, with the whole archive in its heap, held the timing client itself.
  const timed: Array<{bench: Bench; times: number[]; answered: unknown} | {bench: Bench; failed: string}> = []
  for (const bench of benches) {
    try {
      for (let i = 0; i < 3; i++) await ask(bench.query, bench.params(i), bench.perspective)
      const times: number[] = []
      const began = performance.now()
      for (let i = 0; i < REQUESTS && performance.now() - began < BUDGET_MS; i++) {
        const started = performance.now()
        await ask(bench.query, bench.params(i), bench.perspective)
        times.push(performance.now() - started)
      }
      times.sort((a, b) => a - b)
      timed.push({bench, times, answered: await ask(bench.query, bench.params(1), bench.perspective)})
      console.log(`${bench.name}: p50 ${percentile(times, 50).toFixed(2)} ms over HTTP`)
    } catch (err) {
      // A query the lake refuses (queryTooComplex) is a result too: print it and go on.
      timed.push({bench, failed: (err as Error).message.slice(0, 60)})
      console.log(`${bench.name}: fails: ${(err as Error).message.slice(0, 60)}`)
    }
  }
  // A slow query must not hold the others (lake/README.md, "Query scheduling"): a document fetch
  // timed while one client loops the Studio's global search, beside the same fetch on the idle lake.
  const docUrl = (i: number) => `${httpUrl}/v2025-02-19/data/doc/production/${storyIds(i, 1)[0]}`
  async function fetchTimes(keepGoing: () => boolean): Promise<number[]> {
    const times: number[] = []
    for (let i = 0; times.length === 0 || keepGoing(); i++) {
      const started = performance.now()
      // A kept-alive connection the lake closed while it was held fails once: timed with the retry.
      const res = await fetch(docUrl(i), {headers}).catch(() => fetch(docUrl(i), {headers}))
      await res.arrayBuffer()
      times.push(performance.now() - started)
      await new Promise((resolve) => setTimeout(resolve, 5))
    }
    return times.sort((a, b) => a - b)
  }
  const idleUntil = performance.now() + 2000
  const idleFetch = await fetchTimes(() => performance.now() < idleUntil)
  let searching = true
  const searchTimes: number[] = []
  let searchFailures = 0
  const searches = (async () => {
    const began = performance.now()
    for (let i = 0; i < 10 && performance.now() - began < BUDGET_MS; i++) {
      const started = performance.now()
      // A search past the query limit still held the lake until then: timed all the same.
      await ask(globalSearch.query, {...globalSearch.params, __query: searchTerms(i).query, __rawQuery: searchTerms(i).raw}, globalSearch.perspective).catch(() => searchFailures++)
      searchTimes.push(performance.now() - started)
    }
    searching = false
  })()
  const busyFetch = await fetchTimes(() => searching)
  await searches
  searchTimes.sort((a, b) => a - b)
  const fetchRow = (name: string, times: number[]) => `${name}: p50 ${percentile(times, 50).toFixed(1)} ms, p95 ${percentile(times, 95).toFixed(1)} ms, max ${times.at(-1)!.toFixed(1)} ms (${times.length} fetches)`
  const scheduling = [
    fetchRow('document fetch, idle lake', idleFetch),
    fetchRow(`document fetch while the Studio's global search runs (${searchTimes.length} searches, p50 ${percentile(searchTimes, 50).toFixed(0)} ms, ${searchFailures} over the query limit)`, busyFetch),
  ]

  const rssEnd = rssMb(child.pid!)
  child.kill('SIGTERM')

  // The baselines: each query as a groq-js full scan over the same documents, read back as the
  // lake under test reads them (so both see them in the same order); its answer must equal the lake's.
  const store = openStore(dir)
  const rows: string[] = []
  for (const entry of timed) {
    if ('failed' in entry) {
      rows.push(`| ${entry.bench.name} | fails: ${entry.failed} | | | | |`)
      continue
    }
    const {bench, times, answered} = entry
    const scans: number[] = []
    let scanned: unknown
    let overLimit = false
    for (let run = 0; run < SCAN_RUNS && !overLimit; run++) {
      const started = performance.now()
      try {
        scanned = await store.query('production', bench.query, bench.params(1), bench.perspective, {fullScan: true, timeLimitMs: SCAN_LIMIT_MS})
      } catch (err) {
        // Only the time limit stops a full scan (it has no read cap).
        if ((err as {type?: string}).type !== 'queryTooComplex') throw err
        overLimit = true
      }
      scans.push(performance.now() - started)
    }
    if (!overLimit && JSON.stringify(answered) !== JSON.stringify(scanned)) throw new Error(`${bench.name}: the lake's answer differs from the full scan's`)
    const p50 = percentile(times, 50)
    const scan = Math.min(...scans)
    const scanText = overLimit ? `> ${(SCAN_LIMIT_MS / 1000).toFixed(0)} s` : `${scan.toFixed(0)} ms`
    rows.push(`| ${bench.name} | ${p50.toFixed(2)} ms | ${percentile(times, 95).toFixed(2)} ms | ${scanText} | ${overLimit ? '>' : ''}${(scan / p50).toFixed(0)}x | ${times.length} |`)
    console.log(rows.at(-1))
  }
  console.log(`\n${STORIES} stories, ${total} documents; lake start-up ${startSeconds.toFixed(1)} s; resident ${rssStart.toFixed(0)} MB after start, ${rssEnd.toFixed(0)} MB after the run`)
  console.log('| query (as sent) | HTTP p50 | p95 | groq-js full scan | ratio | requests |\n| --- | --- | --- | --- | --- | --- |')
  console.log(rows.join('\n'))
  console.log(`\n${scheduling.join('\n')}`)
  store.close()
}

main().catch((err) => {
  console.error(`bench/lake: ${err instanceof Error ? err.message : err}${err?.cause ? ` (${err.cause})` : ''}`)
  process.exit(1)
})
