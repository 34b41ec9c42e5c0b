import {existsSync, rmSync, statSync} from 'node:fs'
import {join} from 'node:path'
import {DatabaseSync} from 'node:sqlite'
import {afterAll, expect, test} from 'vitest'
import {openStore} from '../../lake/store'
import {tempDir} from './helpers'

const dirs: string[] = []
const fresh = () => {
  const dir = tempDir()
  dirs.push(dir)
  return dir
}
afterAll(() => {
  for (const dir of dirs) rmSync(dir, {recursive: true, force: true})
})

/** Bytes of document JSON each table holds (documents, revisions, the transaction log's mutations). */
function storedBytes(dir: string) {
  const db = new DatabaseSync(join(dir, 'lake.sqlite'), {readOnly: true})
  const sum = (sql: string) => Number((db.prepare(sql).get() as {n: number | null}).n ?? 0)
  const sizes = {
    documents: sum('SELECT SUM(length(json)) AS n FROM documents'),
    revisions: sum('SELECT SUM(length(json)) AS n FROM revisions'),
    mutations: sum('SELECT SUM(length(mutations)) AS n FROM transactions'),
  }
  db.close()
  return sizes
}

const story = (i: number) => ({_id: `story.${i}`, _type: 'story', title: `Story ${i}`, body: [{_type: 'block', _key: 'b', children: [{_type: 'span', _key: 's', text: 'word '.repeat(200)}]}]})

test('an import stores each document once: revisions and the transaction log point at it', () => {
  const dir = fresh()
  const store = openStore(dir)
  const lines = Array.from({length: 50}, (_, i) => JSON.stringify(story(i)))
  store.importNdjson('production', lines, {batchSize: 20})
  const sizes = storedBytes(dir)
  expect(sizes.documents).toBeGreaterThan(50 * 1000)
  expect(sizes.revisions).toBe(0)
  expect(sizes.mutations).toBe(0)

  // History still has the imported version, also once the document changed and after it is deleted.
  const imported = store.getDocuments('production', ['story.3'])[0]!
  const history = store.history('production', 'story.3')
  expect(history).toHaveLength(1)
  expect(history[0].mutations).toEqual([{createOrReplace: imported}])
  const edit = store.mutate('production', [{patch: {id: 'story.3', set: {title: 'Edited'}}}])
  expect(store.documentAtRevision('production', 'story.3', imported._rev!)).toEqual(imported)
  expect(store.documentAtRevision('production', 'story.3', edit.transactionId)?.title).toBe('Edited')
  store.mutate('production', [{delete: {id: 'story.3'}}])
  expect(store.lastRevision('production', 'story.3')?.title).toBe('Edited')
  expect(store.documentAtTime('production', 'story.3', new Date().toISOString())).toBeNull()
  expect(store.transactionLog('production', ['story.3']).map((tx) => tx.changes[0].after?.title ?? null)).toEqual(['Story 3', 'Edited', null])
  // Only the replaced versions were copied into revisions.
  const after = storedBytes(dir)
  expect(after.revisions).toBeGreaterThan(0)
  expect(after.revisions).toBeLessThan(3 * JSON.stringify(imported).length)
  store.close()
})

test('an import into a dataset not held in memory writes batch by batch while it reads', () => {
  const dir = fresh()
  const store = openStore(dir)
  const wal = join(dir, 'lake.sqlite-wal')
  let walWhileReading = 0
  function* lines() {
    for (let i = 0; i < 3000; i++) {
      if (i === 2900) walWhileReading = existsSync(wal) ? statSync(wal).size : 0
      yield JSON.stringify(story(i))
    }
  }
  expect(store.importNdjson('production', lines(), {batchSize: 100})).toEqual({documents: 3000, transactions: 30})
  // Earlier batches reached SQLite's log before the last line was read (nothing is held back until the end).
  expect(walWhileReading).toBeGreaterThan(1_000_000)
  store.close()
  const reopened = openStore(dir)
  expect(reopened.documents('production')).toHaveLength(3000)
  reopened.close()
})

test('an import checks references to documents of later batches once, at the end, and keeps nothing when one is missing', async () => {
  const dir = fresh()
  const store = openStore(dir)
  const ref = (id: string) => ({_type: 'reference', _ref: id})
  const lines = [
    JSON.stringify({_id: 'story.1', _type: 'story', author: ref('author.1')}),
    JSON.stringify({_id: 'author.1', _type: 'author'}),
    JSON.stringify({_id: 'story.2', _type: 'story', author: ref('author.9')}),
  ]
  expect(() => store.importNdjson('production', lines, {batchSize: 1})).toThrow('document #3 ("story.2"): references non-existent document "author.9"')
  expect(store.documents('production')).toEqual([])
  expect(store.importNdjson('production', lines.slice(0, 2), {batchSize: 1})).toEqual({documents: 2, transactions: 2})
  expect(await store.query('production', 'count(*[references("author.1")])')).toBe(1)
  store.close()
})
