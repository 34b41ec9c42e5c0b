/**
 * Validate a document the way the Studio does (`environment: 'studio'`, so document-level
 * rules keep their level), against our compiled schema. The client is faked at its boundary:
 * custom validators that query get `documents` back through a tiny GROQ evaluation.
 */
import {getFallbackLocaleSource} from '@sanity/validation/_internal'
import {evaluate, parse} from 'groq-js'
import {createSchema, validateDocument, type SanityDocument} from 'sanity'
import {schemaTypes} from '../../schemas'

export type Marker = {level: string; path: Array<string | number | {_key: string}>; message: string}

export function compileSchema(types: unknown[] = schemaTypes) {
  return createSchema({name: 'test', types})
}

export function fakeClient(documents: Array<Record<string, unknown>>) {
  const fetch = async (query: string, params?: Record<string, unknown>) =>
    (await evaluate(parse(query), {dataset: documents, params})).get()
  const client: Record<string, unknown> = {
    fetch,
    withConfig: () => client,
    getDataUrl: (op: string, path = '') => `/data/${op}/test/${path}`,
    observable: {fetch: () => { throw new Error('not used in tests') }, request: () => { throw new Error('not used in tests') }},
    config: () => ({dataset: 'test', projectId: 'test', apiVersion: '2025-02-19'}),
  }
  return client
}

export async function validateAsStudio(
  document: Record<string, unknown>,
  {types = schemaTypes, documents = []}: {types?: unknown[]; documents?: Array<Record<string, unknown>>} = {},
): Promise<Marker[]> {
  const schema = compileSchema(types)
  const client = fakeClient(documents)
  const markers = await validateDocument({
    document: document as SanityDocument,
    workspace: {schema, getClient: () => client as never, i18n: getFallbackLocaleSource()},
    getDocumentExists: async ({id}: {id: string}) => documents.some((d) => d._id === id || d._id === `drafts.${id}`),
    environment: 'studio',
  } as never)
  return (markers as unknown as Marker[]).map((m) => ({level: m.level, path: m.path, message: m.message}))
}

export const pathOf = (m: Marker) => m.path.map((p) => (typeof p === 'object' ? p._key : p)).join('.')
