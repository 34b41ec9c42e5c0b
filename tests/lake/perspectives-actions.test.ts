import {afterAll, beforeAll, describe, expect, test} from 'vitest'
import {startLake, TEST_TOKEN, type TestLake} from './helpers'

let lake: TestLake
beforeAll(async () => {
  lake = await startLake()
  await lake.client
    .transaction()
    .create({_id: 'pub-only', _type: 'story', title: 'Published only'})
    .create({_id: 'both', _type: 'story', title: 'Both (published)'})
    .create({_id: 'drafts.both', _type: 'story', title: 'Both (draft)'})
    .create({_id: 'drafts.draft-only', _type: 'story', title: 'Draft only'})
    .create({_id: 'versions.rA.both', _type: 'story', title: 'Both (release A)'})
    .commit()
})
afterAll(() => lake.close())

const Q = '*[_type == "story"] | order(_id asc){_id, _originalId, title}'

describe('perspectives', () => {
  test.each([
    ['raw', ['both', 'drafts.both', 'drafts.draft-only', 'pub-only', 'versions.rA.both']],
    ['published', ['both', 'pub-only']],
    ['drafts', ['both', 'draft-only', 'pub-only']],
    [['rA', 'drafts'], ['both', 'draft-only', 'pub-only']],
  ] as const)('%s sees the right documents', async (perspective, ids) => {
    const result = await lake.client.fetch(Q, {}, {perspective: perspective as never})
    expect(result.map((d: {_id: string}) => d._id)).toEqual(ids)
  })

  test('drafts perspective overlays the draft and keeps its id in _originalId', async () => {
    const result = await lake.client.fetch(Q, {}, {perspective: 'drafts'})
    expect(result).toEqual([
      {_id: 'both', _originalId: 'drafts.both', title: 'Both (draft)'},
      {_id: 'draft-only', _originalId: 'drafts.draft-only', title: 'Draft only'},
      {_id: 'pub-only', _originalId: 'pub-only', title: 'Published only'},
    ])
  })

  test('a release stack puts the release above drafts', async () => {
    const result = await lake.client.fetch('*[_id == "both"][0]{_originalId, title}', {}, {perspective: ['rA', 'drafts']})
    expect(result).toEqual({_originalId: 'versions.rA.both', title: 'Both (release A)'})
  })

  test('references resolve within the perspective', async () => {
    await lake.client.createOrReplace({_id: 'ref-holder', _type: 'note', target: {_type: 'reference', _ref: 'both'}})
    expect(await lake.client.fetch('*[_id == "ref-holder"][0].target->title', {}, {perspective: 'drafts'})).toBe('Both (draft)')
    expect(await lake.client.fetch('*[_id == "ref-holder"][0].target->title', {}, {perspective: 'published'})).toBe('Both (published)')
  })

  test('API 2025-02-19 defaults to published, older versions to raw', async () => {
    const url = (v: string) => `${lake.baseUrl}/v${v}/data/query/production?query=${encodeURIComponent('count(*[_type == "story"])')}`
    const headers = {authorization: `Bearer ${TEST_TOKEN}`}
    expect((await (await fetch(url('2025-02-19'), {headers})).json()).result).toBe(2)
    expect((await (await fetch(url('2021-06-07'), {headers})).json()).result).toBe(5)
  })

  test('without the token only the published perspective is visible', async () => {
    const result = await lake.anonymous.fetch(Q, {}, {perspective: 'raw'})
    expect(result.map((d: {_id: string}) => d._id)).toEqual(['both', 'pub-only'])
  })
})

describe('doc endpoint', () => {
  test('returns found documents and lists the rest as omitted', async () => {
    const res = await fetch(`${lake.baseUrl}/v2025-02-19/data/doc/production/both,drafts.both,missing`, {headers: {authorization: `Bearer ${TEST_TOKEN}`}})
    const body = await res.json()
    expect(body.documents.map((d: {_id: string}) => d._id)).toEqual(['both', 'drafts.both'])
    expect(body.omitted).toEqual([{id: 'missing', reason: 'existence'}])
  })

  test('anonymous callers never receive drafts', async () => {
    const body = await (await fetch(`${lake.baseUrl}/v1/data/doc/production/drafts.both`)).json()
    expect(body.documents).toEqual([])
    expect(body.omitted).toHaveLength(1)
  })
})

async function act(actions: unknown[]): Promise<{status: number; body: Record<string, unknown>}> {
  const res = await fetch(`${lake.baseUrl}/v2025-02-19/data/actions/production`, {
    method: 'POST',
    headers: {authorization: `Bearer ${TEST_TOKEN}`, 'content-type': 'application/json'},
    body: JSON.stringify({actions, transactionId: undefined}),
  })
  return {status: res.status, body: await res.json()}
}

const get = (id: string) => lake.client.getDocument(id)

describe('actions API', () => {
  test('edit creates the draft from the published document, then patches it', async () => {
    await lake.client.createOrReplace({_id: 'act-1', _type: 'story', title: 'Original', summary: 'Keep me'})
    const {status, body} = await act([{actionType: 'sanity.action.document.edit', draftId: 'drafts.act-1', publishedId: 'act-1', patch: {set: {title: 'Edited'}}}])
    expect(status).toBe(200)
    const draft = await get('drafts.act-1')
    expect(draft).toMatchObject({title: 'Edited', summary: 'Keep me', _rev: body.transactionId})
    expect((await get('act-1'))?.title).toBe('Original')
  })

  test('publish replaces the published document with the draft and deletes the draft atomically', async () => {
    const draft = await get('drafts.act-1')
    const {status} = await act([{actionType: 'sanity.action.document.publish', draftId: 'drafts.act-1', publishedId: 'act-1', ifDraftRevisionId: draft?._rev}])
    expect(status).toBe(200)
    expect(await get('drafts.act-1')).toBeUndefined()
    expect(await get('act-1')).toMatchObject({_id: 'act-1', title: 'Edited'})
  })

  test('publish with a stale draft revision is refused and changes nothing', async () => {
    await act([{actionType: 'sanity.action.document.edit', draftId: 'drafts.act-1', publishedId: 'act-1', patch: {set: {title: 'Again'}}}])
    const {status} = await act([{actionType: 'sanity.action.document.publish', draftId: 'drafts.act-1', publishedId: 'act-1', ifDraftRevisionId: 'stale'}])
    expect(status).toBe(409)
    expect((await get('drafts.act-1'))?.title).toBe('Again')
  })

  test('discard deletes the draft', async () => {
    expect((await act([{actionType: 'sanity.action.document.discard', draftId: 'drafts.act-1'}])).status).toBe(200)
    expect(await get('drafts.act-1')).toBeUndefined()
  })

  test('unpublish moves the published document back to a draft', async () => {
    expect((await act([{actionType: 'sanity.action.document.unpublish', draftId: 'drafts.act-1', publishedId: 'act-1'}])).status).toBe(200)
    expect(await get('act-1')).toBeUndefined()
    expect((await get('drafts.act-1'))?.title).toBe('Edited')
  })

  test('create makes a new draft; ifExists ignore is a no-op on an existing one', async () => {
    const create = {actionType: 'sanity.action.document.create', publishedId: 'act-2', attributes: {_id: 'drafts.act-2', _type: 'story', title: 'New'}, ifExists: 'fail'}
    expect((await act([create])).status).toBe(200)
    expect((await act([create])).status).toBe(409)
    expect((await act([{...create, ifExists: 'ignore'}])).status).toBe(200)
    expect((await get('drafts.act-2'))?.title).toBe('New')
  })

  test('delete removes the published document and its drafts', async () => {
    await lake.client.createOrReplace({_id: 'act-2', _type: 'story', title: 'Pub'})
    expect((await act([{actionType: 'sanity.action.document.delete', publishedId: 'act-2', includeDrafts: ['drafts.act-2']}])).status).toBe(200)
    expect(await get('act-2')).toBeUndefined()
    expect(await get('drafts.act-2')).toBeUndefined()
  })

  test('a failing action in a batch rolls back the earlier ones', async () => {
    const {status, body} = await act([
      {actionType: 'sanity.action.document.create', publishedId: 'act-3', attributes: {_id: 'drafts.act-3', _type: 'story'}},
      {actionType: 'sanity.action.document.publish', draftId: 'drafts.none', publishedId: 'none'},
    ])
    expect(status).toBe(409)
    expect((body.error as {type: string}).type).toBe('actionError')
    expect(await get('drafts.act-3')).toBeUndefined()
  })

  test('unknown action types are a 400 naming the action', async () => {
    const {status, body} = await act([{actionType: 'sanity.action.nope'}])
    expect(status).toBe(400)
    expect((body.error as {description: string}).description).toContain('sanity.action.nope')
  })

  test('release versions: create from a base, replace, then discard', async () => {
    await lake.client.createOrReplace({_id: 'rel-1', _type: 'story', title: 'Base'})
    const base = await get('rel-1')
    const created = await act([{actionType: 'sanity.action.document.version.create', publishedId: 'rel-1', versionId: 'versions.rB.rel-1', baseId: 'rel-1', ifBaseRevisionId: base?._rev}])
    expect(created.status).toBe(200)
    expect(await get('versions.rB.rel-1')).toMatchObject({title: 'Base'})
    await act([{actionType: 'sanity.action.document.version.replace', document: {_id: 'versions.rB.rel-1', _type: 'story', title: 'In release B'}}])
    expect(await lake.client.fetch('*[_id == "rel-1"][0].title', {}, {perspective: ['rB']})).toBe('In release B')
    expect((await act([{actionType: 'sanity.action.document.version.discard', versionId: 'versions.rB.rel-1'}])).status).toBe(200)
    expect(await get('versions.rB.rel-1')).toBeUndefined()
    const stale = await act([{actionType: 'sanity.action.document.version.create', publishedId: 'rel-1', versionId: 'versions.rB.rel-1', baseId: 'rel-1', ifBaseRevisionId: 'stale'}])
    expect(stale.status).toBe(409)
  })
})
