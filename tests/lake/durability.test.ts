import {afterEach, expect, test, vi} from 'vitest'
import {openStore} from '../../lake/store'
import type {CommittedTransaction} from '../../lake/types'
import {DocView} from '../../lake/view'
import {tempDirsRemovedAfterAll} from './helpers'

const fresh = tempDirsRemovedAfterAll()
afterEach(() => vi.restoreAllMocks())

test('a committed transaction is acknowledged even if updating memory fails; memory is reloaded from disk', async () => {
  const dir = fresh()
  const store = openStore(dir)
  store.mutate('production', [{create: {_id: 'a', _type: 'story', title: 'A'}}])
  const seen: CommittedTransaction[] = []
  store.subscribe('production', (tx) => seen.push(tx))
  // Fault injection: the in-memory index update fails once, after SQLite committed.
  vi.spyOn(DocView.prototype, 'put').mockImplementationOnce(() => {
    throw new Error('index update failed')
  })
  const result = store.mutate('production', [{create: {_id: 'b', _type: 'story', title: 'B'}}, {patch: {id: 'a', set: {title: 'A2'}}}])
  expect(result.transactionId).toBeTruthy()
  expect(await store.query('production', '*[_type == "story"] | order(_id){_id, title}')).toEqual([
    {_id: 'a', title: 'A2'},
    {_id: 'b', title: 'B'},
  ])
  expect(await store.query('production', '*[_type == "story" && title == "B"]._id', {}, 'drafts')).toEqual(['b'])
  expect(seen.map((tx) => tx.transactionId)).toEqual([result.transactionId])
  store.close()
  const reopened = openStore(dir)
  expect(await reopened.query('production', '*[_type == "story"] | order(_id).title')).toEqual(['A2', 'B'])
  reopened.close()
})

const docs = (n: number, type = 'story') => Array.from({length: n}, (_, i) => JSON.stringify({_id: `doc-${i}`, _type: type, n: i}))

// Changing the type of a strongly referenced document is refused (https://www.sanity.io/docs/http-reference/mutation).
test('an import with --replace that a later batch rejects (type change of a referenced document) is rolled back, memory included', async () => {
  const dir = fresh()
  const store = openStore(dir)
  store.mutate('production', [{create: {_id: 'doc-7', _type: 'author', name: 'kept'}}, {create: {_id: 'holder', _type: 'story', author: {_ref: 'doc-7'}}}])
  const seen: CommittedTransaction[] = []
  store.subscribe('production', (tx) => seen.push(tx))
  expect(() => store.importNdjson('production', docs(10), {replace: true, batchSize: 3})).toThrow(/document #8 \("doc-7"\)/)
  expect(await store.query('production', '*[] | order(_id){_id, _type}')).toEqual([
    {_id: 'doc-7', _type: 'author'},
    {_id: 'holder', _type: 'story'},
  ])
  expect(store.history('production', 'doc-0')).toEqual([])
  expect(seen).toEqual([])
  store.close()
  const reopened = openStore(dir)
  expect(await reopened.query('production', 'count(*)')).toBe(2)
  // The store stays usable: a later good import commits every batch and notifies listeners once each.
  const later: CommittedTransaction[] = []
  reopened.subscribe('production', (tx) => later.push(tx))
  expect(reopened.importNdjson('production', docs(10).filter((_, i) => i !== 7), {replace: true, batchSize: 3})).toEqual({documents: 9, transactions: 3})
  expect(await reopened.query('production', 'count(*)')).toBe(11)
  expect(later).toHaveLength(3)
  reopened.close()
})
