/**
 * The reader site in a real Chromium against the seeded e2e lake: browse from the home page
 * to a fandom and a story, read through its chapters, pass the content gate of a Mature
 * story, and check the story pages with axe-core.
 */
import axe from 'axe-core'
import type {Browser, Page} from 'playwright-core'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {localLakeClient} from '../../lake/connection'
import {startSite, type RunningSite} from '../../site/server'
import {e2eTargets, launchBrowser, newContext, screenshot} from './harness'

let site: RunningSite
let browser: Browser

beforeAll(async () => {
  const {lakeHttpUrl, token, dataset} = e2eTargets()
  site = await startSite({client: localLakeClient({httpUrl: lakeHttpUrl, token, dataset, perspective: 'published'}), port: 0})
  browser = await launchBrowser()
})

afterAll(async () => {
  await browser?.close()
  await site?.close()
})

interface AxeViolation {
  id: string
  impact: string | null
  help: string
  nodes: Array<{target: string[]}>
}

async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  // Evaluated through the DevTools protocol, so the site's no-script CSP does not apply.
  await page.evaluate(axe.source)
  const violations = await page.evaluate(async () => {
    const result = await (window as unknown as {axe: typeof axe}).axe.run(document, {resultTypes: ['violations']})
    return result.violations.map((v) => ({id: v.id, impact: v.impact ?? null, help: v.help, nodes: v.nodes.map((n) => ({target: n.target.map(String)}))}))
  })
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
}

describe('reader site in Chromium', () => {
  it('browses home → fandom → story, reads every chapter, and passes axe', async () => {
    const context = await newContext(browser)
    const page = await context.newPage()
    const response = await page.goto(site.url)
    expect(response?.status()).toBe(200)
    await expect.poll(() => page.locator('h1').textContent()).toBe('Welcome to the Archive')
    await screenshot(page, 'site-home')
    expect(await seriousViolations(page)).toEqual([])

    await page.locator('#fandoms-heading ~ ul').getByRole('link', {name: 'Starfall Station'}).click()
    await page.waitForURL(/\/fandoms\/starfall-station$/)
    expect(await page.locator('h1').textContent()).toBe('Starfall Station')
    await screenshot(page, 'site-fandom')
    expect(await seriousViolations(page)).toEqual([])

    await page.getByRole('link', {name: 'Seven Winters', exact: true}).click()
    await page.waitForURL(/\/stories\/seven-winters$/)
    expect(await page.locator('h1').textContent()).toBe('Seven Winters')
    expect(await page.title()).toBe('Seven Winters · The Archive')
    expect(await page.locator('meta[name="description"]').getAttribute('content')).toMatch(/^The heat exchangers freeze/)
    expect(await page.locator('html').getAttribute('lang')).toBe('en')
    const chapterLinks = page.locator('#contents ol a')
    expect(await chapterLinks.count()).toBe(3)
    await screenshot(page, 'site-story-contents')
    expect(await seriousViolations(page)).toEqual([])

    await page.getByRole('link', {name: 'Start reading →'}).click()
    await page.waitForURL(/\/chapters\/1$/)
    // The first chapter has no "previous" link: "Contents" still sits in the middle of the bar.
    for (const which of ['top', 'bottom']) {
      const nav = page.locator(`nav[aria-label="Chapters (${which})"]`)
      const bar = (await nav.boundingBox())!
      const contents = (await nav.getByRole('link', {name: 'Contents'}).boundingBox())!
      expect(Math.abs(contents.x + contents.width / 2 - (bar.x + bar.width / 2))).toBeLessThan(2)
    }
    const titles: string[] = []
    for (;;) {
      await page.waitForLoadState()
      titles.push((await page.locator('h1').textContent()) ?? '')
      expect(await page.locator('.story-text p').count()).toBeGreaterThan(0)
      const next = page.locator('nav[aria-label="Chapters (bottom)"] a[rel="next"]')
      if ((await next.count()) === 0) break
      await next.click()
    }
    expect(titles).toEqual(['Chapter 1: The First Winter', 'Chapter 2: Thaw Procedures', 'Chapter 3: What the Ice Kept'])
    await screenshot(page, 'site-chapter-last')
    expect(await seriousViolations(page)).toEqual([])

    await page.locator('nav[aria-label="Chapters (bottom)"] a[rel="prev"]').click()
    await page.waitForURL(/\/chapters\/2$/)
    await page.getByRole('link', {name: 'Contents'}).first().click()
    await page.waitForURL(/\/stories\/seven-winters#contents$/)
    expect(context.blocked).toEqual([])
    await context.close()
  })

  it('meets the content gate on a Mature story, confirms, and reads', async () => {
    const context = await newContext(browser, {viewport: {width: 430, height: 900}})
    const page = await context.newPage()
    await page.goto(site.url)
    // Through the fandom, not the newest list: other e2e tests publish newer stories.
    await page.locator('#fandoms-heading ~ ul').getByRole('link', {name: 'Crown of Cinders'}).click()
    await page.waitForURL(/\/fandoms\/crown-of-cinders$/)
    await page.getByRole('link', {name: 'Ash and Ember', exact: true}).click()
    await page.waitForURL(/\/stories\/ash-and-ember$/)
    const gate = page.locator('.gate')
    await expect.poll(() => gate.isVisible()).toBe(true)
    expect(await gate.locator('h2').textContent()).toBe('This story is rated Mature')
    expect(await page.locator('.story-text').count()).toBe(0)
    expect(await page.content()).not.toContain('Smoke still hung')
    await screenshot(page, 'site-gate')
    expect(await seriousViolations(page)).toEqual([])

    await page.getByRole('button', {name: 'Yes, show me the story'}).click()
    await page.waitForURL(/\/stories\/ash-and-ember$/)
    await expect.poll(() => page.locator('.story-text').isVisible()).toBe(true)
    expect(await page.locator('.story-text').textContent()).toContain('Smoke still hung over the walls of Harrowgate')
    expect(await page.locator('.story-text hr[aria-label="Scene break"]').count()).toBe(1)
    const cookies = await context.cookies()
    expect(cookies.find((c) => c.name === 'gate')).toMatchObject({value: '1', httpOnly: true, sameSite: 'Lax'})
    await screenshot(page, 'site-story-after-gate')
    expect(await seriousViolations(page)).toEqual([])

    // Remembered: a second visit goes straight to the text.
    await page.goto(`${site.url}/stories/ash-and-ember`)
    expect(await page.locator('.gate').count()).toBe(0)
    expect(context.blocked).toEqual([])
    await context.close()
  })
})
