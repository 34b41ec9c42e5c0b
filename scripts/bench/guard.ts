/**
 * The publishing guard's cost per keystroke in the Studio. Every edit re-runs the four guard
 * validators (disclaimer/summary x error/warning); each loads the story's fandoms and runs the
 * rules. Measured with a client that answers after a simulated lake round trip:
 *   - guard validators with the shared 30 s cache (what the Studio runs),
 *   - the same without the cache (every validator fetches),
 *   - baseline: the rules alone (`checkStory` once, fandoms already in hand).
 * Then "Needs attention" over a desk of drafts (at most three queries, checks client-side).
 * BENCH_SCALE scales the iteration counts and the number of drafts (default 1).
 */
import {evaluate, parse} from 'groq-js'
import type {ValidationContext} from 'sanity'
import {createChapterOpeningLoader, createFandomLoader, type FetchClient} from '../../plugins/publishing-guard/fandoms'
import {sharedLoaders, type CheckContextLoaders} from '../../plugins/publishing-guard/checkContext'
import {needsAttentionGroups} from '../../plugins/publishing-guard/needsAttention'
import {resolveGuardOptions} from '../../plugins/publishing-guard/options'
import {guardFieldValidator} from '../../plugins/publishing-guard/validation'
import {checkStory} from '../../rules'
import {sampleDocuments} from '../seed/sample-content'

const SCALE = Number(process.env.BENCH_SCALE ?? '1')
if (!(SCALE > 0)) throw new Error(`BENCH_SCALE must be a positive number, got "${process.env.BENCH_SCALE}"`)
const KEYSTROKES = Math.max(20, Math.round(400 * SCALE))
const DRAFTS = Math.max(20, Math.round(2000 * SCALE))
const LATENCY_MS = Number(process.env.BENCH_LAKE_LATENCY_MS ?? '5')

const options = resolveGuardOptions()
const samples = sampleDocuments() as Array<Record<string, unknown> & {_id: string}>

function lakeClient(documents: Array<Record<string, unknown>>): FetchClient & {requests: number} {
  const client = {
    requests: 0,
    async fetch<R>(query: string, params: Record<string, unknown>): Promise<R> {
      client.requests++
      await new Promise((done) => setTimeout(done, LATENCY_MS))
      return (await (await evaluate(parse(query), {dataset: documents, params})).get()) as R
    },
  }
  return client
}

const story = {...samples.find((d) => d._id === 'story.the-lighthouse-keepers-ledger')!, _id: 'drafts.story.bench'} as Record<string, unknown> & {
  _id: string
  summary: string
  disclaimer: string
}

async function keystrokes(loaders: CheckContextLoaders, client: FetchClient): Promise<number> {
  const validators = (['disclaimer', 'summary'] as const).flatMap((field) =>
    (['error', 'warning'] as const).map((level) => guardFieldValidator(field, level, options, loaders)),
  )
  const started = performance.now()
  for (let i = 0; i < KEYSTROKES; i++) {
    const document = {...story, summary: `${story.summary} ${'x'.repeat(i % 7)}`}
    const context = {document, getClient: () => client} as unknown as ValidationContext
    // The Studio runs a document's validators concurrently.
    await Promise.all(validators.map((validate) => validate(undefined, context)))
  }
  return (performance.now() - started) / KEYSTROKES
}

function rulesOnly(): number {
  const fandoms = samples.filter((d) => d._id === 'fandom.saltmarsh-chronicles')
  const started = performance.now()
  for (let i = 0; i < KEYSTROKES; i++) checkStory({...story, summary: `${story.summary} ${'x'.repeat(i % 7)}`} as never, fandoms as never)
  return (performance.now() - started) / KEYSTROKES
}

async function main() {
  const cachedClient = lakeClient(samples)
  const cached = await keystrokes(sharedLoaders, cachedClient)
  const uncachedClient = lakeClient(samples)
  const uncached = await keystrokes({fandoms: createFandomLoader(0), chapterOpening: createChapterOpeningLoader(0)}, uncachedClient)
  const baseline = rulesOnly()

  console.log(`publishing guard, ${KEYSTROKES} keystrokes, simulated lake round trip ${LATENCY_MS} ms`)
  console.log(`  guard validators, cached:    ${cached.toFixed(3)} ms/keystroke, ${cachedClient.requests} lake requests`)
  console.log(`  guard validators, no cache:  ${uncached.toFixed(3)} ms/keystroke, ${uncachedClient.requests} lake requests`)
  console.log(`  baseline, rules only:        ${baseline.toFixed(3)} ms/keystroke`)
  console.log(`  ratio cached / rules only:   ${(cached / baseline).toFixed(1)}x; no cache / cached: ${(uncached / cached).toFixed(1)}x`)

  const fandomIds = samples.filter((d) => d._type === 'fandom').map((d) => d._id)
  const drafts = Array.from({length: DRAFTS}, (_, i) => ({
    ...story,
    _id: `drafts.story.bench-${i}`,
    fandoms: [{_type: 'reference', _ref: fandomIds[i % fandomIds.length], _key: 'f0'}],
    disclaimer: i % 3 === 0 ? '' : story.disclaimer,
    summary: i % 5 === 0 ? 'I suck at summaries, just read it! R&R' : story.summary,
  }))
  const desk = lakeClient([...samples, ...drafts])
  const started = performance.now()
  const groups = await needsAttentionGroups(desk, options)
  const elapsed = performance.now() - started
  console.log(`needs attention over ${DRAFTS} drafts: ${elapsed.toFixed(0)} ms, ${desk.requests} lake requests, ${groups.length} groups`)
}

main().catch((error) => {
  console.error(`bench/guard: ${(error as Error).message}`)
  process.exitCode = 1
})
