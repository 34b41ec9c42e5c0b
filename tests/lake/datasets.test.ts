import {afterAll, beforeAll, expect, test} from 'vitest'
import {startLake, TEST_TOKEN, type TestLake} from './helpers'

let lake: TestLake
beforeAll(async () => {
  lake = await startLake()
})
afterAll(() => lake.close())

const api = (path: string) => `${lake.baseUrl}/v2025-02-19${path}`

async function datasetNames(): Promise<string[]> {
  const res = await fetch(api('/projects/local/datasets'), {headers: {authorization: `Bearer ${TEST_TOKEN}`}})
  return ((await res.json()) as Array<{name: string}>).map((d) => d.name)
}

async function listenBriefly(dataset: string): Promise<void> {
  const controller = new AbortController()
  const res = await fetch(api(`/data/listen/${dataset}?query=${encodeURIComponent('*')}`), {signal: controller.signal})
  const reader = res.body!.getReader()
  await reader.read()
  controller.abort()
  const deadline = Date.now() + 3000
  while (lake.store.listenerCount(dataset) > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10))
}

test.each([
  ['a query', (name: string) => fetch(api(`/data/query/${name}?query=${encodeURIComponent('*[_type == "x"]')}`)).then((r) => r.json())],
  ['a document read', (name: string) => fetch(api(`/data/doc/${name}/a,b`)).then((r) => r.json())],
  ['a listener', listenBriefly],
])('%s on an unknown dataset answers empty and creates nothing', async (_kind, read) => {
  const name = `ghost-${Math.random().toString(36).slice(2, 8)}`
  const answer = await read(name)
  if (answer && typeof answer === 'object' && 'result' in answer) expect(answer.result).toEqual([])
  if (answer && typeof answer === 'object' && 'documents' in answer) expect(answer.documents).toEqual([])
  expect(await datasetNames()).not.toContain(name)
  expect(lake.store.datasets()).not.toContain(name)
})

test('the first write creates the dataset and reaches a listener opened before it', async () => {
  const events: string[] = []
  const sub = lake.client.withConfig({dataset: 'fresh'}).listen('*[_type == "x"]', {}, {events: ['welcome', 'mutation']} as never).subscribe((e) => events.push((e as {type: string}).type))
  const deadline = Date.now() + 3000
  while (!events.includes('welcome') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10))
  await lake.client.withConfig({dataset: 'fresh'}).create({_id: 'x1', _type: 'x'})
  while (!events.includes('mutation') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10))
  sub.unsubscribe()
  expect(events).toEqual(['welcome', 'mutation'])
  expect(await datasetNames()).toContain('fresh')
  expect(await lake.anonymous.withConfig({dataset: 'fresh'}).fetch('*[_type == "x"]._id')).toEqual(['x1'])
})
