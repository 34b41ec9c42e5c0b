import {existsSync, statSync} from 'node:fs'
import {join} from 'node:path'
import {DatabaseSync, StatementSync} from 'node:sqlite'
import {expect, test, vi} from 'vitest'
import {openStore} from '../../lake/store'
import {tempDirsRemovedAfterAll} from './helpers'

const fresh = tempDirsRemovedAfterAll()

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

test('after a restart large values are read from SQLite on use and equal what was stored, in every perspective and after edits', async () => {
  const dir = fresh()
  const first = openStore(dir)
  const ref = (id: string) => ({_type: 'reference', _ref: id})
  const inBody = {_type: 'block', _key: 'r', markDefs: [{_key: 'm', _type: 'link', reference: ref('author.2')}], children: [{_type: 'span', _key: 's', text: 'x'}]}
  const docs = [
    {_id: 'author.1', _type: 'author', name: 'A'},
    {_id: 'author.2', _type: 'author', name: 'B'},
    {...story(1), author: ref('author.1'), body: [...story(1).body, inBody], after: 'kept in order'},
    {...story(1), _id: 'drafts.story.1', title: 'Draft'},
    story(2),
  ]
  first.mutate('production', docs.map((doc) => ({create: doc})))
  const exported = [...first.exportNdjson('production')]
  const before = first.documents('production')
  first.close()

  const store = openStore(dir)
  const dbHeads = new DatabaseSync(join(dir, 'lake.sqlite'), {readOnly: true})
  expect((dbHeads.prepare('SELECT id, lazy, refs FROM heads ORDER BY id').all() as Array<Record<string, unknown>>).map((row) => ({...row}))).toEqual([
    {id: 'drafts.story.1', lazy: '["body"]', refs: null},
    {id: 'story.1', lazy: '["body"]', refs: '["author.2"]'},
    {id: 'story.2', lazy: '["body"]', refs: null},
  ])
  dbHeads.close()
  // Same documents; a value left in SQLite comes after the document's other keys (lazy-doc.ts).
  const byId = (list: Array<{_id: string}>) => [...list].sort((a, b) => (a._id < b._id ? -1 : 1))
  expect(byId(store.documents('production'))).toEqual(byId(before))
  const storyKeys = Object.keys(before.find((doc) => doc._id === 'story.1')!)
  expect(Object.keys(store.getDocuments('production', ['story.1'])[0]!)).toEqual([...storyKeys.filter((key) => key !== 'body'), 'body'])
  expect([...store.exportNdjson('production')]).toEqual(exported)
  // References inside a value left in SQLite are indexed.
  expect(await store.query('production', '*[references("author.2")]._id')).toEqual(['story.1'])
  const draft = (await store.query('production', '*[_id == "story.1"][0]{title, body}', {}, 'drafts')) as {title: string; body: unknown}
  expect(draft).toEqual({title: 'Draft', body: story(1).body})
  expect(Object.keys((await store.query('production', '*[_id == "story.1"][0]', {}, 'drafts')) as object)).toEqual([...Object.keys(docs[3]).filter((key) => key !== 'body'), '_createdAt', '_updatedAt', '_rev', 'body', '_originalId'])

  // A patch reads the stored body; the replaced version stays readable in history and in copies held before.
  const oldHead = store.getDocuments('production', ['story.2'])[0]!
  const oldJson = JSON.stringify(oldHead)
  store.mutate('production', [{patch: {id: 'story.2', insert: {after: 'body[-1]', items: [{_type: 'block', _key: 'n', children: []}]}}}])
  expect(JSON.stringify(oldHead)).toBe(oldJson)
  expect(store.documentAtRevision('production', 'story.2', oldHead._rev!)).toEqual(JSON.parse(oldJson))
  const edited = (await store.query('production', '*[_id == "story.2"][0]')) as {body: unknown[]}
  expect(edited.body).toHaveLength(story(2).body.length + 1)
  store.mutate('production', [{delete: {id: 'story.2'}}])
  expect(JSON.stringify(oldHead)).toBe(oldJson)
  store.close()
  const again = openStore(dir)
  expect(await again.query('production', 'count(*[_id == "story.2"])')).toBe(0)
  expect(((await again.query('production', '*[_id == "drafts.story.1"][0].body')) as unknown[]).length).toBe(story(1).body.length)
  again.close()
})

test('the published view shares the raw indexes: drafts and versions coming and going are skipped in lists, counts and ordered slices', async () => {
  const store = openStore(fresh())
  const doc = (id: string, n: number) => ({_id: id, _type: 'story', n, status: 'complete'})
  store.mutate('production', [doc('a', 1), doc('drafts.a', 2), doc('versions.rA.b', 3), doc('b', 4)].map((d) => ({create: d})))
  const queries = ['count(*[_type == "story"])', '*[status == "complete"]._id', '*[_type == "story"] | order(n desc)[0...2]._id', '*[references("x") || _type == "story"]._id']
  const check = async (expected: unknown[]) => {
    const answers = await Promise.all(queries.map((q) => store.query('production', q, {}, 'published')))
    const scans = await Promise.all(queries.map((q) => store.query('production', q, {}, 'published', {fullScan: true})))
    expect(answers).toEqual(scans)
    expect(answers).toEqual(expected)
  }
  await check([2, ['a', 'b'], ['b', 'a'], ['a', 'b']])
  store.mutate('production', [{delete: {id: 'b'}}, {createOrReplace: doc('drafts.c', 9)}, {patch: {id: 'a', set: {n: 10}}}])
  await check([1, ['a'], ['a'], ['a']])
  store.mutate('production', [{create: doc('c', 0)}, {delete: {id: 'drafts.a'}}])
  await check([2, ['a', 'c'], ['a', 'c'], ['a', 'c']])
  store.close()
})

test('after a restart, queries that do not read a story body leave it in SQLite', async () => {
  const dir = fresh()
  const first = openStore(dir)
  const docs = Array.from({length: 40}, (_, i) => ({...story(i), fandoms: [{_type: 'reference', _ref: 'f', _key: 'k'}], publishedAt: `2020-01-${String(1 + (i % 28)).padStart(2, '0')}`}))
  first.mutate('production', [{create: {_id: 'f', _type: 'fandom'}}, ...docs.map((doc) => ({create: doc})), {create: {...docs[0], _id: 'drafts.story.0'}}])
  first.close()
  const store = openStore(dir)
  await store.query('production', 'count(*)')
  const reads = vi.spyOn(StatementSync.prototype, 'get')
  const bodyReads = () => reads.mock.contexts.filter((statement) => (statement as StatementSync).sourceSQL.startsWith('SELECT json FROM documents WHERE dataset = ? AND id = ?')).length
  try {
    for (const perspective of ['published', 'drafts', 'raw'] as const) {
      await store.query('production', '*[_type == "story" && defined(publishedAt)] | order(publishedAt desc)[0...5]{title, "fandoms": fandoms[]->_id}', {}, perspective)
      await store.query('production', 'array::unique(*[_type == "story"].fandoms[]._ref)', {}, perspective)
      await store.query('production', 'count(*["f" in fandoms[]._ref])', {}, perspective)
    }
    expect(bodyReads()).toBe(0)
    expect(((await store.query('production', '*[_id == "story.3"][0].body', {}, 'published')) as unknown[]).length).toBe(1)
    expect(bodyReads()).toBe(1)
  } finally {
    reads.mockRestore()
    store.close()
  }
})

test('a data folder without heads (or with the first, WITHOUT ROWID heads table) gets them on its next start, documents unchanged', async () => {
  const dir = fresh()
  const first = openStore(dir)
  first.mutate('production', [story(1), story(2), {_id: 'small', _type: 'author', name: 'A'}].map((doc) => ({create: doc})))
  const exported = [...first.exportNdjson('production')]
  first.close()
  const db = new DatabaseSync(join(dir, 'lake.sqlite'))
  db.exec('DROP TABLE heads; CREATE TABLE heads (dataset TEXT NOT NULL, id TEXT NOT NULL, head TEXT, lazy TEXT NOT NULL, refs TEXT, PRIMARY KEY (dataset, id)) WITHOUT ROWID')
  db.close()
  const store = openStore(dir)
  expect(await store.query('production', '*[_type == "story"] | order(_id)')).toEqual(exported.filter((line) => line.includes('"story"')).map((line) => JSON.parse(line)))
  store.close()
  const check = new DatabaseSync(join(dir, 'lake.sqlite'), {readOnly: true})
  expect((check.prepare("SELECT sql FROM sqlite_schema WHERE name = 'heads'").get() as {sql: string}).sql).not.toContain('WITHOUT ROWID')
  expect((check.prepare('SELECT id, lazy FROM heads ORDER BY id').all() as Array<Record<string, unknown>>).map((row) => ({...row}))).toEqual([
    {id: 'story.1', lazy: '["body"]'},
    {id: 'story.2', lazy: '["body"]'},
  ])
  check.close()
  const again = openStore(dir)
  expect([...again.exportNdjson('production')]).toEqual(exported)
  again.close()
})

test('heads written with a placeholder where each large value was are read, and written again without it', async () => {
  const dir = fresh()
  const first = openStore(dir)
  first.mutate('production', [{create: story(1)}])
  first.close()
  const db = new DatabaseSync(join(dir, 'lake.sqlite'))
  const {head} = db.prepare("SELECT head FROM heads WHERE id = 'story.1'").get() as {head: string}
  const stored = JSON.parse(head) as Record<string, unknown>
  expect(stored).not.toHaveProperty('body')
  // The earlier form: the document's keys in order, `0` where the body was.
  const {_id, _type, title, ...system} = stored
  db.prepare("UPDATE heads SET head = ? WHERE id = 'story.1'").run(JSON.stringify({_id, _type, title, body: 0, ...system}))
  db.close()
  const store = openStore(dir)
  expect(await store.query('production', '*[_id == "story.1"][0].body')).toEqual(story(1).body)
  store.close()
  const check = new DatabaseSync(join(dir, 'lake.sqlite'), {readOnly: true})
  expect(JSON.parse((check.prepare("SELECT head FROM heads WHERE id = 'story.1'").get() as {head: string}).head)).not.toHaveProperty('body')
  check.close()
})
