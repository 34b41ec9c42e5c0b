/**
 * Story-list filters, sort and cursor as they travel in a page's query string. Values outside
 * the archive's vocabularies are dropped, not passed to GROQ, so a hand-edited URL can only
 * ever narrow a list in ways the filter form could.
 */
import {CATEGORIES, LANGUAGES, RATING_SEED, STORY_STATUSES, WARNINGS} from '../rules'

export const SORTS = [
  {value: 'published', title: 'Newest'},
  {value: 'updated', title: 'Recently updated'},
  {value: 'words', title: 'Longest'},
] as const
export type SortValue = (typeof SORTS)[number]['value']

export interface ListFilters {
  rating: string | null
  warning: string | null
  excludeWarnings: string[] | null
  category: string | null
  status: string | null
  language: string | null
  minWords: number | null
  maxWords: number | null
}

/** Scope of a list page: which fandom / author / tag it belongs to (ids, or the tag text). */
export interface ListScope {
  fandom: string | null
  author: string | null
  /** A tag, character or relationship; `$tag` is reserved by @sanity/client, hence the name. */
  tagged: string | null
}

/** Where the previous page ended: its last story's sort value and id. */
export interface Cursor {
  value: string | number
  id: string
}

export interface ListRequest {
  filters: ListFilters
  sort: SortValue
  cursor: Cursor | null
}

const oneOf = (allowed: readonly {value: string}[], raw: string | null) =>
  raw && allowed.some((o) => o.value === raw) ? raw : null

function wordBound(raw: string | null): number | null {
  if (!raw || !/^\d{1,9}$/.test(raw.trim())) return null
  return Number(raw.trim())
}

export function parseListRequest(params: URLSearchParams): ListRequest {
  const exclude = params.getAll('exclude').filter((w) => WARNINGS.some((o) => o.value === w))
  const sortRaw = params.get('sort')
  return {
    filters: {
      rating: oneOf(RATING_SEED.map((r) => ({value: r.code})), params.get('rating')),
      warning: oneOf(WARNINGS, params.get('warning')),
      excludeWarnings: exclude.length > 0 ? exclude : null,
      category: oneOf(CATEGORIES, params.get('category')),
      status: oneOf(STORY_STATUSES, params.get('status')),
      language: oneOf(LANGUAGES, params.get('language')),
      minWords: wordBound(params.get('min')),
      maxWords: wordBound(params.get('max')),
    },
    sort: (SORTS.find((s) => s.value === sortRaw)?.value ?? 'published') as SortValue,
    cursor: decodeCursor(params.get('after')),
  }
}

/** The query string for a list page (filters and sort kept, optional cursor). */
export function listSearch(request: Omit<ListRequest, 'cursor'>, cursor: Cursor | null = null): string {
  const q = new URLSearchParams()
  const f = request.filters
  if (request.sort !== 'published') q.set('sort', request.sort)
  if (f.rating) q.set('rating', f.rating)
  if (f.warning) q.set('warning', f.warning)
  for (const w of f.excludeWarnings ?? []) q.append('exclude', w)
  if (f.category) q.set('category', f.category)
  if (f.status) q.set('status', f.status)
  if (f.language) q.set('language', f.language)
  if (f.minWords !== null) q.set('min', String(f.minWords))
  if (f.maxWords !== null) q.set('max', String(f.maxWords))
  if (cursor) q.set('after', encodeCursor(cursor))
  const s = q.toString()
  return s ? `?${s}` : ''
}

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify([cursor.value, cursor.id]), 'utf8').toString('base64url')
}

/** A malformed cursor reads as "first page": it can only come from a hand-edited URL. */
export function decodeCursor(raw: string | null): Cursor | null {
  if (!raw || raw.length > 512) return null
  try {
    const parsed: unknown = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'))
    if (!Array.isArray(parsed) || parsed.length !== 2) return null
    const [value, id] = parsed
    if (typeof id !== 'string' || !id) return null
    if (typeof value !== 'string' && !(typeof value === 'number' && Number.isFinite(value))) return null
    return {value, id}
  } catch {
    return null
  }
}

/** Turns the reader's search box input into GROQ match terms (each a prefix match). */
export function searchTerms(input: string): string[] {
  const words = input.normalize('NFKC').toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean)
  // A lone letter (the "s" of "keeper's") as a prefix would demand a word starting with it.
  const meaningful = words.filter((w) => w.length > 1)
  return (meaningful.length > 0 ? meaningful : words).slice(0, 8).map((word) => `${word}*`)
}
