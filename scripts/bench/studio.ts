/**
 * Benchmark: opening a story in the Studio, in real Chromium against a local lake with the
 * sample archive (what `npm run dev` seeds). Builds the Studio once (`sanity build`, ~1-2 min),
 * then clicks each published sample story in the story list and times the click until its
 * form shows the title field with the story's title (tests/e2e/story-open.ts; the first-run
 * e2e test prints the same figure). Baseline in the same run: opening each story again
 * (the Studio keeps its documents, so this is mostly rendering).
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
import {sampleDocuments} from '../seed/sample-content'

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium'
const ROUNDS = Math.max(1, Math.round(3 * Math.min(1, Number(process.env.BENCH_SCALE ?? '1') || 1)))

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

const dataDir = mkdtempSync(join(tmpdir(), 'bench-studio-lake-'))
const distDir = mkdtempSync(join(tmpdir(), 'bench-studio-dist-'))
const studio = await serveStatic(distDir)
const lake = await startLake({dataDir, port: 0, allowedOrigins: [studio.url]})
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
} finally {
  await lake.close()
  await studio.close()
  rmSync(dataDir, {recursive: true, force: true})
  rmSync(distDir, {recursive: true, force: true})
}
