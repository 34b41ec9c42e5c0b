import {defineCliConfig} from 'sanity/cli'
import {studioVite} from './studio-build'
import {studioTarget} from './studio.target'

const target = studioTarget(process.env)

// Type generation is configured in sanity-typegen.json, so a test can point the same command
// at a scratch output (`--config-path`) and compare it with the committed types.
export default defineCliConfig({
  api: {projectId: target.projectId, dataset: target.dataset},
  // Offline by design: never fetch a newer Studio at run time.
  deployment: {autoUpdates: false},
  // A fix to sanity's validation store, and (local lake) nothing fetched from Sanity's cloud:
  // see studio-build/README.md.
  vite: studioVite(target),
})
