import {describe, expect, it} from 'vitest'
import {buildStoryDocuments} from '../../scripts/import/documents'
import {EntityDirectory, type SanityDoc} from '../../scripts/import/entities'
import {parsePlainText} from '../../scripts/import/plaintext'
import {fieldHashes, mergeWork} from '../../scripts/import/update-work'

const build = (summary: string, chapters: string[]) => {
  const text = `Title: Ledger\nAuthor: Maren\nFandom: Canal Town\nRating: G\nSummary: ${summary}\nDisclaimer: Canal Town belongs to Lockgate Media. Not mine.\n\n${chapters.map((c, n) => `Chapter ${n + 1}\n\n${c}`).join('\n\n')}\n`
  const docs = buildStoryDocuments(parsePlainText(text), {storyId: 'story.ledger', fileName: 'l.txt', format: 'text', checksum: 'ab'.repeat(32), directory: new EntityDirectory()})
  ;(docs.story.source as Record<string, unknown>).fieldHashes = fieldHashes(docs)
  return docs
}
const stored = (docs: ReturnType<typeof build>): SanityDoc[] => [docs.story, ...docs.chapters].map((doc) => ({...structuredClone(doc), _rev: 'r1'}))

describe('merging a newer download', () => {
  const v1 = build('A clerk finds the ledger does not add up at all.', ['One.', 'Two.'])

  it('writes nothing for the same download', () => {
    expect(mergeWork(build('A clerk finds the ledger does not add up at all.', ['One.', 'Two.']), stored(v1))).toEqual({mutations: [], outcome: {kind: 'unchanged', updated: [], addedChapters: 0, conflicts: []}})
  })

  it("refreshes what only the file changed, keeps what the editor changed, and says so", () => {
    const existing = stored(v1)
    existing[0]!.summary = 'Edited in the Studio, and better for it.'
    existing[0]!.tags = ['added-by-editor']
    const v2 = build('The author rewrote the summary as well, it seems.', ['One, revised.', 'Two.', 'Three.'])
    const {mutations, outcome} = mergeWork(v2, existing)
    expect(outcome).toMatchObject({kind: 'updated', addedChapters: 1, conflicts: [{field: 'summary', documentId: 'story.ledger'}]})
    expect(outcome.updated).toContain('ch1.body')
    expect(outcome.updated).not.toContain('summary')
    const storyPatch = mutations.find((m) => 'patch' in m && m.patch.id === 'story.ledger') as {patch: {set: Record<string, any>; ifRevisionID: string}}
    expect(storyPatch.patch.ifRevisionID).toBe('r1')
    expect(storyPatch.patch.set.summary).toBeUndefined()
    expect(storyPatch.patch.set.tags).toBeUndefined()
    expect(storyPatch.patch.set.chapters.map((r: {_ref: string}) => r._ref)).toEqual(['story.ledger.ch1', 'story.ledger.ch2', 'story.ledger.ch3'])
    expect(mutations).toContainEqual({create: expect.objectContaining({_id: 'story.ledger.ch3', _type: 'chapter'})})
    expect(mutations.some((m) => 'patch' in m && m.patch.id === 'story.ledger.ch2')).toBe(false)
    // Written over several transactions if need be, the story comes last, after its chapters.
    expect(mutations.at(-1)).toBe(storyPatch)
  })

  it('learns the URL from a copy that names it, and writes nothing else', () => {
    const same = build('A clerk finds the ledger does not add up at all.', ['One.', 'Two.'])
    ;(same.story.source as Record<string, unknown>).url = 'https://archiveofourown.org/works/9'
    const {mutations, outcome} = mergeWork(same, stored(v1))
    expect(outcome.kind).toBe('unchanged')
    expect(mutations).toEqual([{patch: {id: 'story.ledger', ifRevisionID: 'r1', set: {source: same.story.source}}}])
  })

  it('an editor change the file does not touch is no conflict', () => {
    const existing = stored(v1)
    existing[0]!.summary = 'Edited in the Studio, and better for it.'
    const {outcome} = mergeWork(build('A clerk finds the ledger does not add up at all.', ['One, revised.', 'Two.']), existing)
    expect(outcome).toMatchObject({kind: 'updated', updated: ['ch1.body'], conflicts: []})
  })
})
