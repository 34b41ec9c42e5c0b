import {sha256Hex} from './sha256'

/**
 * A work's identity, whatever file it came in: the same work as HTML and EPUB, or downloaded
 * again a year later with more chapters, is one story. The key is the work's source URL when the
 * file names one (normalised, so `http://www.archiveofourown.org/works/12/chapters/34?view_adult=true`
 * and `https://archiveofourown.org/works/12` agree), else its normalised title with its first author.
 */

/** Query parameters that never identify a work: tracking, display options, chapter pickers. */
const NOISE_PARAMS = /^(utm_.*|view_adult|view_full_work|show_comments|chapter|chapters|textsize|style|i|ref|fbclid|gclid)$/i

/** Sites whose work URLs carry a chapter or a slug after the work's number. */
const WORK_PATHS: Array<{host: RegExp; path: RegExp; canonical: (id: string) => string}> = [
  {host: /(^|\.)(archiveofourown\.org|ao3\.org)$/, path: /\/works\/(\d+)/, canonical: (id) => `/works/${id}`},
  {host: /(^|\.)(fanfiction\.net|fictionpress\.com)$/, path: /^\/s\/(\d+)/, canonical: (id) => `/s/${id}`},
]

/**
 * The canonical form of a work's URL (https, lower-case host without `www.`/`m.`, no fragment,
 * no chapter, no display options), or undefined when the text is not an http(s) URL.
 */
export function normaliseWorkUrl(text: string): string | undefined {
  let url: URL
  try {
    url = new URL(text.trim())
  } catch {
    return undefined
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined
  const host = url.hostname.toLowerCase().replace(/^(www\d*|m)\./, '').replace(/\.$/, '')
  if (!host.includes('.')) return undefined
  for (const site of WORK_PATHS) {
    if (!site.host.test(host)) continue
    const id = site.path.exec(url.pathname)?.[1]
    if (id) return `https://${host.replace(/^ao3\.org$/, 'archiveofourown.org')}${site.canonical(String(Number(id)))}`
  }
  const params = [...url.searchParams].filter(([name]) => !NOISE_PARAMS.test(name)).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  const query = params.length ? `?${new URLSearchParams(params).toString()}` : ''
  const path = url.pathname.replace(/\/+$/, '').replace(/\/index\.html?$/i, '')
  return `https://${host}${url.port && url.port !== '80' && url.port !== '443' ? `:${url.port}` : ''}${path}${query}`
}

/** Case, accents, punctuation and spacing never tell two titles (or names) apart. */
export function normaliseForKey(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
}

export interface WorkIdentity {
  url?: string
  title?: string
  /** The first author's name as the file gives it. */
  firstAuthor?: string
}

/**
 * `url:<canonical url>` or `title:<title>|<first author>`; undefined when the file gives neither
 * a URL nor both a title and an author (an untitled anonymous file has no identity but its bytes).
 */
export function workKey(work: WorkIdentity): string | undefined {
  const url = work.url ? normaliseWorkUrl(work.url) : undefined
  if (url) return `url:${url}`
  return titleKey(work)
}

/** The title-and-author key alone: how a file without a URL finds the same work filed with one. */
export function titleKey(work: WorkIdentity): string | undefined {
  const title = work.title ? normaliseForKey(work.title) : ''
  const author = work.firstAuthor ? normaliseForKey(work.firstAuthor) : ''
  return title && author ? `title:${title}|${author}` : undefined
}

/** `story.<first 20 hex of sha256(key)>`: the same key gives the same id on any machine. */
export function storyIdForKey(key: string): string {
  return `story.${sha256Hex(key).slice(0, 20)}`
}
