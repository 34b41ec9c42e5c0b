/**
 * With no lake running, `npm run import` and `npm run site` say in one line which URL they
 * tried and that `npm run dev` starts the lake, and exit; a site whose lake goes away later
 * serves a page saying the same (503), not a 500.
 */
import {spawnSync} from 'node:child_process'
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {createServer, type AddressInfo} from 'node:net'
import {tmpdir} from 'node:os'
import {join, resolve} from 'node:path'
import {pathToFileURL} from 'node:url'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {lakeDownMessage, localLakeClient} from '../../lake/connection'
import {startSite} from '../../site/server'

const root = resolve(import.meta.dirname, '..', '..')
let dir: string
let port: number

async function closedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done))
  const {port: free} = server.address() as AddressInfo
  await new Promise((done) => server.close(done))
  return free
}

function run(script: string, args: string[]) {
  const env: NodeJS.ProcessEnv = {...process.env, LAKE_PORT: String(port), LAKE_DATA_DIR: join(dir, 'data')}
  delete env.SANITY_STUDIO_PROJECT_ID
  // The tsx loader by path: the scripts run from a folder of their own, outside the project.
  const tsx = pathToFileURL(join(root, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href
  const result = spawnSync(process.execPath, ['--import', tsx, script, ...args], {cwd: dir, env, encoding: 'utf8', timeout: 60_000})
  return {code: result.status, stdout: result.stdout, stderr: result.stderr}
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lake-down-'))
  port = await closedPort()
  writeFileSync(join(dir, 'fic.txt'), 'Title: Loose Ends\nRating: G\nSummary: A short story.\n\nPim tied the boat.\n')
})
afterAll(() => rmSync(dir, {recursive: true, force: true}))

describe('a script whose local lake is not running', () => {
  it('npm run import prints one line with the URL it tried and `npm run dev`, and exits 1', () => {
    const {code, stdout, stderr} = run(join(root, 'scripts', 'import', 'cli.ts'), ['fic.txt'])
    expect(code).toBe(1)
    expect(stdout).toBe('')
    const lines = stderr.trim().split('\n')
    expect(lines).toHaveLength(1)
    expect(lines[0]).toContain(`http://127.0.0.1:${port}`)
    expect(lines[0]).toContain('`npm run dev` starts it')
  })

  it('npm run site prints one line with the URL it tried and `npm run dev`, and exits 1', () => {
    const {code, stdout, stderr} = run(join(root, 'site', 'server.tsx'), [])
    expect(code).toBe(1)
    expect(stdout).toBe('')
    const lines = stderr.trim().split('\n')
    expect(lines).toHaveLength(1)
    expect(lines[0]).toContain(`http://127.0.0.1:${port}`)
    expect(lines[0]).toContain('`npm run dev` starts it')
  })

  it('a running site whose lake goes away answers 503 with the same words, not a 500', async () => {
    const env = {LAKE_PORT: String(port)}
    const logged: string[] = []
    const site = await startSite({
      client: localLakeClient({httpUrl: `http://127.0.0.1:${port}`, token: 'unused', perspective: 'published'}),
      port: 0,
      log: (line) => logged.push(line),
      explainFailure: (error) => lakeDownMessage(error, env),
    })
    try {
      const response = await fetch(`${site.url}/`)
      expect(response.status).toBe(503)
      const html = await response.text()
      expect(html).toContain(`http://127.0.0.1:${port}`)
      expect(html).toContain('npm run dev')
      expect(logged.join('\n')).toContain('npm run dev')
    } finally {
      await site.close()
    }
  })

  it('says nothing of the local lake for a hosted project or another error', () => {
    const refused = Object.assign(new TypeError('fetch failed'), {cause: Object.assign(new Error('connect ECONNREFUSED'), {code: 'ECONNREFUSED'})})
    expect(lakeDownMessage(refused, {LAKE_PORT: '3901'})).toMatch(/^no local Content Lake answers at http:\/\/127\.0\.0\.1:3901 \(ECONNREFUSED\)/)
    expect(lakeDownMessage(refused, {SANITY_STUDIO_PROJECT_ID: 'abc'})).toBeUndefined()
    expect(lakeDownMessage(new Error('Unauthorized'), {})).toBeUndefined()
  })
})
