/**
 * The one place where Node code (scripts, importer, reader site, tests) gets a @sanity/client.
 * - SANITY_STUDIO_PROJECT_ID set: the hosted Content Lake of that project.
 * - otherwise: the local lake on loopback, over plain HTTP (see lake/server.ts), so Node
 *   never has to trust the local certificate.
 * Node only (reads the token file); the Studio's browser side is lake/studio.ts.
 */
import {createClient, type ClientPerspective, type SanityClient} from '@sanity/client'
import {join} from 'node:path'
import {DEFAULT_DATASET, DEFAULT_LAKE_PORT, LOCAL_PROJECT_ID} from '../studio.target'
import {loadOrCreateToken} from './token'

export const API_VERSION = '2025-02-19'
export const DEFAULT_LAKE_DATA_DIR = '.lake-data'

type Env = Record<string, string | undefined>

export interface ArchiveClientOptions {
  env?: Env
  perspective?: ClientPerspective
  /** Overrides the token from SANITY_API_TOKEN / the lake's token file. */
  token?: string
}

/** The local lake's data folder: LAKE_DATA_DIR, default `.lake-data` (relative to the cwd). */
export function lakeDataDir(env: Env = process.env): string {
  return env.LAKE_DATA_DIR?.trim() || DEFAULT_LAKE_DATA_DIR
}

/** The local lake's port: LAKE_PORT, default 3900. */
export function lakePort(env: Env = process.env): number {
  const raw = env.LAKE_PORT?.trim()
  if (!raw) return DEFAULT_LAKE_PORT
  const port = Number(raw)
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`LAKE_PORT must be a port number (0-65535), got "${raw}"`)
  }
  return port
}

const CONNECTION_FAILURES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EHOSTUNREACH', 'ETIMEDOUT', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT'])

/** The code of a failed connection (refused, reset…) anywhere in an error's cause chain. */
function connectionFailure(error: unknown): string | undefined {
  for (let e = error, depth = 0; e && typeof e === 'object' && depth < 5; e = (e as {cause?: unknown}).cause, depth++) {
    const code = (e as {code?: unknown}).code
    if (typeof code === 'string' && CONNECTION_FAILURES.has(code)) return code
  }
  return undefined
}

/**
 * One line for a script whose local lake does not answer: the URL it tried and the command
 * that starts the lake. Undefined for any other error, and with a hosted project.
 */
export function lakeDownMessage(error: unknown, env: Env = process.env): string | undefined {
  if (env.SANITY_STUDIO_PROJECT_ID?.trim()) return undefined
  const code = connectionFailure(error)
  if (!code) return undefined
  const url = `http://127.0.0.1:${lakePort(env)}`
  return `no local Content Lake answers at ${url} (${code}); \`npm run dev\` starts it`
}

export function archiveClient(options: ArchiveClientOptions = {}): SanityClient {
  const env = options.env ?? process.env
  const dataset = env.SANITY_STUDIO_DATASET?.trim() || DEFAULT_DATASET
  const projectId = env.SANITY_STUDIO_PROJECT_ID?.trim()
  const perspective = options.perspective ? {perspective: options.perspective} : {}

  if (projectId) {
    const token = options.token ?? (env.SANITY_API_TOKEN?.trim() || undefined)
    // The CDN only serves token-less reads of published content; anything else must hit the API.
    const readsPublishedOnly = !options.perspective || options.perspective === 'published'
    return createClient({
      projectId,
      dataset,
      apiVersion: API_VERSION,
      token,
      useCdn: !token && readsPublishedOnly,
      ...perspective,
    })
  }

  return localLakeClient({
    httpUrl: `http://127.0.0.1:${lakePort(env)}`,
    token: options.token ?? loadOrCreateToken(lakeDataDir(env)),
    dataset,
    perspective: options.perspective,
  })
}

/** A client for a lake at a known plain-HTTP address, e.g. `startLake()`'s `httpUrl`. */
export function localLakeClient(options: {
  httpUrl: string
  token: string
  dataset?: string
  perspective?: ClientPerspective
}): SanityClient {
  return createClient({
    projectId: LOCAL_PROJECT_ID,
    dataset: options.dataset ?? DEFAULT_DATASET,
    apiVersion: API_VERSION,
    apiHost: options.httpUrl,
    useProjectHostname: false,
    useCdn: false,
    token: options.token,
    ...(options.perspective ? {perspective: options.perspective} : {}),
  })
}

/** Where a script's local lake data lives, resolved against a base folder (default: cwd). */
export function resolveLakeDataDir(env: Env = process.env, base: string = process.cwd()): string {
  const dir = lakeDataDir(env)
  return dir.startsWith('/') ? dir : join(base, dir)
}

/**
 * Seeds documents into an empty dataset (the first start of a fresh data folder) and
 * reports how many it wrote; a dataset that holds anything is left alone. Published
 * documents are written as drafts and then published, as an editor would, so their history
 * (and the Studio's footer) says "Published", not "Draft created".
 */
export async function seedIfEmpty(
  client: SanityClient,
  documents: ReadonlyArray<{_id: string; _type: string}>,
): Promise<number> {
  const existing = await client.fetch<number>('count(*)', {}, {perspective: 'raw'})
  if (existing > 0 || documents.length === 0) return 0
  const isPublished = (id: string) => !id.startsWith('drafts.') && !id.startsWith('versions.')
  const tx = client.transaction()
  // As drafts, references to documents not yet published are weak and strengthened when published,
  // as the Studio writes them: the lake, like the Content Lake, refuses a strong one to a missing document.
  for (const doc of documents) tx.createIfNotExists(isPublished(doc._id) ? {...weakenUntilPublished(doc), _id: `drafts.${doc._id}`} : weakenUntilPublished(doc))
  await tx.commit({visibility: 'sync'})
  const publish = documents
    .filter((doc) => isPublished(doc._id))
    .map((doc) => ({actionType: 'sanity.action.document.publish' as const, draftId: `drafts.${doc._id}`, publishedId: doc._id}))
  if (publish.length) await client.action(publish)
  return documents.length
}

/** Strong references made weak with `_strengthenOnPublish` (sample ids are `<type>.<name>`). */
function weakenUntilPublished<T>(value: T): T {
  if (Array.isArray(value)) return value.map(weakenUntilPublished) as T
  if (!value || typeof value !== 'object') return value
  const record = value as Record<string, unknown>
  if (typeof record._ref === 'string' && record._weak !== true) {
    return {...record, _weak: true, _strengthenOnPublish: {type: record._ref.split('.')[0]}} as T
  }
  return Object.fromEntries(Object.entries(record).map(([key, inner]) => [key, weakenUntilPublished(inner)])) as T
}
