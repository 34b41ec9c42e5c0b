/**
 * The drafts perspective and release stacks (lake/overlay-view.ts) answer from the raw view's
 * indexes without a copy of the dataset. Here, under random writes, every index set (members,
 * order, size), lookup, sorted index and query answer equals what a view built afresh from the
 * documents the perspective shows would answer, those documents being worked out here on their
 * own: per published id the first existing layer of the stack (a `_system.delete` marker shows
 * nothing), else the published document, with `_id` the published id and `_originalId` the raw
 * id, in the raw order of the document shown.
 */
import fc from 'fast-check'
import {evaluate, parse} from 'groq-js'
import {afterAll, beforeAll, describe, expect, test} from 'vitest'
import {publishedIdOf} from '../../lake/ids'
import {OverlayView} from '../../lake/overlay-view'
import {openStore, type Store} from '../../lake/store'
import type {LakeDocument} from '../../lake/types'
import {DocView, indexKeysOf} from '../../lake/view'
import {tempDirsRemovedAfterAll} from './helpers'

const BASES = ['a', 'b', 's.c', 'd']
const STACKS: string[][] = [['drafts'], ['rA', 'drafts'], ['rB']]

function layerId(layer: string, base: string): string {
  return layer === 'published' ? base : layer === 'drafts' ? `drafts.${base}` : `versions.${layer}.${base}`
}

/** The documents `stack` shows, in view order, worked out from the raw documents alone. */
function expectedView(rawDocs: readonly LakeDocument[], stack: readonly string[]): LakeDocument[] {
  const byId = new Map(rawDocs.map((doc) => [doc._id, doc]))
  const shownOf = (base: string): string | null => {
    for (const layer of stack) {
      const doc = byId.get(layerId(layer, base))
      if (doc) return (doc._system as {delete?: boolean} | undefined)?.delete ? null : doc._id
    }
    return byId.has(base) ? base : null
  }
  return rawDocs
    .filter((doc) => shownOf(publishedIdOf(doc._id)) === doc._id)
    .map((doc) => ({...doc, _id: publishedIdOf(doc._id), _originalId: doc._id}))
}

function freshView(docs: readonly LakeDocument[]): DocView {
  const view = new DocView()
  for (const doc of docs) view.put(doc._id, doc)
  return view
}

const ID_KEY = JSON.stringify({type: 'AccessAttribute', name: '_id'})
const UPDATED_KEY = JSON.stringify({type: 'AccessAttribute', name: '_updatedAt'})

interface Write {
  layer: string
  base: string
  kind: 'put' | 'delete' | 'marker'
  type: string
  ref: string | null
  updatedAt: string
}

const writeArb: fc.Arbitrary<Write> = fc.record({
  layer: fc.constantFrom('published', 'drafts', 'rA', 'rB'),
  base: fc.constantFrom(...BASES),
  kind: fc.constantFrom('put', 'put', 'put', 'delete', 'marker'),
  type: fc.constantFrom('story', 'author'),
  ref: fc.constantFrom(null, 'a', 'b'),
  // Few values: ties in sorted indexes.
  updatedAt: fc.constantFrom('2025-01-01', '2025-02-01', '2025-03-01'),
})

function docOf(write: Write): LakeDocument | null {
  if (write.kind === 'delete') return null
  const doc: LakeDocument = {_id: layerId(write.layer, write.base), _type: write.type, _updatedAt: write.updatedAt, title: `${write.layer} ${write.base}`}
  if (write.ref) doc.ref = {_ref: write.ref}
  if (write.kind === 'marker') doc._system = {delete: true}
  return doc
}

describe('an overlay view over the raw view', () => {
  test('equals a view of the documents it shows, after every write', () => {
    fc.assert(
      fc.property(fc.array(writeArb, {minLength: 1, maxLength: 25}), fc.integer({min: 0, max: 25}), (writes, openAt) => {
        const raw = new DocView()
        const overlays = new Map<string, OverlayView>()
        const step = (write: Write) => {
          // As store.ts's DatasetState applies a change.
          const id = layerId(write.layer, write.base)
          const views = [...overlays.values()]
          const before = views.map((view) => view.before(id))
          raw.put(id, docOf(write))
          views.forEach((view, i) => view.after(id, before[i]))
        }
        writes.forEach((write, i) => {
          // Views made part-way through follow the writes after them.
          if (i === Math.min(openAt, writes.length - 1)) for (const stack of STACKS) overlays.set(stack.join(','), new OverlayView(raw, stack))
          step(write)
          for (const stack of STACKS) {
            const overlay = overlays.get(stack.join(','))
            if (overlay) checkOverlay(raw, overlay, stack)
          }
        })
      }),
      {numRuns: 300},
    )
  })
})

function checkOverlay(raw: DocView, overlay: OverlayView, stack: readonly string[]): void {
  const expected = expectedView(raw.all(), stack)
  const fresh = freshView(expected)
  expect(overlay.all()).toEqual(expected)
  expect(overlay.size).toBe(expected.length)
  const ids = [...BASES, 'drafts.a', 'versions.rA.a', 'nope']
  for (const id of ids) {
    expect(overlay.has(id)).toBe(fresh.has(id))
    expect(overlay.get(id)).toEqual(fresh.get(id))
  }
  // View order: seqOf sorts the shown ids as all() lists them.
  expect(overlay.inViewOrder([...BASES].reverse())).toEqual(expected.map((doc) => doc._id))
  const keys = new Set(['t:story', 't:author', 'r:a', 'r:b', 'o:drafts', 'o:versions', 'o:s', 'p:s', 'p:drafts', 'p:versions', 'v:a', 'v:s.c'])
  for (const doc of expected) for (const key of indexKeysOf(doc)) keys.add(key)
  for (const doc of raw.all()) for (const key of indexKeysOf(doc)) keys.add(key)
  for (const key of keys) {
    const got = overlay.idsWithKey(key)
    const want = fresh.idsWithKey(key)
    expect([...got], key).toEqual([...want])
    expect(got.size, key).toBe(want.size)
    for (const id of ids) expect(got.has(id), `${key} has ${id}`).toBe(want.has(id))
  }
  // Sorted indexes, shared with the raw view or (keys reading _id) the overlay's own, patched as writes come.
  for (const [name, field] of [
    [UPDATED_KEY, '_updatedAt'],
    [ID_KEY, '_id'],
  ] as const) {
    const entries = overlay
      .sortedBy(name, (doc) => doc[field] ?? null)
      .sorted()
      .map((entry) => ({id: overlay.idInView(entry.id), key: entry.key}))
      .filter((entry) => entry.id !== null)
    const keysInOrder = entries.map((entry) => entry.key)
    expect(keysInOrder).toEqual([...keysInOrder].sort())
    const byId = (a: {id: string | null}, b: {id: string | null}) => (a.id! < b.id! ? -1 : 1)
    expect(entries.sort(byId)).toEqual(expected.map((doc) => ({id: doc._id, key: doc[field]})).sort(byId))
  }
}

describe('the drafts perspective in a store, after writes', () => {
  const newDir = tempDirsRemovedAfterAll()
  let store: Store
  beforeAll(() => {
    store = openStore(newDir())
  })
  afterAll(() => store.close())

  const QUERIES = [
    '*[_type == "story"]{_id, _originalId, title}',
    '*[_type == "story"] | order(_updatedAt desc) [0...2] {_id, _originalId, title, _updatedAt}',
    '*[_type == "story"] | order(_updatedAt desc, _id) [0...3] {_id, _updatedAt}',
    '*[_type == "story"] | order(_id desc) [0...2] {_id}',
    '*[_originalId in path("drafts.**")]._id',
    '*[_id in path("drafts.**")]._id',
    '*[_id in path("s.**")]._id',
    '*[references("author.1")]{_id, _originalId}',
    '*[_type == "author" && !(_id in path("drafts.**"))]._id',
    '[*[sanity::versionOf("s.1")]._id, *[sanity::versionOf("s.2")]._id]',
    'count(*[_type == "story"])',
    '*[_id in ["s.1", "s.2", "drafts.s.1"]]{_id, _originalId}',
    '*[_type == "story" && title match "draft*"]._id',
  ]

  /** The store's indexed and full-scan answers, and groq-js over the documents the perspective shows. */
  async function expectAnswers(perspective: 'drafts' | string[]): Promise<void> {
    const stack = perspective === 'drafts' ? ['drafts'] : perspective
    const shown = expectedView(store.documents('production', 'raw'), stack)
    for (const query of QUERIES) {
      const want = await (await evaluate(parse(query), {dataset: shown})).get()
      expect(await store.query('production', query, {}, perspective), query).toEqual(want)
      expect(await store.query('production', query, {}, perspective, {fullScan: true}), query).toEqual(want)
      expect(await store.query('production', query, {}, perspective, {sliceMs: 0}), query).toEqual(want)
    }
  }

  const story = (id: string, title: string, updatedAt: string, author = 'author.1'): LakeDocument => ({
    _id: id,
    _type: 'story',
    title,
    _updatedAt: updatedAt,
    authors: [{_type: 'reference', _ref: author, _key: 'k'}],
  })
  const write = (mutations: unknown[]) => store.mutate('production', mutations, {keepTimestamps: true})

  test('a draft shows where it was written, and the published document again once it is gone', async () => {
    write([
      {create: {_id: 'author.1', _type: 'author', name: 'One'}},
      {create: {_id: 'author.2', _type: 'author', name: 'Two'}},
      {create: story('s.1', 'one', '2025-01-01')},
      {create: story('s.2', 'two', '2025-01-01')},
      {create: story('s.3', 'three', '2025-01-02')},
    ])
    await expectAnswers('drafts')
    write([{create: story('drafts.s.1', 'one draft', '2025-01-03')}])
    // s.1 now shows its draft, in the draft's place (after s.3).
    expect(await store.query('production', '*[_type == "story"]._id', {}, 'drafts')).toEqual(['s.2', 's.3', 's.1'])
    expect(await store.query('production', '*[_id == "s.1"][0].title', {}, 'drafts')).toBe('one draft')
    await expectAnswers('drafts')
    write([{delete: {id: 'drafts.s.1'}}])
    expect(await store.query('production', '*[_id == "s.1"][0]{title, _originalId}', {}, 'drafts')).toEqual({title: 'one', _originalId: 's.1'})
    await expectAnswers('drafts')
  })

  test('a draft changing its type and references, and ties in order', async () => {
    write([{createOrReplace: story('drafts.s.2', 'two draft', '2025-01-02', 'author.2')}])
    await expectAnswers('drafts')
    write([{createOrReplace: {_id: 'drafts.s.2', _type: 'chapter', title: 'two as a chapter', _updatedAt: '2025-01-02'}}])
    await expectAnswers('drafts')
    expect(await store.query('production', '*[references("author.1")]._id', {}, 'drafts')).toEqual(['s.1', 's.3'])
    write([{createOrReplace: story('drafts.s.2', 'two draft again', '2025-01-02', 'author.1')}])
    await expectAnswers('drafts')
  })

  test('a published document deleted while its draft exists, and one published after its draft', async () => {
    write([{create: story('drafts.s.3', 'three draft', '2025-01-04')}, {delete: {id: 's.3'}}])
    await expectAnswers('drafts')
    expect(await store.query('production', '*[_id == "s.3"][0]._originalId', {}, 'drafts')).toBe('drafts.s.3')
    write([{create: story('drafts.s.4', 'four draft', '2025-01-01')}])
    await expectAnswers('drafts')
    write([{create: story('s.4', 'four', '2025-01-05')}])
    // The draft still shows, in its own place.
    expect(await store.query('production', '*[_id == "s.4"][0]{title, _originalId}', {}, 'drafts')).toEqual({title: 'four draft', _originalId: 'drafts.s.4'})
    await expectAnswers('drafts')
    // Publishing: the draft goes, the published document replaces it.
    write([{delete: {id: 'drafts.s.4'}}, {createOrReplace: story('s.4', 'four draft', '2025-01-06')}])
    await expectAnswers('drafts')
  })

  test('release stacks: versions over drafts, and a release deleting a document', async () => {
    write([{create: {...story('versions.rA.s.1', 'one in rA', '2025-01-07'), _system: undefined}}])
    await expectAnswers(['rA', 'drafts'])
    await expectAnswers('drafts')
    write([{create: {_id: 'versions.rA.s.2', _type: 'story', title: 'gone', _system: {delete: true}}}])
    await expectAnswers(['rA', 'drafts'])
    expect(await store.query('production', '*[_id == "s.2"]', {}, ['rA', 'drafts'])).toEqual([])
    write([{delete: {id: 'versions.rA.s.2'}}, {delete: {id: 'versions.rA.s.1'}}])
    await expectAnswers(['rA', 'drafts'])
    await expectAnswers('drafts')
  })

  test('a document shown is one object until its raw document is replaced', async () => {
    const [first] = store.getDocuments('production', ['s.1'], 'drafts')
    const [again] = store.getDocuments('production', ['drafts.s.1'], 'drafts')
    expect(again).toBe(first)
    write([{patch: {id: 's.1', set: {title: 'one, edited'}}}])
    const [edited] = store.getDocuments('production', ['s.1'], 'drafts')
    expect(edited).not.toBe(first)
    expect(edited?.title).toBe('one, edited')
    expect(first?.title).toBe('one')
  })
})
