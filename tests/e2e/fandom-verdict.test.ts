/**
 * One verdict in the built Studio, in real Chromium: an imported draft with no fandom shows what
 * blocks it in the badge, the checklist and Needs attention; once its fandom is set (and then
 * edited) beside it, all of them follow without a reload. Screenshots: test-results/verdict-*.png.
 */
import type {Browser, BrowserContext, Page} from 'playwright-core'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {e2eTargets, launchBrowser, lakeClient, newContext, requiredStoryFields, screenshot} from './harness'

const RUN = Date.now().toString(36)
const STORY = {published: `story.verdict-${RUN}`, draft: `drafts.story.verdict-${RUN}`, title: `Counsel of the Night ${RUN}`}
const FANDOM = `fandom.verdict-${RUN}`
const HOLDER = `rightsHolder.verdict-${RUN}`
const DISCLAIMER = `The characters belong to Quillmark ${RUN}. I own nothing.`
const SUMMARY = 'Olivia reads a statement three times before she sees what does not fit in it.'

let browser: Browser
let context: BrowserContext
let page: Page

const block = (key: string, text: string) => ({_type: 'block', _key: key, style: 'normal', markDefs: [], children: [{_type: 'span', _key: `${key}s`, text, marks: []}]})

beforeAll(async () => {
  browser = await launchBrowser()
  context = await newContext(browser)
  const {fandoms: _none, ...fields} = requiredStoryFields(STORY.published.replace(/^story\./, ''))
  // As the importer leaves a story whose file names no fandom it can infer.
  await lakeClient().create({_id: STORY.draft, _type: 'story', title: STORY.title, ...fields, summary: SUMMARY, disclaimer: DISCLAIMER, body: [block('p0', 'The squad room was empty at two in the morning.')]})
  await lakeClient().create({_id: HOLDER, _type: 'rightsHolder', name: `Quillmark ${RUN}`})
})

afterAll(async () => {
  await browser?.close()
})

const visible = (text: string | RegExp) => () => page.getByText(text, typeof text === 'string' ? {exact: true} : undefined).count()

describe('one verdict for an imported draft with no fandom', () => {
  it('badge, checklist and Needs attention all say the fandom is missing', async () => {
    page = await context.newPage()
    await page.goto(`${e2eTargets().studioUrl}/structure/needs-attention`)
    const group = page.getByText(/^Required fields \(\d+\)$/).first()
    await group.waitFor({timeout: 90_000})
    await group.click()
    await expect.poll(visible(STORY.title), {timeout: 30_000}).toBeGreaterThan(0)
    await screenshot(page, 'verdict-1-needs-attention')

    await page.goto(`${e2eTargets().studioUrl}/intent/edit/id=${STORY.published};type=story/`)
    await page.locator('[data-testid="field-title"] input').waitFor({timeout: 90_000})
    await expect.poll(visible('Required fields'), {timeout: 60_000}).toBeGreaterThan(0)
    expect(await visible('Ready to publish')()).toBe(0)
    await page.locator('button[aria-label="Publishing checklist"], [data-testid="document-pane"] button:has-text("Publishing checklist")').first().click()
    await page.locator('[data-testid="guard-checklist"]').waitFor({timeout: 30_000})
    const row = page.locator('[data-testid="guard-check-story.invalid"]')
    await expect.poll(() => row.getAttribute('data-state'), {timeout: 30_000}).toBe('fail')
    expect(await row.innerText()).toMatch(/fandoms/)
    await screenshot(page, 'verdict-2-blocked')
  })

  it('follows the fandom set and then edited beside the story, without a reload', async () => {
    // A fandom with no owners yet, then the story pointing at it: the schema error goes, the
    // disclaimer is judged against the fandom (no owners recorded: an info note, not a block).
    await lakeClient().create({_id: FANDOM, _type: 'fandom', title: `Night Court ${RUN}`, slug: {_type: 'slug', current: `night-court-${RUN}`}, mediaType: 'tv'})
    await lakeClient().patch(STORY.draft).set({fandoms: [{_type: 'reference', _ref: FANDOM, _key: 'f0'}]}).commit()
    const row = page.locator('[data-testid="guard-check-story.invalid"]')
    await expect.poll(() => row.getAttribute('data-state'), {timeout: 60_000}).toBe('pass')
    const unknown = page.locator('[data-testid="guard-check-disclaimer.rights-holders-unknown"]')
    await expect.poll(() => unknown.getAttribute('data-state'), {timeout: 60_000}).toBe('fail')

    // An editor records the owner on the fandom: the checklist names it and the story is ready.
    await lakeClient().patch(FANDOM).set({rightsHolders: [{_type: 'reference', _ref: HOLDER, _key: 'h0'}]}).commit()
    await expect.poll(() => unknown.getAttribute('data-state'), {timeout: 60_000}).toBe('pass')
    await expect.poll(() => page.locator('[data-testid="guard-known-owners"]').innerText().catch(() => ''), {timeout: 30_000}).toMatch(new RegExp(`Quillmark ${RUN}`))
    await expect.poll(visible('Ready to publish'), {timeout: 60_000}).toBeGreaterThan(0)
    await screenshot(page, 'verdict-3-ready')
  })
})
