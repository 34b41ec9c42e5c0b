/**
 * The publishing guard in the built Studio, in real Chromium, against the local lake:
 * a draft without a disclaimer shows the inline error, a "Needs disclaimer" badge, a Publish
 * that is disabled and says why, and appears under "Needs attention"; once a good disclaimer
 * and summary are typed it publishes (with its word count set) and stays published after a
 * reload. A draft with only warnings asks before publishing. Screenshots: test-results/guard-*.png.
 */
import type {Browser, BrowserContext, Locator, Page, Route} from 'playwright-core'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {countPortableTextWords, FINDING_CODES} from '../../rules'
import {e2eTargets, launchBrowser, lakeClient, newContext, requiredStoryFields, screenshot} from './harness'

const RUN = Date.now().toString(36)
const BLOCKED = {published: `story.guard-blocked-${RUN}`, draft: `drafts.story.guard-blocked-${RUN}`, title: `The Salt Ledger ${RUN}`}
const CHAPTER = {published: `chapter.guard-${RUN}`, draft: `drafts.chapter.guard-${RUN}`}
const RETRIED = {published: `story.guard-retried-${RUN}`, draft: `drafts.story.guard-retried-${RUN}`, title: `Lamplight ${RUN}`}
const WARNED = {published: `story.guard-warned-${RUN}`, draft: `drafts.story.guard-warned-${RUN}`, title: `Fog Over Greywater ${RUN}`}

const GOOD_DISCLAIMER = 'The Saltmarsh Chronicles belong to Maren Holt and Greywater Press. I own nothing; no infringement intended.'
const GOOD_SUMMARY = 'Maud finds a second ledger under the lighthouse stairs, written in a hand she does not know, and has one winter to learn whose it is.'
const APOLOGY_SUMMARY = 'I suck at summaries, just read it! R&R please'

const block = (key: string, text: string) => ({
  _type: 'block',
  _key: key,
  style: 'normal',
  markDefs: [],
  children: [{_type: 'span', _key: `${key}s`, text, marks: []}],
})
const BODY = [
  block('p0', 'The second ledger was wrapped in oilcloth and tied with fishing line.'),
  block('p1', "Maud didn't open it until the lamp was lit and the kettle had boiled twice."),
]

function storyDraft(ids: {draft: string; published: string; title: string}, fields: Record<string, unknown>) {
  return {
    _id: ids.draft,
    _type: 'story',
    title: ids.title,
    ...requiredStoryFields(ids.published.replace(/^story\./, '')),
    body: BODY,
    ...fields,
  }
}

let browser: Browser
let context: BrowserContext & {blocked: string[]}
const pageErrors: string[] = []

async function openPage(): Promise<Page> {
  const page = await context.newPage()
  page.on('pageerror', (error) => pageErrors.push(error.message))
  return page
}

const editUrl = (id: string, type = 'story') => `${e2eTargets().studioUrl}/intent/edit/id=${id};type=${type}/`

async function waitForForm(page: Page): Promise<void> {
  await page.locator('[data-testid="field-title"] input').waitFor({timeout: 90_000})
}

function publishButton(page: Page): Locator {
  return page.locator('[data-testid="action-publish"], [data-testid="action-Publish"]').first()
}

/** The text of the tooltip shown while hovering `target`. */
async function tooltipText(page: Page, target: Locator, expected: RegExp): Promise<string> {
  await target.hover({force: true})
  const tooltip = page.locator('[data-ui="Tooltip"], [role="tooltip"]').filter({hasText: expected}).first()
  await tooltip.waitFor({timeout: 15_000})
  return tooltip.innerText()
}

/** The text of every toast the Studio shows now. */
async function toastTexts(page: Page): Promise<string[]> {
  const texts = await page
    .locator('[data-ui="Toast"]')
    .allInnerTexts()
    .catch(() => [] as string[])
  return texts.map((text) => text.replace(/\s+/g, ' ').trim()).filter(Boolean)
}

/** Polls the lake; on timeout says what the Studio toasted meanwhile (toasts close on their own). */
async function waitForLake<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string, page?: Page): Promise<T> {
  const deadline = Date.now() + 30_000
  const toasts = new Set<string>()
  let last: T | undefined
  while (Date.now() < deadline) {
    last = await read()
    if (done(last)) return last
    if (page) for (const text of await toastTexts(page)) toasts.add(text)
    await new Promise((wait) => setTimeout(wait, 250))
  }
  const shown = page ? `; Studio toasts: ${toasts.size > 0 ? [...toasts].map((text) => JSON.stringify(text)).join(', ') : 'none'}` : ''
  throw new Error(`Timed out waiting for the lake: ${what} (last seen: ${JSON.stringify(last)?.slice(0, 500)})${shown}`)
}

beforeAll(async () => {
  browser = await launchBrowser()
  context = await newContext(browser)
  const lake = lakeClient()
  await lake.create(storyDraft(BLOCKED, {summary: GOOD_SUMMARY}))
  await lake.create(storyDraft(WARNED, {summary: APOLOGY_SUMMARY, disclaimer: GOOD_DISCLAIMER}))
  await lake.create(storyDraft(RETRIED, {summary: GOOD_SUMMARY, disclaimer: GOOD_DISCLAIMER}))
  // A chapter counted at import (3 words), since rewritten in the Studio: the draft is longer.
  const oldBody = [block('p0', 'Fog, then rain.')]
  await lake.create({_id: CHAPTER.published, _type: 'chapter', title: `Greywater ${RUN}`, body: oldBody, wordCount: countPortableTextWords(oldBody)})
  await lake.create({_id: CHAPTER.draft, _type: 'chapter', title: `Greywater ${RUN}`, body: BODY, wordCount: countPortableTextWords(oldBody)})
})

afterAll(async () => {
  await browser?.close()
})

describe('publishing guard in the Studio', () => {
  it('shows the missing disclaimer inline, in the badge, and keeps Publish disabled with the reason', async () => {
    const page = await openPage()
    await page.goto(editUrl(BLOCKED.published))
    await waitForForm(page)

    const disclaimerField = page.locator('[data-testid="field-disclaimer"]')
    await disclaimerField.scrollIntoViewIfNeeded()
    const errorIcon = disclaimerField.locator('[data-testid="input-validation-icon-error"]').first()
    await errorIcon.waitFor({timeout: 60_000})
    expect(await tooltipText(page, errorIcon, /Add a disclaimer/)).toMatch(/Saltmarsh Chronicles/)
    await screenshot(page, 'guard-1-inline-error')

    await expect.poll(() => page.getByText('Needs disclaimer', {exact: true}).count(), {timeout: 30_000}).toBeGreaterThan(0)

    const publish = publishButton(page)
    await expect.poll(() => publish.isDisabled(), {timeout: 30_000}).toBe(true)
    expect(await tooltipText(page, publish, /Cannot publish/)).toMatch(/Cannot publish: Add a disclaimer/)
    await screenshot(page, 'guard-2-publish-blocked')

    // The checklist inspector: every check, the failing one with its hint.
    await page.locator('button[aria-label="Publishing checklist"], [data-testid="document-pane"] button:has-text("Publishing checklist")').first().click()
    const checklist = page.locator('[data-testid="guard-checklist"]')
    await checklist.waitFor({timeout: 30_000})
    await expect.poll(() => checklist.locator('[data-testid="guard-check-disclaimer.missing"]').getAttribute('data-state'), {timeout: 30_000}).toBe('fail')
    expect(await checklist.locator('[data-testid="guard-check-summary.missing"]').getAttribute('data-state')).toBe('pass')
    expect(await checklist.locator('[data-state]').count()).toBe(FINDING_CODES.length)
    expect(await checklist.innerText()).toMatch(/For example/)
    await screenshot(page, 'guard-2b-checklist')
    await page.close()
  })

  it('lists the draft under Needs attention, grouped by check', async () => {
    const page = await openPage()
    await page.goto(`${e2eTargets().studioUrl}/structure/needs-attention`)
    const group = page.getByText(/^Needs disclaimer \(\d+\)$/).first()
    await group.waitFor({timeout: 60_000})
    await group.click()
    await expect.poll(() => page.getByText(BLOCKED.title).count(), {timeout: 30_000}).toBeGreaterThan(0)
    await screenshot(page, 'guard-3-needs-attention')
    await page.close()
  })

  it('publishes once a good disclaimer and summary are typed, setting the word count, and stays published after a reload', async () => {
    const page = await openPage()
    await page.goto(editUrl(BLOCKED.published))
    await waitForForm(page)

    const summary = page.locator('[data-testid="field-summary"] textarea').first()
    await summary.scrollIntoViewIfNeeded()
    await summary.fill(GOOD_SUMMARY)
    const disclaimer = page.locator('[data-testid="field-disclaimer"] textarea').first()
    await disclaimer.fill(GOOD_DISCLAIMER)
    await waitForLake(
      () => lakeClient().getDocument(BLOCKED.draft),
      (doc) => doc?.disclaimer === GOOD_DISCLAIMER,
      'the draft to hold the typed disclaimer',
      page,
    )
    await expect.poll(() => page.locator('[data-testid="field-disclaimer"] [data-testid="input-validation-icon-error"]').count(), {timeout: 30_000}).toBe(0)
    await expect.poll(() => page.getByText('Ready to publish', {exact: true}).count(), {timeout: 30_000}).toBeGreaterThan(0)

    // Published in the same session, right after typing: the case where the built-in Publish
    // can re-validate a stale copy of the draft and cancel (see actions.tsx).
    const publish = publishButton(page)
    await expect.poll(() => publish.isEnabled(), {timeout: 60_000}).toBe(true)
    await screenshot(page, 'guard-4-ready')
    await publish.click()
    // No warnings are left, so no confirmation is asked.
    expect(await page.locator('[data-testid="guard-publish-dialog"]').count()).toBe(0)

    const published = await waitForLake(
      () => lakeClient().getDocument(BLOCKED.published),
      (doc) => doc?.disclaimer === GOOD_DISCLAIMER,
      'the story to be published',
      page,
    )
    expect(published?.wordCount).toBe(countPortableTextWords(BODY))
    expect(published?.publishedAt).toEqual(expect.any(String))
    expect(published?.updatedAt).toEqual(expect.any(String))
    await waitForLake(() => lakeClient().getDocument(BLOCKED.draft), (doc) => doc === undefined, 'the draft to be gone', page)

    await page.reload()
    await waitForForm(page)
    await expect.poll(() => page.locator('[data-testid="field-disclaimer"] textarea').first().inputValue(), {timeout: 30_000}).toBe(GOOD_DISCLAIMER)
    await expect.poll(() => page.getByText('Ready to publish', {exact: true}).count(), {timeout: 30_000}).toBeGreaterThan(0)
    await expect.poll(() => publishButton(page).isDisabled(), {timeout: 30_000}).toBe(true)
    await screenshot(page, 'guard-5-published-after-reload')
    await page.close()
  })

  it('asks before publishing over warnings: Go back keeps the draft, Publish anyway publishes', async () => {
    const page = await openPage()
    await page.goto(editUrl(WARNED.published))
    await waitForForm(page)
    await expect.poll(() => page.getByText('Summary apologises', {exact: true}).count(), {timeout: 60_000}).toBeGreaterThan(0)

    const publish = publishButton(page)
    await expect.poll(() => publish.isEnabled(), {timeout: 60_000}).toBe(true)
    await publish.click()
    const dialog = page.locator('[data-testid="guard-publish-dialog"]')
    await dialog.waitFor({timeout: 15_000})
    expect(await dialog.innerText()).toMatch(/apologises/i)
    await page.waitForTimeout(400) // let the dialog finish fading in for the screenshot
    await screenshot(page, 'guard-6-warnings-dialog')

    await page.locator('[data-testid="guard-go-back"]').click()
    await dialog.waitFor({state: 'detached', timeout: 15_000})
    expect(await lakeClient().getDocument(WARNED.published)).toBeUndefined()

    await publish.click()
    await page.locator('[data-testid="guard-publish-anyway"]').click()
    const published = await waitForLake(
      () => lakeClient().getDocument(WARNED.published),
      (doc) => doc !== undefined,
      'the story to be published anyway',
      page,
    )
    expect(published?.summary).toBe(APOLOGY_SUMMARY)
    expect(published?.wordCount).toBe(countPortableTextWords(BODY))
    await screenshot(page, 'guard-7-published-anyway')
    await page.close()
  })

  it("stores a chapter's word count, counted from the text being published, when the chapter is published", async () => {
    const page = await openPage()
    await page.goto(editUrl(CHAPTER.published, 'chapter'))
    await waitForForm(page)
    const publish = publishButton(page)
    await expect.poll(() => publish.isEnabled(), {timeout: 60_000}).toBe(true)
    await publish.click()
    const published = await waitForLake(
      () => lakeClient().getDocument(CHAPTER.published),
      (doc) => Array.isArray(doc?.body) && doc.body.length === BODY.length,
      'the chapter to be published',
      page,
    )
    expect(published?.wordCount).toBe(countPortableTextWords(BODY))
    await waitForLake(() => lakeClient().getDocument(CHAPTER.draft), (doc) => doc === undefined, 'the chapter draft to be gone', page)
    await screenshot(page, 'guard-8-chapter-published')
    await page.close()
  })

  it('publishes even when the first publish request goes unanswered, after checking the lake still has the draft', async () => {
    const page = await openPage()
    // The Studio's document store can drop a publish without a word (another operation on the
    // document arriving while it waits). Holding the first publish request unanswered leaves
    // the Studio in the same state: no error, no published revision.
    const publishRequests: string[] = []
    const held: Route[] = []
    await page.route('**/data/actions/**', async (route) => {
      const body = route.request().postData() ?? ''
      if (!body.includes('sanity.action.document.publish')) return route.continue()
      publishRequests.push(body)
      if (publishRequests.length === 1) {
        held.push(route)
        return undefined
      }
      return route.continue()
    })
    await page.goto(editUrl(RETRIED.published))
    await waitForForm(page)
    await expect.poll(() => page.getByText('Ready to publish', {exact: true}).count(), {timeout: 60_000}).toBeGreaterThan(0)
    const publish = publishButton(page)
    await expect.poll(() => publish.isEnabled(), {timeout: 60_000}).toBe(true)
    await publish.click()

    const published = await waitForLake(
      () => lakeClient().getDocument(RETRIED.published),
      (doc) => doc !== undefined,
      'the story to be published on the second attempt',
      page,
    )
    expect(published?.wordCount).toBe(countPortableTextWords(BODY))
    // The held request never reached the lake; the second one published.
    expect(publishRequests).toHaveLength(2)
    await waitForLake(() => lakeClient().getDocument(RETRIED.draft), (doc) => doc === undefined, 'the retried draft to be gone', page)
    await expect.poll(() => publishButton(page).isDisabled(), {timeout: 30_000}).toBe(true)
    await screenshot(page, 'guard-9-published-on-retry')
    await page.unroute('**/data/actions/**')
    for (const route of held) await route.abort().catch(() => undefined)
    await page.close()
  })

  it('hit no page errors', () => {
    expect(pageErrors).toEqual([])
  })
})
