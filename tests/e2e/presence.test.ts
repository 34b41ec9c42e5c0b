/**
 * Presence over the lake's WebSocket (lake/presence.ts) in real Chromium: two editors (two
 * browser contexts, so two Studio sessions) with the same story open see each other, in the
 * document pane's header while only looking and at the field the other is typing in.
 * https://www.sanity.io/docs/studio/presence (document and field presence).
 */
import type {Browser, BrowserContext, Page} from 'playwright-core'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {e2eTargets, lakeClient, launchBrowser, newContext, requiredStoryFields, screenshot} from './harness'

const RUN = Date.now().toString(36)
const STORY_ID = `story.presence-${RUN}`
const TITLE = `Two Lamps ${RUN}`

let browser: Browser
const contexts: BrowserContext[] = []

beforeAll(async () => {
  const story = {_type: 'story', title: TITLE, ...requiredStoryFields(`two-lamps-${RUN}`)}
  // Published and with a draft: the Studio reports presence on the draft's id, and an editor's
  // first keystroke into a story without a draft moves them to the new draft at the top (no field).
  await lakeClient().transaction().createOrReplace({...story, _id: STORY_ID}).createOrReplace({...story, _id: `drafts.${STORY_ID}`}).commit()
  browser = await launchBrowser()
})

afterAll(async () => {
  await browser?.close()
})

/** A new editor (own context: own storage, own presence session) with the story open. */
async function editorWithStoryOpen(): Promise<Page> {
  const context = await newContext(browser)
  contexts.push(context)
  const page = await context.newPage()
  await page.goto(`${e2eTargets().studioUrl}/structure/story;${STORY_ID}`)
  await page.waitForFunction(
    (want) => (document.querySelector('[data-testid="field-title"] input') as HTMLInputElement | null)?.value === want,
    TITLE,
    {timeout: 120_000},
  )
  return page
}

const documentPresence = (page: Page) => page.locator('[data-testid="document-level-presence"]')
/** Avatars over the form (the Studio's presence overlay): another editor is in one of its fields. */
const fieldPresence = (page: Page) => page.locator('[data-testid="document-panel-scroller"] [data-ui="Avatar"]')

describe('presence', () => {
  it('two editors of one story see each other in the document and in the field being edited', async () => {
    const first = await editorWithStoryOpen()
    const second = await editorWithStoryOpen()

    // Both only look at the story: each shows the other in the pane header, none over the form.
    await documentPresence(first).waitFor({timeout: 60_000})
    await documentPresence(second).waitFor({timeout: 60_000})
    expect(await fieldPresence(second).count()).toBe(0)

    // The first editor types in the title: the second sees them at that field (over the form).
    await first.locator('[data-testid="field-title"] input').click()
    await first.keyboard.press('End')
    await first.keyboard.type(' (draft)', {delay: 20})
    await expect.poll(() => fieldPresence(second).count(), {timeout: 60_000}).toBeGreaterThan(0)
    await screenshot(second, 'presence-second-editor')

    // The first editor leaves: the second stops showing them.
    await contexts[0].close()
    await expect.poll(async () => (await documentPresence(second).count()) + (await fieldPresence(second).count()), {timeout: 60_000}).toBe(0)
    // Two Studios start in it: on a loaded machine that alone takes minutes.
  }, 360_000)
})
