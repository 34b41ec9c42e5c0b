import {describe, expect, it} from 'vitest'
import {needsAttentionGroups} from '../../plugins/publishing-guard/needsAttention'
import {createFandomLoader, referencedIds} from '../../plugins/publishing-guard/fandoms'
import {resolveGuardOptions} from '../../plugins/publishing-guard/options'
import {chapterPublishPatchSet, fetchChapterWordCounts, preparePublishPatch, publishPatchSet} from '../../plugins/publishing-guard/publishPatch'
import {countPortableTextWords} from '../../rules'
import {sampleDocuments} from '../../scripts/seed/sample-content'
import {fakeClient} from '../helpers/validateAsStudio'

type Doc = Record<string, unknown> & {_id: string}
const samples = sampleDocuments() as Doc[]
const client = (documents: Doc[]) => fakeClient(documents) as unknown as {fetch<R>(q: string, p: Record<string, unknown>): Promise<R>}
const block = (key: string, text: string) => ({_type: 'block', _key: key, style: 'normal', markDefs: [], children: [{_type: 'span', _key: `${key}s`, text, marks: []}]})

describe('references', () => {
  it('gives published ids in order without repeats or junk', () => {
    expect(referencedIds([{_ref: 'b'}, {_ref: 'drafts.a'}, {_ref: 'b'}, {}, null, {_ref: ''}, {_ref: 'a'}])).toEqual(['b', 'a'])
    expect(referencedIds(undefined)).toEqual([])
  })
})

describe('the fandom loader', () => {
  // Each owner name becomes a rightsHolder document the fandom references, as in a real dataset.
  const holderDocs = new Map<string, Doc>()
  const fandom = (id: string, names: string[]): Doc => {
    for (const name of names) holderDocs.set(name, {_id: `rightsHolder.${name.replace(/\W+/g, '-')}`, _type: 'rightsHolder', name})
    return {_id: id, _type: 'fandom', title: 'Saltmarsh', rightsHolders: names.map((name, n) => ({_type: 'reference', _ref: `rightsHolder.${name.replace(/\W+/g, '-')}`, _key: `h${n}`}))}
  }
  const names = (row: {rightsHolders?: unknown}) => (row.rightsHolders as Array<{name: string}>).map((holder) => holder.name)
  // The holders join the caller's own array, so a test can still swap a fandom in it afterwards.
  const client = (documents: Doc[]) => {
    for (const holder of holderDocs.values()) if (!documents.includes(holder)) documents.push(holder)
    return fakeClient(documents) as unknown as {fetch<R>(q: string, p: Record<string, unknown>): Promise<R>}
  }

  it('prefers the draft and keeps the story order', async () => {
    const load = createFandomLoader()
    const docs = [fandom('f.b', ['B']), fandom('f.a', ['A published']), fandom('drafts.f.a', ['A draft'])]
    const rows = await load(client(docs), ['f.a', 'f.b', 'f.missing'])
    expect(rows.map(names)).toEqual([['A draft'], ['B']])
  })

  it('answers from its cache within the time limit and asks again after it', async () => {
    let now = 0
    const load = createFandomLoader(1000, () => now)
    const docs = [fandom('f.a', ['Old'])]
    fandom('f.a', ['New'])
    const lake = client(docs)
    expect(names((await load(lake, ['f.a']))[0])).toEqual(['Old'])
    docs[0] = fandom('f.a', ['New'])
    now = 999
    expect(names((await load(lake, ['f.a']))[0])).toEqual(['Old'])
    now = 1000
    expect(names((await load(lake, ['f.a']))[0])).toEqual(['New'])
  })

  it('does not keep a failure', async () => {
    const load = createFandomLoader()
    let down = true
    const flaky = {
      fetch: async <R,>(query: string, params: Record<string, unknown>): Promise<R> => {
        if (down) throw new Error('lake down')
        return client([fandom('f.a', ['Up'])]).fetch<R>(query, params)
      },
    }
    await expect(load(flaky, ['f.a'])).rejects.toThrow('lake down')
    down = false
    expect(names((await load(flaky, ['f.a']))[0])).toEqual(['Up'])
  })
})

describe('the patch set before publishing', () => {
  const now = new Date('2026-11-24T12:00:00Z')

  it('counts a one-shot from its body and stamps the dates', () => {
    const body = [block('a', 'One two three.'), block('b', "Four don't five.")]
    expect(publishPatchSet({body}, null, now)).toEqual({
      wordCount: 6,
      updatedAt: '2026-11-24T12:00:00.000Z',
      publishedAt: '2026-11-24T12:00:00.000Z',
    })
  })

  it('keeps the first publication date', () => {
    const set = publishPatchSet({body: [], publishedAt: '2020-01-01T00:00:00Z'}, null, now)
    expect(set).toEqual({wordCount: 0, updatedAt: '2026-11-24T12:00:00.000Z'})
  })

  it('sums the chapters of a work in chapters, counting any chapter never counted', async () => {
    const seven = samples.find((d) => d._id === 'story.seven-winters')!
    const chapterIds = referencedIds(seven.chapters)
    const chapters = samples.filter((d) => chapterIds.includes(d._id))
    expect(chapters).toHaveLength(3)
    const uncounted = {...chapters[1], wordCount: undefined}
    const docs = [...samples.filter((d) => d._id !== uncounted._id), uncounted]
    const counts = await fetchChapterWordCounts(client(docs), chapterIds)
    expect(counts).toEqual(chapters.map((c) => countPortableTextWords(c.body)))
    const set = await preparePublishPatch(client(docs), {...seven, publishedAt: undefined}, now)
    expect(set.wordCount).toBe(counts.reduce((a, b) => a + b, 0))
    expect(set.wordCount).toBe(seven.wordCount)
  })

  it('counts what readers get: the published chapter, not its draft', async () => {
    const docs: Doc[] = [
      {_id: 'ch.1', _type: 'chapter', wordCount: 10},
      {_id: 'drafts.ch.1', _type: 'chapter', wordCount: 99},
      {_id: 'drafts.ch.2', _type: 'chapter', body: [block('a', 'only a draft')]},
    ]
    expect(await fetchChapterWordCounts(client(docs), ['ch.1', 'ch.2', 'ch.gone'])).toEqual([10, 3, 0])
  })
})

describe("a chapter's Publish", () => {
  it('stores the count of the body being published, so the story sums fresh counts', async () => {
    // Imported with 3 words; the editor has since rewritten the chapter in the Studio.
    const published = {_id: 'ch.1', _type: 'chapter', wordCount: 3, body: [block('a', 'one two three')]}
    const draft = {_id: 'drafts.ch.1', _type: 'chapter', wordCount: 3, body: [block('a', 'one two three four five'), block('b', 'six seven')]}
    expect(chapterPublishPatchSet(draft)).toEqual({wordCount: 7})
    // Publishing replaces the published chapter with the patched draft.
    const afterPublish = {...draft, ...chapterPublishPatchSet(draft), _id: 'ch.1'}
    expect(await fetchChapterWordCounts(client([published]), ['ch.1'])).toEqual([3])
    expect(await fetchChapterWordCounts(client([afterPublish]), ['ch.1'])).toEqual([7])
  })

  it('counts an empty or odd body as zero', () => {
    expect(chapterPublishPatchSet({})).toEqual({wordCount: 0})
    expect(chapterPublishPatchSet({body: 'not blocks'})).toEqual({wordCount: 0})
  })
})

describe('Needs attention', () => {
  it('groups the failing drafts of the sample archive by check, leaving published stories out', async () => {
    const groups = await needsAttentionGroups(client(samples), resolveGuardOptions())
    const byCode = Object.fromEntries(groups.map((g) => [g.code, g.ids]))
    expect(byCode['disclaimer.missing']).toEqual(['story.untitled-work-in-progress'])
    expect(byCode['summary.apology']).toEqual(['story.untitled-work-in-progress'])
    expect(groups.flatMap((g) => g.ids).every((id) => id === 'story.untitled-work-in-progress')).toBe(true)
  })

  it('sees a draft fixed once its draft is fixed, and checks chapter works by their first chapter', async () => {
    const draft = samples.find((d) => d._id === 'drafts.story.untitled-work-in-progress')!
    const firstChapter = samples.find((d) => d._id === 'story.seven-winters.ch1')!
    const opening = (firstChapter.body as Array<{children: Array<{text: string}>}>)[0].children[0].text
    const docs = [
      ...samples.filter((d) => d._id !== draft._id),
      {...draft, disclaimer: 'Crown of Cinders belongs to Emberforge Games. I own nothing.', summary: 'The queen is missing, and the Cinder Keep has one night to find her.'},
      {
        ...samples.find((d) => d._id === 'story.seven-winters')!,
        _id: 'drafts.story.seven-winters',
        summary: opening,
      },
    ]
    const groups = await needsAttentionGroups(client(docs), resolveGuardOptions())
    expect(groups.map((g) => [g.code, g.ids])).toEqual([['summary.repeats-opening', ['story.seven-winters']]])
  })

  it('refuses a fandoms field that is not a plain name (it goes into the query)', async () => {
    await expect(needsAttentionGroups(client(samples), resolveGuardOptions({fandomsField: 'x]{evil'}))).rejects.toThrow(/plain field name/)
  })
})
