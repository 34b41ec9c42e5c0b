import {describe, expect, it} from 'vitest'
import {toPlainText} from '../../rules'
import {buildStoryDocuments} from '../../scripts/import/documents'
import {EntityDirectory, idSafe} from '../../scripts/import/entities'
import {catalogueSlug} from '../../scripts/seed/fandom-catalogue'
import {parsePlainText} from '../../scripts/import/plaintext'

const HEADER = 'Author: Wren\nFandom: Glass Couriers\nSummary: Two couriers share one road and one lantern.\nDisclaimer: Glass Couriers belongs to Marrow Books. Not mine.'

function build(text: string, directory = new EntityDirectory()) {
  return buildStoryDocuments(parsePlainText(text), {fileName: 'fic.txt', format: 'text', checksum: 'ab'.repeat(32), directory})
}

describe('buildStoryDocuments', () => {
  it.each([
    ['Fiction K+', 'rating.general', false],
    ['Mature', 'rating.mature', false],
    ['PG-13', 'rating.teen', false],
    ['NC-17', 'rating.explicit', false],
    ['R (for violence)', 'rating.mature', false],
    ['Banana', 'rating.not-rated', true],
  ])('maps rating %j to %s (unmapped reported: %s)', (rating, id, reported) => {
    const docs = build(`Rating: ${rating}\n${HEADER}\n\nThe lantern guttered.`)
    expect(docs.story.rating).toEqual({_type: 'reference', _ref: id})
    expect(docs.findings.some((f) => f.code === 'import.rating-unmapped')).toBe(reported)
    expect(docs.isDraft).toBe(false)
  })

  it('reuses an existing author and fandom found by alias instead of creating new ones', () => {
    const directory = new EntityDirectory()
    directory.add({_id: 'author.w', name: 'W. Halloway', aliases: ['Wren']})
    directory.add({_id: 'fandom.gc', name: 'The Glass Couriers', aliases: ['Glass  Couriers']})
    const docs = build(`${HEADER}\n\nText.`, directory)
    expect(docs.story.authors).toEqual([{_type: 'reference', _ref: 'author.w', _key: 'a0'}])
    expect(docs.story.fandoms).toEqual([{_type: 'reference', _ref: 'fandom.gc', _key: 'f0'}])
    expect(docs.created).toEqual([])
  })

  it('splits "Chapter N" headings into chapter documents and sums word counts', () => {
    const docs = build(`${HEADER}\n\nChapter 1\n\nOne two three.\n\nChapter 2: The Ferry\n\nFour five.\n`)
    expect(docs.chapters.map((c) => [c._id, c.title, c.wordCount])).toEqual([
      ['story.abababababababababab.ch1', 'Chapter 1', 3],
      ['story.abababababababababab.ch2', 'Chapter 2: The Ferry', 2],
    ])
    expect(docs.story.wordCount).toBe(5)
    expect(docs.story.body).toEqual([])
  })

  it('turns A/N paragraphs in the text into authorsNote blocks, in the header into notes; disclaimers leave the text', () => {
    const docs = build(`Author: Wren\nFandom: Glass Couriers\nSummary: Two couriers share one road and one lantern.\nA/N: For the winter exchange.\n\nThe lantern guttered.\n\nA/N: Written for a prompt.\n\nDisclaimer: Glass Couriers belongs to Marrow Books. Not mine.\n\nThe road went on.`)
    expect(docs.story.body).toEqual([
      expect.objectContaining({_type: 'block'}),
      {_type: 'authorsNote', _key: expect.any(String), text: 'Written for a prompt.'},
      expect.objectContaining({_type: 'block'}),
    ])
    expect(toPlainText(docs.story.notes)).toBe('For the winter exchange.')
    expect(docs.story.disclaimer).toBe('Glass Couriers belongs to Marrow Books. Not mine.')
    expect(toPlainText(docs.story.body)).toBe('The lantern guttered.\n\nThe road went on.')
    expect(docs.isDraft).toBe(false)
  })

  it('drafts a story that has no author or fandom, with import findings', () => {
    const docs = build('Summary: Two couriers share one road and one lantern.\nDisclaimer: Not mine at all, no profit.\n\nText.')
    expect(docs.isDraft).toBe(true)
    expect(docs.story._id).toBe('drafts.story.abababababababababab')
    expect(docs.findings.map((f) => f.code)).toEqual(expect.arrayContaining(['import.no-author', 'import.no-fandom']))
  })
})

describe('story slugs', () => {
  it('are unique: a second story with the same title gets a suffix from its own id, the same story keeps its slug', () => {
    const directory = new EntityDirectory()
    const text = `Title: Rain\n${HEADER}\n\nIt rained.`
    const make = (checksum: string) =>
      buildStoryDocuments(parsePlainText(text), {fileName: 'fic.txt', format: 'text', checksum, directory}).story.slug
    expect(make('aa'.repeat(32))).toEqual({_type: 'slug', current: 'rain'})
    expect(make('bb'.repeat(32))).toEqual({_type: 'slug', current: 'rain-bbbbbbbb'})
    expect(make('aa'.repeat(32))).toEqual({_type: 'slug', current: 'rain'})
  })
})

describe('author and fandom ids', () => {
  it.each([
    ['Фандом 1', 'Другой 1'],
    ['日本 2', '中国 2'],
    ['Café 東京', 'Café 大阪'],
  ])('differ for %j and %j', (a, b) => {
    expect(idSafe(a, 'fandom')).not.toBe(idSafe(b, 'fandom'))
  })

  it.each([
    ['Glass Couriers', 'fandom.glass-couriers'],
    ['  GLASS  couriers! ', 'fandom.glass-couriers'],
    ['Café Noir', 'fandom.cafe-noir'],
  ])('stay readable and stable for Latin names: %j -> %s', (name, id) => {
    expect(idSafe(name, 'fandom')).toBe(id)
  })

  it.each(['名探偵コナン', 'Фандом 1', 'Café 東京', 'Pokémon', 'Ōkami', 'Law & Order: SVU', '  ', 'Ψ-Nan'])(
    'the catalogue and the importer make the same id from %j (one rule: rules/slug.ts nameIdPart)',
    (name) => {
      expect(idSafe(name, 'fandom')).toBe(`fandom.${catalogueSlug(name)}`)
      expect(catalogueSlug(name)).toMatch(/^[a-z0-9][a-z0-9-]*$/)
    },
  )

  it('two non-Latin fandoms in one run become two fandom documents', () => {
    const directory = new EntityDirectory()
    const make = (fandom: string, checksum: string) =>
      buildStoryDocuments(parsePlainText(`Author: Wren\nFandom: ${fandom}\n\nText.`), {fileName: 'fic.txt', format: 'text', checksum, directory})
    const first = make('Фандом 1', 'aa'.repeat(32))
    const second = make('Другой 1', 'bb'.repeat(32))
    expect(first.created.filter((d) => d._type === 'fandom')).toHaveLength(1)
    expect(second.created.filter((d) => d._type === 'fandom')).toHaveLength(1)
    expect(first.story.fandoms).not.toEqual(second.story.fandoms)
  })
})

describe('publishedAt', () => {
  const ONE_SHOT = `${HEADER}\n\nThe lantern guttered.`
  const make = (text: string, options: {date?: {year: number; month?: number; day?: number}; publishedAt?: string; importedAt?: string} = {}) => {
    const work = parsePlainText(text)
    if (options.date) work.originalPublication = options.date
    return buildStoryDocuments(work, {fileName: 'fic.txt', format: 'text', checksum: 'ab'.repeat(32), directory: new EntityDirectory(), publishedAt: options.publishedAt, importedAt: options.importedAt})
  }

  it.each([
    ['the file\'s full date', {date: {year: 2004, month: 3, day: 12}}, '2004-03-12T00:00:00Z'],
    ['the first day of a month', {date: {year: 2004, month: 3}}, '2004-03-01T00:00:00Z'],
    ['the first day of a year, over --published-at and importedAt', {date: {year: 1999}, publishedAt: '2020-01-01T00:00:00.000Z', importedAt: '2026-11-24T10:00:00.000Z'}, '1999-01-01T00:00:00Z'],
    ['--published-at when the file has no date', {publishedAt: '2020-05-06T00:00:00.000Z', importedAt: '2026-11-24T10:00:00.000Z'}, '2020-05-06T00:00:00.000Z'],
    ['the import time when writing to a dataset', {importedAt: '2026-11-24T10:00:00.000Z'}, '2026-11-24T10:00:00.000Z'],
  ])('of a published story comes from %s', (_name, options, expected) => {
    const docs = make(ONE_SHOT, options)
    expect(docs.isDraft).toBe(false)
    expect(docs.story.publishedAt).toBe(expected)
    expect(docs.findings.map((f) => f.code)).not.toContain('import.no-publication-date')
  })

  it('is left out, with a warning, when nothing gives a date (NDJSON without --published-at)', () => {
    const docs = make(ONE_SHOT)
    expect(docs.story.publishedAt).toBeUndefined()
    expect(docs.findings).toContainEqual(expect.objectContaining({code: 'import.no-publication-date', level: 'warning', field: 'publishedAt'}))
    expect(docs.isDraft).toBe(false)
  })

  it.each([
    ['no date', {importedAt: '2026-11-24T10:00:00.000Z'}, undefined],
    ['a file date', {date: {year: 2004, month: 3, day: 12}}, '2004-03-12T00:00:00Z'],
  ])('of a draft with %s is only the file\'s own date (the Studio sets it on publish)', (_name, options, expected) => {
    const docs = make('Summary: Two couriers share one road and one lantern.\n\nText.', options)
    expect(docs.isDraft).toBe(true)
    expect(docs.story.publishedAt).toBe(expected)
    expect(docs.findings.map((f) => f.code)).not.toContain('import.no-publication-date')
  })
})
