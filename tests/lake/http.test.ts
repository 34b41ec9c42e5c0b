import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {basename, dirname, join} from 'node:path'
import {afterAll, beforeAll, describe, expect, test} from 'vitest'
import {startLake, TEST_TOKEN, type TestLake} from './helpers'

let lake: TestLake
beforeAll(async () => {
  lake = await startLake()
  await lake.client.createOrReplace({_id: 'story-s', _type: 'story', title: 'Moonlit Harbour', summary: 'Ilsa sails north'})
  await lake.client.createOrReplace({_id: 'drafts.story-d', _type: 'story', title: 'Secret draft'})
})
afterAll(() => lake.close())

const auth = {authorization: `Bearer ${TEST_TOKEN}`}
const api = (path: string) => `${lake.baseUrl}/v2025-02-19${path}`

describe('authentication', () => {
  test.each([
    ['POST', '/data/mutate/production', JSON.stringify({mutations: [{create: {_type: 'x'}}]})],
    ['POST', '/data/actions/production', JSON.stringify({actions: []})],
    ['POST', '/assets/images/production', 'x'],
    ['GET', '/users/me', undefined],
    ['GET', '/data/history/production/documents/story-s', undefined],
  ])('%s %s without the token is 401', async (method, path, body) => {
    const res = await fetch(api(path), {method, body, headers: {'content-type': 'application/json'}})
    expect(res.status).toBe(401)
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8')
    const json = await res.json()
    expect(json.error.type).toBe('unauthorizedError')
    expect(json.error.description).toMatch(/^Unauthorized - the local token is required/)
  })

  test('a wrong token is as good as none', async () => {
    const res = await fetch(api('/users/me'), {headers: {authorization: `Bearer ${'b'.repeat(64)}`}})
    expect(res.status).toBe(401)
  })

  test('users/me with the token answers the local administrator', async () => {
    const me = await lake.client.users.getById('me' as never)
    expect(me).toMatchObject({role: 'administrator', provider: 'local', roles: [{name: 'administrator', title: 'Administrator'}]})
  })
})

describe('CORS', () => {
  test.each(['http://localhost:3333', 'http://127.0.0.1:3333', 'https://local.localhost:3900', 'http://localhost:5173'])('preflight from %s is allowed', async (origin) => {
    const res = await fetch(api('/data/mutate/production'), {
      method: 'OPTIONS',
      headers: {origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type'},
    })
    expect(res.status).toBe(204)
    expect(res.headers.get('access-control-allow-origin')).toBe(origin)
    expect(res.headers.get('access-control-allow-credentials')).toBe('true')
    expect(res.headers.get('access-control-allow-methods')).toContain('POST')
    expect(res.headers.get('access-control-allow-headers')).toContain('authorization')
  })

  test.each(['https://evil.example', 'http://localhost.evil.example:3333'])('preflight from %s is refused', async (origin) => {
    const res = await fetch(api('/data/query/production'), {method: 'OPTIONS', headers: {origin, 'access-control-request-method': 'GET'}})
    expect(res.status).toBe(403)
    expect(res.headers.get('access-control-allow-origin')).toBeNull()
  })
})

describe('bad input answers Sanity-shaped JSON errors', () => {
  test('malformed JSON body', async () => {
    const res = await fetch(api('/data/mutate/production'), {method: 'POST', headers: {...auth, 'content-type': 'application/json'}, body: '{"mutations": ['})
    expect(res.status).toBe(400)
    expect((await res.json()).error.description).toMatch(/not valid JSON/)
  })

  test('invalid GROQ gives the parse error position', async () => {
    const error = await lake.client.fetch('*[_type == ]').catch((e) => e)
    expect(error.statusCode).toBe(400)
    expect(error.response.body.error).toMatchObject({type: 'queryParseError', start: expect.any(Number)})
  })

  test.each([
    ['/data/query/Bad%20Name?query=*', 400, /Invalid dataset name/],
    ['/data/nope/production', 404, /Unknown data endpoint/],
    ['/data/query/production', 400, /Missing "query"/],
    ['/data/query/production?query=*&%24p=%7Bbad', 400, /"\$p" is not valid JSON/],
    ['/data/doc/production/%E0%A4%A', 400, /Malformed URL path segment/],
  ])('GET %s -> %i', async (path, status, message) => {
    const res = await fetch(api(path), {headers: auth})
    expect(res.status).toBe(status)
    const body = await res.json()
    expect(body.error.description).toMatch(message)
    expect(typeof body.error.type).toBe('string')
  })

  test('unversioned paths are 404 with a hint', async () => {
    const res = await fetch(`${lake.baseUrl}/data/query/production`)
    expect(res.status).toBe(404)
    expect((await res.json()).error.description).toContain('/v<apiVersion>/')
  })
})

describe('queries over HTTP', () => {
  test('GET with $params and POST with a body give the same answer', async () => {
    const q = '*[_type == "story" && title == $t][0].title'
    const get = await (await fetch(api(`/data/query/production?query=${encodeURIComponent(q)}&%24t=${encodeURIComponent('"Moonlit Harbour"')}`), {headers: auth})).json()
    const post = await (await fetch(api('/data/query/production'), {method: 'POST', headers: {...auth, 'content-type': 'application/json'}, body: JSON.stringify({query: q, params: {t: 'Moonlit Harbour'}})})).json()
    expect(get).toMatchObject({result: 'Moonlit Harbour', query: q, ms: expect.any(Number)})
    expect(post.result).toBe('Moonlit Harbour')
  })

  test.each([
    ['moon*', ['story-s']],
    ['harbour', ['story-s']],
    ['ilsa sails', ['story-s']],
    ['secret', ['story-d']],
    ['nothing-here', []],
  ])('Studio search "%s" through text::query and [@, _id] match', async (term, ids) => {
    const q = '*[_type == "story" && ([@, _id] match text::query($__query))]{_id}'
    const result = await lake.client.fetch(q, {__query: term}, {perspective: 'drafts'})
    expect(result.map((d: {_id: string}) => d._id)).toEqual(ids)
  })

  test('search text never leaks into results', async () => {
    const doc = await lake.client.fetch('*[_id == "story-s" && [@, _id] match text::query("moon")][0]')
    expect(Object.keys(doc).sort()).toEqual(['_createdAt', '_id', '_rev', '_type', '_updatedAt', 'summary', 'title'])
    const projected = await lake.client.fetch('*[_id == "story-s" && [@, _id] match text::query("moon")][0]{__lakeSearchText, "d": defined(__lakeSearchText)}')
    expect(projected).toEqual({__lakeSearchText: null, d: false})
    expect(await lake.client.fetch('*[defined(__lakeSearchText)]._id')).toEqual([])
  })
})

describe('project endpoints the Studio reads', () => {
  test.each([
    ['/projects/local', (b: Record<string, unknown>) => expect(b).toMatchObject({id: 'local', isBlocked: false, studioHost: null})],
    ['/projects/local/datasets', (b: unknown) => expect(b).toContainEqual(expect.objectContaining({name: 'production', aclMode: 'public'}))],
    ['/projects/local/datasets/production/acl', (b: unknown) => expect(b).toEqual([expect.objectContaining({filter: '_id in path("**")'})])],
    ['/projects/local/grants', (b: Record<string, unknown>) => expect(b['sanity.document.filter.mode']).toBeDefined()],
    ['/features', (b: unknown) => expect(b).toEqual([])],
    ['/ping', (b: unknown) => expect(b).toEqual({ok: true})],
    // The document store's latency report (sanity 6.16 reportLatency) fetches it without a token.
    ['/data/ping/production', (b: unknown) => expect(b).toEqual({ok: true})],
  ])('%s', async (path, check) => {
    const res = await fetch(api(path), {headers: auth})
    expect(res.status).toBe(200)
    check(await res.json())
  })

  // What sanity 6.16's PackageVersionStatusProvider fetches (studio-build/offline.ts points it
  // at the lake): the lake knows of no version newer than the one asking.
  test('the version check answers the running version as the latest', async () => {
    const res = await fetch(`${lake.baseUrl}/v1/modules/sanity/latest/%5E6.16.0/t1764676000`, {headers: {accept: 'application/json'}})
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({packageName: 'sanity', latest: '6.16.0', packageVersion: '6.16.0'})
    expect((await fetch(`${lake.baseUrl}/v1/modules/sanity/latest/not-a-version/t1`)).status).toBe(404)
  })

  // The help menu's probe (sanity 6.16 useFeedbackAvailable) must hear "not available", not 404.
  test('the feedback tunnel answers that no feedback is collected', async () => {
    const res = await fetch(`${lake.baseUrl}/vX/intake/feedback`, {method: 'POST', body: '{"dsn":"x"}\n', headers: {origin: 'http://127.0.0.1:3333'}})
    expect(res.status).toBe(501)
    expect(res.headers.get('access-control-allow-origin')).toBe('http://127.0.0.1:3333')
    expect((await res.json()).error).toMatchObject({type: 'notImplementedError'})
  })

  test('key-value UI state round-trips', async () => {
    await fetch(api('/users/me/keyvalue'), {method: 'PUT', headers: {...auth, 'content-type': 'application/json'}, body: JSON.stringify([{key: 'studio.x', value: {a: 1}}])})
    const body = await (await fetch(api('/users/me/keyvalue/studio.x,studio.y'), {headers: auth})).json()
    expect(body).toEqual([{key: 'studio.x', value: {a: 1}}, {key: 'studio.y', value: null}])
  })
})

// A 2x3 PNG: signature, IHDR (width 2, height 3, RGBA), no pixel data needed for sizing.
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000020000000308060000009d8f2f0a', 'hex')

test('image upload creates a sanity.imageAsset and serves the file back', async () => {
  const asset = await lake.client.assets.upload('image', PNG, {filename: 'avatar.png'})
  expect(asset._id).toMatch(/^image-[0-9a-f]{40}-2x3-png$/)
  expect(asset).toMatchObject({_type: 'sanity.imageAsset', extension: 'png', mimeType: 'image/png', originalFilename: 'avatar.png', metadata: {dimensions: {width: 2, height: 3}}})
  const served = await fetch(asset.url)
  expect(served.status).toBe(200)
  expect(served.headers.get('content-type')).toBe('image/png')
  expect(served.headers.get('x-content-type-options')).toBe('nosniff')
  expect(served.headers.get('content-security-policy')).toBe('sandbox')
  expect(Buffer.from(await served.arrayBuffer()).equals(PNG)).toBe(true)
  const again = await lake.client.assets.upload('image', PNG, {filename: 'other.png'})
  expect(again._id).toBe(asset._id)
  const bad = await lake.client.assets.upload('image', Buffer.from('not an image')).catch((e) => e)
  expect(bad.statusCode).toBe(400)
})

test('asset URLs cannot climb out of the data folder', async () => {
  // A file two levels above <dataDir>/assets/<dataset>/ with an asset-like name.
  const outside = mkdtempSync(join(dirname(lake.dataDir), 'lake-outside-'))
  const name = `${'ab'.repeat(20)}.png`
  writeFileSync(join(outside, name), PNG)
  try {
    for (const dataset of [`..%2F..%2F${basename(outside)}`, `..%2f..%2f${basename(outside)}`, '..%5C..%5Cx', 'UPPER']) {
      const res = await fetch(`${lake.baseUrl}/images/local/${dataset}/${name}`)
      expect(res.status, dataset).toBe(400)
      expect((await res.json()).error.description).toContain('Invalid dataset name')
    }
  } finally {
    rmSync(outside, {recursive: true, force: true})
  }
})

test('file upload creates a sanity.fileAsset', async () => {
  const asset = await lake.client.assets.upload('file', Buffer.from('hello'), {filename: 'notes.txt'})
  expect(asset).toMatchObject({_type: 'sanity.fileAsset', extension: 'txt', mimeType: 'text/plain', size: 5})
})

test('history: document at a revision and the transaction log', async () => {
  const first = await lake.client.createOrReplace({_id: 'hist', _type: 'story', title: 'v1'})
  await lake.client.patch('hist').set({title: 'v2'}).commit()
  const atRev = await (await fetch(api(`/data/history/production/documents/hist?revision=${first._rev}`), {headers: auth})).json()
  expect(atRev.documents[0].title).toBe('v1')
  const ndjson = await (await fetch(api('/data/history/production/transactions/hist?excludeContent=true&effectFormat=mendoza'), {headers: auth})).text()
  const lines = ndjson.trim().split('\n').map((line) => JSON.parse(line))
  expect(lines).toHaveLength(2)
  expect(lines[0]).toMatchObject({id: first._rev, documentIDs: ['hist']})
  expect(lines[1].effects.hist.apply[1].title).toBe('v2')
})

test('history events list a document\'s lifecycle, newest first, with paging', async () => {
  const act = (actions: unknown[]) =>
    fetch(api('/data/actions/production'), {method: 'POST', headers: {...auth, 'content-type': 'application/json'}, body: JSON.stringify({actions})})
  await act([{actionType: 'sanity.action.document.create', publishedId: 'ev', attributes: {_id: 'drafts.ev', _type: 'story', title: 'e'}}])
  await act([{actionType: 'sanity.action.document.edit', draftId: 'drafts.ev', publishedId: 'ev', patch: {set: {title: 'e2'}}}])
  await act([{actionType: 'sanity.action.document.publish', draftId: 'drafts.ev', publishedId: 'ev'}])
  await act([{actionType: 'sanity.action.document.unpublish', draftId: 'drafts.ev', publishedId: 'ev'}])
  const body = await (await fetch(api('/data/history/production/events/documents/ev?limit=100'), {headers: auth})).json()
  expect(body.events.ev.map((e: {type: string}) => e.type)).toEqual(['unpublishDocument', 'publishDocumentVersion', 'createDocumentVersion'])
  expect(body.events.ev[1]).toMatchObject({documentId: 'ev', versionId: 'drafts.ev', revisionId: expect.any(String), versionRevisionId: expect.any(String), author: expect.any(String)})
  const first = await (await fetch(api('/data/history/production/events/documents/drafts.ev?limit=2'), {headers: auth})).json()
  expect(first.events['drafts.ev']).toHaveLength(2)
  const rest = await (await fetch(api(`/data/history/production/events/documents/drafts.ev?limit=2&nextCursor=${first.nextCursor}`), {headers: auth})).json()
  expect(rest.events['drafts.ev'].map((e: {type: string}) => e.type)).toEqual(['createDocumentVersion'])
  expect(rest.nextCursor).toBe('')
})
