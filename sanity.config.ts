import {visionTool} from '@sanity/vision'
import {defineConfig} from 'sanity'
import {structureTool} from 'sanity/structure'
import {guardValidation, publishingGuard} from './plugins/publishing-guard'
import {ARCHIVE_CHECK_OPTIONS} from './rules'
import {schemaTypes} from './schemas'
import {structure} from './structure'
import {studioTarget} from './studio.target'
// local-lake:begin
import {localLakeWorkspace} from './lake/studio'
// local-lake:end

// Sanity replaces each `process.env.SANITY_STUDIO_*` at build time, so they are listed one by one.
const env = {
  SANITY_STUDIO_PROJECT_ID: process.env.SANITY_STUDIO_PROJECT_ID,
  SANITY_STUDIO_DATASET: process.env.SANITY_STUDIO_DATASET,
  SANITY_STUDIO_LAKE_URL: process.env.SANITY_STUDIO_LAKE_URL,
  SANITY_STUDIO_LAKE_TOKEN: process.env.SANITY_STUDIO_LAKE_TOKEN,
}
const target = studioTarget(env)

export default defineConfig({
  name: 'default',
  title: target.mode === 'local' ? 'Fanfic Archive (local)' : 'Fanfic Archive',
  projectId: target.projectId,
  dataset: target.dataset,
  // local-lake:begin
  ...(target.mode === 'local' ? localLakeWorkspace(target, env) : {}),
  // local-lake:end
  plugins: [structureTool({structure}), publishingGuard(ARCHIVE_CHECK_OPTIONS), visionTool({defaultApiVersion: '2025-02-19'})],
  // Root schema types are added after the plugins' schema hooks run, so the guard's field
  // checks are applied here rather than from inside the plugin.
  schema: {types: guardValidation(schemaTypes, ARCHIVE_CHECK_OPTIONS)},
})
