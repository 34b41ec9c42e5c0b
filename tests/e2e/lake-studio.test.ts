/**
 * The stock Studio on the local lake, in real Chromium: the built-in Publish pressed while the
 * footer still says "Saving…" publishes new authors and fandoms (studio-build/validation-revision.ts
 * is why it can); a whole session (desk, a story opened and edited, publishing, Vision) gets no
 * 404 from the lake, has no request fail and sends none off the machine (studio-build/offline.ts).
 */
import type {Browser, BrowserContext, Page} from 'playwright-core'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {e2eTargets, launchBrowser, lakeClient, newContext, requiredStoryFields, screenshot, waitForLake} from './harness'

const RUN = Date.now().toString(36)

let browser: Browser
let context: BrowserContext & {blocked: string[]}
/** Over the whole file: every 404 from the lake, every failed request, every request off the machine. */
const notFound: string[] = []
const failed: string[] = []
const offMachine: string[] = []

const isLoopback = (hostname: string) => hostname === 'localhost' || hostname.endsWith('.localhost') || hostname === '127.0.0.1' || hostname === '[::1]'

beforeAll(async () => {
  browser = await launchBrowser()
  context = await newContext(browser)
  const lakePort = new URL(e2eTargets().lakeUrl).port
  context.on('request', (request) => {
    const url = new URL(request.url())
    if ((url.protocol === 'http:' || url.protocol === 'https:') && !isLoopback(url.hostname)) offMachine.push(`${request.method()} ${request.url()}`)
  })
  context.on('response', (response) => {
    const url = new URL(response.url())
    if (isLoopback(url.hostname) && url.port === lakePort && response.status() === 404) notFound.push(`${response.request().method()} ${url.pathname}`)
  })
  context.on('requestfailed', (request) => {
    const why = request.failure()?.errorText ?? ''
    // Listeners and sockets closed by navigation or page.close() end as "aborted": not a failure.
    if (/ERR_ABORTED/.test(why)) return
    const url = new URL(request.url())
    failed.push(`${request.method()} ${url.origin}${url.pathname} ${why}`)
  })
})

afterAll(async () => {
  await browser?.close()
})

interface NewDocumentCase {
  type: string
  field: string
  text: string
  /** Required fields besides the typed one and the slug. */
  fillRest(page: Page): Promise<void>
}

// New documents made in the Studio itself: the first keystroke creates the draft, so the first
// revisions the Studio validates lack required fields (the race the fix is about).
const cases: NewDocumentCase[] = [
  {type: 'author', field: 'name', text: `Ada Marlowe ${RUN}`, fillRest: async () => {}},
  {
    type: 'fandom',
    field: 'title',
    text: `Harbourlight ${RUN}`,
    fillRest: async (page) => {
      // Sanity's select input uses option indexes as values: chosen by label, as an editor does.
      await page.locator('[data-testid="field-mediaType"] select').selectOption({label: 'Books & Literature'})
    },
  },
]

describe('the stock Publish right after typing', () => {
  it.each(cases)('a new $type typed into and published at once ends published', async ({type, field, text, fillRest}) => {
    const page = await context.newPage()
    const publishedId = `${type}.new-${RUN}`
    // An id no document has yet: the Studio opens an empty form for it.
    await page.goto(`${e2eTargets().studioUrl}/structure/${type};${publishedId}`)
    const input = page.locator(`[data-testid="field-${field}"] input`)
    await input.waitFor({timeout: 120_000})
    await input.click()
    await page.keyboard.type(text, {delay: 10})
    // The slug is required: generated from the typed text, as an editor does.
    await page.locator('[data-testid="field-slug"]').getByRole('button', {name: /generate/i}).click()
    await expect.poll(() => page.locator('[data-testid="field-slug"] input').inputValue(), {timeout: 30_000}).not.toBe('')
    await fillRest(page)
    const publish = page.locator('[data-testid="action-publish"]')
    // At once: while the footer still says "Saving…" (the button is enabled once validation passes).
    await publish.click({timeout: 60_000})
    const footer = await page.locator('[data-testid="pane-footer"]').textContent()
    await screenshot(page, `lake-studio-publish-${type}`)

    const published = await waitForLake(
      () => lakeClient().getDocument(publishedId),
      (doc) => doc?.[field] === text,
      `the ${type} to be published with the typed text (footer when Publish was pressed: ${footer})`,
    )
    expect(published?._type).toBe(type)
    await waitForLake(() => lakeClient().getDocument(`drafts.${publishedId}`), (doc) => doc === undefined, 'the draft to be gone')
    await page.close()
  })
})

describe('a whole session', () => {
  it('gets no 404 from the lake, has no request fail and sends none off the machine', async () => {
    // A story of its own (the seeded ones belong to other test files), opened from the list and edited.
    const title = `Lantern Street ${RUN}`
    await lakeClient().createOrReplace({_id: `story.session-${RUN}`, _type: 'story', title, ...requiredStoryFields(`lantern-street-${RUN}`)})
    const page = await context.newPage()
    await page.goto(`${e2eTargets().studioUrl}/structure/story`)
    const item = page.getByText(title, {exact: true}).first()
    await item.waitFor({timeout: 60_000})
    await item.click()
    const titleInput = page.locator('[data-testid="field-title"] input')
    await expect.poll(() => titleInput.inputValue(), {timeout: 60_000}).toBe(title)
    await titleInput.click()
    await page.keyboard.press('End')
    await page.keyboard.type(' (revised)', {delay: 20})
    await waitForLake(
      () => lakeClient().getDocument(`drafts.story.session-${RUN}`),
      (doc) => doc?.title === `${title} (revised)`,
      'the edit to reach the lake',
    )
    // Vision lists the datasets.
    await page.goto(`${e2eTargets().studioUrl}/vision`)
    await page.locator('option', {hasText: 'production'}).first().waitFor({state: 'attached', timeout: 60_000})
    await screenshot(page, 'lake-studio-vision')
    await page.close()

    expect(notFound).toEqual([])
    expect(failed).toEqual([])
    expect(offMachine).toEqual([])
    // The harness refuses requests off the machine; none was even attempted.
    expect(context.blocked).toEqual([])
  })
})
