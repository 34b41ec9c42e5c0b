/**
 * The Studio on a 100,000-story archive (ARCHIVE_STORIES overrides), in real Chromium against a
 * real lake: a generated archive (scripts/bench/support/archive.ts: stories with 2-5 KB of
 * Portable Text, authors, fandoms, series, chapters, drafts) is imported into a lake of its own,
 * and the built Studio's requests to the run's lake are sent to it. The story list, a story and a
 * search must each show their result without an error; the times are printed, not asserted.
 */
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import type {Browser} from 'playwright-core'
import {afterAll, beforeAll, expect, it} from 'vitest'
import {localLakeClient} from '../../lake/connection'
import {startLake, type RunningLake} from '../../lake/server'
import {openStore} from '../../lake/store'
import {userCaDir} from '../../lake/tls'
import {importArchive} from '../../scripts/bench/support/archive'
import {studioOnArchive} from './archive-steps'
import {e2eTargets, launchBrowser, newContext} from './harness'

const STORIES = Number(process.env.ARCHIVE_STORIES ?? 100_000)
const dir = mkdtempSync(join(tmpdir(), 'e2e-archive-'))
let lake: RunningLake
let browser: Browser

beforeAll(async () => {
  const {dataset, studioUrl, token, home} = e2eTargets()
  const started = Date.now()
  const store = openStore(dir)
  const documents = importArchive(store, dataset, {stories: STORIES})
  store.close()
  console.log(`archive: ${STORIES} stories (${documents} documents) generated and imported in ${((Date.now() - started) / 1000).toFixed(0)} s`)
  const starting = Date.now()
  lake = await startLake({dataDir: dir, port: 0, token, allowedOrigins: [studioUrl], caDir: userCaDir({HOME: home})})
  await localLakeClient({httpUrl: lake.httpUrl, token, dataset}).fetch('count(*)')
  console.log(`archive: lake started and answered in ${((Date.now() - starting) / 1000).toFixed(1)} s`)
  browser = await launchBrowser()
}, 900_000)

afterAll(async () => {
  await browser?.close()
  await lake?.close()
  rmSync(dir, {recursive: true, force: true})
})

it(`opens the story list, a story and a search on ${STORIES.toLocaleString('en')} stories without an error`, async () => {
  const {lakeUrl, studioUrl, token, dataset} = e2eTargets()
  const client = localLakeClient({httpUrl: lake.httpUrl, token, dataset, perspective: 'drafts'})
  // The list's default order is last edited first, so this story is in its first rows.
  const story = await client.fetch<{_id: string; title: string}>('*[_type == "story" && defined(title)] | order(_updatedAt desc)[0]{_id, title}')
  expect(story.title).toBeTruthy()
  const context = await newContext(browser)
  // The Studio was built for the run's lake: its data requests go to the archive's lake instead
  // (same token). The presence socket stays on the run's lake.
  const runPort = new URL(lakeUrl).port
  const archivePort = new URL(lake.url).port
  await context.route(
    (url) => url.hostname.endsWith('localhost') && url.port === runPort && url.pathname.includes('/data/'),
    (route) => {
      const url = new URL(route.request().url())
      url.port = archivePort
      return route.continue({url: url.toString()})
    },
  )
  const page = await context.newPage()
  const times = await studioOnArchive(page, studioUrl, story, 180_000)
  console.log(`Studio on ${STORIES} stories: ${times.join('; ')}`)
  expect(times).toHaveLength(3)
  await context.close()
}, 900_000)
