/**
 * No query starves the others (lake/query.ts `runQuery`, README "Query scheduling"): a query
 * that outlasts its synchronous slice runs again through groq-js's async evaluator over streams
 * that hand the thread back every few ms, with the same answer; answers are serialised in pieces.
 * Ordered by events, never by timing: the lake runs in this process, so while a query held the
 * thread, the requests below could not even be sent before it finished.
 */
import {afterAll, beforeAll, describe, expect, test} from 'vitest'
import {sendJsonInPieces, type LakeResponse} from '../../lake/http-util'
import {LakeError} from '../../lake/errors'
import {startLake, TEST_TOKEN, type TestLake} from './helpers'

const DOCS = 300
// Every story compared with every other through `^`, which no index narrows: 90,000
// row evaluations, seconds in the yielding evaluation, where a ping takes a few ms.
const SLOW = 'count(*[_type == "story" && count(*[_type == "story" && n > ^.n]) > 0])'

let lake: TestLake
beforeAll(async () => {
  lake = await startLake({queryTimeLimitMs: 120_000})
  const docs = Array.from({length: DOCS}, (_, i) => ({create: {_id: `story-${i}`, _type: 'story', title: `Story ${i}`, n: i, tags: [`t${i % 7}`, `t${i % 3}`]}}))
  lake.store.mutate('production', docs, {skipRevisions: true})
})
afterAll(() => lake.close())

const api = (path: string) => `${lake.baseUrl}/v2025-02-19/data/${path}`

describe('a slow query does not hold other requests', () => {
  test('a cheap query and a document fetch sent while a slow query runs answer before it does', async () => {
    // Learn from the store when the slow query has started evaluating.
    const store = lake.store
    const query = store.query.bind(store)
    let started!: () => void
    const slowStarted = new Promise<void>((resolve) => (started = resolve))
    store.query = (dataset, groq, ...rest) => {
      const running = query(dataset, groq, ...rest)
      if (groq === SLOW) started()
      return running
    }
    try {
      const order: string[] = []
      const slow = fetch(api(`query/production?query=${encodeURIComponent(SLOW)}`))
        .then((res) => res.json())
        .then((body) => {
          order.push('slow')
          return body
        })
      await slowStarted
      const cheap = fetch(api(`query/production?query=${encodeURIComponent('*[_type == "story" && n == 7][0].title')}`)).then(async (res) => {
        order.push('cheap query')
        return (await res.json()).result
      })
      const doc = fetch(api('doc/production/story-3'), {headers: {authorization: `Bearer ${TEST_TOKEN}`}}).then(async (res) => {
        order.push('document fetch')
        return (await res.json()).documents[0]?.title
      })
      const ping = fetch(`${lake.baseUrl}/v1/ping`).then(async (res) => {
        order.push('ping')
        return res.status
      })
      expect(await cheap).toBe('Story 7')
      expect(await doc).toBe('Story 3')
      expect(await ping).toBe(200)
      expect(order).not.toContain('slow')
      expect((await slow).result).toBe(DOCS - 1)
      expect(order.at(-1)).toBe('slow')
    } finally {
      store.query = query
    }
  })

  test('two slow queries run side by side, and both still answer', async () => {
    const ask = (q: string) => fetch(api(`query/production?query=${encodeURIComponent(q)}`)).then(async (res) => (await res.json()).result)
    const [a, b] = await Promise.all([ask(SLOW), ask(SLOW.replace('n > ^.n', 'n < ^.n'))])
    expect([a, b]).toEqual([DOCS - 1, DOCS - 1])
  })
})

describe('a search scoring many documents does not hold other requests', () => {
  // A ranked slice (lake/query.ts, rankedSlice) scores every document that can reach the slice
  // before the query is evaluated: here 500 stories tie on a word repeated 3,000 times in each.
  const RANKED = '*[_type == "story"] | score(@ match "wolf*") | order(_score desc)[0...3]{_id, _score}'
  beforeAll(() => {
    const docs = Array.from({length: 2000}, (_, i) => ({create: {_id: `story-${i}`, _type: 'story', title: i % 4 ? `Quiet ${i}` : `Wolf ${i}`, ...(i % 4 ? {} : {text: 'wolf '.repeat(3000)})}}))
    lake.store.mutate('ranked', docs, {skipRevisions: true})
  })

  test('a document fetch and a ping sent while it is scoring answer before it does', async () => {
    const store = lake.store
    const query = store.query.bind(store)
    let started!: () => void
    const searchStarted = new Promise<void>((resolve) => (started = resolve))
    store.query = (dataset, groq, ...rest) => {
      const running = query(dataset, groq, ...rest)
      if (groq === RANKED) started()
      return running
    }
    try {
      const order: string[] = []
      const search = fetch(`${lake.baseUrl}/v2025-02-19/data/query/ranked?query=${encodeURIComponent(RANKED)}`)
        .then((res) => res.json())
        .then((body) => {
          order.push('search')
          return body
        })
      await searchStarted
      const doc = fetch(`${lake.baseUrl}/v2025-02-19/data/doc/ranked/story-3`, {headers: {authorization: `Bearer ${TEST_TOKEN}`}}).then(async (res) => {
        order.push('document fetch')
        return (await res.json()).documents[0]?.title
      })
      const ping = fetch(`${lake.baseUrl}/v1/ping`).then(async (res) => {
        order.push('ping')
        return res.status
      })
      expect(await doc).toBe('Quiet 3')
      expect(await ping).toBe(200)
      expect(order).not.toContain('search')
      const {result} = (await search) as {result: Array<{_id: string; _score: number}>}
      expect(result.map((row) => row._id)).toEqual(['story-0', 'story-4', 'story-8'])
      expect(order.at(-1)).toBe('search')
    } finally {
      store.query = query
    }
  })
})

describe('the yielding evaluation answers what the synchronous one does', () => {
  test.each([
    ['a filter and projection', '*[_type == "story" && n % 100 == 3]{_id, "t": tags[0], "up": upper(title)}'],
    ['a flat map', '*[_type == "story" && n < 20].tags[]'],
    ['score() without order()', '*[_type == "story" && n < 300] | score(title match "Story 1*", boost(n > 250, 2)) [_score > 0][0...30]{_id, _score}'],
    ['score() on a projection', '*[_type == "story" && n < 50]{_id, title} | score(title match "4*")[0...10]'],
    ['per-row subqueries on ^', '*[_type == "story" && n < 5]{n, "next": *[_type == "story" && n == ^.n + 1][0]._id}'],
    ['order and slice', '*[_type == "story"] | order(tags[0] desc, n asc)[10...20]._id'],
    ['a subquery in a projection', '*[_type == "story" && n < 3]{"count": count(*[_type == "story" && n < 10])}'],
    ['now() inside and outside the rows', '{"a": now(), "b": *[_type == "story" && n < 3]{"t": now()}}'],
    ['non-documents in score()', '[1, "a", {"title": "x"}] | score(title match "x")'],
  ])('%s', async (_name, query) => {
    const timestamp = new Date('2026-01-02T03:04:05Z')
    const sync = await lake.store.query('production', query, {}, 'published', {timestamp, sliceMs: Number.POSITIVE_INFINITY})
    const yielded = await lake.store.query('production', query, {}, 'published', {timestamp, sliceMs: 0})
    expect(yielded).toEqual(sync)
  })

  test('now() reads one instant in every part of a query', async () => {
    const result = (await lake.store.query('production', '{"a": now(), "b": *[_type == "story" && n < 400]{"t": now()}}', {}, 'published', {sliceMs: 0})) as {a: string; b: Array<{t: string}>}
    expect(new Set(result.b.map((row) => row.t))).toEqual(new Set([result.a]))
  })

  test('a query reading too many documents answers 400 queryTooComplex naming the limit', async () => {
    const error = await lake.store.query('production', '*[]{"x": *[]{_id}}', {}, 'published', {maxReads: 50_000}).catch((err: unknown) => err)
    expect(error).toBeInstanceOf(LakeError)
    expect((error as LakeError).toBody().error.type).toBe('queryTooComplex')
    expect((error as LakeError).message).toContain('50,000 documents')
  })
})

describe('answers written in pieces', () => {
  function fakeResponse() {
    const chunks: string[] = []
    const headers: Record<string, unknown> = {}
    const res = {
      headersSent: false,
      destroyed: false,
      statusCode: 0,
      setHeader: (name: string, value: unknown) => (headers[name] = value),
      write: (chunk: string) => chunks.push(chunk) > 0,
      end: () => {},
      on: () => {},
      once: () => {},
      off: () => {},
    }
    return {res: res as unknown as LakeResponse, text: () => chunks.join(''), headers}
  }

  test('the text is exactly JSON.stringify of the answer, dates, undefined fields and nesting included', async () => {
    const big = Array.from({length: 5000}, (_, i) => ({_id: `d${i}`, n: i, skip: undefined, when: new Date(0), nested: {list: [1, 'two', null, undefined, {deep: [i]}]}}))
    const body = {query: 'q', result: [big, {inner: big.slice(0, 3000)}, 'é'], ms: 1}
    const {res, text, headers} = fakeResponse()
    await sendJsonInPieces(res, 200, body, 64 * 1024 * 1024, () => new LakeError(413, 'queryResultTooLarge', 'too large'))
    expect(text()).toBe(JSON.stringify(body))
    expect(headers['content-length']).toBe(Buffer.byteLength(JSON.stringify(body)))
  })

  test('an answer exactly at the limit is sent, one byte over it is refused', async () => {
    const body = {result: Array.from({length: 3000}, (_, i) => ({i, s: 'é"\\\n', n: null, u: undefined, d: new Date(i), deep: [[{a: true}]]}))}
    const bytes = Buffer.byteLength(JSON.stringify(body))
    const tooLarge = () => new LakeError(413, 'queryResultTooLarge', 'too large')
    const exact = fakeResponse()
    await sendJsonInPieces(exact.res, 200, body, bytes, tooLarge)
    expect(exact.text()).toBe(JSON.stringify(body))
    await expect(sendJsonInPieces(fakeResponse().res, 200, body, bytes - 1, tooLarge)).rejects.toThrow('too large')
  })

  test('an answer over the limit is refused before anything is sent', async () => {
    const {res, text} = fakeResponse()
    const body = {result: Array.from({length: 10_000}, (_, i) => ({i, pad: 'x'.repeat(100)}))}
    await expect(sendJsonInPieces(res, 200, body, 100_000, () => new LakeError(413, 'queryResultTooLarge', 'too large'))).rejects.toThrow('too large')
    expect(text()).toBe('')
  })
})
