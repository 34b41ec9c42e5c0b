/**
 * How long the Studio takes to open a story: from a click on its title in the story list to
 * its form showing the title field with the story's title (until then the pane shows loading
 * skeletons). Used by the first-run e2e test (printed) and `npm run bench -- studio`.
 * No vitest import: the benchmark runs outside the test runner.
 */
import type {Page} from 'playwright-core'

export async function openStoryFromList(page: Page, title: string, timeout = 60_000): Promise<number> {
  // The list pane comes before the document pane, so the first match is the list item.
  const item = page.getByText(title, {exact: true}).first()
  await item.waitFor({timeout})
  const started = Date.now()
  await item.click()
  await page.waitForFunction(
    (want) => (document.querySelector('[data-testid="field-title"] input') as HTMLInputElement | null)?.value === want,
    title,
    {timeout, polling: 'raf'},
  )
  return Date.now() - started
}
