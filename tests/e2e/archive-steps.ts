/**
 * The Studio on a large archive, in real Chromium: the story list, a story, a search, each of which
 * must show its result without an error ("Could not fetch list items", a page error). Returns each
 * step's time. Used by tests/e2e/archive-scale.test.ts (100,000 stories) and scripts/bench/studio.ts.
 */
import type {Page} from 'playwright-core'

export interface ArchiveStory {
  _id: string
  title: string
}

export async function studioOnArchive(page: Page, studioUrl: string, story: ArchiveStory, timeout = 120_000): Promise<string[]> {
  const times: string[] = []
  const pageErrors: string[] = []
  page.on('pageerror', (error) => pageErrors.push(error.message))
  const step = async (what: string, run: () => Promise<unknown>) => {
    const started = Date.now()
    await run()
    const failed = await page.getByText(/could not fetch list items|an error occurred/i).count()
    if (failed > 0 || pageErrors.length > 0) throw new Error(`${what}: the Studio showed an error${pageErrors.length ? ` (${pageErrors[0]})` : ''}`)
    times.push(`${what} ${Date.now() - started} ms`)
  }
  await step('story list', async () => {
    await page.goto(`${studioUrl}/structure/story`)
    await page.getByText(story.title, {exact: true}).first().waitFor({timeout})
  })
  await step('open story', async () => {
    await page.goto(`${studioUrl}/intent/edit/id=${story._id};type=story/`)
    await page.waitForFunction((want) => (document.querySelector('[data-testid="field-title"] input') as HTMLInputElement | null)?.value === want, story.title, {timeout})
  })
  // The whole title, as an editor looking for one story types it (two common words match thousands).
  const words = story.title.replace(/[^\p{L}\p{N}\s]/gu, ' ').split(/\s+/).filter((w) => w.length > 2).join(' ')
  await step(`search "${words}"`, async () => {
    await page.locator('[data-testid="studio-search"]').first().click()
    await page.keyboard.type(words)
    await page.locator('[data-testid="search-results"]').getByText(story.title, {exact: true}).first().waitFor({timeout})
  })
  return times
}
