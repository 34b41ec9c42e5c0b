import {describe, expect, it} from 'vitest'
import {catalogueDocuments} from '../../scripts/seed/fandom-catalogue'
import {sampleDocuments} from '../../scripts/seed/sample-content'
import {schemaTypes} from '../../schemas'
import {compileSchema, pathOf, validateAsStudio} from '../helpers/validateAsStudio'

const samples = sampleDocuments()
const base = samples.find((d) => d._id === 'story.the-lighthouse-keepers-ledger')!

describe('the content model', () => {
  it('compiles with no schema errors', () => {
    const schema = compileSchema() as unknown as {_validation?: Array<{path: unknown; problems: Array<{severity: string; message: string}>}>}
    const problems = (schema._validation ?? []).flatMap((group) => group.problems.filter((p) => p.severity === 'error'))
    expect(problems).toEqual([])
  })

  it('gives every document type an icon, a preview and orderings', () => {
    const documents = schemaTypes.filter((t) => t.type === 'document') as Array<Record<string, unknown>>
    expect(documents.map((t) => t.name).sort()).toEqual(['author', 'chapter', 'fandom', 'rating', 'rightsHolder', 'series', 'story'])
    for (const type of documents) {
      expect(type.icon, `${type.name} icon`).toBeTruthy()
      expect((type.preview as {select?: unknown})?.select, `${type.name} preview`).toBeTruthy()
      expect(Array.isArray(type.orderings) && type.orderings.length > 0, `${type.name} orderings`).toBe(true)
    }
  })

  it.each([
    ['fandom', ['title', 'slug', 'aliases', 'mediaType', 'isOriginalWork', 'isRealPerson', 'rightsHolders', 'parent']],
    ['rightsHolder', ['name', 'kind', 'aliases', 'successors']],
    ['rating', ['code', 'title', 'description', 'minimumAge', 'sortOrder', 'requiresContentGate', 'aliases']],
    ['story', ['slug', 'fandoms', 'summary', 'disclaimer', 'publishedAt', 'updatedAt', 'originalPublication', 'body', 'chapters', 'wordCount']],
  ])('explains each %s field an editor may wonder about (a description under its label)', (typeName, fields) => {
    const type = schemaTypes.find((t) => t.name === typeName) as unknown as {fields: Array<{name: string; title?: string; description?: string}>}
    for (const name of fields) {
      const field = type.fields.find((f) => f.name === name)
      expect(field, `${typeName}.${name}`).toBeDefined()
      expect(field!.description?.length ?? 0, `${typeName}.${name} description`).toBeGreaterThan(15)
    }
    // Generated labels such as "Sort Order" or "Published At" read like code: each gets a title.
    for (const name of ['mediaType', 'minimumAge', 'sortOrder', 'publishedAt', 'updatedAt', 'wordCount']) {
      const field = type.fields.find((f) => f.name === name)
      if (field) expect(field.title, `${typeName}.${name} title`).toBeDefined()
    }
  })

  it('tells stories apart in previews: title, authors, fandoms, rating, words', () => {
    const schema = compileSchema()
    const story = schema.get('story') as unknown as {preview: {prepare: (v: Record<string, unknown>) => {title: string; subtitle: string}}}
    const preview = story.preview.prepare({
      title: 'Crosswinds', author0: 'Wren', author1: 'June', fandom0: 'Saltmarsh', fandom1: 'Starfall', rating: 'Teen And Up Audiences', wordCount: 1234,
    })
    expect(preview).toEqual({title: 'Crosswinds', subtitle: 'by Wren & June · Saltmarsh × Starfall · Teen And Up Audiences · 1,234 words'})
  })

  it('accepts every sample document, and catalogue entries of every shape', async () => {
    // The catalogue's 1,100 documents share a handful of shapes (tests/rules/catalogue.test.ts
    // checks all of them); validating each through the Studio's validator would take a minute.
    const catalogueIds = new Set(catalogueDocuments().map((doc) => doc._id))
    const shapes = ['rightsHolder.wolf-entertainment', 'rightsHolder.george-lucas', 'fandom.law-and-order-special-victims-unit', 'fandom.original-work', 'fandom.one-direction-band', 'fandom.star-trek-the-next-generation']
    for (const doc of samples.filter((d) => !catalogueIds.has(d._id) || shapes.includes(d._id))) {
      const errors = (await validateAsStudio(doc, {documents: samples})).filter((m) => m.level === 'error')
      // The sample draft deliberately fails the publishing guard's checks; its schema fields are valid.
      expect(errors.filter((m) => !['disclaimer', 'summary'].includes(pathOf(m))), doc._id).toEqual([])
    }
  })

  const cases: Array<{name: string; patch: Record<string, unknown>; errorAt: string[]}> = [
    {name: 'missing title', patch: {title: undefined}, errorAt: ['title']},
    {name: 'title over 255 characters', patch: {title: 'x'.repeat(256)}, errorAt: ['title']},
    {name: 'no authors', patch: {authors: []}, errorAt: ['authors']},
    {name: 'no fandoms', patch: {fandoms: undefined}, errorAt: ['fandoms']},
    {name: 'no rating', patch: {rating: undefined}, errorAt: ['rating']},
    {name: 'no archive warnings', patch: {warnings: []}, errorAt: ['warnings']},
    {name: 'unknown warning value', patch: {warnings: ['spoilers-everywhere']}, errorAt: ['warnings']},
    {name: 'a slug another story has', patch: {slug: {_type: 'slug', current: 'seven-winters'}}, errorAt: ['slug']},
    {name: 'missing slug', patch: {slug: undefined}, errorAt: ['slug']},
    {name: 'javascript: link in the text', patch: {body: [linkBlock('javascript:alert(1)')]}, errorAt: ['body.p0.markDefs.l0.href']},
    {name: 'text and chapters both', patch: {chapters: [{_type: 'reference', _ref: 'story.seven-winters.ch1', _key: 'c0'}]}, errorAt: ['chapters']},
    {name: 'a day without a month', patch: {originalPublication: {_type: 'partialDate', year: 2005, day: 3}}, errorAt: ['originalPublication.day']},
  ]

  it.each(cases)('reports $name at $errorAt', async ({patch, errorAt}) => {
    // A slug of its own: the slug field checks uniqueness against the other documents.
    const doc = {...base, _id: 'drafts.story.case', slug: {_type: 'slug', current: 'a-case-of-its-own'}, ...patch}
    for (const [k, v] of Object.entries(patch)) if (v === undefined) delete (doc as Record<string, unknown>)[k]
    const errors = (await validateAsStudio(doc, {documents: samples})).filter((m) => m.level === 'error')
    // Every error lies under an expected path, and every expected path has an error.
    const paths = [...new Set(errors.map(pathOf))]
    for (const path of paths) expect(errorAt.some((p) => path === p || path.startsWith(`${p}.`)), `unexpected error at ${path}`).toBe(true)
    for (const p of errorAt) expect(paths.some((path) => path === p || path.startsWith(`${p}.`)), `no error at ${p}`).toBe(true)
  })
})

function linkBlock(href: string) {
  return {
    _type: 'block', _key: 'p0', style: 'normal',
    markDefs: [{_type: 'link', _key: 'l0', href}],
    children: [{_type: 'span', _key: 's0', text: 'click', marks: ['l0']}],
  }
}

describe('author links', () => {
  it.each([
    ['https://example.org/wren', []],
    ['mailto:wren@example.org', []],
    ['javascript:alert(1)', ['links.l0.url']],
    ['data:text/html,<b>hi</b>', ['links.l0.url']],
  ])('%s', async (url, errorAt) => {
    const author = {
      _id: 'author.case', _type: 'author', name: 'Case', slug: {_type: 'slug', current: 'case'},
      links: [{_type: 'authorLink', _key: 'l0', title: 'Home', url}],
    }
    const errors = (await validateAsStudio(author)).filter((m) => m.level === 'error')
    expect([...new Set(errors.map(pathOf))]).toEqual(errorAt)
  })
})
