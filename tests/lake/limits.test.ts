import {connect} from 'node:net'
import {afterAll, beforeAll, describe, expect, test} from 'vitest'
import {startLake, TEST_TOKEN, type TestLake} from './helpers'

const DOCS = 300
// High enough that the bounded query finishes on a loaded machine; the runaways need minutes.
const LIMIT_MS = 1000

let lake: TestLake
beforeAll(async () => {
  lake = await startLake({queryTimeLimitMs: LIMIT_MS})
  const docs = Array.from({length: DOCS}, (_, i) => ({create: {_id: `story-${i}`, _type: 'story', title: `Story ${i}`}}))
  lake.store.mutate('production', docs, {skipRevisions: true})
})
afterAll(() => lake.close())

describe('runaway queries', () => {
  test.each([
    ['nested un-narrowed subqueries', '*[]{"a": *[]{"b": *[]{"c": *[]}}}'],
    ['nested subqueries in a filter', '*[count(*[count(*[count(*[]) > 0]) > 0]) > 0]'],
    ['nested narrowed subqueries', '*[_type == "story"]{"a": *[_type == "story"]{"b": *[_type == "story"]{"c": *[_type == "story"]}}}'],
  ])('%s answer 400 queryTooComplex naming the limit, anonymously too', async (_name, query) => {
    const started = performance.now()
    const res = await fetch(`${lake.baseUrl}/v2025-02-19/data/query/production?query=${encodeURIComponent(query)}`)
    const elapsed = performance.now() - started
    expect(res.status).toBe(400)
    const body = await res.json()
    expect(body.error.type).toBe('queryTooComplex')
    expect(body.error.description).toContain(`${LIMIT_MS} ms`)
    expect(elapsed).toBeLessThan(LIMIT_MS + 3000)
    // The lake keeps answering afterwards.
    expect(await lake.anonymous.fetch('count(*[_type == "story"])')).toBe(DOCS)
  })

  test('a heavy but bounded query still completes', async () => {
    expect(await lake.anonymous.fetch('count(*[]{"n": count(*[_type == "story"])})')).toBe(DOCS)
  })
})

describe('listener limits', () => {
  let small: TestLake
  beforeAll(async () => {
    small = await startLake({maxListenerReplay: 5, maxListenerBufferedBytes: 64 * 1024, keepAliveMs: 60_000})
  })
  afterAll(() => small.close())

  async function firstEvent(lastEventId: string): Promise<string> {
    const controller = new AbortController()
    const url = `${small.baseUrl}/v2025-02-19/data/listen/production?query=${encodeURIComponent('*[_type == "r"]')}&enableResume=true`
    const res = await fetch(url, {headers: {authorization: `Bearer ${TEST_TOKEN}`, 'last-event-id': lastEventId}, signal: controller.signal})
    const reader = res.body!.getReader()
    let text = ''
    while (!/\n\n/.test(text)) {
      const {value, done} = await reader.read()
      if (done) break
      text += new TextDecoder().decode(value)
    }
    controller.abort()
    return text
  }

  test.each([
    [3, 'welcomeback'],
    [5, 'welcomeback'],
    [6, 'reset'],
    [40, 'reset'],
  ])('resuming %i transactions back answers %s', async (behind, expected) => {
    const start = await small.client.create({_type: 'r', n: 0})
    for (let i = 1; i < behind; i++) await small.client.patch(start._id).set({n: i}).commit()
    const startId = start._rev
    // `behind - 1` patches follow the start, plus one more so `behind` transactions are missed.
    await small.client.create({_type: 'r', n: -1})
    const text = await firstEvent(`${startId}#${start._id}`)
    expect(text).toMatch(new RegExp(`^event: ${expected}\n`))
  })

  test('a listener that stops reading is disconnected instead of buffered without end', async () => {
    const port = Number(new URL(small.baseUrl).port)
    const socket = connect(port, '127.0.0.1')
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()))
    const path = `/v2025-02-19/data/listen/production?query=${encodeURIComponent('*[_type == "big"]')}&includeResult=true`
    socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${TEST_TOKEN}\r\n\r\n`)
    const deadline = Date.now() + 5000
    while (small.store.listenerCount('production') === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10))
    expect(small.store.listenerCount('production')).toBe(1)
    socket.pause()
    const padding = 'x'.repeat(256 * 1024)
    let commits = 0
    // Kernel socket buffers absorb a few MB first; past them the lake's own buffer grows.
    while (small.store.listenerCount('production') > 0 && commits < 400) {
      small.store.mutate('production', [{createOrReplace: {_id: 'big', _type: 'big', padding, n: commits++}}], {skipRevisions: true})
      await new Promise((r) => setImmediate(r))
    }
    socket.destroy()
    expect(small.store.listenerCount('production')).toBe(0)
    expect(commits).toBeLessThan(400)
  })
})
