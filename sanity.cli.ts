import {defineCliConfig} from 'sanity/cli'
import {studioTarget} from './studio.target'

const target = studioTarget(process.env)

export default defineCliConfig({
  api: {projectId: target.projectId, dataset: target.dataset},
  typegen: {
    path: ['./queries/**/*.ts', './site/**/*.{ts,tsx}'],
    schema: './schema.json',
    generates: './queries/sanity.types.ts',
  },
})
