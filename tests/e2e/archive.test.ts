/**
 * What an editor does first on an archive, in real Chromium against the e2e lake: open the
 * story list, open a story, find one by the Studio's search. Each step must show its result
 * without an error; the time each took is printed (speed lives in `npm run bench -- lake`).
 * Run with LAKE_LOG=1 it also records every query the Studio sends (tests/e2e/global-setup.ts),
 * which is how tests/lake/fixtures/studio-queries.json was captured.
 */
import type {Browser, BrowserContext, Page} from 'playwright-core'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {e2eTargets, lakeClient, launchBrowser, newContext, screenshot} from './harness'

let browser: Browser
let context: BrowserContext & {blocked: string[]}
let page: Page
const pageErrors: string[] = []
const timings: string[] = []
let story: {_id: string; title: string}

async function timed<T>(what: string, step: () => Promise<T>): Promise<T> {
  const started = Date.now()
  const value = await step()
  timings.push(`${what} ${Date.now() - started} ms`)
  return value
}

const errorShown = () => page.getByText(/could not fetch list items|an error occurred/i).count()

beforeAll(async () => {
  browser = await launchBrowser()
  context = await newContext(browser)
  page = await context.newPage()
  page.on('pageerror', (error) => pageErrors.push(error.message))
  // The list's default order is last edited first, so this story is in its first rows.
  story = await lakeClient('drafts').fetch('*[_type == "story" && defined(title)] | order(_updatedAt desc)[0]{_id, title}')
})

afterAll(async () => {
  console.log(`[archive e2e] ${timings.join('; ')}`)
  await browser?.close()
})

describe('the Studio on the archive', () => {
  it('opens the story list', async () => {
    await timed('story list', async () => {
      await page.goto(`${e2eTargets().studioUrl}/structure/story`)
      await expect.poll(() => page.getByText(story.title, {exact: true}).count(), {timeout: 90_000}).toBeGreaterThan(0)
    })
    expect(await errorShown()).toBe(0)
    await screenshot(page, 'archive-1-list')
  })

  it('opens a story', async () => {
    await timed('open story', async () => {
      await page.goto(`${e2eTargets().studioUrl}/intent/edit/id=${story._id};type=story/`)
      await page.locator('[data-testid="field-title"] input').waitFor({timeout: 90_000})
      await expect.poll(() => page.locator('[data-testid="field-title"] input').inputValue(), {timeout: 90_000}).toBe(story.title)
    })
    expect(await errorShown()).toBe(0)
  })

  it('finds a story by search', async () => {
    const words = story.title.split(/\s+/).filter((w) => w.length > 2).slice(0, 2).join(' ')
    await timed('search', async () => {
      await page.locator('[data-testid="studio-search"]').first().click()
      await page.keyboard.type(words)
      const results = page.locator('[data-testid="search-results"]')
      await expect.poll(() => results.getByText(story.title, {exact: true}).count(), {timeout: 90_000}).toBeGreaterThan(0)
    })
    expect(await errorShown()).toBe(0)
    await screenshot(page, 'archive-2-search')
  })

  it('hit no page errors', () => {
    expect(pageErrors).toEqual([])
  })
})
