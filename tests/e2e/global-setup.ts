/**
 * Once per e2e run: a seeded local lake on a random port with a throwaway data folder, the
 * Studio built against it (`sanity build`, with the lake URL and token embedded) and served
 * statically on another random loopback port. Tests get the addresses via `inject()`
 * (see tests/e2e/harness.ts); everything is torn down and deleted at the end.
 */
import {spawn} from 'node:child_process'
import {appendFileSync, createReadStream, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync} from 'node:fs'
import {createServer, type Server} from 'node:http'
import {tmpdir} from 'node:os'
import {dirname, extname, join, normalize, resolve, sep} from 'node:path'
import type {AddressInfo} from 'node:net'
import type {TestProject} from 'vitest/node'
import {localLakeClient, seedIfEmpty} from '../../lake/connection'
import {startLake} from '../../lake/server'
import {userCaDir} from '../../lake/tls'
import {sampleDocuments} from '../../scripts/seed/sample-content'
import {DEFAULT_DATASET} from '../../studio.target'

export interface E2eTargets {
  /** https://localhost:<port>; the Studio talks to https://local.localhost:<port>. */
  lakeUrl: string
  /** http://127.0.0.1:<port>, for Node clients. */
  lakeHttpUrl: string
  token: string
  /** http://127.0.0.1:<port> serving the built Studio. */
  studioUrl: string
  dataset: string
  /**
   * A throwaway home folder whose per-user lake CA (lake/tls.ts `userCaDir`) signed the lake's
   * certificate; nothing in it trusts that CA until a test runs `npm run trust` with it.
   */
  home: string
}

// What this setup provides; tests may also `inject('studioUrl')` etc. directly.
declare module 'vitest' {
  export interface ProvidedContext {
    lakeUrl: string
    lakeHttpUrl: string
    token: string
    studioUrl: string
    dataset: string
    home: string
  }
}

const root = resolve(import.meta.dirname, '..', '..')

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.txt': 'text/plain; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile()
  } catch {
    return false
  }
}

/** Serves a built single-page app: real files as they are, every other path gets index.html. */
export async function serveStatic(dir: string): Promise<{url: string; server: Server; close(): Promise<void>}> {
  const server = createServer((req, res) => {
    let pathname: string
    try {
      pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)
    } catch {
      // A malformed %-escape must not crash the server the e2e run depends on.
      res.writeHead(400, {'content-type': 'text/plain; charset=utf-8'}).end('Malformed URL')
      return
    }
    const candidate = normalize(join(dir, pathname))
    const inside = candidate === dir || candidate.startsWith(dir + sep)
    const file = inside && isFile(candidate) ? candidate : join(dir, 'index.html')
    res.writeHead(200, {
      'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
      'cache-control': 'no-store',
    })
    createReadStream(file).pipe(res)
  })
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done))
  const {port} = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections()
        server.close(() => done())
      }),
  }
}

/** `sanity build` into outDir; throws with the end of its output when it fails. */
export async function buildStudio(outDir: string, env: NodeJS.ProcessEnv): Promise<void> {
  const bin = join(root, 'node_modules', '.bin')
  const child = spawn(join(bin, 'sanity'), ['build', outDir, '--yes', '--no-auto-updates', '--no-minify'], {
    cwd: root,
    env: {...env, PATH: `${bin}:${env.PATH ?? ''}`},
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout.on('data', (chunk: Buffer) => (output += chunk))
  child.stderr.on('data', (chunk: Buffer) => (output += chunk))
  const code = await new Promise<number>((done) => child.once('exit', (c) => done(c ?? 1)))
  if (code !== 0) {
    const tail = output.trim().split('\n').slice(-25).join('\n')
    throw new Error(`sanity build failed (exit ${code}) while preparing the e2e Studio:\n${tail}`)
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dataDir = mkdtempSync(join(tmpdir(), 'e2e-lake-'))
  const distDir = mkdtempSync(join(tmpdir(), 'e2e-studio-'))
  const home = mkdtempSync(join(tmpdir(), 'e2e-home-'))
  const cleanups: Array<() => Promise<void> | void> = [
    () => rmSync(dataDir, {recursive: true, force: true}),
    () => rmSync(distDir, {recursive: true, force: true}),
    () => rmSync(home, {recursive: true, force: true}),
  ]
  const teardown = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup()
  }
  try {
    const studio = await serveStatic(distDir)
    cleanups.push(studio.close)
    // LAKE_LOG=1 keeps a request log of the run in test-results/e2e-lake.log, with every query's
    // text, params and perspective (how tests/lake/fixtures/studio-queries.json was captured).
    const logFile = process.env.LAKE_LOG ? join(root, 'test-results', 'e2e-lake.log') : undefined
    if (logFile) {
      mkdirSync(dirname(logFile), {recursive: true})
      writeFileSync(logFile, '')
    }
    const log = logFile ? (line: string) => appendFileSync(logFile, `${new Date().toISOString()} ${line}\n`) : undefined
    const lake = await startLake({dataDir, port: 0, allowedOrigins: [studio.url], log, logQueries: Boolean(log), caDir: userCaDir({HOME: home})})
    cleanups.push(lake.close)
    await seedIfEmpty(localLakeClient({httpUrl: lake.httpUrl, token: lake.token}), sampleDocuments())

    const buildEnv: NodeJS.ProcessEnv = {...process.env, SANITY_STUDIO_LAKE_URL: lake.url, SANITY_STUDIO_LAKE_TOKEN: lake.token}
    // The e2e Studio always targets the local lake, whatever the shell has configured.
    delete buildEnv.SANITY_STUDIO_PROJECT_ID
    delete buildEnv.SANITY_STUDIO_DATASET
    const started = Date.now()
    await buildStudio(distDir, buildEnv)
    console.log(`[e2e] Studio built in ${((Date.now() - started) / 1000).toFixed(1)}s; lake ${lake.url}, Studio ${studio.url}`)

    project.provide('lakeUrl', lake.url)
    project.provide('lakeHttpUrl', lake.httpUrl)
    project.provide('token', lake.token)
    project.provide('studioUrl', studio.url)
    project.provide('dataset', DEFAULT_DATASET)
    project.provide('home', home)
  } catch (error) {
    await teardown()
    throw error
  }
  return teardown
}
