/**
 * The Studio against the local lake, in real Chromium, offline, with no login:
 * listing, editing a story (title and Portable Text body), publishing, reload, and live
 * updates between two tabs. Screenshots of each step go to test-results/studio-*.png.
 */
import type {Browser, BrowserContext, Page} from 'playwright-core'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {sampleDocuments} from '../../scripts/seed/sample-content'
import {e2eTargets, launchBrowser, lakeClient, newContext, requiredStoryFields, screenshot, waitForLake} from './harness'

const STORY = `e2e-${Date.now().toString(36)}`
const DRAFT_ID = `drafts.story.${STORY}`
const PUBLISHED_ID = `story.${STORY}`
const TITLE = 'The Tidewater Letters'
const BODY_TEXT = 'The tide came in twice that night, and twice she counted the boats.'
const LIVE_SUFFIX = ' (revised)'

let browser: Browser
let context: BrowserContext & {blocked: string[]}
const pageErrors: string[] = []
let editorPage: Page | undefined

function samplePublishedStoryTitles(): string[] {
  return sampleDocuments()
    .filter((doc) => doc._type === 'story' && !doc._id.startsWith('drafts.'))
    .map((doc) => String(doc.title))
}

async function openPage(): Promise<Page> {
  const page = await context.newPage()
  page.on('pageerror', (error) => pageErrors.push(error.message))
  return page
}

function editUrl(id: string): string {
  return `${e2eTargets().studioUrl}/intent/edit/id=${id};type=story/`
}

async function waitForForm(page: Page): Promise<void> {
  await page.locator('[data-testid="field-title"] input').waitFor({timeout: 60_000})
}

beforeAll(async () => {
  browser = await launchBrowser()
  context = await newContext(browser)
  // Everything the Studio requires except what the test types through the UI.
  await lakeClient().create({
    _id: DRAFT_ID,
    _type: 'story',
    ...requiredStoryFields(STORY),
    summary: 'A harbour town waits out a storm while one woman keeps count of every boat that comes home.',
    disclaimer: "I don't own Example Fandom; it belongs to Example Studios. No infringement intended.",
  })
})

afterAll(async () => {
  await browser?.close()
})

describe('Studio on the local lake', () => {
  it('loads without a login screen and lists the sample stories', async () => {
    const page = await openPage()
    await page.goto(`${e2eTargets().studioUrl}/structure/story`)
    const titles = samplePublishedStoryTitles()
    expect(titles.length).toBeGreaterThan(2)
    for (const title of titles.slice(0, 3)) {
      await expect.poll(() => page.getByText(title, {exact: true}).count(), {timeout: 60_000}).toBeGreaterThan(0)
    }
    await screenshot(page, 'studio-1-story-list')
    // The Studio's many open listeners only fit in a browser's connection budget over HTTP/2.
    const cdp = await context.newCDPSession(page)
    const protocols = new Set<string>()
    cdp.on('Network.responseReceived', (event) => {
      // CORS preflights are reported as http/1.1 whatever the connection speaks.
      if (event.type !== 'Preflight' && new URL(event.response.url).hostname.endsWith('.localhost')) {
        protocols.add(event.response.protocol ?? '?')
      }
    })
    await cdp.send('Network.enable')
    await page.reload()
    await expect.poll(() => page.getByText(titles[0], {exact: true}).count(), {timeout: 60_000}).toBeGreaterThan(0)
    expect([...protocols]).toEqual(['h2'])
    expect(await page.getByText(/choose login provider|sign in/i).count()).toBe(0)
    await page.close()
  })

  it('edits title and body of a story in the form and publishes it', async () => {
    const page = await openPage()
    await page.goto(editUrl(PUBLISHED_ID))
    await waitForForm(page)

    const title = page.locator('[data-testid="field-title"] input')
    await title.click()
    await title.fill(TITLE)

    const body = page.locator('[data-testid="field-body"]')
    await body.scrollIntoViewIfNeeded()
    // The Portable Text input starts as a read-only preview until it is activated.
    const activate = body.getByText(/click to activate|tap to activate/i)
    if (await activate.count()) await activate.first().click()
    const editable = body.locator('[contenteditable="true"]').first()
    await editable.click()
    await page.keyboard.type(BODY_TEXT)
    await screenshot(page, 'studio-2-edited')

    await waitForLake(
      () => lakeClient().getDocument(DRAFT_ID),
      (doc) => doc?.title === TITLE && JSON.stringify(doc?.body ?? []).includes(BODY_TEXT),
      'the draft to hold the typed title and body',
    )

    const publish = page.locator('[data-testid="action-publish"]')
    // Publish what the lake holds: wait for the form's own commits to finish first.
    await expect.poll(() => page.locator('[data-testid="pane-footer"]').textContent(), {timeout: 30_000}).not.toMatch(/Saving/)
    await publish.click()
    // The publishing guard may ask for confirmation (warnings only); confirm whenever it does.
    const anyway = page.locator('[data-testid="guard-publish-anyway"]')
    const published = await waitForLake(
      async () => {
        if (await anyway.isVisible().catch(() => false)) await anyway.click()
        return lakeClient().getDocument(PUBLISHED_ID)
      },
      (doc) => doc?.title === TITLE,
      'the story to be published',
    )
    expect(JSON.stringify(published?.body)).toContain(BODY_TEXT)
    expect(await lakeClient().getDocument(DRAFT_ID)).toBeUndefined()
    editorPage = page
  })

  it('shows the publishing tab the story as published, without a reload', async () => {
    // Needs the lake's listener to report the draft's deletion with a resultRev: the Studio
    // chains listener events by revision and otherwise keeps showing the deleted draft.
    const page = editorPage!
    const publish = page.locator('[data-testid="action-publish"]')
    await expect.poll(() => publish.textContent(), {timeout: 30_000}).not.toMatch(/Publishing/)
    await expect.poll(() => publish.getAttribute('data-disabled'), {timeout: 30_000}).toBe('true')
    await screenshot(page, 'studio-3-published')
    await page.close()
  })

  it('shows the story as published after a reload, as the lake does over HTTP', async () => {
    const page = await openPage()
    await page.goto(editUrl(PUBLISHED_ID))
    await waitForForm(page)
    await expect.poll(() => page.locator('[data-testid="field-title"] input').inputValue(), {timeout: 30_000}).toBe(TITLE)
    await expect.poll(() => page.getByText(BODY_TEXT).count(), {timeout: 30_000}).toBeGreaterThan(0)
    await screenshot(page, 'studio-4-reloaded')

    const {lakeHttpUrl, token, dataset} = e2eTargets()
    const res = await fetch(`${lakeHttpUrl}/v2025-02-19/data/doc/${dataset}/${PUBLISHED_ID},${DRAFT_ID}`, {
      headers: {authorization: `Bearer ${token}`},
    })
    const answer = (await res.json()) as {documents: Array<{_id: string; title?: string}>}
    expect(answer.documents.map((doc) => [doc._id, doc.title])).toEqual([[PUBLISHED_ID, TITLE]])
    await page.close()
  })

  it("shows one tab's edit live in a second tab", async () => {
    const [first, second] = [await openPage(), await openPage()]
    await Promise.all([first.goto(editUrl(PUBLISHED_ID)), second.goto(editUrl(PUBLISHED_ID))])
    await Promise.all([waitForForm(first), waitForForm(second)])

    const firstTitle = first.locator('[data-testid="field-title"] input')
    await firstTitle.click()
    await firstTitle.press('End')
    await first.keyboard.type(LIVE_SUFFIX)

    const secondTitle = second.locator('[data-testid="field-title"] input')
    await expect.poll(() => secondTitle.inputValue(), {timeout: 30_000}).toBe(TITLE + LIVE_SUFFIX)
    await screenshot(first, 'studio-5-tab-one')
    await screenshot(second, 'studio-5-tab-two')
    await first.close()
    await second.close()
  })

  it('made no request off the machine and hit no page errors', () => {
    const hosts = [...new Set(context.blocked.map((url) => new URL(url).host))]
    if (hosts.length) console.log(`[e2e] refused off-machine requests to: ${hosts.join(', ')}`)
    // The Studio's own telemetry/update pings to Sanity's hosts are refused by the context; nothing else may be.
    expect(context.blocked.filter((url) => !/sanity\.io|sanity-cdn\.com|sanity\.work/.test(url))).toEqual([])
    expect(pageErrors).toEqual([])
  })
})
