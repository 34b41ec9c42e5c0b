/**
 * A newcomer's first run, in real Chromium with certificate checking on (no ignoreHTTPSErrors):
 * - a browser that does not trust the lake's local certificate gets the Studio's instructions
 *   (the ping URL to accept, `npm run trust`), not Sanity's "check status.sanity.io";
 * - `npm run trust` in a fresh home folder creates the NSS database and trusts the per-user CA,
 *   and a fresh Chromium profile in that home then loads the Studio and opens a story;
 * - the README's screenshots of the Studio and the reader site (docs/screenshots/).
 * The story-open time is printed (not asserted; `npm run bench -- studio` measures it).
 */
import {spawnSync} from 'node:child_process'
import {existsSync, mkdirSync, mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join, resolve} from 'node:path'
import type {Page} from 'playwright-core'
import {afterAll, describe, expect, it} from 'vitest'
import {localLakeClient} from '../../lake/connection'
import {NOTICE_ID} from '../../lake/unreachable'
import {startSite} from '../../site/server'
import {CHROMIUM_PATH, e2eTargets, launchBrowser, newContext, screenshot} from './harness'
import {openStoryFromList} from './story-open'

const root = resolve(import.meta.dirname, '..', '..')
const SCREENSHOTS = join(root, 'docs', 'screenshots')
const VIEWPORT = {width: 1280, height: 800}
const cleanups: Array<() => Promise<void> | void> = []

afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup()
})

async function readmeScreenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, {recursive: true})
  await page.screenshot({path: join(SCREENSHOTS, name)})
}

function pingUrl(): string {
  return `${e2eTargets().lakeUrl.replace('//localhost', '//local.localhost')}/v1/ping`
}

describe('first run', () => {
  it('a browser that does not trust the local certificate is told what to do, with the ping URL', async () => {
    const home = mkdtempSync(join(tmpdir(), 'e2e-untrusting-home-'))
    cleanups.push(() => rmSync(home, {recursive: true, force: true}))
    const browser = await launchBrowser(CHROMIUM_PATH, {...process.env, HOME: home})
    cleanups.push(() => browser.close())
    const context = await newContext(browser, {ignoreHTTPSErrors: false, viewport: VIEWPORT})
    const page = await context.newPage()
    await page.goto(`${e2eTargets().studioUrl}/structure/story`)

    const notice = page.locator(`#${NOTICE_ID}`)
    await notice.waitFor({timeout: 60_000})
    await expect.poll(() => notice.textContent()).toContain('The Studio cannot reach the local Content Lake')
    const text = (await notice.textContent()) ?? ''
    expect(text).toContain('npm run trust')
    expect(text).toContain('npm run dev')
    expect(await notice.getByRole('link', {name: pingUrl()}).getAttribute('href')).toBe(pingUrl())
    // The notice is what the reader sees: it covers Sanity's own network dialog, if any.
    const topmost = await page.evaluate((id) => document.elementFromPoint(innerWidth / 2, innerHeight / 3)?.closest(`#${id}`) !== null, NOTICE_ID)
    expect(topmost).toBe(true)
    await screenshot(page, 'first-run-untrusted')
  })

  it('`npm run trust` in a fresh home lets a fresh Chromium profile load the Studio with certificate checks on', async () => {
    const {home, studioUrl} = e2eTargets()
    expect(existsSync(join(home, '.pki'))).toBe(false)
    const env: NodeJS.ProcessEnv = {...process.env, HOME: home, PATH: `${join(root, 'node_modules', '.bin')}:${process.env.PATH ?? ''}`}
    delete env.LAKE_CA_DIR
    delete env.XDG_DATA_HOME
    const trust = spawnSync('npm', ['run', '--silent', 'trust'], {cwd: root, env, encoding: 'utf8', timeout: 60_000})
    expect(trust.stderr).toBe('')
    expect(trust.status).toBe(0)
    expect(trust.stdout).toContain('Trusted for Chrome and Chromium')
    expect(trust.stdout).toMatch(/macOS: .*security add-trusted-cert/)
    expect(trust.stdout).toMatch(/Windows: certutil -user -addstore Root/)
    expect(existsSync(join(home, '.pki', 'nssdb', 'cert9.db'))).toBe(true)

    const browser = await launchBrowser(CHROMIUM_PATH, {...process.env, HOME: home})
    cleanups.push(() => browser.close())
    // A fresh profile, certificate errors not ignored: only the trusted CA makes this work.
    const context = await newContext(browser, {ignoreHTTPSErrors: false, viewport: VIEWPORT})
    const page = await context.newPage()
    const ping = await page.goto(pingUrl())
    expect(ping?.status()).toBe(200)

    const requested: string[] = []
    page.on('request', (request) => requested.push(request.url()))
    await page.goto(`${studioUrl}/structure/story`)
    const opened = await openStoryFromList(page, 'Seven Winters')
    console.log(`[e2e] story open: ${opened} ms from the click in the list to its title field (Seven Winters)`)
    expect(await page.locator(`#${NOTICE_ID}`).count()).toBe(0)
    // A published sample that never had a draft: its footer tells of the publish.
    const status = page.locator('[data-testid="pane-footer-document-status"]')
    await expect.poll(() => status.textContent(), {timeout: 30_000}).toMatch(/published/i)
    expect(await status.textContent()).not.toMatch(/Draft created/)
    await page.locator('[data-testid="field-authors"]').getByText('Tomas Ilves').waitFor({timeout: 30_000})
    // Features that need Sanity's hosted services stay off against the lake (lake/studio.ts).
    expect(requested.filter((url) => /tasks-store|comments-store|\/Tasks[A-Za-z]*-[\w-]+\.js/.test(url))).toEqual([])
    await readmeScreenshot(page, 'studio.png')
  })

  it('the reader site, for the README', async () => {
    const {lakeHttpUrl, token, dataset} = e2eTargets()
    const site = await startSite({client: localLakeClient({httpUrl: lakeHttpUrl, token, dataset, perspective: 'published'}), port: 0})
    cleanups.push(() => site.close())
    const browser = await launchBrowser()
    cleanups.push(() => browser.close())
    const page = await (await newContext(browser, {viewport: VIEWPORT})).newPage()
    await page.goto(`${site.url}/stories/seven-winters`)
    expect(await page.locator('h1').textContent()).toBe('Seven Winters')
    await readmeScreenshot(page, 'site.png')
  })
})
