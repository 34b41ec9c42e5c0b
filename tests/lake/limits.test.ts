import {afterAll, beforeAll, describe, expect, test} from 'vitest'
import {startLake, type TestLake} from './helpers'

const DOCS = 300
const LIMIT_MS = 300

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
