import {spawn, spawnSync} from 'node:child_process'
import {readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {expect, test} from 'vitest'
import {openStore} from '../../lake/store'
import {tempDirsRemovedAfterAll} from './helpers'

const fresh = tempDirsRemovedAfterAll()

const sample = [
  {_id: 'rating.teen', _type: 'rating', code: 'teen', title: 'Teen'},
  {_id: 'author.a', _type: 'author', name: 'Ilsa', aliases: ['I.']},
  {_id: 's1', _type: 'story', title: 'One', rating: {_type: 'reference', _ref: 'rating.teen'}, authors: [{_type: 'reference', _ref: 'author.a', _key: 'k1'}]},
  {_id: 'drafts.s1', _type: 'story', title: 'One (draft)'},
]

test('restart keeps documents, revisions and history', async () => {
  const dir = fresh()
  const store = openStore(dir)
  const {transactionId} = store.mutate('production', sample.map((doc) => ({create: doc})))
  store.mutate('production', [{patch: {id: 's1', set: {title: 'Uno'}}}])
  store.close()
  const reopened = openStore(dir)
  expect(await reopened.query('production', '*[_type == "story"] | order(_id) {_id, title, "rating": rating->code}', {}, 'raw')).toEqual([
    {_id: 'drafts.s1', title: 'One (draft)', rating: null},
    {_id: 's1', title: 'Uno', rating: 'teen'},
  ])
  expect(reopened.documentAtRevision('production', 's1', transactionId)?.title).toBe('One')
  expect(reopened.history('production', 's1').length).toBe(2)
  reopened.close()
})

test.each([
  ['a_b', 'axb'],
  ['a_b', 'drafts.aab'],
  ['story_1', 'story-1'],
])('history of %s does not list transactions of %s (LIKE wildcards are escaped)', (id, other) => {
  const store = openStore(fresh())
  store.mutate('production', [{create: {_id: other, _type: 'story'}}])
  const own = store.mutate('production', [{create: {_id: id, _type: 'story'}}])
  expect(store.history('production', id).map((tx) => tx.id)).toEqual([own.transactionId])
  expect(store.transactionLog('production', [id]).map((tx) => tx.transactionId)).toEqual([own.transactionId])
  store.close()
})

test('export then import into an empty dataset round-trips every document, drafts included', () => {
  const dir = fresh()
  const store = openStore(dir)
  store.mutate('production', sample.map((doc) => ({create: doc})))
  const exported = [...store.exportNdjson('production')]
  expect(exported).toHaveLength(4)
  const result = store.importNdjson('copy', exported)
  expect(result.documents).toBe(4)
  // Content and _createdAt survive; _rev/_updatedAt belong to the importing transaction.
  const strip = (line: string) => {
    const {_rev, _updatedAt, ...rest} = JSON.parse(line)
    return rest
  }
  const reimported = [...store.exportNdjson('copy')]
  expect(reimported.map(strip)).toEqual(exported.map(strip))
  for (const line of reimported) expect(JSON.parse(line)._rev).toBe(store.getDocuments('copy', [JSON.parse(line)._id])[0]?._rev)
  store.close()
})

test('history of imported documents shows their content, not a deletion', () => {
  const store = openStore(fresh())
  store.importNdjson('production', sample.map((d) => JSON.stringify(d)))
  store.mutate('production', [{patch: {id: 's1', set: {title: 'Edited'}}}])
  const log = store.transactionLog('production', ['s1'])
  expect(log.map((tx) => tx.changes[0].after?.title)).toEqual(['One', 'Edited'])
  store.mutate('production', [{patch: {id: 's1', set: {title: 'Again'}}}])
  const titles = store.transactionLog('production', ['s1']).map((tx) => [tx.changes[0].before?.title, tx.changes[0].after?.title])
  expect(titles).toEqual([[undefined, 'One'], ['One', 'Edited'], ['Edited', 'Again']])
  store.close()
})

test('import refuses existing documents unless --replace or --missing', () => {
  const store = openStore(fresh())
  store.importNdjson('production', sample.map((d) => JSON.stringify(d)))
  const changed = sample.map((d) => JSON.stringify({...d, title: 'changed'}))
  expect(() => store.importNdjson('production', changed)).toThrow(/already exists.*--replace/)
  const brandNew = JSON.stringify({_id: 'brand-new', _type: 'story'})
  expect(() => store.importNdjson('production', [brandNew, ...changed], {batchSize: 1})).toThrow(/document #2 \("rating.teen"\)/)
  expect(store.getDocuments('production', ['brand-new'])[0]).toBeNull()
  store.importNdjson('production', changed, {missing: true})
  expect(store.getDocuments('production', ['s1'])[0]?.title).toBe('One')
  store.importNdjson('production', changed, {replace: true})
  expect(store.getDocuments('production', ['s1'])[0]?.title).toBe('changed')
  store.close()
})

test.each([
  ['{"_id": "a", "_type": "x"}\n{not json', /line 2: invalid JSON/],
  ['{"_type": "x"}', /line 1: field _id is missing/],
  ['{"_id": "a"}', /line 1: field _type is missing/],
  ['[1,2]', /line 1: expected a document object/],
])('import names the bad line: %s', (text, message) => {
  const store = openStore(fresh())
  expect(() => store.importNdjson('production', text.split('\n'))).toThrow(message)
  expect(store.documents('production')).toHaveLength(0)
  store.close()
})

const tsx = join(process.cwd(), 'node_modules/.bin/tsx')

test('the lake CLI exports and imports NDJSON files and reports bad input without a stack trace', () => {
  const source = fresh()
  const target = fresh()
  const store = openStore(source)
  store.mutate('production', sample.map((doc) => ({create: doc})))
  store.close()
  const file = join(source, 'out.ndjson')
  const exp = spawnSync(tsx, ['scripts/lake.ts', 'export', file], {env: {...process.env, LAKE_DATA_DIR: source}, encoding: 'utf8'})
  expect(exp.status).toBe(0)
  expect(exp.stderr).toContain('exported 4 documents')
  const imp = spawnSync(tsx, ['scripts/lake.ts', 'import', file], {env: {...process.env, LAKE_DATA_DIR: target}, encoding: 'utf8'})
  expect(imp.status).toBe(0)
  expect(readFileSync(file, 'utf8').trim().split('\n')).toHaveLength(4)
  const again = spawnSync(tsx, ['scripts/lake.ts', 'import', file, '--replace'], {env: {...process.env, LAKE_DATA_DIR: target}, encoding: 'utf8'})
  expect(again.status).toBe(0)
  const bad = join(target, 'bad.ndjson')
  writeFileSync(bad, '{"_id": "ok", "_type": "x"}\n{"_id": "nope"}\n')
  const failed = spawnSync(tsx, ['scripts/lake.ts', 'import', bad], {env: {...process.env, LAKE_DATA_DIR: target}, encoding: 'utf8'})
  expect(failed.status).toBe(1)
  expect(failed.stderr).toContain('bad.ndjson: line 2: field _type is missing')
  expect(failed.stderr).not.toMatch(/\n\s+at /)
})

test('kill -9 during a write loop loses no acknowledged transaction and leaves none half-applied', async () => {
  const dir = fresh()
  // Run node itself with tsx's loader: killing the `tsx` wrapper would orphan the real writer.
  const child = spawn(process.execPath, ['--import', 'tsx', join(process.cwd(), 'tests/lake/fixtures/crash-writer.ts'), dir], {stdio: ['ignore', 'pipe', 'pipe']})
  let output = ''
  let stderr = ''
  child.stderr.on('data', (chunk) => (stderr += chunk))
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`writer produced too little: ${output.length} ${stderr}`)), 30_000)
    child.stdout.on('data', (chunk) => {
      output += chunk
      if (output.split('\n').length > 60) {
        clearTimeout(timer)
        resolve()
      }
    })
  })
  child.kill('SIGKILL')
  await new Promise((resolve) => child.on('exit', resolve))
  const acknowledged = output.split('\n').filter((line) => /^\d+ \S+$/.test(line)).map((line) => line.split(' ') as [string, string])
  expect(acknowledged.length).toBeGreaterThan(50)
  const store = openStore(dir)
  const docs = store.documents('production')
  const byBatch = new Map<number, number>()
  for (const doc of docs) byBatch.set(doc.batch as number, (byBatch.get(doc.batch as number) ?? 0) + 1)
  for (const [n, txId] of acknowledged) {
    expect(byBatch.get(Number(n))).toBe(5)
    expect(store.getDocuments('production', [`crash-${n}-0`])[0]?._rev).toBe(txId)
  }
  for (const count of byBatch.values()) expect(count).toBe(5)
  store.close()
})
