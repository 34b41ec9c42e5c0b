import {catalogueFromRows, type CatalogueRows, type FandomCatalogue} from '../../rules'
import {catalogueQuery} from '../../queries/catalogue'
import {FANDOM_FOR_CHECKS} from '../../queries/fragments'
import type {FandomDoc} from './types'

/**
 * The fields the disclaimer check needs (a fandom's owners, or its parent franchise's), as the
 * site reads them too (queries/fragments.ts); drafts are fetched too so a fandom created minutes ago counts.
 */
export const FANDOMS_QUERY = `*[_id in $ids]{_id, ${FANDOM_FOR_CHECKS}}`
/** The first blocks of a chapter: enough for the "summary repeats the opening" check. */
export const CHAPTER_OPENING_QUERY = '*[_id in $ids]{_id, "body": body[0...12]}'

/** The part of a Sanity client the plugin uses to read. */
export interface FetchClient {
  fetch<R = unknown>(query: string, params: Record<string, unknown>): Promise<R>
}

const DRAFT_PREFIX = 'drafts.'

export function publishedId(id: string): string {
  return id.startsWith(DRAFT_PREFIX) ? id.slice(DRAFT_PREFIX.length) : id
}

/** The published ids of the documents a reference array points at, in order, without repeats. */
export function referencedIds(value: unknown): string[] {
  if (!Array.isArray(value)) return []
  const ids: string[] = []
  for (const item of value) {
    const ref = (item as {_ref?: unknown} | null)?._ref
    if (typeof ref !== 'string' || ref === '') continue
    const id = publishedId(ref)
    if (!ids.includes(id)) ids.push(id)
  }
  return ids
}

/** Both the published and the draft id of each document. */
export function idsWithDrafts(ids: readonly string[]): string[] {
  return ids.flatMap((id) => [id, `${DRAFT_PREFIX}${id}`])
}

/** One row per id, in the given order; the draft wins because that is what the editor sees. */
export function preferDrafts<T extends {_id: string}>(rows: readonly T[], ids: readonly string[]): T[] {
  const byId = new Map<string, T>()
  for (const row of rows) {
    const id = publishedId(row._id)
    if (!byId.has(id) || row._id.startsWith(DRAFT_PREFIX)) byId.set(id, row)
  }
  return ids.flatMap((id) => {
    const row = byId.get(id)
    return row ? [row] : []
  })
}

export const pickFandoms = (rows: readonly FandomDoc[], ids: readonly string[]): FandomDoc[] => preferDrafts(rows, ids)

interface CacheEntry<T> {
  at: number
  promise: Promise<T>
}

export type CachedLoader<T> = (client: FetchClient, ids: readonly string[]) => Promise<T>

/**
 * Validation runs on every keystroke, so lookups are cached per client and set of ids for a
 * short while: long enough to spare the lake, short enough that an edited fandom shows up.
 */
export function createCachedLoader<T>(
  load: (client: FetchClient, ids: readonly string[]) => Promise<T>,
  empty: T,
  ttlMs = 30_000,
  now: () => number = Date.now,
): CachedLoader<T> {
  const caches = new WeakMap<object, Map<string, CacheEntry<T>>>()
  return (client, ids) => {
    if (ids.length === 0) return Promise.resolve(empty)
    let cache = caches.get(client)
    if (!cache) {
      cache = new Map()
      caches.set(client, cache)
    }
    const key = [...ids].sort().join('\n')
    const hit = cache.get(key)
    if (hit && now() - hit.at < ttlMs) return hit.promise
    const entry = {at: now(), promise: load(client, ids)}
    cache.set(key, entry)
    // A failed request must not stick: the next keystroke asks again.
    entry.promise.catch(() => {
      if (cache.get(key) === entry) cache.delete(key)
    })
    return entry.promise
  }
}

export function createFandomLoader(ttlMs?: number, now?: () => number): CachedLoader<FandomDoc[]> {
  return createCachedLoader(
    async (client, ids) => {
      const rows = await client.fetch<FandomDoc[]>(FANDOMS_QUERY, {ids: idsWithDrafts(ids)})
      return pickFandoms(Array.isArray(rows) ? rows : [], ids)
    },
    [],
    ttlMs,
    now,
  )
}

/** The opening blocks of one chapter (pass a single id), or null when it cannot be found. */
export function createChapterOpeningLoader(ttlMs?: number, now?: () => number): CachedLoader<unknown[] | null> {
  return createCachedLoader(
    async (client, ids) => {
      const rows = await client.fetch<Array<{_id: string; body?: unknown}>>(CHAPTER_OPENING_QUERY, {ids: idsWithDrafts(ids)})
      const [row] = preferDrafts(Array.isArray(rows) ? rows : [], ids)
      return Array.isArray(row?.body) ? row.body : null
    },
    null,
    ttlMs,
    now,
  )
}

/** The loaders the Studio parts share. */
export const loadFandoms = createFandomLoader()
export const loadChapterOpening = createChapterOpeningLoader()

const CATALOGUE_KEY = ['catalogue']

/**
 * The archive's catalogue (every published rights holder and fandom, queries/catalogue.ts, mapped
 * by rules/ as the importer and the site map it), cached per client like the fandoms.
 */
export function createCatalogueLoader(ttlMs?: number, now?: () => number): (client: FetchClient) => Promise<FandomCatalogue> {
  const load = createCachedLoader<FandomCatalogue | null>(
    async (client) => {
      return catalogueFromRows(await client.fetch<CatalogueRows | null>(catalogueQuery, {}))
    },
    null,
    ttlMs,
    now,
  )
  return async (client) => (await load(client, CATALOGUE_KEY)) ?? catalogueFromRows(null)
}

export const loadCatalogue = createCatalogueLoader()
