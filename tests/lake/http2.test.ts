import {connect, createServer, type ClientHttp2Session, type Http2Server} from 'node:http2'
import {rmSync} from 'node:fs'
import type {AddressInfo} from 'node:net'
import {afterAll, beforeAll, expect, test} from 'vitest'
import {createLakeHandler} from '../../lake/handler'
import {openStore, type Store} from '../../lake/store'
import {tempDir, TEST_TOKEN} from './helpers'

let dir: string
let store: Store
let server: Http2Server
let session: ClientHttp2Session

beforeAll(async () => {
  dir = tempDir()
  store = openStore(dir)
  server = createServer(createLakeHandler({store, token: TEST_TOKEN, keepAliveMs: 100}))
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  session = connect(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)
})
afterAll(async () => {
  session.close()
  await new Promise<void>((resolve) => server.close(() => resolve()))
  store.close()
  rmSync(dir, {recursive: true, force: true})
})

function request(path: string, method = 'GET', body?: string): Promise<{status: number; headers: Record<string, unknown>; text: string}> {
  return new Promise((resolve, reject) => {
    const stream = session.request({':path': path, ':method': method, authorization: `Bearer ${TEST_TOKEN}`, 'content-type': 'application/json'})
    let text = ''
    let headers: Record<string, unknown> = {}
    stream.on('response', (h) => (headers = h))
    stream.on('data', (chunk) => (text += chunk))
    stream.on('end', () => resolve({status: Number(headers[':status']), headers, text}))
    stream.on('error', reject)
    stream.end(body)
  })
}

test('mutations, queries and errors work over HTTP/2 (compat API, no connection headers)', async () => {
  const created = await request('/v2025-02-19/data/mutate/production?returnIds=true', 'POST', JSON.stringify({mutations: [{create: {_id: 'h2', _type: 'story', title: 'Over h2'}}]}))
  expect(created.status).toBe(200)
  const query = await request(`/v2025-02-19/data/query/production?query=${encodeURIComponent('*[_id == "h2"][0].title')}`)
  expect(query.headers['content-type']).toBe('application/json; charset=utf-8')
  expect(JSON.parse(query.text).result).toBe('Over h2')
  const bad = await request('/v2025-02-19/data/mutate/production', 'POST', '{oops')
  expect(bad.status).toBe(400)
})

test('a large answer, written in pieces, arrives whole over HTTP/2 with its content-length', async () => {
  // Before the listener test: blocking the thread for a second (these 3000 writes) after listener
  // streams were closed with a 100 ms keep-alive keeps http2's server.close() waiting (seen
  // before answers were paced too).
  store.mutate('pieces', Array.from({length: 3000}, (_, i) => ({create: {_id: `big-${i}`, _type: 'big', n: i, text: 'x'.repeat(1000), list: [{a: i}, {b: [i]}]}})), {skipRevisions: true})
  const query = '*[_type == "big"]{n, text, list}'
  const answer = await request(`/v2025-02-19/data/query/pieces?query=${encodeURIComponent(query)}`)
  expect(answer.status).toBe(200)
  expect(Number(answer.headers['content-length'])).toBe(Buffer.byteLength(answer.text))
  expect(JSON.parse(answer.text).result).toEqual(await store.query('pieces', query, {}, 'published'))
})

test('listeners stream over HTTP/2 and many stay open on one connection', async () => {
  const streams = Array.from({length: 8}, () => {
    const stream = session.request({':path': `/v2025-02-19/data/listen/production?query=${encodeURIComponent('*[_type == "story"]')}`, authorization: `Bearer ${TEST_TOKEN}`})
    let text = ''
    stream.on('data', (chunk) => (text += chunk))
    return {stream, text: () => text}
  })
  const deadline = Date.now() + 5000
  while (streams.some((s) => !s.text().includes('event: welcome')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20))
  await request('/v2025-02-19/data/mutate/production', 'POST', JSON.stringify({mutations: [{patch: {id: 'h2', set: {title: 'Changed'}}}]}))
  while (streams.some((s) => !s.text().includes('"Changed"')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20))
  for (const s of streams) {
    expect(s.text()).toContain('event: mutation')
    s.stream.close()
  }
})
