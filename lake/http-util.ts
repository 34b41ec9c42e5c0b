import type {IncomingMessage, ServerResponse} from 'node:http'
import type {Http2ServerRequest, Http2ServerResponse} from 'node:http2'
import {assertNesting, LakeError} from './errors'
import {YIELD_EVERY_MS} from './query-budget'

export type LakeRequest = IncomingMessage | Http2ServerRequest
export type LakeResponse = ServerResponse | Http2ServerResponse

export const JSON_TYPE = 'application/json; charset=utf-8'

/** Only `setHeader`/`write`/`end`: http2's compat API rejects connection-specific headers. */
export function sendJson(res: LakeResponse, status: number, body: unknown): void {
  if (res.headersSent) {
    res.end()
    return
  }
  const payload = JSON.stringify(body)
  res.statusCode = status
  res.setHeader('content-type', JSON_TYPE)
  res.setHeader('content-length', Buffer.byteLength(payload))
  res.end(payload)
}

/** A subtree with at most this many arrays and objects is written by one `JSON.stringify`. */
const SMALL_CONTAINERS = 2000
/** Size of the strings handed to the socket. */
const PIECE_CHARS = 64 * 1024

/**
 * `sendJson` for answers of any size: a query answer may be tens of MB, and one `JSON.stringify`
 * of that holds the thread for a second. The value is written a document at a time (every
 * subtree small enough goes through one `JSON.stringify`, so the text is exactly
 * `JSON.stringify(body)`), handing the thread to other requests every few ms, and refused with
 * `tooLarge()` as soon as it passes `maxBytes`. Nothing is sent before the whole text is known
 * (it needs a content-length, and a refusal must still be able to answer 413).
 */
export async function sendJsonInPieces(res: LakeResponse, status: number, body: unknown, maxBytes: number, tooLarge: () => LakeError): Promise<void> {
  const pieces: string[] = []
  let pending = ''
  let chars = 0
  let lastYield = performance.now()
  const emit = (text: string) => {
    chars += text.length
    // UTF-16 units: never more than the UTF-8 bytes, so the exact check at the end is the one that can refuse later.
    if (chars > maxBytes) throw tooLarge()
    pending += text
    if (pending.length >= PIECE_CHARS) {
      pieces.push(pending)
      pending = ''
    }
  }
  const turn = async () => {
    if (performance.now() - lastYield < YIELD_EVERY_MS) return
    await new Promise<void>((resolve) => setImmediate(resolve))
    lastYield = performance.now()
  }
  const write = async (value: object): Promise<void> => {
    await turn()
    if (Array.isArray(value)) {
      emit('[')
      for (let i = 0; i < value.length; i++) {
        if (i > 0) emit(',')
        const item: unknown = value[i]
        if (isLarge(item)) await write(item)
        else emit(JSON.stringify(item) ?? 'null')
        if ((i & 63) === 63) await turn()
      }
      emit(']')
      return
    }
    emit('{')
    let first = true
    for (const key of Object.keys(value)) {
      const item: unknown = (value as Record<string, unknown>)[key]
      const json = isLarge(item) ? null : JSON.stringify(item)
      // Left out as JSON.stringify leaves them out (undefined, functions, symbols).
      if (json === undefined) continue
      emit(`${first ? '' : ','}${JSON.stringify(key)}:`)
      first = false
      if (json === null) await write(item as object)
      else emit(json)
    }
    emit('}')
  }
  if (isLarge(body)) {
    // Refused before any text is built when even a lower bound of its size is over the limit:
    // building tens of MB of strings only to drop them costs the other requests long GC pauses.
    if ((await jsonBytesAtLeast(body, maxBytes, turn)) > maxBytes) throw tooLarge()
    await write(body)
  } else emit(JSON.stringify(body) ?? 'null')
  if (pending) pieces.push(pending)
  let bytes = 0
  for (const piece of pieces) bytes += Buffer.byteLength(piece)
  if (bytes > maxBytes) throw tooLarge()
  if (res.headersSent) {
    res.end()
    return
  }
  res.statusCode = status
  res.setHeader('content-type', JSON_TYPE)
  res.setHeader('content-length', bytes)
  let closed = false
  res.once('close', () => (closed = true))
  for (const piece of pieces) {
    // The client went away: nothing more to write (an http2 stream throws on a write after close).
    if (closed) return
    if (!(res as ServerResponse).write(piece)) await drainOrClose(res)
    await turn()
  }
  if (!closed) res.end()
}

/**
 * A lower bound of the bytes of `JSON.stringify(value)` (every string at least its length plus
 * quotes, every other value at least one byte), counted up to just past `limit`, pausing through
 * `turn` as the writer does.
 */
async function jsonBytesAtLeast(value: unknown, limit: number, turn: () => Promise<void>): Promise<number> {
  let bytes = 0
  let visits = 0
  const stack: unknown[] = [value]
  while (stack.length > 0 && bytes <= limit) {
    if ((++visits & 1023) === 0) await turn()
    const current = stack.pop()
    if (typeof current === 'string') bytes += current.length + 2
    else if (current && typeof current === 'object' && typeof (current as {toJSON?: unknown}).toJSON !== 'function') {
      bytes += 2
      // By index: a result may hold a query's guarded candidate list, whose iterator ticks its budget.
      if (Array.isArray(current)) for (let i = 0; i < current.length; i++) stack.push(current[i])
      else {
        for (const key of Object.keys(current)) {
          const item: unknown = (current as Record<string, unknown>)[key]
          if (item === undefined || typeof item === 'function' || typeof item === 'symbol') continue
          bytes += key.length + 3
          stack.push(item)
        }
      }
    } else if (current !== undefined && typeof current !== 'function' && typeof current !== 'symbol') bytes += 1
  }
  return bytes
}

/** Whether a value is a container worth writing piece by piece (more than SMALL_CONTAINERS arrays and objects). */
function isLarge(value: unknown): value is object {
  if (!value || typeof value !== 'object' || typeof (value as {toJSON?: unknown}).toJSON === 'function') return false
  let budget = SMALL_CONTAINERS
  const stack: object[] = [value]
  while (stack.length > 0) {
    const current = stack.pop()!
    // By index: a result may hold a query's guarded candidate list, whose iterator ticks its budget.
    const items = Array.isArray(current) ? current : Object.values(current)
    budget -= 1 + items.length
    if (budget < 0) return true
    for (let i = 0; i < items.length; i++) {
      const item: unknown = items[i]
      if (item && typeof item === 'object') stack.push(item)
    }
  }
  return false
}

function drainOrClose(res: LakeResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done)
      res.off('close', done)
      resolve()
    }
    res.on('drain', done)
    res.on('close', done)
  })
}

export function sendError(res: LakeResponse, error: unknown): void {
  if (error instanceof LakeError) {
    sendJson(res, error.status, {...error.toBody(), statusCode: error.status})
    return
  }
  const message = error instanceof Error ? error.message : String(error)
  sendJson(res, 500, {error: {description: `Internal lake error: ${message}`, type: 'internalError'}, statusCode: 500})
}

export async function readBody(req: LakeRequest, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req as AsyncIterable<Buffer | string>) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk
    size += buf.length
    if (size > limit) throw new LakeError(413, 'payloadTooLargeError', `Request body exceeds ${limit} bytes`)
    chunks.push(buf)
  }
  return Buffer.concat(chunks)
}

export async function readJson(req: LakeRequest, limit = 64 * 1024 * 1024): Promise<unknown> {
  const body = await readBody(req, limit)
  if (body.length === 0) throw new LakeError(400, 'validationError', 'Request body is empty; expected JSON')
  let value: unknown
  try {
    value = JSON.parse(body.toString('utf8'))
  } catch (err) {
    throw new LakeError(400, 'validationError', `Request body is not valid JSON: ${(err as Error).message}`)
  }
  assertNesting(value, 'Request body')
  return value
}

/** `$name=<JSON>` query-string params, as @sanity/client encodes them. */
export function paramsFromSearch(search: URLSearchParams): Record<string, unknown> {
  const params: Record<string, unknown> = {}
  for (const [key, value] of search) {
    if (!key.startsWith('$')) continue
    try {
      params[key.slice(1)] = JSON.parse(value)
    } catch {
      throw new LakeError(400, 'validationError', `Query parameter "${key}" is not valid JSON`)
    }
    assertNesting(params[key.slice(1)], `Query parameter "${key}"`)
  }
  return params
}

export function flag(search: URLSearchParams, name: string, fallback = false): boolean {
  const value = search.get(name)
  if (value === null) return fallback
  return value === '' || value === 'true' || value === '1'
}

export function writeChunk(res: LakeResponse, chunk: string): void {
  ;(res as ServerResponse).write(chunk)
}
