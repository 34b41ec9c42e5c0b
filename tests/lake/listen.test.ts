import {afterAll, beforeAll, expect, test} from 'vitest'
import type {MutationEvent} from '@sanity/client'
import {clientFor, startLake, TEST_TOKEN, type TestLake} from './helpers'

let lake: TestLake
beforeAll(async () => {
  lake = await startLake({keepAliveMs: 200})
})
afterAll(() => lake.close())

function collect(client = lake.client, query = '*[_type == "story" && status == "live"]', options: Record<string, unknown> = {}) {
  const events: Array<Omit<Partial<MutationEvent>, 'type'> & {type: string}> = []
  let resolveWelcome: () => void
  const welcome = new Promise<void>((resolve) => (resolveWelcome = resolve))
  const sub = client.listen(query, {}, {includeResult: true, events: ['welcome', 'mutation'], ...options} as never).subscribe((event) => {
    const e = event as unknown as Omit<Partial<MutationEvent>, 'type'> & {type: string}
    if (e.type === 'welcome') resolveWelcome()
    else events.push(e)
  })
  const until = async (n: number) => {
    const deadline = Date.now() + 5000
    while (events.length < n && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20))
    return events
  }
  return {events, welcome, until, stop: () => sub.unsubscribe()}
}

test('listeners receive appear/update/disappear in commit order with results', async () => {
  const listener = collect()
  await listener.welcome
  const created = await lake.client.create({_id: 'l1', _type: 'story', status: 'live', title: 'One'})
  const patched = await lake.client.patch('l1').set({title: 'Two'}).commit()
  await lake.client.create({_id: 'other', _type: 'author', status: 'live'})
  const hidden = await lake.client.patch('l1').set({status: 'hidden'}).commit()
  await lake.client.patch('l1').set({title: 'Unseen'}).commit()
  const events = await listener.until(3)
  listener.stop()
  expect(events.map((e) => [e.documentId, e.transition, e.transactionId])).toEqual([
    ['l1', 'appear', created._rev],
    ['l1', 'update', patched._rev],
    ['l1', 'disappear', hidden._rev],
  ])
  expect(events[0].result).toMatchObject({title: 'One', _rev: created._rev})
  expect(events[1]).toMatchObject({previousRev: created._rev, resultRev: patched._rev, identity: expect.any(String)})
  expect(events[1].result).toMatchObject({title: 'Two'})
  // https://www.sanity.io/docs/listening: visibility defaults to "transaction".
  expect(events[1]).toMatchObject({transactionTotalEvents: 1, transactionCurrentEvent: 1, visibility: 'transaction'})
})

test('two clients see each other\'s edits', async () => {
  const other = clientFor(lake.baseUrl, TEST_TOKEN)
  const a = collect(lake.client, '*[_id == "shared"]')
  const b = collect(other, '*[_id == "shared"]')
  await Promise.all([a.welcome, b.welcome])
  await other.createOrReplace({_id: 'shared', _type: 'story', title: 'from b'})
  await lake.client.patch('shared').set({title: 'from a'}).commit()
  const [ea, eb] = await Promise.all([a.until(2), b.until(2)])
  a.stop()
  b.stop()
  expect(ea.map((e) => e.result?.title)).toEqual(['from b', 'from a'])
  expect(eb.map((e) => e.result?.title)).toEqual(['from b', 'from a'])
})

test('deletion is a disappear event; mendoza effects are whole values', async () => {
  const listener = collect(lake.client, '*[_id == "gone"]', {effectFormat: 'mendoza', includePreviousRevision: true})
  await listener.welcome
  await lake.client.create({_id: 'gone', _type: 'story', title: 'x'})
  await lake.client.delete('gone')
  const events = (await listener.until(2)) as Array<Record<string, unknown>>
  listener.stop()
  expect(events.map((e) => e.transition)).toEqual(['appear', 'disappear'])
  expect((events[1].effects as {apply: unknown}).apply).toEqual([0, null])
  expect((events[1].effects as {revert: [number, {title: string}]}).revert[1].title).toBe('x')
  expect(events[1].previous).toMatchObject({title: 'x'})
  // The Studio drops events without a resultRev: a deletion carries its transaction's id.
  expect(events[1].resultRev).toBe(events[1].transactionId)
})

test('anonymous listeners never see drafts', async () => {
  const listener = collect(lake.anonymous, '*[_type == "secret"]')
  await listener.welcome
  await lake.client.create({_id: 'drafts.s1', _type: 'secret'})
  await lake.client.create({_id: 's1', _type: 'secret'})
  const events = await listener.until(1)
  await new Promise((r) => setTimeout(r, 100))
  listener.stop()
  expect(events.map((e) => e.documentId)).toEqual(['s1'])
})

async function readSse(url: string, headers: Record<string, string>, want: (text: string) => boolean): Promise<string> {
  const controller = new AbortController()
  const res = await fetch(url, {headers, signal: controller.signal})
  expect(res.headers.get('content-type')).toContain('text/event-stream')
  const reader = res.body!.getReader()
  let text = ''
  const deadline = Date.now() + 5000
  while (!want(text) && Date.now() < deadline) {
    const {value, done} = await reader.read()
    if (done) break
    text += new TextDecoder().decode(value)
  }
  controller.abort()
  return text
}

test('Last-Event-ID with enableResume replays missed transactions; keep-alive comments flow', async () => {
  const first = await lake.client.create({_id: 'r1', _type: 'resume', n: 1})
  const second = await lake.client.patch('r1').set({n: 2}).commit()
  const third = await lake.client.patch('r1').set({n: 3}).commit()
  const url = `${lake.baseUrl}/v2025-02-19/data/listen/production?query=${encodeURIComponent('*[_type == "resume"]')}&enableResume=true`
  const text = await readSse(url, {authorization: `Bearer ${TEST_TOKEN}`, 'last-event-id': `${first._rev}#r1`}, (t) => t.includes(': keep-alive') && t.includes(third._rev))
  expect(text).toMatch(/^event: welcomeback/)
  expect(text.indexOf(`id: ${second._rev}#r1`)).toBeGreaterThan(0)
  expect(text.indexOf(`id: ${third._rev}#r1`)).toBeGreaterThan(text.indexOf(`id: ${second._rev}#r1`))
  expect(text).not.toContain(`id: ${first._rev}#r1`)
  expect(text).toContain(': keep-alive')
  const unknown = await readSse(url, {authorization: `Bearer ${TEST_TOKEN}`, 'last-event-id': 'nope#r1'}, (t) => t.includes('event:'))
  expect(unknown).toMatch(/^event: reset/)
})

test('closed listeners are cleaned up on the server', async () => {
  const settle = Date.now() + 3000
  while (lake.store.listenerCount('production') > 0 && Date.now() < settle) await new Promise((r) => setTimeout(r, 20))
  const before = lake.store.listenerCount('production')
  expect(before).toBe(0)
  const listener = collect(lake.client, '*[_id == "cleanup"]')
  await listener.welcome
  expect(lake.store.listenerCount('production')).toBe(before + 1)
  listener.stop()
  const deadline = Date.now() + 3000
  while (lake.store.listenerCount('production') > before && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20))
  expect(lake.store.listenerCount('production')).toBe(before)
})

test('release versions reach listeners only with includeAllVersions', async () => {
  const plain = collect(lake.client, '*[_type == "versioned"]')
  const all = collect(lake.client, '*[_type == "versioned"]', {includeAllVersions: true})
  await Promise.all([plain.welcome, all.welcome])
  await lake.client.create({_id: 'versions.rX.v1', _type: 'versioned'})
  await lake.client.create({_id: 'drafts.v1', _type: 'versioned'})
  const [plainEvents, allEvents] = await Promise.all([plain.until(1), all.until(2)])
  plain.stop()
  all.stop()
  expect(plainEvents.map((e) => e.documentId)).toEqual(['drafts.v1'])
  expect(allEvents.map((e) => e.documentId)).toEqual(['versions.rX.v1', 'drafts.v1'])
})
