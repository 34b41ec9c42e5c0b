/**
 * The Sanity CLI steps a developer runs offline: schema validation, schema extraction and
 * type generation. Generated files are written to a temp dir and compared with the committed
 * ones, so a schema or query change without `npm run typegen` fails here.
 */
import {execFile} from 'node:child_process'
import {mkdir, mkdtemp, readFile, writeFile} from 'node:fs/promises'
import {join, relative} from 'node:path'
import {promisify} from 'node:util'
import {describe, expect, it} from 'vitest'

const run = promisify(execFile)
const root = join(import.meta.dirname, '..', '..')
const sanity = join(root, 'node_modules', '.bin', 'sanity')
// Run the CLI without a hosted project id, as a fresh clone would.
const env = {...process.env, SANITY_STUDIO_PROJECT_ID: '', CI: 'true', NO_UPDATE_NOTIFIER: '1'}

describe('the Sanity CLI, offline', () => {
  it('validates the schema with no errors', async () => {
    const {stdout} = await run(sanity, ['schema', 'validate', '--format', 'json', '--level', 'error'], {cwd: root, env})
    const problems = JSON.parse(stdout || '[]') as Array<{problems: Array<{severity: string}>}>
    expect(problems.flatMap((g) => g.problems).filter((p) => p.severity === 'error')).toEqual([])
  }, 240_000)

  it('extracts the schema and generates the committed query types', async () => {
    // `schema extract --path` resolves even absolute paths against the project root (CLI 8.12),
    // so the scratch space is inside the (git-ignored) node_modules cache.
    await mkdir(join(root, 'node_modules', '.cache'), {recursive: true})
    const dir = await mkdtemp(join(root, 'node_modules', '.cache', 'typegen-'))
    const schemaPath = join(dir, 'schema.json')
    await run(sanity, ['schema', 'extract', '--path', relative(root, schemaPath), '--enforce-required-fields'], {cwd: root, env})
    const extracted = JSON.parse(await readFile(schemaPath, 'utf8')) as Array<{name: string}>
    expect(extracted.map((t) => t.name)).toEqual(expect.arrayContaining(['story', 'chapter', 'author', 'fandom', 'rating', 'series', 'storyBody']))
    expect(await readFile(join(root, 'schema.json'), 'utf8'), 'schema.json is stale: run npm run typegen').toBe(await readFile(schemaPath, 'utf8'))

    const configPath = join(dir, 'typegen.json')
    const generates = join(dir, 'sanity.types.ts')
    await writeFile(configPath, JSON.stringify({path: ['./queries/**/*.ts', './site/**/*.{ts,tsx}'], schema: relative(root, schemaPath), generates: relative(root, generates)}))
    await run(sanity, ['typegen', 'generate', '--config-path', configPath], {cwd: root, env})
    // The generated file names the schema file it came from; that line differs by design.
    const withoutSource = (text: string) => text.replace(/^\/\/ Source: .*$/gm, '')
    expect(withoutSource(await readFile(join(root, 'queries', 'sanity.types.ts'), 'utf8')), 'queries/sanity.types.ts is stale: run npm run typegen').toBe(
      withoutSource(await readFile(generates, 'utf8')),
    )
    // Two CLI runs that each load the whole Studio config: minutes on a loaded 2-core machine.
  }, 240_000)
})
