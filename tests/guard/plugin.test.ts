import {definePlugin, defineConfig, resolveSchemaTypes, type PluginOptions} from 'sanity'
import {describe, expect, it} from 'vitest'
import studioConfig from '../../sanity.config'
import {guardValidation, publishingGuard} from '../../plugins/publishing-guard'
import {schemaTypes} from '../../schemas'

/** The schema types exactly as the Studio resolves them from a config (plugins first, root last). */
function resolvedTypes(config: PluginOptions) {
  return resolveSchemaTypes({config, context: {projectId: 'test', dataset: 'test'}} as never) as Array<{
    name: string
    fields?: Array<{name: string; validation?: unknown}>
  }>
}

const guarded = (types: ReturnType<typeof resolvedTypes>, typeName = 'story') =>
  Object.fromEntries(
    (types.find((t) => t.name === typeName)?.fields ?? [])
      .filter((f) => f.name === 'disclaimer' || f.name === 'summary')
      .map((f) => [f.name, typeof f.validation === 'function']),
  )

const contentModel = definePlugin({name: 'content-model', schema: {types: schemaTypes}})

describe('the plugin in a Studio config', () => {
  it('guards types that an earlier plugin declares', () => {
    const config = defineConfig({name: 't', projectId: 'test', dataset: 'test', plugins: [contentModel(), publishingGuard()]})
    expect(guarded(resolvedTypes(config))).toEqual({summary: true, disclaimer: true})
  })

  it('guards root types wrapped with guardValidation (plugins run before the root config adds its types)', () => {
    const unwrapped = defineConfig({name: 't', projectId: 'test', dataset: 'test', plugins: [publishingGuard()], schema: {types: schemaTypes}})
    expect(guarded(resolvedTypes(unwrapped))).toEqual({summary: false, disclaimer: false})
    const wrapped = defineConfig({name: 't', projectId: 'test', dataset: 'test', plugins: [publishingGuard()], schema: {types: guardValidation(schemaTypes)}})
    expect(guarded(resolvedTypes(wrapped))).toEqual({summary: true, disclaimer: true})
  })

  it('honours schemaTypes: other types stay unguarded', () => {
    const config = defineConfig({name: 't', projectId: 'test', dataset: 'test', plugins: [contentModel(), publishingGuard({schemaTypes: ['chapter']})]})
    expect(guarded(resolvedTypes(config))).toEqual({summary: false, disclaimer: false})
  })

  it("is wired into this project's Studio so stories get the inline checks", () => {
    expect(guarded(resolvedTypes(studioConfig as PluginOptions))).toEqual({summary: true, disclaimer: true})
  })
})
