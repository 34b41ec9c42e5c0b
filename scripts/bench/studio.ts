/**
 * Benchmark: opening a story in the Studio, in real Chromium against a local lake with the
 * sample archive (what `npm run dev` seeds). Builds the Studio once (`sanity build`, ~1-2 min),
 * then clicks each published sample story in the story list and times the click until its
 * form shows the title field with the story's title (tests/e2e/story-open.ts; the first-run
 * e2e test prints the same figure). Baseline in the same run: opening each story again
 * (the Studio keeps its documents, so this is mostly rendering).
 *
 * Then the same Studio on a generated 100,000-story archive (BENCH_SCALE scales it; authors,
 * fandoms, series, chapters, drafts: support/archive.ts), served by a lake on the same port and
 * token: it opens the story list, opens a story and finds one by the Studio's search, each of
 * which must show its result without an error ("Could not fetch list items", a page error);
 * the times are printed (tests/e2e/archive-scale.test.ts runs the same steps at 100,000 stories
 * in CI; here BENCH_SCALE=3 takes them to 300,000).
 *
 *   tsx scripts/bench/studio.ts
 */
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {chromium} from 'playwright-core'
import {localLakeClient, seedIfEmpty} from '../../lake/connection'
import {startLake} from '../../lake/server'
import {buildStudio, serveStatic} from '../../tests/e2e/global-setup'
import {openStoryFromList} from '../../tests/e2e/story-open'
import {studioOnArchive, type ArchiveStory} from '../../tests/e2e/archive-steps'
import {sampleDocuments} from '../seed/sample-content'
import {openStore} from '../../lake/store'
import {importArchive} from './support/archive'

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium'
const SCALE = Number(process.env.BENCH_SCALE ?? '1') || 1
const ROUNDS = Math.max(1, Math.round(3 * Math.min(1, SCALE)))
const ARCHIVE_STORIES = Math.max(1000, Math.round(100_000 * SCALE))

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

const dataDir = mkdtempSync(join(tmpdir(), 'bench-studio-lake-'))
const distDir = mkdtempSync(join(tmpdir(), 'bench-studio-dist-'))
const archiveDir = mkdtempSync(join(tmpdir(), 'bench-studio-archive-'))
const studio = await serveStatic(distDir)
let lake = await startLake({dataDir, port: 0, allowedOrigins: [studio.url]})
try {
  await seedIfEmpty(localLakeClient({httpUrl: lake.httpUrl, token: lake.token}), sampleDocuments())
  const env: NodeJS.ProcessEnv = {...process.env, SANITY_STUDIO_LAKE_URL: lake.url, SANITY_STUDIO_LAKE_TOKEN: lake.token}
  delete env.SANITY_STUDIO_PROJECT_ID
  delete env.SANITY_STUDIO_DATASET
  const built = Date.now()
  await buildStudio(distDir, env)
  console.log(`Studio built in ${((Date.now() - built) / 1000).toFixed(0)} s`)

  const titles = sampleDocuments()
    .filter((d) => d._type === 'story' && !d._id.startsWith('drafts.'))
    .map((d) => String(d.title))
  const first: number[] = []
  const again: number[] = []
  for (let round = 0; round < ROUNDS; round++) {
    const browser = await chromium.launch({executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic']})
    try {
      const context = await browser.newContext({ignoreHTTPSErrors: true, viewport: {width: 1400, height: 900}})
      // Offline, as the tests run: nothing leaves the machine.
      await context.route((url) => !(url.hostname === '127.0.0.1' || url.hostname.endsWith('localhost')), (route) => route.abort('blockedbyclient'))
      const page = await context.newPage()
      await page.goto(`${studio.url}/structure/story`)
      for (const title of titles) first.push(await openStoryFromList(page, title))
      for (const title of titles) again.push(await openStoryFromList(page, title))
    } finally {
      await browser.close()
    }
  }
  console.log(`sample archive, ${titles.length} stories x ${ROUNDS} fresh browsers`)
  console.log(`  open a story (click in the list -> its title field): p50 ${median(first)} ms, max ${Math.max(...first)} ms`)
  console.log(`  baseline, the same stories opened again:            p50 ${median(again)} ms, max ${Math.max(...again)} ms`)

  // The large archive, behind the same port and token the Studio was built for.
  const {port} = new URL(lake.url)
  const token = lake.token
  await lake.close()
  const seeded = Date.now()
  const store = openStore(archiveDir)
  const count = importArchive(store, 'production', {stories: ARCHIVE_STORIES})
  store.close()
  console.log(`\n${ARCHIVE_STORIES} generated stories (${count} documents) stored in ${((Date.now() - seeded) / 1000).toFixed(0)} s`)
  const starting = Date.now()
  lake = await startLake({dataDir: archiveDir, port: Number(port), token, allowedOrigins: [studio.url]})
  const client = localLakeClient({httpUrl: lake.httpUrl, token: lake.token})
  // The list's default order is last edited first, so this story is in its first rows.
  const story = await client.withConfig({perspective: 'drafts'}).fetch<{_id: string; title: string}>('*[_type == "story" && defined(title)] | order(_updatedAt desc)[0]{_id, title}')
  console.log(`lake started on it and answered in ${((Date.now() - starting) / 1000).toFixed(0)} s`)
  const steps = await archiveSteps(story)
  console.log(`Studio on ${ARCHIVE_STORIES} stories: ${steps.join('; ')}`)
} finally {
  await lake.close()
  await studio.close()
  rmSync(dataDir, {recursive: true, force: true})
  rmSync(distDir, {recursive: true, force: true})
  rmSync(archiveDir, {recursive: true, force: true})
}

/** Story list, a story, a search (tests/e2e/archive-steps.ts): each must show its result without an error; returns the times. */
async function archiveSteps(story: ArchiveStory): Promise<string[]> {
  const browser = await chromium.launch({executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic']})
  try {
    const context = await browser.newContext({ignoreHTTPSErrors: true, viewport: {width: 1400, height: 900}})
    await context.route((url) => !(url.hostname === '127.0.0.1' || url.hostname.endsWith('localhost')), (route) => route.abort('blockedbyclient'))
    return await studioOnArchive(await context.newPage(), studio.url, story)
  } finally {
    await browser.close()
  }
}
