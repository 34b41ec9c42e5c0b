/**
 * The lake against Sanity's documented HTTP API, one contract point per test; each names the
 * documentation page it follows.
 */
import {afterAll, beforeAll, describe, expect, test} from 'vitest'
import {startLake, TEST_TOKEN, type TestLake} from './helpers'

let lake: TestLake
beforeAll(async () => {
  lake = await startLake({keepAliveMs: 60_000})
})
afterAll(() => lake.close())

const auth = {authorization: `Bearer ${TEST_TOKEN}`}
const json = {...auth, 'content-type': 'application/json'}
const api = (path: string) => `${lake.baseUrl}/v2025-02-19${path}`

async function mutate(mutations: unknown[], query = '') {
  const res = await fetch(api(`/data/mutate/production${query}`), {method: 'POST', headers: json, body: JSON.stringify({mutations})})
  return {status: res.status, body: await res.json()}
}

async function act(actions: unknown[]) {
  const res = await fetch(api('/data/actions/production'), {method: 'POST', headers: json, body: JSON.stringify({actions})})
  return {status: res.status, body: await res.json()}
}

const ids = async (query: string) => (await lake.store.query('production', query)) as string[]

describe('strong references (https://www.sanity.io/docs/reference-type, https://www.sanity.io/docs/http-reference/mutation)', () => {
  test('creating a document with a strong reference to a missing document is refused with documentReferenceDoesNotExistError', async () => {
    const answer = await mutate([{create: {_id: 'r-story', _type: 'story', authors: [{_key: 'a', _ref: 'nobody'}]}}])
    expect(answer.status).toBe(409)
    expect(answer.body.error).toMatchObject({
      type: 'mutationError',
      items: [{index: 0, error: {type: 'documentReferenceDoesNotExistError', id: 'r-story', referenceID: 'nobody'}}],
    })
    expect(await ids('*[_id == "r-story"]._id')).toEqual([])
  })

  test('a weak reference to a missing document is accepted, and a target created in the same transaction counts', async () => {
    expect((await mutate([{create: {_id: 'r-weak', _type: 'story', author: {_ref: 'nobody', _weak: true}}}])).status).toBe(200)
    const both = await mutate([
      {create: {_id: 'r-holder', _type: 'story', author: {_ref: 'r-target'}}},
      {create: {_id: 'r-target', _type: 'author', name: 'T'}},
    ])
    expect(both.status).toBe(200)
  })

  test('a patch adding a strong reference to a missing document is refused', async () => {
    const answer = await mutate([{patch: {id: 'r-target', set: {mentor: {_ref: 'ghost'}}}}])
    expect(answer.status).toBe(409)
    expect(answer.body.error.items[0].error).toMatchObject({type: 'documentReferenceDoesNotExistError', referenceID: 'ghost'})
  })

  test('unsetting _weak on a reference to a missing document is refused (what @sanity/import does to strengthen)', async () => {
    const answer = await mutate([{patch: {id: 'r-weak', unset: ['author._weak']}}])
    expect(answer.status).toBe(409)
    expect(answer.body.error.items[0].error).toMatchObject({type: 'documentReferenceDoesNotExistError', id: 'r-weak', referenceID: 'nobody'})
    expect((await lake.store.getDocuments('production', ['r-weak']))[0]?.author).toEqual({_ref: 'nobody', _weak: true})
  })

  test('deleting a strongly referenced document is refused with documentHasExistingReferencesError and the referencing ids', async () => {
    const answer = await mutate([{delete: {id: 'r-target'}}])
    expect(answer.status).toBe(409)
    expect(answer.body.error).toMatchObject({
      type: 'mutationError',
      items: [{index: 0, error: {type: 'documentHasExistingReferencesError', id: 'r-target', referencingIDs: ['r-holder']}}],
    })
    expect(await ids('*[_id == "r-target"]._id')).toEqual(['r-target'])
    // Deleting the holder in the same transaction frees the target.
    expect((await mutate([{delete: {id: 'r-holder'}}, {delete: {id: 'r-target'}}])).status).toBe(200)
  })

  test('the Actions API keeps references too: deleting a referenced document is refused', async () => {
    await mutate([{create: {_id: 'ra-author', _type: 'author'}}, {create: {_id: 'ra-story', _type: 'story', author: {_ref: 'ra-author'}}}])
    const answer = await act([{actionType: 'sanity.action.document.delete', publishedId: 'ra-author'}])
    expect(answer.status).toBe(409)
    expect(answer.body.error.items[0]).toMatchObject({index: 0, error: {type: 'documentHasExistingReferencesError', referencingIDs: ['ra-story']}})
  })
})

describe('Actions API preconditions (https://www.sanity.io/docs/http-actions)', () => {
  test('publish strengthens references marked _strengthenOnPublish, and so needs their targets published', async () => {
    const weakRef = {_ref: 'sp-author', _weak: true, _strengthenOnPublish: {type: 'author'}}
    await mutate([{create: {_id: 'drafts.sp-author', _type: 'author'}}, {create: {_id: 'drafts.sp-story', _type: 'story', author: weakRef}}])
    const refused = await act([{actionType: 'sanity.action.document.publish', draftId: 'drafts.sp-story', publishedId: 'sp-story'}])
    expect(refused.status).toBe(409)
    expect(refused.body.error.items[0].error).toMatchObject({type: 'documentReferenceDoesNotExistError', referenceID: 'sp-author'})
    expect((await act([{actionType: 'sanity.action.document.publish', draftId: 'drafts.sp-author', publishedId: 'sp-author'}])).status).toBe(200)
    expect((await act([{actionType: 'sanity.action.document.publish', draftId: 'drafts.sp-story', publishedId: 'sp-story'}])).status).toBe(200)
    expect((await lake.store.getDocuments('production', ['sp-story']))[0]?.author).toEqual({_ref: 'sp-author'})
  })

  test('create is refused when the published document exists, unless ifExists is "ignore"', async () => {
    await mutate([{create: {_id: 'ac-pub', _type: 'story', title: 'published'}}])
    const answer = await act([{actionType: 'sanity.action.document.create', publishedId: 'ac-pub', attributes: {_id: 'drafts.ac-pub', _type: 'story'}}])
    expect(answer.status).toBe(409)
    expect(answer.body.error.type).toBe('actionError')
    expect(await ids('*[_id == "drafts.ac-pub"]._id')).toEqual([])
    const ignored = await act([{actionType: 'sanity.action.document.create', publishedId: 'ac-pub', ifExists: 'ignore', attributes: {_id: 'drafts.ac-pub', _type: 'story'}}])
    expect(ignored.status).toBe(200)
  })

  test('delete removes only the drafts listed in includeDrafts', async () => {
    await mutate([{create: {_id: 'ad', _type: 'story'}}, {create: {_id: 'drafts.ad', _type: 'story'}}, {create: {_id: 'ad2', _type: 'story'}}, {create: {_id: 'drafts.ad2', _type: 'story'}}])
    expect((await act([{actionType: 'sanity.action.document.delete', publishedId: 'ad'}])).status).toBe(200)
    expect(await ids('*[_id in ["ad", "drafts.ad"]]._id')).toEqual(['drafts.ad'])
    expect((await act([{actionType: 'sanity.action.document.delete', publishedId: 'ad2', includeDrafts: ['drafts.ad2']}])).status).toBe(200)
    expect(await ids('*[_id in ["ad2", "drafts.ad2"]]._id')).toEqual([])
  })

  test('delete of a document that does not exist is refused', async () => {
    const answer = await act([{actionType: 'sanity.action.document.delete', publishedId: 'never-there', includeDrafts: ['drafts.never-there']}])
    expect(answer.status).toBe(409)
  })

  test('replaceDraft needs the draft or the published document to exist', async () => {
    const refused = await act([{actionType: 'sanity.action.document.replaceDraft', publishedId: 'rd', attributes: {_id: 'drafts.rd', _type: 'story'}}])
    expect(refused.status).toBe(409)
    expect(await ids('*[_id == "drafts.rd"]._id')).toEqual([])
    await mutate([{create: {_id: 'rd', _type: 'story', title: 'p'}}])
    const ok = await act([{actionType: 'sanity.action.document.replaceDraft', publishedId: 'rd', attributes: {_id: 'drafts.rd', _type: 'story', title: 'd'}}])
    expect(ok.status).toBe(200)
  })
})

describe('GROQ over HTTP (https://www.sanity.io/docs/http-query, https://www.sanity.io/docs/groq-operators)', () => {
  test('`@ match` on strings matches the strings themselves', async () => {
    await mutate([{create: {_id: 'm1', _type: 'tagged', tags: ['xylophone', 'drum']}}])
    expect(await lake.client.fetch('["foo", "bar"][@ match "ba*"]')).toEqual(['bar'])
    expect(await lake.client.fetch('*[_id == "m1"][0].tags[@ match "x*"]')).toEqual(['xylophone'])
    // A document on the left still means "any of its strings" (the Studio's search).
    expect(await lake.client.fetch('*[_type == "tagged" && @ match "drum"]._id')).toEqual(['m1'])
  })

  test('a parameter the query uses but the request does not provide answers 400, by GET and by POST', async () => {
    const get = await fetch(api(`/data/query/production?query=${encodeURIComponent('*[_id == $id]')}&$other=1`))
    expect(get.status).toBe(400)
    expect((await get.json()).error).toMatchObject({type: 'queryParseError', description: 'param $id referenced, but not provided'})
    const post = await fetch(api('/data/query/production'), {method: 'POST', headers: {'content-type': 'application/json'}, body: JSON.stringify({query: '*[_id == $id]', params: {}})})
    expect(post.status).toBe(400)
    // Parameters of a custom function are not request parameters.
    expect(await lake.client.fetch('fn ex::pick($d) = $d{"t": tags[0]}; ex::pick(*[_id == "m1"][0])')).toEqual({t: 'xylophone'})
  })

  test('returnQuery=false leaves the query out of the answer', async () => {
    const body = await (await fetch(api(`/data/query/production?query=${encodeURIComponent('1 + 1')}&returnQuery=false`))).json()
    expect(body.result).toBe(2)
    expect(body).not.toHaveProperty('query')
    const withQuery = await (await fetch(api(`/data/query/production?query=${encodeURIComponent('1 + 1')}`))).json()
    expect(withQuery.query).toBe('1 + 1')
  })
})

describe('documents and mutations (https://www.sanity.io/docs/http-reference/mutation, https://www.sanity.io/docs/http-patches)', () => {
  test('createOrReplace may change _type (a delete then a create), unless strong references point at the document', async () => {
    await mutate([{create: {_id: 'ty', _type: 'draftThing', a: 1}}])
    const changed = await mutate([{createOrReplace: {_id: 'ty', _type: 'author', name: 'N'}}])
    expect(changed.status).toBe(200)
    expect((await lake.store.getDocuments('production', ['ty']))[0]).toMatchObject({_type: 'author', name: 'N'})
    await mutate([{create: {_id: 'ty-holder', _type: 'story', author: {_ref: 'ty'}}}])
    const refused = await mutate([{createOrReplace: {_id: 'ty', _type: 'fandom'}}])
    expect(refused.status).toBe(409)
    expect(refused.body.error.items[0].error).toMatchObject({type: 'documentHasExistingReferencesError', referencingIDs: ['ty-holder']})
  })

  test('a patch cannot change _type or _id', async () => {
    await mutate([{create: {_id: 'pt', _type: 'story', n: 1, title: 't', tags: []}}])
    for (const patch of [{set: {_type: 'author'}}, {unset: ['_type']}, {set: {_id: 'other'}}]) {
      const answer = await mutate([{patch: {id: 'pt', ...patch}}])
      expect(answer.status).toBe(400)
      expect(answer.body.error.items[0].error.type).toBe('invalidPatchError')
    }
    expect((await lake.store.getDocuments('production', ['pt']))[0]?._type).toBe('story')
  })

  test('inc on a string and insert at a path with no array answer errors, not a new revision without change', async () => {
    const before = (await lake.store.getDocuments('production', ['pt']))[0]!._rev
    const inc = await mutate([{patch: {id: 'pt', inc: {title: 1}}}])
    expect(inc.status).toBe(400)
    expect(inc.body.error.items[0].error.description).toMatch(/cannot inc "title": it holds a string/)
    const insert = await mutate([{patch: {id: 'pt', insert: {after: 'missing[-1]', items: ['x']}}}])
    expect(insert.status).toBe(400)
    expect(insert.body.error.items[0].error.description).toMatch(/no array at "missing"/)
    for (const patch of [{set: 5}, {setIfMissing: ['a']}, {inc: 'n'}, {unset: 'title'}]) {
      const malformed = await mutate([{patch: {id: 'pt', ...patch}}])
      expect(malformed.status).toBe(400)
      expect(malformed.body.error.items[0].error.description).toMatch(/needs an (object|array)/)
    }
    expect((await lake.store.getDocuments('production', ['pt']))[0]!._rev).toBe(before)
    // The working forms still work: inc on a number, insert into an (empty) array.
    expect((await mutate([{patch: {id: 'pt', inc: {n: 2}, insert: {after: 'tags[-1]', items: ['a']}}}])).status).toBe(200)
    expect((await lake.store.getDocuments('production', ['pt']))[0]).toMatchObject({n: 3, tags: ['a']})
  })

  test('getDocument with includeAllVersions returns the published document, its draft and its release versions', async () => {
    await mutate([{create: {_id: 'av', _type: 'story'}}, {create: {_id: 'drafts.av', _type: 'story'}}, {create: {_id: 'versions.r1.av', _type: 'story'}}, {create: {_id: 'av-other', _type: 'story'}}])
    const all = (await lake.client.getDocument('av', {includeAllVersions: true} as never)) as unknown as Array<{_id: string}>
    expect(all.map((doc) => doc._id).sort()).toEqual(['av', 'drafts.av', 'versions.r1.av'])
  })

  test('objects nested deeper than the limit answer 400, not a stack overflow', async () => {
    let deep: Record<string, unknown> = {leaf: true}
    for (let i = 0; i < 2000; i++) deep = {inner: deep}
    const answer = await mutate([{create: {_id: 'deep', _type: 'story', deep}}])
    expect(answer.status).toBe(400)
    expect(answer.body.error.description).toMatch(/nested deeper than/)
  })
})

describe('listeners (https://www.sanity.io/docs/listening)', () => {
  async function firstMutationEvent(query: string, params: string, write: () => Promise<unknown>): Promise<Record<string, unknown>> {
    const controller = new AbortController()
    const res = await fetch(api(`/data/listen/production?query=${encodeURIComponent(query)}${params}`), {headers: auth, signal: controller.signal})
    const reader = res.body!.getReader()
    let text = ''
    let wrote = false
    while (!/event: mutation\n(id: .*\n)?data: .*\n\n/.test(text) && !/data: .*\n\n[\s\S]*event: mutation[\s\S]*\n\n/.test(text)) {
      if (!wrote && text.includes('event: welcome')) {
        wrote = true
        await write()
      }
      const {value, done} = await reader.read()
      if (done) break
      text += new TextDecoder().decode(value)
    }
    controller.abort()
    const block = text.split('\n\n').find((chunk) => chunk.includes('event: mutation'))!
    return JSON.parse(block.split('\n').find((line) => line.startsWith('data: '))!.slice(6))
  }

  test('without options an event carries no document, visibility "transaction", and the mutations as submitted', async () => {
    await mutate([{create: {_id: 'ls', _type: 'listened', title: 'a', n: 1}}])
    const event = await firstMutationEvent('*[_type == "listened"]', '', () => mutate([{patch: {id: 'ls', set: {title: 'b'}, inc: {n: 1}}}]))
    expect(event).not.toHaveProperty('result')
    expect(event.visibility).toBe('transaction')
    expect(event.mutations).toEqual([{patch: {id: 'ls', set: {title: 'b'}, inc: {n: 1}}}])
  })

  test('includeResult=true and visibility=query are honoured when asked', async () => {
    const event = await firstMutationEvent('*[_type == "listened"]', '&includeResult=true&visibility=query', () => mutate([{patch: {id: 'ls', set: {title: 'c'}}}]))
    expect(event.result).toMatchObject({_id: 'ls', title: 'c'})
    expect(event.visibility).toBe('query')
  })
})

describe('history (https://www.sanity.io/docs/history-api)', () => {
  test('revision and time together answer 400; lastRevision finds a deleted document', async () => {
    const created = await mutate([{create: {_id: 'h1', _type: 'story', title: 'kept'}}], '?returnIds=true')
    const both = await fetch(api(`/data/history/production/documents/h1?revision=${created.body.transactionId}&time=2026-01-01T00:00:00Z`), {headers: auth})
    expect(both.status).toBe(400)
    await mutate([{delete: {id: 'h1'}}])
    const last = await (await fetch(api('/data/history/production/documents/h1?lastRevision=true'), {headers: auth})).json()
    expect(last.documents).toEqual([expect.objectContaining({_id: 'h1', title: 'kept'})])
  })

  test('transactions list the mutations as submitted, and effects only with effectFormat=mendoza', async () => {
    await mutate([{create: {_id: 'h2', _type: 'story', title: 'one'}}])
    await mutate([{patch: {id: 'h2', set: {title: 'two'}}}])
    const lines = async (query: string) =>
      (await (await fetch(api(`/data/history/production/transactions/h2${query}`), {headers: auth})).text())
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line))
    const plain = await lines('')
    expect(plain[1].mutations).toEqual([{patch: {id: 'h2', set: {title: 'two'}}}])
    expect(plain[1]).not.toHaveProperty('effects')
    const mendoza = await lines('?effectFormat=mendoza&excludeMutations=true')
    expect(mendoza[1].effects.h2).toBeDefined()
    expect(mendoza[1]).not.toHaveProperty('mutations')
  })
})

describe('projects and assets (https://www.sanity.io/docs/http-api-projects, https://www.sanity.io/docs/http-api-assets)', () => {
  test('GET /projects lists the local project for the token holder', async () => {
    const res = await fetch(api('/projects'), {headers: auth})
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual([expect.objectContaining({id: 'local'})])
  })

  test('an upload keeps title, description, label, creditLine and source', async () => {
    const query = '?filename=n.txt&title=Notes&description=Some%20notes&label=misc&creditLine=Me&sourceName=unsplash&sourceId=abc&sourceUrl=https%3A%2F%2Fexample.com%2Fabc'
    const res = await fetch(api(`/assets/files/production${query}`), {method: 'POST', headers: auth, body: 'notes body'})
    expect(res.status).toBe(200)
    expect((await res.json()).document).toMatchObject({
      title: 'Notes',
      description: 'Some notes',
      label: 'misc',
      creditLine: 'Me',
      source: {name: 'unsplash', id: 'abc', url: 'https://example.com/abc'},
    })
  })
})
