import {evaluateSync, type ExprNode} from 'groq-js'
import {LakeError} from './errors'
import {flag, paramsFromSearch, writeChunk, type LakeRequest, type LakeResponse} from './http-util'
import {isPublishedId, isVersionId} from './ids'
import {parseQuery} from './query'
import type {Store} from './store'
import type {CommittedTransaction, DocumentChange, LakeDocument, Transition} from './types'

export interface ListenOptions {
  store: Store
  dataset: string
  authenticated: boolean
  keepAliveMs: number
  /** Resuming further back than this many transactions answers `reset` (the client refetches). */
  maxReplay?: number
  /** A listener whose unsent output exceeds this many bytes is disconnected. */
  maxBufferedBytes?: number
}

export const DEFAULT_MAX_REPLAY = 1000
export const DEFAULT_MAX_BUFFERED_BYTES = 8 * 1024 * 1024

interface ListenSettings {
  filter: ExprNode
  params: Record<string, unknown>
  includeResult: boolean
  includePreviousRevision: boolean
  includeMutations: boolean
  includeAllVersions: boolean
  visibility: string
  mendoza: boolean
}

function matches(settings: ListenSettings, doc: LakeDocument | null): boolean {
  if (!doc) return false
  try {
    const value = evaluateSync(settings.filter, {dataset: [doc], params: settings.params}).data
    return Array.isArray(value) ? value.length > 0 : Boolean(value)
  } catch {
    return false
  }
}

/** The id a mutation as applied targets (see WorkingTransaction.submitted). */
function targetOf(mutation: unknown): string | undefined {
  const [body] = Object.values(mutation as Record<string, {id?: unknown; _id?: unknown}>)
  const id = body?.id ?? body?._id
  return typeof id === 'string' ? id : undefined
}

/** The transaction's mutations on this document, as they were applied (https://www.sanity.io/docs/listening). */
function mutationsFor(transaction: CommittedTransaction, change: DocumentChange): unknown[] {
  if (transaction.mutations) return transaction.mutations.filter((mutation) => targetOf(mutation) === change.id)
  // Transactions stored before the applied mutations were kept: the whole resulting document.
  return change.after ? [{createOrReplace: change.after}] : [{delete: {id: change.id}}]
}

/** Server-sent event payloads for one committed transaction, as Sanity's listener shapes them. */
export function eventsFor(
  transaction: CommittedTransaction,
  settings: ListenSettings,
  authenticated: boolean,
): Array<{id: string; data: Record<string, unknown>}> {
  const relevant: Array<{change: DocumentChange; transition: Transition}> = []
  for (const change of transaction.changes) {
    if (!authenticated && !isPublishedId(change.id)) continue
    if (!settings.includeAllVersions && isVersionId(change.id)) continue
    const before = matches(settings, change.before)
    const after = matches(settings, change.after)
    if (!before && !after) continue
    relevant.push({change, transition: before && after ? 'update' : after ? 'appear' : 'disappear'})
  }
  return relevant.map(({change, transition}, index) => {
    const eventId = `${transaction.transactionId}#${change.id}`
    const data: Record<string, unknown> = {
      eventId,
      documentId: change.id,
      transactionId: transaction.transactionId,
      transition,
      identity: transaction.identity,
      previousRev: change.before?._rev,
      // A deletion has no resulting document, but the Studio orders events by revision and drops
      // one without resultRev: the transaction id is the revision the deletion happened in.
      resultRev: change.after?._rev ?? transaction.transactionId,
      timestamp: transaction.timestamp,
      visibility: settings.visibility,
      transactionTotalEvents: relevant.length,
      transactionCurrentEvent: index + 1,
    }
    if (settings.includeMutations) data.mutations = mutationsFor(transaction, change)
    // Whole-value mendoza patches: `[0, value]` means "the result is this value".
    if (settings.mendoza) data.effects = {apply: [0, change.after], revert: [0, change.before]}
    if (settings.includeResult && change.after) data.result = change.after
    if (settings.includePreviousRevision && change.before) data.previous = change.before
    return {id: eventId, data}
  })
}

function writeEvent(res: LakeResponse, event: string, data: unknown, id?: string): void {
  let chunk = ''
  if (id) chunk += `id: ${id}\n`
  chunk += `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`
  writeChunk(res, chunk)
}

export function handleListen(req: LakeRequest, res: LakeResponse, url: URL, options: ListenOptions): void {
  const search = url.searchParams
  const query = search.get('query')
  if (!query) throw new LakeError(400, 'validationError', 'The listener needs a "query" parameter, e.g. *[_type == "story"]')
  const params = paramsFromSearch(search)
  const settings: ListenSettings = {
    filter: parseQuery(query, params),
    params,
    // Defaults of the HTTP API (https://www.sanity.io/docs/listening): no documents unless asked,
    // events as soon as the transaction commits. @sanity/client sends its own defaults explicitly.
    includeResult: flag(search, 'includeResult'),
    includePreviousRevision: flag(search, 'includePreviousRevision'),
    includeMutations: flag(search, 'includeMutations', true),
    includeAllVersions: flag(search, 'includeAllVersions'),
    visibility: search.get('visibility') === 'query' ? 'query' : 'transaction',
    mendoza: search.get('effectFormat') === 'mendoza',
  }
  const {store, dataset, authenticated} = options

  res.statusCode = 200
  res.setHeader('content-type', 'text/event-stream; charset=utf-8')
  res.setHeader('cache-control', 'no-cache, no-transform')
  res.setHeader('x-accel-buffering', 'no')

  const maxBufferedBytes = options.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED_BYTES
  let closed = false
  let keepAlive: ReturnType<typeof setInterval> | undefined
  const send = (transaction: CommittedTransaction) => {
    if (closed) return
    for (const event of eventsFor(transaction, settings, authenticated)) writeEvent(res, 'mutation', event.data, event.id)
    // A client that stops reading would otherwise make the lake buffer every later event.
    if (res.writableLength > maxBufferedBytes) {
      cleanup()
      res.destroy()
    }
  }
  // Subscribe before replaying so nothing committed in between is lost.
  const pending: CommittedTransaction[] = []
  let replaying = true
  const unsubscribe = store.subscribe(dataset, (transaction) => {
    if (replaying) pending.push(transaction)
    else send(transaction)
  })

  const lastEventId = req.headers['last-event-id'] ?? search.get('lastEventId')
  const resumeFrom = typeof lastEventId === 'string' && lastEventId ? lastEventId.split('#')[0] : null
  const listenerName = `lake-${Math.random().toString(36).slice(2, 10)}`
  if (resumeFrom && flag(search, 'enableResume')) {
    const missed = store.transactionsAfter(dataset, resumeFrom, options.maxReplay ?? DEFAULT_MAX_REPLAY)
    if (missed === null) {
      writeEvent(res, 'reset', {listenerName})
    } else {
      writeEvent(res, 'welcomeback', {listenerName})
      const seen = new Set<string>()
      for (const transaction of missed) {
        seen.add(transaction.transactionId)
        send(transaction)
      }
      for (let i = pending.length - 1; i >= 0; i--) if (seen.has(pending[i].transactionId)) pending.splice(i, 1)
    }
  } else {
    writeEvent(res, 'welcome', {listenerName})
  }
  replaying = false
  for (const transaction of pending) send(transaction)

  function cleanup() {
    if (closed) return
    closed = true
    if (keepAlive) clearInterval(keepAlive)
    unsubscribe()
  }
  if (closed) return
  keepAlive = setInterval(() => writeChunk(res, ": keep-alive\n\n"), options.keepAliveMs)
  keepAlive.unref?.()
  req.on('close', cleanup)
  res.on('close', cleanup)
  res.on('error', cleanup)
}
