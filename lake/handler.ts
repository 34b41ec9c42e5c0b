import {readAsset, uploadAsset} from './assets'
import {ALLOWED_HEADERS, ALLOWED_METHODS, isAllowedHost, isAllowedOrigin} from './cors'
import {LakeError} from './errors'
import {flag, JSON_TYPE, paramsFromSearch, readBody, readJson, sendError, sendJson, sendJsonInPieces, writeChunk, type LakeRequest, type LakeResponse} from './http-util'
import {documentEvents} from './history-events'
import {draftIdOf, isPublishedId, publishedIdOf} from './ids'
import {handleListen} from './listen'
import {isPublicPerspective, parsePerspective} from './perspective'
import {assertParams, assertQueryText, DEFAULT_REQUEST_LIMITS, resultTooLarge, type RequestLimits} from './request-limits'
import {datasetAcl, LOCAL_USER, projectGrants, projectInfo} from './project'
import {assertDatasetName, type MutateOptions, type MutateResult, type Store} from './store'
import {tokenMatches} from './token'
import type {Perspective} from './types'

export interface LakeHandlerOptions {
  store: Store
  token: string
  /** Extra browser origins besides the loopback ones (see cors.ts). */
  allowedOrigins?: string[]
  log?: (line: string) => void
  /** Listener keep-alive comment interval. */
  keepAliveMs?: number
  /** Listener limits (see listen.ts): resume depth before `reset`, unsent bytes before disconnecting. */
  maxListenerReplay?: number
  maxListenerBufferedBytes?: number
  /** Per-query evaluation limit (default: LAKE_QUERY_TIME_LIMIT_MS or 10 s). */
  queryTimeLimitMs?: number
  /** Size limits on query text, parameters and answers (see request-limits.ts). */
  limits?: Partial<RequestLimits>
  /** Listeners without the token open at once (default 16). */
  maxAnonymousListeners?: number
  /** Also log every query as `query {"perspective", "query", "params"}` (how Studio query fixtures are captured). */
  logQueries?: boolean
}

export type LakeHandler = (req: LakeRequest, res: LakeResponse) => void

const UNAUTHORIZED = () =>
  new LakeError(401, 'unauthorizedError', 'Unauthorized - the local token is required for writes')

/** First API version whose default perspective is `published` (as in Sanity). */
const PUBLISHED_DEFAULT_FROM = '2025-02-19'

function defaultPerspective(version: string): Perspective {
  if (version === 'X' || version === 'x') return 'published'
  return version.replace(/^v/, '') >= PUBLISHED_DEFAULT_FROM ? 'published' : 'raw'
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment)
  } catch {
    throw new LakeError(400, 'validationError', `Malformed URL path segment "${segment}"`)
  }
}

/** Descriptive fields an upload may set on its asset document (https://www.sanity.io/docs/http-api-assets). */
function assetFields(search: URLSearchParams): Record<string, unknown> {
  const fields: Record<string, unknown> = {}
  for (const name of ['title', 'description', 'label', 'creditLine']) {
    const value = search.get(name)
    if (value) fields[name] = value
  }
  const sourceName = search.get('sourceName')
  if (sourceName) {
    fields.source = {name: sourceName, id: search.get('sourceId') ?? undefined, url: search.get('sourceUrl') ?? undefined}
  }
  return fields
}

function mutateOptions(search: URLSearchParams, bodyTransactionId: unknown): MutateOptions {
  const transactionId = search.get('transactionId') ?? (typeof bodyTransactionId === 'string' ? bodyTransactionId : undefined)
  return {
    transactionId: transactionId || undefined,
    dryRun: flag(search, 'dryRun'),
    autoGenerateArrayKeys: flag(search, 'autoGenerateArrayKeys'),
  }
}

function mutateAnswer(result: MutateResult, search: URLSearchParams): Record<string, unknown> {
  const returnDocuments = flag(search, 'returnDocuments')
  const byId = new Map(result.documents.map((doc) => [doc._id, doc]))
  const answer: Record<string, unknown> = {
    transactionId: result.transactionId,
    results: result.results.map((r) => (returnDocuments && byId.has(r.id) ? {...r, document: byId.get(r.id)} : {id: r.id, operation: r.operation})),
  }
  if (flag(search, 'returnIds') || returnDocuments) answer.documentIds = [...new Set(result.results.map((r) => r.id))]
  return answer
}

/**
 * The local Content Lake's HTTP API (the subset Studio 6 and @sanity/client use), for
 * `http.createServer` or http2's compat API alike. Writes and non-published reads need
 * `Authorization: Bearer <token>`; everyone else sees the published perspective only.
 */
export function createLakeHandler(options: LakeHandlerOptions): LakeHandler {
  const {store, token} = options
  const extraOrigins = options.allowedOrigins ?? []
  const keepAliveMs = options.keepAliveMs ?? 25_000
  const listenLimits = {keepAliveMs, maxReplay: options.maxListenerReplay, maxBufferedBytes: options.maxListenerBufferedBytes}
  const keyValues = new Map<string, unknown>()
  const limits = {...DEFAULT_REQUEST_LIMITS, ...options.limits}
  const maxAnonymousListeners = options.maxAnonymousListeners ?? 16
  let anonymousListeners = 0
  const log = options.log ?? (() => {})

  async function route(req: LakeRequest, res: LakeResponse): Promise<void> {
    const host = (req.headers[':authority'] as string | undefined) ?? req.headers.host ?? '127.0.0.1'
    const secure = Boolean((req.socket as {encrypted?: boolean} | undefined)?.encrypted) || 'stream' in req
    let url: URL
    try {
      url = new URL(req.url ?? '/', `${secure ? 'https' : 'http'}://${host}`)
    } catch {
      throw new LakeError(400, 'validationError', 'Malformed request URL or Host header')
    }
    // DNS rebinding: a foreign name resolving to 127.0.0.1 must not make the lake that site's origin.
    if (!isAllowedHost(url.hostname, extraOrigins)) {
      throw new LakeError(403, 'hostNotAllowedError', `Host "${url.hostname}" is not a name of the local lake (use localhost or 127.0.0.1)`)
    }
    const origin = req.headers.origin
    if (typeof origin === 'string' && origin) {
      res.setHeader('vary', 'Origin')
      if (isAllowedOrigin(origin, extraOrigins)) {
        res.setHeader('access-control-allow-origin', origin)
        res.setHeader('access-control-allow-credentials', 'true')
      } else {
        // Simple cross-site requests (a form POST, a fetch without preflight) reach the server even
        // though CORS hides the answer: refuse them before they run a query or a write.
        throw new LakeError(403, 'corsOriginError', `Origin ${origin} is not allowed to use the local lake`)
      }
    }
    if (req.method === 'OPTIONS') {
      res.statusCode = 204
      res.setHeader('access-control-allow-methods', ALLOWED_METHODS)
      res.setHeader('access-control-allow-headers', (req.headers['access-control-request-headers'] as string | undefined) ?? ALLOWED_HEADERS)
      res.setHeader('access-control-max-age', '600')
      res.end()
      return
    }
    const authenticated = tokenMatches(req.headers.authorization, token)
    const requireAuth = () => {
      if (!authenticated) throw UNAUTHORIZED()
    }

    // Asset files have no API version prefix: /images/local/<dataset>/<file>.
    const assetMatch = /^\/(images|files)\/([^/]+)\/([^/]+)\/([^/]+)$/.exec(url.pathname)
    if (assetMatch && req.method === 'GET') {
      // The dataset segment becomes a folder name: `..%2F` must never reach the file system.
      const dataset = decodeSegment(assetMatch[3])
      assertDatasetName(dataset)
      const asset = readAsset(store, dataset, decodeSegment(assetMatch[4]))
      if (!asset) throw new LakeError(404, 'notFoundError', 'Asset not found')
      res.statusCode = 200
      res.setHeader('content-type', asset.mimeType)
      res.setHeader('cache-control', 'public, max-age=31536000, immutable')
      // Uploaded HTML/SVG is served from the lake's origin: never sniffed, never scripted.
      res.setHeader('x-content-type-options', 'nosniff')
      res.setHeader('content-security-policy', 'sandbox')
      res.end(asset.body)
      return
    }

    const versioned = /^\/v(\d{4}-\d{2}-\d{2}|\d+|X|x)(\/.*)?$/.exec(url.pathname)
    if (!versioned) throw new LakeError(404, 'notFoundError', `Unknown endpoint ${url.pathname}: expected /v<apiVersion>/...`)
    const version = versioned[1]
    const path = versioned[2] ?? '/'
    const segments = path.split('/').filter(Boolean).map(decodeSegment)
    const search = url.searchParams
    const method = req.method ?? 'GET'
    const perspectiveFor = (value: unknown): Perspective => {
      const perspective = parsePerspective(value, defaultPerspective(version))
      return authenticated || isPublicPerspective(perspective) ? perspective : 'published'
    }

    const [area, ...rest] = segments
    if (area === 'ping') return sendJson(res, 200, {ok: true})
    if (area === 'check' && rest[0] === 'cors') return sendJson(res, 200, {ok: true})
    if (area === 'help') return sendJson(res, 200, {description: 'Local Content Lake'})
    // The Studio's version check, pointed here by studio-build/offline.ts:
    // /v1/modules/<package>/<tag>/^<running version>/t<time>. Offline, the newest version the
    // lake knows of is the one asking, so the Studio reports itself up to date.
    if (area === 'modules') {
      const [packageName, , range] = rest
      const running = /^\^(\d+\.\d+\.\d+(?:[-+][\w.-]+)?)$/.exec(range ?? '')
      if (!packageName || !running) throw new LakeError(404, 'notFoundError', `Unknown modules endpoint ${path}: expected /v1/modules/<package>/<tag>/^<version>/t<time>`)
      return sendJson(res, 200, {packageName, latest: running[1], packageVersion: running[1]})
    }

    if (area === 'data') {
      const [kind, dataset, ...tail] = rest
      if (!kind || !dataset) throw new LakeError(404, 'notFoundError', `Unknown data endpoint ${path}`)
      assertDatasetName(dataset)
      switch (kind) {
        // The Studio's latency report reads the shard header of this answer (none here).
        case 'ping':
          return sendJson(res, 200, {ok: true})
        case 'query': {
          let query: string | null
          let params: Record<string, unknown>
          let perspectiveParam: unknown = search.get('perspective') ?? undefined
          if (method === 'POST') {
            // Refused before it is read: a query body can hold the largest query and parameters, no more.
            const bodyLimit = limits.maxQueryLength * 4 + limits.maxParamBytes + 4096
            if (Number(req.headers['content-length']) > bodyLimit) {
              throw new LakeError(413, 'queryTooLarge', `Query body is ${req.headers['content-length']} bytes; the local lake accepts at most ${bodyLimit}`)
            }
            const body = (await readJson(req, bodyLimit)) as Record<string, unknown>
            if (!body || typeof body !== 'object') throw new LakeError(400, 'validationError', 'Query body must be an object {query, params}')
            query = typeof body.query === 'string' ? body.query : null
            params = (body.params as Record<string, unknown>) ?? {}
            if (body.perspective !== undefined) perspectiveParam = body.perspective
          } else {
            query = search.get('query')
            params = paramsFromSearch(search)
          }
          if (!query) throw new LakeError(400, 'validationError', 'Missing "query" parameter')
          assertQueryText(query, limits)
          if (!params || typeof params !== 'object' || Array.isArray(params)) throw new LakeError(400, 'validationError', '"params" must be an object')
          assertParams(params, limits)
          const started = performance.now()
          const perspective = perspectiveFor(perspectiveParam)
          if (options.logQueries) log(`query ${JSON.stringify({perspective, query, params})}`)
          const result = await store.query(dataset, query, params, perspective, {timeLimitMs: options.queryTimeLimitMs})
          const answer: Record<string, unknown> = {query, result: result ?? null, ms: Math.round(performance.now() - started), syncTags: []}
          // https://www.sanity.io/docs/http-query: returnQuery=false leaves the query out of the answer.
          if (search.get('returnQuery') === 'false') delete answer.query
          return sendJsonInPieces(res, 200, answer, limits.maxResultBytes, () => resultTooLarge(limits))
        }
        case 'doc': {
          const ids = (tail[0] ?? '').split(',').filter(Boolean)
          if (ids.length === 0) throw new LakeError(400, 'validationError', 'No document ids given')
          const perspective = perspectiveFor(search.get('perspective') ?? 'raw')
          if (flag(search, 'includeAllVersions')) {
            // Every version of each id: published, draft and release versions (the client's getDocument option).
            const wanted = new Set(ids.map(publishedIdOf))
            const documents = store.documents(dataset, 'raw').filter((doc) => wanted.has(publishedIdOf(doc._id)) && (authenticated || isPublishedId(doc._id)))
            return sendJson(res, 200, {documents, omitted: []})
          }
          const found = store.getDocuments(dataset, ids, perspective)
          const documents: unknown[] = []
          const omitted: Array<{id: string; reason: string}> = []
          ids.forEach((id, i) => {
            const doc = found[i]
            if (doc && (authenticated || isPublishedId(doc._id))) documents.push(doc)
            else omitted.push({id, reason: doc ? 'permission' : 'existence'})
          })
          return sendJson(res, 200, {documents, omitted})
        }
        case 'mutate': {
          if (method !== 'POST') throw new LakeError(405, 'methodNotAllowed', 'Use POST for mutations')
          requireAuth()
          const body = (await readJson(req)) as Record<string, unknown>
          const mutations = Array.isArray(body) ? body : body?.mutations
          if (!Array.isArray(mutations)) throw new LakeError(400, 'validationError', 'Body must be {mutations: [...]}')
          const result = store.mutate(dataset, mutations, mutateOptions(search, Array.isArray(body) ? undefined : body.transactionId))
          return sendJson(res, 200, mutateAnswer(result, search))
        }
        case 'actions': {
          if (method !== 'POST') throw new LakeError(405, 'methodNotAllowed', 'Use POST for actions')
          requireAuth()
          const body = (await readJson(req)) as Record<string, unknown>
          const actions = Array.isArray(body?.actions) ? body.actions : body?.actionType ? [body] : null
          if (!actions) throw new LakeError(400, 'validationError', 'Body must be {actions: [...]}')
          const opts = mutateOptions(search, body.transactionId)
          if (body.dryRun === true) opts.dryRun = true
          const result = store.applyActions(dataset, actions, opts)
          return sendJson(res, 200, {transactionId: result.transactionId})
        }
        case 'listen': {
          const listenQuery = search.get('query')
          if (listenQuery) assertQueryText(listenQuery, limits)
          assertParams(paramsFromSearch(search), limits)
          if (!authenticated) {
            // Every listener's filter runs on every write: strangers get a few, editors (token) any number.
            if (anonymousListeners >= maxAnonymousListeners) {
              throw new LakeError(429, 'tooManyListenersError', `The local lake allows at most ${maxAnonymousListeners} listeners without the token at once`)
            }
            anonymousListeners++
            let released = false
            const release = () => {
              if (!released) anonymousListeners--
              released = true
            }
            res.once('close', release)
            req.once('close', release)
          }
          return handleListen(req, res, url, {store, dataset, authenticated, ...listenLimits})
        }
        case 'live':
          return handleListen(req, res, new URL(`${url.pathname}?query=${encodeURIComponent('*[false]')}`, url), {store, dataset, authenticated, ...listenLimits})
        case 'export': {
          requireAuth()
          res.statusCode = 200
          res.setHeader('content-type', 'application/x-ndjson')
          for (const line of store.exportNdjson(dataset)) writeChunk(res, line + '\n')
          res.end()
          return
        }
        case 'history':
          requireAuth()
          return history(res, dataset, tail, search)
        default:
          throw new LakeError(404, 'notFoundError', `Unknown data endpoint ${path}`)
      }
    }

    if (area === 'assets') {
      const [kind, dataset] = rest
      if ((kind !== 'images' && kind !== 'files') || !dataset || method !== 'POST') throw new LakeError(404, 'notFoundError', `Unknown assets endpoint ${path}`)
      requireAuth()
      assertDatasetName(dataset)
      const body = await readBody(req, 200 * 1024 * 1024)
      const doc = uploadAsset(store, dataset, kind, body, search.get('filename'), url.origin, assetFields(search))
      return sendJson(res, 200, {document: doc})
    }

    if (area === 'users' && rest[0] === 'me') {
      if (!authenticated) {
        throw new LakeError(401, 'unauthorizedError', 'Unauthorized - the local token is required (see <data folder>/token)')
      }
      if (rest[1] === 'keyvalue') {
        if (method === 'PUT' || method === 'POST') {
          const body = await readJson(req)
          const pairs = (Array.isArray(body) ? body : [body]) as Array<{key: string; value: unknown}>
          for (const pair of pairs) if (pair && typeof pair.key === 'string') keyValues.set(pair.key, pair.value)
          return sendJson(res, 200, pairs)
        }
        const keys = (rest[2] ?? '').split(',').filter(Boolean)
        return sendJson(res, 200, keys.map((key) => ({key, value: keyValues.has(key) ? keyValues.get(key) : null})))
      }
      return sendJson(res, 200, LOCAL_USER)
    }

    if (area === 'projects' && !rest[0]) return sendJson(res, 200, authenticated ? [projectInfo('local')] : [])
    const datasetList = () => {
      const names = new Set([...store.datasets(), 'production'])
      return [...names].map((name) => ({name, aclMode: 'public', createdAt: null, createdByUserId: LOCAL_USER.id, tags: []}))
    }
    // Vision lists datasets on the project host (`/v2025-06-27/datasets`).
    if (area === 'datasets' && rest.length === 0) return sendJson(res, 200, datasetList())
    if (area === 'projects' && rest[0]) {
      const projectId = rest[0]
      if (rest.length === 1) return sendJson(res, 200, projectInfo(projectId))
      if (rest[1] === 'datasets') {
        if (rest.length === 2) return sendJson(res, 200, datasetList())
        if (rest[3] === 'acl') return sendJson(res, 200, datasetAcl())
        return sendJson(res, 200, {datasetName: rest[2], aclMode: 'public'})
      }
      if (rest[1] === 'grants') return sendJson(res, 200, projectGrants())
      if (rest[1] === 'features') return sendJson(res, 200, [])
      if (rest[1] === 'users') return sendJson(res, 200, [LOCAL_USER])
      // The Studio maps over this list (deployed studios and apps); the local lake has none.
      if (rest[1] === 'user-applications') return sendJson(res, 200, [])
      return sendJson(res, 200, {})
    }
    if (area === 'features') return sendJson(res, 200, [])
    if (area === 'journey' || area === 'schedules' || area === 'releases') return sendJson(res, 200, area === 'schedules' ? {schedules: []} : {})
    // The Studio uploads its schema for Sanity's cloud features; the local lake keeps none of it.
    if (area === 'descriptors' && (rest[0] === 'claim' || rest[0] === 'synchronize')) {
      requireAuth()
      return sendJson(res, 200, rest[0] === 'claim' ? {synchronization: {type: 'complete'}} : {type: 'complete'})
    }
    // Telemetry stays on this machine: consent is "denied", so the Studio sends no batches.
    if (area === 'intake' && rest[0] === 'telemetry-status') return sendJson(res, 200, {status: 'denied'})
    if (area === 'intake' && rest[0] === 'batch') return sendJson(res, 200, {})
    // The Studio's feedback tunnel, pointed here by studio-build/offline.ts: nothing is collected,
    // so the help menu's probe gets "not available" and the Studio offers no feedback form.
    if (area === 'intake' && rest[0] === 'feedback') {
      throw new LakeError(501, 'notImplementedError', 'The local lake collects no feedback: nothing is sent off this machine')
    }
    if (area === 'socket') throw new LakeError(426, 'upgradeRequiredError', 'The presence socket speaks WebSocket: send an Upgrade request')
    if (area === 'users' && rest[0] && rest.length === 1) {
      requireAuth()
      // The Studio resolves the users it shows (presence avatars, history authors) by id.
      return sendJson(res, 200, rest[0].split(',').filter((id) => id === LOCAL_USER.id).map(() => LOCAL_USER))
    }
    throw new LakeError(404, 'notFoundError', `Unknown endpoint ${path}`)
  }

  function history(res: LakeResponse, dataset: string, tail: string[], search: URLSearchParams): void {
    const [what, ...more] = tail
    if (what === 'documents') {
      const ids = (more[0] ?? '').split(',').filter(Boolean)
      const revision = search.get('revision')
      const time = search.get('time')
      const lastRevision = flag(search, 'lastRevision')
      // https://www.sanity.io/docs/history-api: one of revision, time or lastRevision at a time.
      if ([revision, time, lastRevision || null].filter(Boolean).length > 1) {
        throw new LakeError(400, 'validationError', 'Use only one of "revision", "time" and "lastRevision"')
      }
      if (time && Number.isNaN(Date.parse(time))) throw new LakeError(400, 'validationError', `"time" is not a timestamp: ${time}`)
      const documents = ids
        .map((id) =>
          revision
            ? store.documentAtRevision(dataset, id, revision)
            : time
              ? store.documentAtTime(dataset, id, new Date(time).toISOString())
              : lastRevision
                ? store.lastRevision(dataset, id)
                : store.getDocuments(dataset, [id])[0],
        )
        .filter(Boolean)
      return sendJson(res, 200, {documents})
    }
    if (what === 'transactions') {
      const ids = (more[0] ?? '').split(',').filter(Boolean)
      const log = store.transactionLog(dataset, ids)
      const from = search.get('fromTransaction')
      const to = search.get('toTransaction')
      let start = from ? log.findIndex((tx) => tx.transactionId === from) : 0
      if (start < 0) start = 0
      let end = to ? log.findIndex((tx) => tx.transactionId === to) : log.length - 1
      if (end < 0) end = log.length - 1
      const limit = Number(search.get('limit') ?? 0) || Infinity
      const fromTime = search.get('fromTime')
      const toTime = search.get('toTime')
      const authors = (search.get('authors') ?? '').split(',').filter(Boolean)
      const selected = log.slice(start, end + 1).filter((tx) => {
        const at = Date.parse(tx.timestamp)
        if (fromTime && at < Date.parse(fromTime)) return false
        if (toTime && at > Date.parse(toTime)) return false
        return authors.length === 0 || authors.includes(tx.identity)
      })
      const wanted = new Set(ids)
      const onlyIdentified = flag(search, 'includeIdentifiedDocumentsOnly')
      const withEffects = search.get('effectFormat') === 'mendoza'
      const ordered = flag(search, 'reverse') ? selected.reverse() : selected
      res.statusCode = 200
      res.setHeader('content-type', 'application/x-ndjson')
      let count = 0
      for (const tx of ordered) {
        if (count++ >= limit) break
        // https://www.sanity.io/docs/history-api: effects only with effectFormat=mendoza; mutations as submitted.
        const changes = onlyIdentified ? tx.changes.filter((c) => wanted.has(c.id)) : tx.changes
        const line: Record<string, unknown> = {
          id: tx.transactionId,
          timestamp: tx.timestamp,
          author: tx.identity,
          documentIDs: changes.map((c) => c.id),
        }
        if (withEffects) {
          const effects: Record<string, unknown> = {}
          for (const change of changes) effects[change.id] = {apply: [0, change.after], revert: [0, change.before]}
          line.effects = effects
        }
        if (!flag(search, 'excludeMutations')) {
          line.mutations = tx.mutations ?? changes.map((c) => (c.after ? {createOrReplace: c.after} : {delete: {id: c.id}}))
        }
        writeChunk(res, JSON.stringify(line) + '\n')
      }
      res.end()
      return
    }
    if (what === 'events' && more[0] === 'documents' && more[1]) {
      const id = more[1]
      const published = publishedIdOf(id)
      const all = documentEvents(id, store.transactionLog(dataset, [published, draftIdOf(published)]))
      // The cursor is the number of events already sent.
      const offset = Number(search.get('nextCursor') || 0) || 0
      const limit = Math.max(1, Math.min(1000, Number(search.get('limit') || 100) || 100))
      const page = all.slice(offset, offset + limit)
      return sendJson(res, 200, {events: {[id]: page}, nextCursor: offset + limit < all.length ? String(offset + limit) : ''})
    }
    if (what === 'events') return sendJson(res, 200, {events: {}, nextCursor: ''})
    throw new LakeError(404, 'notFoundError', `Unknown history endpoint ${tail.join('/')}`)
  }

  return (req, res) => {
    const started = Date.now()
    route(req, res)
      .catch((error) => {
        if (!(error instanceof LakeError)) log(`lake: ${req.method} ${req.url?.split('?')[0]} failed: ${(error as Error)?.message}`)
        sendError(res, error)
      })
      .finally(() => {
        if (Date.now() - started > 1000) log(`lake: slow request ${req.method} ${req.url?.split('?')[0]} ${Date.now() - started} ms`)
      })
  }
}

export {JSON_TYPE}
