/**
 * Shared helpers for end-to-end tests. `tests/e2e/global-setup.ts` starts, once per run,
 * a seeded local lake and the built Studio; tests reach them through `e2eTargets()`.
 *
 *   const browser = await launchBrowser()
 *   const context = await newContext(browser)        // trusts the lake's local certificate
 *   const page = await context.newPage()
 *   await page.goto(e2eTargets().studioUrl)
 *   await screenshot(page, 'studio-loaded')           // -> test-results/studio-loaded.png
 *   const doc = await lakeClient().getDocument('story.x')
 *   await browser.close()
 */
import {existsSync, mkdirSync} from 'node:fs'
import {join, resolve} from 'node:path'
import type {ClientPerspective, SanityClient} from '@sanity/client'
import {chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page} from 'playwright-core'
import {inject} from 'vitest'
import {localLakeClient} from '../../lake/connection'
import type {E2eTargets} from './global-setup'

export type {E2eTargets}

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium'
export const RESULTS_DIR = resolve(import.meta.dirname, '..', '..', 'test-results')

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

export function e2eTargets(): E2eTargets {
  return {
    lakeUrl: inject('lakeUrl'),
    lakeHttpUrl: inject('lakeHttpUrl'),
    token: inject('token'),
    studioUrl: inject('studioUrl'),
    dataset: inject('dataset'),
    home: inject('home'),
  }
}

/**
 * Chromium from the system. A missing browser fails the test: it never skips. `env` (e.g. a
 * HOME whose NSS database does or does not trust the lake's CA) replaces the browser's environment.
 */
export async function launchBrowser(executablePath: string = CHROMIUM_PATH, env?: NodeJS.ProcessEnv): Promise<Browser> {
  if (!existsSync(executablePath)) {
    throw new Error(`Chromium not found at ${executablePath}: install it (apt-get install -y chromium) or set CHROMIUM_PATH. Browser tests never skip.`)
  }
  return chromium.launch({executablePath, args: CHROMIUM_ARGS, ...(env ? {env} : {})})
}

function isLoopbackHost(hostname: string): boolean {
  return hostname === 'localhost' || hostname.endsWith('.localhost') || hostname === '127.0.0.1' || hostname === '[::1]'
}

/**
 * A browser context that accepts the lake's self-signed certificate (unless the options say
 * `ignoreHTTPSErrors: false`) and refuses every
 * request that would leave the machine (the tests must pass offline; the Studio would
 * otherwise wait on telemetry and update checks). Blocked URLs are kept on `blocked`.
 */
export async function newContext(
  browser: Browser,
  options: BrowserContextOptions = {},
): Promise<BrowserContext & {blocked: string[]}> {
  const context = await browser.newContext({
    ignoreHTTPSErrors: true,
    viewport: {width: 1400, height: 900},
    ...options,
  })
  const blocked: string[] = []
  await context.route(
    (url) => !(url.protocol === 'data:' || url.protocol === 'blob:' || isLoopbackHost(url.hostname)),
    (route) => {
      blocked.push(route.request().url())
      return route.abort('blockedbyclient')
    },
  )
  return Object.assign(context, {blocked})
}

/** Saves a full-page PNG under test-results/ and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(RESULTS_DIR, {recursive: true})
  const path = join(RESULTS_DIR, `${name.replace(/[^a-z0-9._-]+/gi, '-')}.png`)
  await page.screenshot({path, fullPage: true})
  return path
}

/** A @sanity/client for the test lake (plain HTTP, authenticated), for setup and assertions. */
export function lakeClient(perspective: ClientPerspective = 'raw'): SanityClient {
  const {lakeHttpUrl, token, dataset} = e2eTargets()
  return localLakeClient({httpUrl: lakeHttpUrl, token, dataset, perspective})
}

/**
 * The fields a story needs besides those a test types through the Studio: a sample author,
 * fandom and rating (seeded by global-setup), and the required taxonomy.
 */
export function requiredStoryFields(slug: string): Record<string, unknown> {
  return {
    slug: {_type: 'slug', current: slug},
    authors: [{_type: 'reference', _ref: 'author.wren-calloway', _key: 'a0'}],
    fandoms: [{_type: 'reference', _ref: 'fandom.saltmarsh-chronicles', _key: 'f0'}],
    rating: {_type: 'reference', _ref: 'rating.general'},
    warnings: ['no-archive-warnings-apply'],
    categories: ['gen'],
    language: 'en',
    status: 'complete',
  }
}

/**
 * Polls the lake until `done` holds, for what the Studio writes in the background; the error
 * names what was awaited and the last value seen.
 */
export async function waitForLake<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  let last: T | undefined
  while (Date.now() < deadline) {
    last = await read()
    if (done(last)) return last
    await new Promise((wait) => setTimeout(wait, 250))
  }
  throw new Error(`Timed out waiting for the lake: ${what} (last seen: ${JSON.stringify(last)?.slice(0, 500)})`)
}
