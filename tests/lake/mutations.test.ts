import {afterAll, beforeAll, beforeEach, describe, expect, test} from 'vitest'
import {startLake, type TestLake} from './helpers'

let lake: TestLake
beforeAll(async () => {
  lake = await startLake()
})
afterAll(() => lake.close())

const base = {_id: 'story-1', _type: 'story', title: 'Ash and Ember', tags: ['a', 'b'], wordCount: 10, summary: 'The quick brown fox'}

beforeEach(async () => {
  await lake.client.mutate([{delete: {query: '*[_type in ["story", "author"]]'}}], {visibility: 'sync'})
  await lake.client.create(base)
})

interface Case {
  name: string
  mutations: unknown[]
  expectDoc: (doc: Record<string, unknown> | undefined) => void
  operation: string
}

const cases: Case[] = [
  {name: 'create', mutations: [{create: {_id: 'story-2', _type: 'story', title: 'New'}}], operation: 'create',
    expectDoc: (doc) => expect(doc?.title).toBe('Ash and Ember')},
  {name: 'createOrReplace (existing)', mutations: [{createOrReplace: {_id: 'story-1', _type: 'story', title: 'Replaced'}}], operation: 'update',
    expectDoc: (doc) => {
      expect(doc).toMatchObject({title: 'Replaced'})
      expect(doc?.tags).toBeUndefined()
    }},
  {name: 'createIfNotExists (existing)', mutations: [{createIfNotExists: {_id: 'story-1', _type: 'story', title: 'Ignored'}}], operation: 'none',
    expectDoc: (doc) => expect(doc?.title).toBe('Ash and Ember')},
  {name: 'delete by id', mutations: [{delete: {id: 'story-1'}}], operation: 'delete', expectDoc: (doc) => expect(doc).toBeUndefined()},
  {name: 'patch set', mutations: [{patch: {id: 'story-1', set: {title: 'Set', 'slug.current': 'set'}}}], operation: 'update',
    expectDoc: (doc) => expect(doc).toMatchObject({title: 'Set', slug: {current: 'set'}})},
  {name: 'patch setIfMissing', mutations: [{patch: {id: 'story-1', setIfMissing: {title: 'No', language: 'en'}}}], operation: 'update',
    expectDoc: (doc) => expect(doc).toMatchObject({title: 'Ash and Ember', language: 'en'})},
  {name: 'patch unset', mutations: [{patch: {id: 'story-1', unset: ['tags', 'summary']}}], operation: 'update',
    expectDoc: (doc) => expect(doc?.tags === undefined && doc?.summary === undefined).toBe(true)},
  {name: 'patch inc', mutations: [{patch: {id: 'story-1', inc: {wordCount: 5}}}], operation: 'update', expectDoc: (doc) => expect(doc?.wordCount).toBe(15)},
  {name: 'patch dec', mutations: [{patch: {id: 'story-1', dec: {wordCount: 3}}}], operation: 'update', expectDoc: (doc) => expect(doc?.wordCount).toBe(7)},
  {name: 'patch insert after', mutations: [{patch: {id: 'story-1', insert: {after: 'tags[-1]', items: ['c']}}}], operation: 'update',
    expectDoc: (doc) => expect(doc?.tags).toEqual(['a', 'b', 'c'])},
  {name: 'patch insert before', mutations: [{patch: {id: 'story-1', insert: {before: 'tags[0]', items: ['z']}}}], operation: 'update',
    expectDoc: (doc) => expect(doc?.tags).toEqual(['z', 'a', 'b'])},
  {name: 'patch insert replace', mutations: [{patch: {id: 'story-1', insert: {replace: 'tags[0]', items: ['x', 'y']}}}], operation: 'update',
    expectDoc: (doc) => expect(doc?.tags).toEqual(['x', 'y', 'b'])},
  {name: 'patch diffMatchPatch', mutations: [{patch: {id: 'story-1', diffMatchPatch: {summary: '@@ -1,9 +1,9 @@\n The \n-quick\n+sly\n  bro\n'}}}], operation: 'update',
    expectDoc: (doc) => expect(doc?.summary).toBe('The sly brown fox')},
  {name: 'patch by query', mutations: [{patch: {query: '*[_type == "story" && title == $t]', params: {t: 'Ash and Ember'}, set: {status: 'complete'}}}], operation: 'update',
    expectDoc: (doc) => expect(doc?.status).toBe('complete')},
  {name: 'delete by query', mutations: [{delete: {query: '*[_type == "story"]'}}], operation: 'delete', expectDoc: (doc) => expect(doc).toBeUndefined()},
]

describe('mutation types through @sanity/client', () => {
  test.each(cases)('$name', async ({mutations, operation, expectDoc}) => {
    const before = await lake.client.getDocument('story-1')
    const answer = await lake.client.mutate(mutations as never, {returnDocuments: false})
    expect(answer.results[0].operation).toBe(operation)
    const doc = await lake.client.getDocument('story-1')
    expectDoc(doc as Record<string, unknown> | undefined)
    if (operation === 'create') {
      const created = await lake.client.getDocument('story-2')
      expect(created).toMatchObject({title: 'New', _rev: answer.transactionId})
      expect(created?._createdAt).toBe(created?._updatedAt)
    }
    if (doc && operation === 'update') {
      expect(doc._rev).toBe(answer.transactionId)
      expect(doc._rev).not.toBe(before?._rev)
      expect(doc._createdAt).toBe(before?._createdAt)
      expect(doc._updatedAt >= before!._updatedAt).toBe(true)
    }
  })
})

test('returnIds and returnDocuments shape the answer like Sanity', async () => {
  const res = await fetch(`${lake.baseUrl}/v2025-02-19/data/mutate/production?returnIds=true&returnDocuments=true`, {
    method: 'POST',
    headers: {authorization: `Bearer ${'a'.repeat(64)}`, 'content-type': 'application/json'},
    body: JSON.stringify({mutations: [{create: {_id: 'drafts.', _type: 'story', title: 'Generated'}}]}),
  })
  expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8')
  const body = await res.json()
  expect(body.documentIds).toHaveLength(1)
  expect(body.documentIds[0]).toMatch(/^drafts\.[0-9a-f-]{36}$/)
  expect(body.results[0]).toMatchObject({id: body.documentIds[0], operation: 'create', document: {title: 'Generated', _rev: body.transactionId}})
})

test('a transaction id given by the client becomes the revision', async () => {
  const answer = await lake.client.patch('story-1').set({title: 'T'}).commit({transactionId: 'my-tx-1'} as never)
  expect(answer._rev).toBe('my-tx-1')
})

test('ifRevisionID mismatch answers 409 shaped like Sanity and changes nothing', async () => {
  const current = await lake.client.getDocument('story-1')
  const error = await lake.client.patch('story-1', {ifRevisionID: 'stale-rev'}).set({title: 'Nope'}).commit().catch((e) => e)
  expect(error.statusCode).toBe(409)
  expect(error.response.body.error.type).toBe('mutationError')
  expect(error.response.body.error.items[0].error.type).toBe('documentRevisionIDDoesNotMatchError')
  expect((await lake.client.getDocument('story-1'))?._rev).toBe(current?._rev)
  const ok = await lake.client.patch('story-1', {ifRevisionID: current!._rev}).set({title: 'Yes'}).commit()
  expect(ok.title).toBe('Yes')
})

test('a transaction with one failing mutation changes nothing (atomic)', async () => {
  const error = await lake.client
    .transaction()
    .create({_id: 'story-3', _type: 'story', title: 'Three'})
    .patch('story-1', (p) => p.set({title: 'Changed'}))
    .create({_id: 'story-1', _type: 'story', title: 'Duplicate'})
    .commit()
    .catch((e) => e)
  expect(error.statusCode).toBe(409)
  expect(error.response.body.error.items[0]).toMatchObject({index: 2, error: {type: 'documentAlreadyExistsError'}})
  expect(await lake.client.getDocument('story-3')).toBeUndefined()
  expect((await lake.client.getDocument('story-1'))?.title).toBe('Ash and Ember')
})

test('patching a missing document is a 404 documentNotFoundError', async () => {
  const error = await lake.client.patch('nope').set({a: 1}).commit().catch((e) => e)
  expect(error.statusCode).toBe(404)
  expect(error.response.body.error.items[0].error.type).toBe('documentNotFoundError')
})

test('drafts and versions are ordinary ids for mutations', async () => {
  await lake.client.create({_id: 'drafts.story-1', _type: 'story', title: 'Draft'})
  await lake.client.create({_id: 'versions.rA.story-1', _type: 'story', title: 'Release A'})
  const ids = await lake.client.fetch('*[_type == "story"]._id', {}, {perspective: 'raw'})
  expect(ids.sort()).toEqual(['drafts.story-1', 'story-1', 'versions.rA.story-1'])
})

test('autoGenerateArrayKeys adds _key to array members', async () => {
  await lake.client.create({_id: 'story-k', _type: 'story', links: [{title: 'x'}]}, {autoGenerateArrayKeys: true})
  const doc = await lake.client.getDocument('story-k')
  expect(typeof (doc?.links as Array<{_key?: string}>)[0]._key).toBe('string')
})
