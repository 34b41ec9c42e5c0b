import {getFallbackLocaleSource} from '@sanity/validation/_internal'
import {defineField, defineType, validateDocument, type SanityDocument} from 'sanity'
import {describe, expect, it} from 'vitest'
import {resolveGuardOptions} from '../../plugins/publishing-guard/options'
import type {PublishingGuardOptions} from '../../plugins/publishing-guard/types'
import {guardSchemaTypes} from '../../plugins/publishing-guard/validation'
import {schemaTypes} from '../../schemas'
import {sampleDocuments} from '../../scripts/seed/sample-content'
import {compileSchema, pathOf, validateAsStudio, type Marker} from '../helpers/validateAsStudio'

const samples = sampleDocuments()
const base = samples.find((d) => d._id === 'story.the-lighthouse-keepers-ledger')!
const opening = samples.find((d) => d._id === 'story.seven-winters.ch1')!

/** The lead's schema as the Studio sees it once the plugin's `schema.types` reducer ran. */
function guardedTypes(options?: PublishingGuardOptions) {
  return guardSchemaTypes(resolveGuardOptions(options))(schemaTypes as never)
}

async function guardMarkers(patch: Record<string, unknown>, {options, documents = samples}: {options?: PublishingGuardOptions; documents?: Array<Record<string, unknown>>} = {}) {
  const doc: Record<string, unknown> = {...base, _id: 'drafts.story.guard-case', ...patch}
  for (const [key, value] of Object.entries(patch)) if (value === undefined) delete doc[key]
  const markers = await validateAsStudio(doc, {types: guardedTypes(options), documents})
  return markers.filter((m) => ['disclaimer', 'summary'].includes(pathOf(m)))
}

const at = (markers: Marker[], path: string, level: string) => markers.filter((m) => pathOf(m) === path && m.level === level)

describe('field validation from the publishing checks', () => {
  const cases: Array<{
    name: string
    patch: Record<string, unknown>
    options?: PublishingGuardOptions
    expected: Array<{path: 'disclaimer' | 'summary'; level: 'error' | 'warning'; message: RegExp}>
  }> = [
    {name: 'a good story', patch: {}, expected: []},
    {
      name: 'a missing disclaimer',
      patch: {disclaimer: undefined},
      expected: [{path: 'disclaimer', level: 'error', message: /Add a disclaimer.*Saltmarsh/}],
    },
    {
      name: 'a header label left in the summary',
      patch: {summary: 'Summary: Maud reads the keeper’s ledger in a single evening and understands the light.'},
      expected: [{path: 'summary', level: 'error', message: /label/i}],
    },
    {
      name: 'a placeholder summary',
      patch: {summary: 'I suck at summaries, just read it! R&R please'},
      expected: [{path: 'summary', level: 'warning', message: /placeholder|suck/i}],
    },
    {
      // Only knowable from the fandom document, fetched through the validation client.
      name: 'a disclaimer that names no rights holder',
      patch: {disclaimer: "I don't own anything and make no money from this."},
      expected: [{path: 'disclaimer', level: 'warning', message: /Maren Holt|Greywater|Saltmarsh/}],
    },
    {
      name: 'an original work without a disclaimer',
      patch: {disclaimer: undefined, fandoms: [{_type: 'reference', _ref: 'fandom.original-work', _key: 'f0'}]},
      expected: [],
    },
    {
      name: 'a summary over a lowered maximum',
      patch: {},
      options: {summaryMaxLength: 60},
      expected: [{path: 'summary', level: 'error', message: /too long/}],
    },
    {
      name: 'an apologising summary raised to an error by the options',
      patch: {summary: 'I suck at summaries, just read it! R&R please'},
      options: {levels: {'summary.apology': 'error'}},
      expected: [{path: 'summary', level: 'error', message: /placeholder|suck/i}],
    },
    {
      name: 'a missing disclaimer switched off by the options',
      patch: {disclaimer: undefined},
      options: {levels: {'disclaimer.missing': 'off'}},
      expected: [],
    },
  ]

  it.each(cases)('reports $name', async ({patch, options, expected}) => {
    const markers = await guardMarkers(patch, {options})
    expect(markers.map((m) => `${pathOf(m)}:${m.level}`).sort()).toEqual(expected.map((e) => `${e.path}:${e.level}`).sort())
    for (const e of expected) {
      const [marker] = at(markers, e.path, e.level)
      expect(marker.message).toMatch(e.message)
    }
  })

  it('adds nothing without the plugin (the schema has no guard rules of its own)', async () => {
    const doc = {...base, _id: 'drafts.story.guard-case'}
    delete (doc as Record<string, unknown>).disclaimer
    const markers = await validateAsStudio(doc, {documents: samples})
    expect(markers.filter((m) => pathOf(m) === 'disclaimer')).toEqual([])
  })

  it('uses a fandom that exists only as a draft', async () => {
    const draftFandom = {
      _id: 'drafts.fandom.brand-new',
      _type: 'fandom',
      title: 'Brand New Show',
      rightsHolders: [{_type: 'reference', _ref: 'rightsHolder.quillmoor', _key: 'h0'}],
    }
    const holder = {_id: 'rightsHolder.quillmoor', _type: 'rightsHolder', name: 'Quillmoor Studios'}
    const patch = {
      fandoms: [{_type: 'reference', _ref: 'fandom.brand-new', _key: 'f0'}],
      disclaimer: 'These characters belong to someone else. I own nothing.',
    }
    const markers = await guardMarkers(patch, {documents: [...samples, draftFandom, holder]})
    expect(at(markers, 'disclaimer', 'warning')[0]?.message).toMatch(/Quillmoor Studios/)
  })

  it('checks a work in chapters against the opening of its first chapter', async () => {
    const firstLine = (opening.body as Array<{children: Array<{text: string}>}>)[0].children[0].text
    const patch = {
      body: undefined,
      chapters: [{_type: 'reference', _ref: opening._id, _key: 'c0'}],
      summary: firstLine,
    }
    const markers = await guardMarkers(patch)
    expect(at(markers, 'summary', 'warning').map((m) => m.message).join(' ')).toMatch(/open/i)
  })

  it('keeps the validation a field already had', async () => {
    const note = defineType({
      name: 'note',
      type: 'document',
      fields: [
        defineField({name: 'summary', type: 'text', validation: (rule) => rule.max(10).warning()}),
        defineField({name: 'disclaimer', type: 'text'}),
      ],
    })
    const types = guardSchemaTypes(resolveGuardOptions({schemaTypes: ['note']}))([note as never])
    const markers = await validateAsStudio(
      {_id: 'drafts.note.a', _type: 'note', summary: 'Summary: far longer than ten characters, this one.', disclaimer: 'Original.'},
      {types, documents: []},
    )
    const summary = markers.filter((m) => pathOf(m) === 'summary')
    expect(summary.some((m) => m.level === 'warning' && /10/.test(m.message))).toBe(true)
    expect(summary.some((m) => m.level === 'error' && /label/i.test(m.message))).toBe(true)
  })

  it('returns the other types exactly as they came', () => {
    const before = schemaTypes as never as Array<{name: string}>
    const after = guardedTypes() as never as Array<{name: string}>
    for (const [index, type] of before.entries()) {
      if (type.name === 'story') expect(after[index]).not.toBe(type)
      else expect(after[index]).toBe(type)
    }
  })

  it('says so, once, when the fandoms cannot be loaded', async () => {
    const failing: Record<string, unknown> = {
      fetch: async () => {
        throw new Error('lake unreachable')
      },
      withConfig: () => failing,
      getDataUrl: (op: string, path = '') => `/data/${op}/test/${path}`,
      observable: {},
      config: () => ({dataset: 'test', projectId: 'test', apiVersion: '2025-02-19'}),
    }
    const markers = await validateDocument({
      document: {...base, _id: 'drafts.story.offline'} as unknown as SanityDocument,
      workspace: {schema: compileSchema(guardedTypes()), getClient: () => failing as never, i18n: getFallbackLocaleSource()},
      getDocumentExists: async () => true,
      environment: 'studio',
    } as never)
    const guard = (markers as unknown as Marker[]).filter((m) => ['disclaimer', 'summary'].includes(pathOf(m)))
    expect(guard).toHaveLength(1)
    expect(guard[0]).toMatchObject({level: 'error', path: ['disclaimer']})
    expect(guard[0].message).toMatch(/lake unreachable/)
  })
})
