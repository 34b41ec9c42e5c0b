/**
 * The presence socket on the real lake server, over plain HTTP and over TLS, speaking what
 * `@sanity/bifur-client` sends (JSON-RPC 2.0).
 */
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, test} from 'vitest'
import WebSocket from 'ws'
import {startLake, type RunningLake} from '../../lake/server'

let lake: RunningLake
let dataDir: string
beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'lake-presence-'))
  lake = await startLake({dataDir, port: 0})
})
afterAll(async () => {
  await lake.close()
  rmSync(dataDir, {recursive: true, force: true})
})

interface Rpc {
  ws: WebSocket
  call(method: string, params?: Record<string, unknown>): Promise<{result?: unknown; error?: {code: number}}>
  next(predicate: (message: Record<string, unknown>) => boolean): Promise<Record<string, unknown>>
}

async function connect(url: string, headers: Record<string, string> = {}): Promise<Rpc> {
  const ws = new WebSocket(url, {headers, rejectUnauthorized: false})
  const messages: Array<Record<string, unknown>> = []
  const waiters: Array<() => void> = []
  ws.on('message', (data) => {
    const text = data.toString()
    if (text === '♥') return
    messages.push(JSON.parse(text))
    for (const wake of waiters.splice(0)) wake()
  })
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve())
    ws.once('error', reject)
  })
  let id = 0
  const next = async (predicate: (message: Record<string, unknown>) => boolean) => {
    for (;;) {
      const found = messages.findIndex(predicate)
      if (found >= 0) return messages.splice(found, 1)[0]
      await new Promise<void>((resolve) => waiters.push(resolve))
    }
  }
  return {
    ws,
    next,
    async call(method, params = {}) {
      const requestId = String(++id)
      ws.send(JSON.stringify({jsonrpc: '2.0', method, params: {...params, apiVersion: 'v1'}, id: requestId}))
      return (await next((message) => message.id === requestId)) as {result?: unknown; error?: {code: number}}
    },
  }
}

describe('presence socket', () => {
  test.each([
    ['plain HTTP', () => `ws://127.0.0.1:${lake.port}/v1/socket/production`],
    ['TLS', () => `wss://localhost:${lake.port}/v1/socket/production`],
  ])('over %s, an announced location reaches the other editor, and closing announces the leave', async (_name, url) => {
    const a = await connect(url())
    const b = await connect(url())
    try {
      expect((await a.call('presence_subscribe')).error?.code).toBe(4001)
      for (const peer of [a, b]) expect((await peer.call('authorization', {authorization: `Bearer ${lake.token}`})).result).toBe(true)
      const subscription = (await b.call('presence_subscribe')).result
      const locations = [{type: 'document', documentId: 'story.x', path: ['title'], lastActiveAt: new Date().toISOString()}]
      expect((await a.call('presence_announce', {data: {sessionId: 'session-a', locations}})).result).toBe(true)
      const event = await b.next((message) => message.method === 'presence_subscription')
      expect(event.params).toEqual({subscription, result: {type: 'state', i: expect.any(String), m: {sessionId: 'session-a', locations}}})
      a.ws.close()
      const leave = await b.next((message) => message.method === 'presence_subscription')
      expect((leave.params as {result: unknown}).result).toMatchObject({type: 'disconnect', m: {session: 'session-a'}})
    } finally {
      a.ws.close()
      b.ws.close()
    }
  })

  test('a page from the Studio\'s origin may subscribe without a token (the Studio sends none)', async () => {
    const studio = await connect(`ws://127.0.0.1:${lake.port}/v1/socket/production`, {origin: 'http://127.0.0.1:3333'})
    expect(typeof (await studio.call('presence_subscribe')).result).toBe('string')
    studio.ws.close()
  })

  test('a wrong token is refused, and a cross-site origin or foreign host cannot open the socket', async () => {
    const c = await connect(`ws://127.0.0.1:${lake.port}/v1/socket/production`)
    expect((await c.call('authorization', {authorization: 'Bearer nope'})).error?.code).toBe(4001)
    c.ws.close()
    await expect(connect(`ws://127.0.0.1:${lake.port}/v1/socket/production`, {origin: 'https://evil.example'})).rejects.toThrow(/403/)
    await expect(connect(`ws://127.0.0.1:${lake.port}/v1/socket/production`, {host: 'evil.example'})).rejects.toThrow(/403/)
  })
})
