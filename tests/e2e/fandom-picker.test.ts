/**
 * The fandom catalogue in the built Studio, in real Chromium: pick a fandom by typing its
 * abbreviation, write a disclaimer naming another fandom's owner, see the error naming the right
 * owners, fix it, publish. Screenshots: test-results/picker-*.png.
 */
import type {Browser, BrowserContext, Page} from 'playwright-core'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {e2eTargets, launchBrowser, lakeClient, newContext, requiredStoryFields, screenshot} from './harness'

const RUN = Date.now().toString(36)
const STORY = {published: `story.picker-${RUN}`, draft: `drafts.story.picker-${RUN}`, title: `Road North ${RUN}`}
const WRONG = 'Supernatural belongs to Joss Whedon. I own nothing.'
const RIGHT = 'Supernatural belongs to Eric Kripke, Warner Bros. Television and The CW. I own nothing.'

let browser: Browser
let context: BrowserContext
let page: Page

beforeAll(async () => {
  browser = await launchBrowser()
  context = await newContext(browser)
  const {fandoms: _none, ...fields} = requiredStoryFields(STORY.published.replace(/^story\./, ''))
  await lakeClient().create({
    _id: STORY.draft,
    _type: 'story',
    title: STORY.title,
    ...fields,
    summary: 'Two brothers, one car and a very long drive north through the snow.',
    body: [{_type: 'block', _key: 'p0', style: 'normal', markDefs: [], children: [{_type: 'span', _key: 'p0s', text: 'The Impala coughed twice and kept going.', marks: []}]}],
  })
})

afterAll(async () => {
  await browser?.close()
})

describe('the fandom picker and the owners', () => {
  it('finds a fandom by its abbreviation, names the right owners for a wrong one, and publishes once fixed', async () => {
    page = await context.newPage()
    await page.goto(`${e2eTargets().studioUrl}/intent/edit/id=${STORY.published};type=story/`)
    await page.locator('[data-testid="field-title"] input').waitFor({timeout: 90_000})

    await page.getByRole('tab', {name: 'Tags'}).first().click()
    const field = page.locator('[data-testid="field-fandoms"]')
    await field.scrollIntoViewIfNeeded()
    await field.getByRole('button', {name: /Add item/i}).first().click()
    const search = field.locator('input').last()
    await search.fill('SPN')
    // "SPN" also finds Supernatural RPF; the option shows each fandom's owners, so pick by them.
    const option = page.getByRole('option').filter({hasText: 'Supernatural'}).filter({hasText: 'Eric Kripke'}).first()
    await option.waitFor({timeout: 30_000})
    await screenshot(page, 'picker-1-abbreviation')
    await option.click()

    await expect.poll(async () => JSON.stringify((await lakeClient().getDocument(STORY.draft))?.fandoms ?? null), {timeout: 30_000}).toContain('"_ref":"fandom.supernatural"')
    await page.getByRole('tab', {name: 'Text'}).first().click()
    const disclaimer = page.locator('[data-testid="field-disclaimer"] textarea').first()
    await disclaimer.scrollIntoViewIfNeeded()
    await disclaimer.fill(WRONG)
    await page.locator('button[aria-label="Publishing checklist"], [data-testid="document-pane"] button:has-text("Publishing checklist")').first().click()
    const row = page.locator('[data-testid="guard-check-disclaimer.wrong-rights-holder"]')
    await expect
      .poll(async () => ((await row.getAttribute('data-state')) === 'fail' ? 'fail' : await page.locator('[data-testid="guard-checklist"]').innerText()), {timeout: 60_000})
      .toBe('fail')
    expect(await row.innerText()).toContain('not a rights holder of Supernatural (Eric Kripke, Warner Bros. Television, The CW)')
    await expect.poll(() => page.getByText('Names the wrong rights holder', {exact: true}).count(), {timeout: 30_000}).toBeGreaterThan(0)
    await screenshot(page, 'picker-2-wrong-owner')

    await disclaimer.fill(RIGHT)
    await expect.poll(() => row.getAttribute('data-state'), {timeout: 60_000}).toBe('pass')
    await expect.poll(() => page.getByText('Ready to publish', {exact: true}).count(), {timeout: 60_000}).toBeGreaterThan(0)
    const publish = page.locator('[data-testid="action-publish"], [data-testid="action-Publish"]').first()
    await expect.poll(() => publish.isEnabled(), {timeout: 60_000}).toBe(true)
    await publish.click()
    await expect
      .poll(async () => (await lakeClient().getDocument(STORY.published))?.disclaimer ?? null, {timeout: 60_000})
      .toBe(RIGHT)
    const published = await lakeClient().getDocument(STORY.published)
    expect((published?.fandoms as Array<{_ref: string}>).map((f) => f._ref)).toEqual(['fandom.supernatural'])
    await screenshot(page, 'picker-3-published')
  })
})
