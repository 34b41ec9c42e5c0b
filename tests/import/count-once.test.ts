import {beforeEach, describe, expect, it, vi} from 'vitest'
import * as rules from '../../rules'
import {buildStoryDocuments} from '../../scripts/import/documents'
import {EntityDirectory} from '../../scripts/import/entities'
import {parseEpub} from '../../scripts/import/epub'
import {parsePlainText} from '../../scripts/import/plaintext'
import {buildEpub} from './helpers'

// Wrapped, not replaced: the real rules run and the wrapper only counts the work the importer asks for.
vi.mock('../../rules', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../rules')>()
  return {...original, countPortableTextWords: vi.fn(original.countPortableTextWords), mayStartWithLabel: vi.fn(original.mayStartWithLabel)}
})
const countWords = vi.mocked(rules.countPortableTextWords)
const mayStartWithLabel = vi.mocked(rules.mayStartWithLabel)

const build = (work: ReturnType<typeof parsePlainText>) =>
  buildStoryDocuments(work, {fileName: 'fic.txt', format: work.format, checksum: 'ab'.repeat(32), directory: new EntityDirectory()})

beforeEach(() => {
  countWords.mockClear()
  mayStartWithLabel.mockClear()
})

describe('each chapter is read once', () => {
  it.each([1, 2, 5])('plain text with %i chapter(s): words counted once per chapter, the story sums them', (n) => {
    const text = `Author: Wren\nFandom: Glass Couriers\n\n${Array.from({length: n}, (_, i) => `${n > 1 ? `Chapter ${i + 1}\n\n` : ''}One two three ${i}.\n`).join('\n')}`
    const work = parsePlainText(text)
    countWords.mockClear()
    const docs = build(work)
    expect(countWords).toHaveBeenCalledTimes(n)
    expect(docs.story.wordCount).toBe(4 * n)
    if (n > 1) expect(docs.chapters.map((c) => c.wordCount)).toEqual(Array(n).fill(4))
  })

  it('EPUB: a header page chapter is counted and searched for disclaimers once', () => {
    const long = Array.from({length: 60}, (_, i) => `word${i}`).join(' ')
    // The header page carries the first chapter's text after its labels.
    const work = parseEpub(
      buildEpub({title: 'Ash', author: 'Wren', titlePage: {Fandom: 'Embers', Rating: `Teen<br/><p>${long}</p><p>${long}</p>`}, chapters: [{title: 'Chapter 2', paragraphs: [long]}]}),
      'ash.epub',
    )
    expect(work.chapters).toHaveLength(2)
    const disclaimerScans = mayStartWithLabel.mock.calls.filter(([field]) => field === 'disclaimer').length
    // One scan per text block of the two chapters (2 + 1), not a second pass over the header page's.
    expect(disclaimerScans).toBe(3)
    countWords.mockClear()
    const docs = build(work)
    expect(countWords).toHaveBeenCalledTimes(1)
    expect(docs.story.wordCount).toBe(180)
  })
})
