import {describe, expect, it} from 'vitest'
import {matchLanguage, matchStatus, SLUG_MAX_LENGTH, STORY_TITLE_MAX} from '../../rules'
import {buildStoryDocuments} from '../../scripts/import/documents'
import {EntityDirectory} from '../../scripts/import/entities'
import {parsePlainText} from '../../scripts/import/plaintext'

function build(header: string, body = 'The lantern guttered.') {
  return buildStoryDocuments(parsePlainText(`Author: Wren\nFandom: Glass Couriers\n${header}\n\n${body}`), {fileName: 'fic.txt', format: 'text', checksum: 'ab'.repeat(32), directory: new EntityDirectory()})
}

describe('matchLanguage (rules/taxonomy)', () => {
  it.each([
    ['en', 'en'],
    ['English', 'en'],
    [' english ', 'en'],
    ['Deutsch', 'de'],
    ['German', 'de'],
    ['Español', 'es'],
    ['Russian', 'ru'],
    ['Русский', 'ru'],
    ['pt-br', 'pt-BR'],
    ['en-GB', 'en'],
    ['日本語', 'ja'],
    ['Klingon', null],
    ['pt', null],
    ['', null],
  ])('%j -> %j', (label, value) => {
    expect(matchLanguage(label)).toBe(value)
  })
})

describe('matchStatus (rules/taxonomy)', () => {
  it.each([
    ['Complete', 'complete'],
    ['Completed', 'complete'],
    ['One-shot', 'complete'],
    ['Finished', 'complete'],
    ['WIP', 'in-progress'],
    ['In Progress', 'in-progress'],
    ['Ongoing', 'in-progress'],
    ['Incomplete', 'in-progress'],
    ['on hiatus', 'in-progress'],
    ['Wiping the slate', null],
    ['Banana', null],
  ])('%j -> %j', (label, value) => {
    expect(matchStatus(label)).toBe(value)
  })
})

describe('the importer uses the taxonomy rules', () => {
  it.each([
    ['Language: Russian', 'ru'],
    ['Language: Norsk bokmål', 'nb'],
    ['Language: Klingon', 'en'],
  ])('%j -> language %s', (header, language) => {
    expect(build(header).story.language).toBe(language)
  })

  it.each([
    ['Status: WIP', 'in-progress'],
    ['Status: Banana', undefined],
    ['Rating: T', undefined],
  ])('%j -> status %s', (header, status) => {
    expect(build(header).story.status).toBe(status)
  })

  it('cuts titles and slugs at the schema limits', () => {
    const docs = build(`Title: ${'Long '.repeat(100)}`)
    expect((docs.story.title as string).length).toBeLessThanOrEqual(STORY_TITLE_MAX)
    // speakingurl (the Studio's slugger) cuts at a word boundary within the limit.
    const slug = (docs.story.slug as {current: string}).current
    expect(slug.length).toBeLessThanOrEqual(SLUG_MAX_LENGTH)
    expect(slug.length).toBeGreaterThan(SLUG_MAX_LENGTH - 6)
    expect(slug).toMatch(/^long(-long)+$/)
  })
})
