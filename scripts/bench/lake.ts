/**
 * Lake query benchmark: seeds 100,000 stories (BENCH_SCALE scales that down), serves the
 * lake handler on 127.0.0.1 and measures two reader-site queries over HTTP against a plain
 * groq-js full scan of the same documents, measured in the same run.
 *   tsx scripts/bench/lake.ts            BENCH_SCALE=0.1 tsx scripts/bench/lake.ts
 */
import {createServer} from 'node:http'
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import type {AddressInfo} from 'node:net'
import {evaluate, parse} from 'groq-js'
import {createLakeHandler} from '../../lake/handler'
import {openStore} from '../../lake/store'

const scale = Number(process.env.BENCH_SCALE ?? 1)
if (!(scale > 0)) throw new Error('BENCH_SCALE must be a positive number')
const STORIES = Math.max(1000, Math.round(100_000 * scale))
const AUTHORS = 400
const FANDOMS = 300
const REQUESTS = 200
const SCAN_RUNS = 3
const token = 'b'.repeat(64)

let seed = 7
const random = () => ((seed = (seed * 1664525 + 1013904223) % 4294967296) / 4294967296)
const pick = (n: number) => Math.floor(random() * n)
const ref = (id: string, key?: string) => ({_type: 'reference', _ref: id, ...(key ? {_key: key} : {})})

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'lake-bench-'))
  const store = openStore(dir)
  const t0 = performance.now()
  const base: Array<Record<string, unknown>> = []
  for (let i = 0; i < 5; i++) base.push({_id: `rating.${i}`, _type: 'rating', code: `r${i}`, title: `Rating ${i}`})
  for (let i = 0; i < AUTHORS; i++) base.push({_id: `author.${i}`, _type: 'author', name: `Author ${i}`, slug: {_type: 'slug', current: `author-${i}`}})
  for (let i = 0; i < FANDOMS; i++) base.push({_id: `fandom.${i}`, _type: 'fandom', title: `Fandom ${i}`, slug: {_type: 'slug', current: `fandom-${i}`}})
  store.mutate('production', base.map((doc) => ({create: doc})), {skipRevisions: true})
  const BATCH = 5000
  for (let start = 0; start < STORIES; start += BATCH) {
    const mutations = []
    for (let i = start; i < Math.min(STORIES, start + BATCH); i++) {
      mutations.push({
        create: {
          _id: `story.${i}`,
          _type: 'story',
          title: `Story ${i}`,
          slug: {_type: 'slug', current: `story-${i}`},
          authors: [ref(`author.${pick(AUTHORS)}`, 'a0')],
          fandoms: [ref(`fandom.${pick(FANDOMS)}`, 'f0'), ...(random() < 0.3 ? [ref(`fandom.${pick(FANDOMS)}`, 'f1')] : [])],
          rating: ref(`rating.${pick(5)}`),
          status: random() < 0.6 ? 'complete' : 'in-progress',
          language: 'en',
          tags: ['angst', 'fluff'].slice(0, pick(3)),
          summary: `A summary of story ${i} that is about as long as a real one, give or take a few words.`,
          wordCount: pick(200_000),
          publishedAt: new Date(Date.UTC(2010, 0, 1) + pick(15 * 365) * 86_400_000).toISOString(),
        },
      })
    }
    store.mutate('production', mutations, {skipRevisions: true})
  }
  const seedSeconds = (performance.now() - t0) / 1000
  const docs = store.documents('production', 'published')
  console.log(`seeded ${STORIES} stories + ${AUTHORS + FANDOMS + 5} others in ${seedSeconds.toFixed(1)} s; heap ${(process.memoryUsage().heapUsed / 1e6).toFixed(0)} MB`)

  const server = createServer(createLakeHandler({store, token}))
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const base_url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v2025-02-19/data/query/production`

  const benches = [
    {
      name: 'list-by-fandom',
      query: '*[_type == "story" && references($fandom)] | order(publishedAt desc)[0...20]{title, slug, "authors": authors[]->name}',
      params: (i: number) => ({fandom: `fandom.${i % FANDOMS}`}),
    },
    {
      name: 'story-by-slug',
      query: '*[_type == "story" && slug.current == $slug][0]{..., "authors": authors[]->{name}, fandoms[]->{title}, rating->{title}}',
      params: (i: number) => ({slug: `story-${(i * 7919) % STORIES}`}),
    },
  ]
  const rows: string[] = []
  for (const bench of benches) {
    const url = (i: number) => {
      const search = new URLSearchParams({query: bench.query})
      for (const [k, v] of Object.entries(bench.params(i))) search.set(`$${k}`, JSON.stringify(v))
      return `${base_url}?${search}`
    }
    for (let i = 0; i < 10; i++) await (await fetch(url(i))).json() // warm-up
    const times: number[] = []
    let checksum = 0
    for (let i = 0; i < REQUESTS; i++) {
      const started = performance.now()
      const body = (await (await fetch(url(i))).json()) as {result: unknown}
      times.push(performance.now() - started)
      if (body.result) checksum++
    }
    times.sort((a, b) => a - b)
    const scans: number[] = []
    const tree = parse(bench.query, {params: bench.params(1)})
    let scanResult: unknown
    for (let run = 0; run < SCAN_RUNS; run++) {
      const started = performance.now()
      scanResult = await (await evaluate(tree, {dataset: docs, params: bench.params(1)})).get()
      scans.push(performance.now() - started)
    }
    // The same full scan through the lake: its only difference is the query deadline's iterator.
    const limited: number[] = []
    for (let run = 0; run < SCAN_RUNS; run++) {
      const started = performance.now()
      await store.query('production', bench.query, bench.params(1), 'published', {fullScan: true})
      limited.push(performance.now() - started)
    }
    limited.sort((a, b) => a - b)
    const lakeResult = ((await (await fetch(url(1))).json()) as {result: unknown}).result
    if (JSON.stringify(lakeResult) !== JSON.stringify(scanResult)) throw new Error(`${bench.name}: lake and full scan disagree`)
    scans.sort((a, b) => a - b)
    const p50 = percentile(times, 50)
    const p95 = percentile(times, 95)
    const scan = percentile(scans, 50)
    const limitedScan = percentile(limited, 50)
    rows.push(
      `${bench.name.padEnd(15)} HTTP p50 ${p50.toFixed(2)} ms  p95 ${p95.toFixed(2)} ms  (${REQUESTS} requests, ${checksum} non-empty) | groq-js full scan ${scan.toFixed(0)} ms | ${(scan / p50).toFixed(0)}x faster` +
        ` | full scan with time limit ${limitedScan.toFixed(0)} ms (${(limitedScan / scan).toFixed(2)}x)`,
    )
  }
  console.log(rows.join('\n'))
  server.closeAllConnections()
  server.close()
  store.close()
  rmSync(dir, {recursive: true, force: true})
}

main().catch((err) => {
  console.error(`bench/lake: ${err instanceof Error ? err.message : err}`)
  process.exit(1)
})
