/**
 * The reader site's request handler: routing, the content gate and the HTTP envelope.
 * Every page is rendered to HTML on the server; readers need no JavaScript.
 */
import type {IncomingMessage, ServerResponse} from 'node:http'
import type {ReactElement} from 'react'
import {renderToStaticMarkup} from 'react-dom/server'
import type {SanityClient} from '@sanity/client'
import {
  fetchAllFandoms,
  fetchAuthor,
  fetchChapter,
  fetchFandom,
  fetchHome,
  fetchSearch,
  fetchSeries,
  fetchStory,
  fetchStoryList,
} from './data'
import {FAVICON_ICO} from './favicon'
import {gateCookie, hasPassedGate, safeReturnPath} from './gate'
import {parseListRequest} from './listParams'
import {AuthorPage, BrowsePage, FandomPage, FandomsPage, HomePage, MessagePage, SearchPage, SeriesPage, TagPage} from './pages/ListPages'
import {ChapterPage, GatePage, StoryPage} from './pages/StoryPage'

const SECURITY_HEADERS = {
  // No scripts at all; styles are inline. A story's text can never run code here.
  'content-security-policy':
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' https: data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'strict-origin-when-cross-origin',
}

/** Published pages may be cached briefly; an edit shows up within a minute. */
const PUBLIC_CACHE = 'public, max-age=60'

/** Form posts to /gate carry one short field; anything bigger is not ours. */
const MAX_FORM_BYTES = 4096

interface Page {
  status: number
  element: ReactElement
  headers?: Record<string, string>
}

type Handled = Page | {status: number; redirect: string; headers?: Record<string, string>}

export function renderDocument(element: ReactElement): string {
  return `<!DOCTYPE html>${renderToStaticMarkup(element)}`
}

const notFound = (): Page => ({
  status: 404,
  element: <MessagePage title="Page not found" message="There is no story or page at this address. It may have been moved or unpublished." />,
})

/** Path segments arrive percent-encoded; a malformed one is just a page that doesn't exist. */
function decodeSegment(segment: string): string | null {
  try {
    return decodeURIComponent(segment)
  } catch {
    return null
  }
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams | null> {
  let size = 0
  const chunks: Buffer[] = []
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length
    if (size > MAX_FORM_BYTES) return null
    chunks.push(chunk)
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'))
}

function gatePassed(req: IncomingMessage, returnPath: string): Handled {
  return {status: 303, redirect: safeReturnPath(returnPath), headers: {'set-cookie': gateCookie()}}
}

async function route(client: SanityClient, req: IncomingMessage, url: URL): Promise<Handled> {
  const segments = url.pathname.split('/').filter(Boolean).map(decodeSegment)
  if (segments.some((s) => s === null)) return notFound()
  const [first, second, third, fourth, ...rest] = segments as string[]
  const method = req.method ?? 'GET'

  if (first === 'gate' && segments.length === 1) {
    if (method === 'POST') {
      const form = await readForm(req)
      if (!form) return {status: 413, element: <MessagePage title="Request too large" message="That form was larger than expected." />}
      return gatePassed(req, form.get('return') ?? '/')
    }
    if (url.searchParams.get('confirm') === '1') return gatePassed(req, url.searchParams.get('return') ?? '/')
    return {status: 303, redirect: safeReturnPath(url.searchParams.get('return') ?? '/')}
  }
  if (method !== 'GET' && method !== 'HEAD') {
    return {status: 405, element: <MessagePage title="Method not allowed" message="This page can only be read." />, headers: {allow: 'GET, HEAD'}}
  }

  if (!first) return {status: 200, element: <HomePage home={await fetchHome(client)} />}

  if (first === 'fandoms' && !second) return {status: 200, element: <FandomsPage fandoms={await fetchAllFandoms(client)} />}

  if (first === 'stories' && !second) {
    const request = parseListRequest(url.searchParams)
    return {status: 200, element: <BrowsePage request={request} page={await fetchStoryList(client, request)} />}
  }

  if (first === 'stories' && second && rest.length === 0) {
    const isChapter = third === 'chapters' && fourth !== undefined
    if (third !== undefined && !isChapter) return notFound()
    const story = await fetchStory(client, second)
    if (!story) return notFound()
    const gated = story.rating?.requiresContentGate !== false
    // What a gated URL shows depends on the reader's cookie: no shared cache may keep it.
    const headers = gated ? {'cache-control': 'private, no-store'} : undefined
    if (gated && !hasPassedGate(req.headers.cookie)) {
      return {status: 200, element: <GatePage story={story} returnPath={url.pathname} />, headers}
    }
    if (!isChapter) return {status: 200, element: <StoryPage story={story} />, headers}
    const number = /^[1-9]\d{0,4}$/.test(fourth) ? Number(fourth) : NaN
    const entry = story.chapters?.[number - 1]
    if (!entry) return notFound()
    const chapter = await fetchChapter(client, entry._id)
    if (!chapter) return notFound()
    return {status: 200, element: <ChapterPage story={story} chapter={chapter} number={number} />, headers}
  }

  if (third === undefined && second) {
    const request = parseListRequest(url.searchParams)
    const path = url.pathname
    if (first === 'fandoms') {
      const fandom = await fetchFandom(client, second)
      if (!fandom) return notFound()
      const page = await fetchStoryList(client, request, {fandom: fandom._id, author: null, tagged: null})
      return {status: 200, element: <FandomPage fandom={fandom} request={request} page={page} path={path} />}
    }
    if (first === 'authors') {
      const author = await fetchAuthor(client, second)
      if (!author) return notFound()
      const page = await fetchStoryList(client, request, {fandom: null, author: author._id, tagged: null})
      return {status: 200, element: <AuthorPage author={author} request={request} page={page} path={path} />}
    }
    if (first === 'tags') {
      const page = await fetchStoryList(client, request, {fandom: null, author: null, tagged: second})
      if (page.stories.length === 0 && !request.cursor) return notFound()
      return {status: 200, element: <TagPage tag={second} request={request} page={page} path={path} />}
    }
    if (first === 'series') {
      const series = await fetchSeries(client, second)
      if (!series) return notFound()
      return {status: 200, element: <SeriesPage series={series} />}
    }
  }

  if (first === 'search' && !second) {
    const query = (url.searchParams.get('q') ?? '').slice(0, 200).trim()
    const results = query ? await fetchSearch(client, query) : null
    return {status: 200, element: <SearchPage query={query} results={results} />}
  }

  return notFound()
}

export interface SiteHandlerOptions {
  client: SanityClient
  /** Where failures are reported (message only); defaults to stderr. */
  log?: (message: string) => void
  /**
   * Names a failure the operator can fix (e.g. the local lake is not running, see
   * lake/connection.ts `lakeDownMessage`): the page then says so with a 503 instead of a 500.
   */
  explainFailure?: (error: unknown) => string | undefined
}

export function createSiteHandler({client, log = (m) => console.error(m), explainFailure}: SiteHandlerOptions) {
  return async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if ((req.url === '/favicon.ico' || req.url?.startsWith('/favicon.ico?')) && (req.method === 'GET' || req.method === 'HEAD')) {
      res.writeHead(200, {...SECURITY_HEADERS, 'content-type': 'image/x-icon', 'content-length': String(FAVICON_ICO.length), 'cache-control': 'public, max-age=86400'})
      res.end(req.method === 'HEAD' ? undefined : FAVICON_ICO)
      return
    }
    let result: Handled
    try {
      const url = new URL(req.url ?? '/', 'http://site.invalid')
      result = await route(client, req, url)
    } catch (error) {
      // The reader sees a plain apology; the operator gets the cause (without a stack).
      const explained = explainFailure?.(error)
      log(`site: ${req.method} ${req.url} failed: ${explained ?? (error instanceof Error ? error.message : String(error))}`)
      result = explained
        ? {status: 503, element: <MessagePage title="The archive's content is not reachable" message={`${explained.charAt(0).toUpperCase()}${explained.slice(1)}.`} />}
        : {status: 500, element: <MessagePage title="Something went wrong" message="The archive could not show this page just now. Please try again in a moment." />}
    }
    const caching = result.status >= 500 || 'redirect' in result ? 'no-store' : PUBLIC_CACHE
    const headers: Record<string, string> = {...SECURITY_HEADERS, 'cache-control': caching, ...result.headers}
    if ('redirect' in result) {
      res.writeHead(result.status, {...headers, location: result.redirect, 'content-length': '0'})
      res.end()
      return
    }
    let html: string
    try {
      html = renderDocument(result.element)
    } catch (error) {
      log(`site: rendering ${req.url} failed: ${error instanceof Error ? error.message : String(error)}`)
      result = {status: 500, element: <MessagePage title="Something went wrong" message="The archive could not show this page just now." />}
      html = renderDocument(result.element)
    }
    const body = Buffer.from(html, 'utf8')
    res.writeHead(result.status, {
      ...headers,
      'content-type': 'text/html; charset=utf-8',
      'content-length': String(body.length),
    })
    res.end(req.method === 'HEAD' ? undefined : body)
  }
}
