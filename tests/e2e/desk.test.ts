/**
 * The editor's desk (structure.ts) in real Chromium against the seeded local lake: the lists
 * editors find stories by show the right stories, and only those.
 */
import type {Browser, BrowserContext, Page} from 'playwright-core'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {e2eTargets, lakeClient, launchBrowser, newContext, screenshot} from './harness'

let browser: Browser
let context: BrowserContext
let page: Page

beforeAll(async () => {
  browser = await launchBrowser()
  context = await newContext(browser)
  page = await context.newPage()
})

afterAll(async () => {
  await browser?.close()
})

const visible = (text: string) => () => page.getByText(text, {exact: true}).count()

async function openDesk(...path: string[]): Promise<void> {
  await page.goto(`${e2eTargets().studioUrl}/structure`)
  for (const item of path) {
    await expect.poll(visible(item), {timeout: 60_000}).toBeGreaterThan(0)
    await page.getByText(item, {exact: true}).first().click()
  }
}

describe("the editor's desk", () => {
  it('lists drafts waiting for review, and no story that is only published', async () => {
    await openDesk('Drafts waiting for review')
    await expect.poll(visible('Untitled Work in Progress'), {timeout: 60_000}).toBeGreaterThan(0)
    expect(await visible('Quiet Orbit')()).toBe(0)
    await screenshot(page, 'desk-1-drafts')
  })

  it('lists stories by fandom', async () => {
    await openDesk('Stories by fandom', 'Crown of Cinders')
    await expect.poll(visible('Ash and Ember'), {timeout: 60_000}).toBeGreaterThan(0)
    expect(await visible('Seven Winters')()).toBe(0)
    await screenshot(page, 'desk-2-by-fandom')
  })

  it('lists the rights holders the disclaimers are checked against, so editors can keep them', async () => {
    await openDesk('Rights holders')
    const search = page.getByPlaceholder('Search list')
    await search.last().waitFor({timeout: 60_000})
    await search.last().fill('Lumen')
    await expect.poll(visible('Lumen Pictures'), {timeout: 60_000}).toBeGreaterThan(0)
    await screenshot(page, 'desk-4-rights-holders')
  })

  it('lists the catalogue fandoms by title, not in the order they were loaded', async () => {
    const titles = await lakeClient('published').fetch<string[]>('*[_type == "fandom"] | order(title asc)[0...3].title')
    await openDesk('Fandoms')
    for (const title of titles) await expect.poll(visible(title), {timeout: 60_000}).toBeGreaterThan(0)
    // Loaded near the start of the catalogue, filed under S.
    expect(await visible('Stray Kids (Band)')()).toBe(0)
    await screenshot(page, 'desk-5-fandoms')
  })

  it('lists stories by rating', async () => {
    await openDesk('Stories by rating', 'Mature')
    await expect.poll(visible('Ash and Ember'), {timeout: 60_000}).toBeGreaterThan(0)
    expect(await visible('Crosswinds')()).toBe(0)
    await screenshot(page, 'desk-3-by-rating')
  })
})
