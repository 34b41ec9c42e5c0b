import type {IncomingMessage, ServerResponse} from 'node:http'
import type {Http2ServerRequest, Http2ServerResponse} from 'node:http2'
import {assertNesting, LakeError} from './errors'

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
