/**
 * `npm run dev`: the editor's whole local setup in one command.
 * - SANITY_STUDIO_PROJECT_ID set: just `sanity dev` against the hosted project.
 * - otherwise: start the local lake (data in LAKE_DATA_DIR, default .lake-data/; port
 *   LAKE_PORT; certificate signed by the per-user CA in LAKE_CA_DIR, see lake/tls.ts), seed
 *   the sample archive into an empty dataset, and run `sanity dev` (STUDIO_PORT) pointed at
 *   the lake with the lake's token embedded (never printed). Ctrl-C stops both.
 */
import {spawn, type ChildProcess} from 'node:child_process'
import {dirname, join, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'
import {lakeDataDir, lakePort, localLakeClient, seedIfEmpty} from '../lake/connection'
import {userCaDir} from '../lake/tls'
import {startLake, type RunningLake} from '../lake/server'
import {sampleDocuments} from './seed/sample-content'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const sanityBin = join(root, 'node_modules', '.bin', 'sanity')
const STUDIO_HOST = '127.0.0.1'

function studioPort(raw: string | undefined): number {
  if (!raw?.trim()) return 3333
  const port = Number(raw)
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`STUDIO_PORT must be a port number (1-65535), got "${raw}"`)
  return port
}

/** Every variable that moves a port or a folder, with what it is set to now, for the banner. */
function settingsLines(env: Record<string, string | undefined>, dataDir: string, caDir: string): string[] {
  const row = (name: string, value: string, what: string) => `  ${name.padEnd(14)}${value.padEnd(34)}${what}`
  return [
    row('LAKE_PORT', String(lakePort(env)), "the lake's port (browsers and Node clients)"),
    row('STUDIO_PORT', String(studioPort(env.STUDIO_PORT)), "the Studio's port"),
    row('SITE_PORT', env.SITE_PORT?.trim() || '3000', 'the reader site (npm run site)'),
    row('LAKE_DATA_DIR', dataDir, "the lake's data: documents, assets, token, certificate"),
    row('LAKE_CA_DIR', caDir, 'the local certificate authority, shared by every data folder'),
  ]
}

function runSanityDev(env: NodeJS.ProcessEnv, port: number): ChildProcess {
  // Own process group so Ctrl-C handling can stop Vite and anything it spawned, all at once.
  // Auto-updates (Studio code from Sanity's CDN) are off in sanity.cli.ts (deployment.autoUpdates).
  return spawn(
    sanityBin,
    ['dev', '--host', STUDIO_HOST, '--port', String(port), '--no-load-in-dashboard'],
    {cwd: root, env, stdio: ['ignore', 'inherit', 'inherit'], detached: true},
  )
}

function stopGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return
  try {
    process.kill(-child.pid, signal)
  } catch {
    // already gone
  }
}

function waitForExit(child: ChildProcess): Promise<number> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode)
  if (child.signalCode !== null) return Promise.resolve(1)
  return new Promise((done) => child.once('exit', (code) => done(code ?? 1)))
}

function printBanner(lake: RunningLake, seeded: number, dataDir: string, caDir: string, port: number): void {
  const studioUrl = `http://${STUDIO_HOST}:${port}`
  const lakeHost = lake.url.replace('//localhost', '//local.localhost')
  const lines = [
    '',
    'Local Content Lake',
    `  Studio:      ${studioUrl}  (starting…)`,
    `  Lake:        ${lake.url} (browsers, HTTP/2)   ${lake.httpUrl} (Node clients)`,
    `  Data folder: ${dataDir}${seeded ? `  (seeded ${seeded} sample documents)` : ''}`,
    '',
    'First time only: the lake uses a certificate made on this machine. If the Studio says it',
    'cannot reach the local Content Lake, your browser does not trust that certificate yet. Either',
    `  - open ${lakeHost}/v1/ping and accept the certificate warning (this browser, until it restarts), or`,
    '  - run `npm run trust` once: Chrome/Chromium on Linux then trust it for good, for every data folder;',
    `    it prints the steps for macOS, Windows and Firefox (the authority: ${lake.caPath}).`,
    '',
    'Ports and folders (set these variables to move them):',
    ...settingsLines(process.env, dataDir, caDir),
    '',
    'Ctrl-C stops the Studio and the lake.',
    '',
  ]
  console.log(lines.join('\n'))
}

async function main(): Promise<void> {
  if (process.env.SANITY_STUDIO_PROJECT_ID?.trim()) {
    const child = spawn(sanityBin, ['dev'], {cwd: root, stdio: 'inherit'})
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal))
    process.exitCode = await waitForExit(child)
    return
  }

  const dataDir = resolve(root, lakeDataDir(process.env))
  const caDir = resolve(root, userCaDir(process.env))
  const port = studioPort(process.env.STUDIO_PORT)
  const lake = await startLake({dataDir, port: lakePort(process.env), caDir})
  let seeded = 0
  try {
    seeded = await seedIfEmpty(localLakeClient({httpUrl: lake.httpUrl, token: lake.token}), sampleDocuments())
  } catch (error) {
    await lake.close()
    throw error
  }
  printBanner(lake, seeded, dataDir, caDir, port)

  const studio = runSanityDev(
    {
      ...process.env,
      SANITY_STUDIO_LAKE_URL: lake.url,
      SANITY_STUDIO_LAKE_TOKEN: lake.token,
    },
    port,
  )

  let stopping = false
  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) return
    stopping = true
    stopGroup(studio, signal === 'SIGINT' ? 'SIGINT' : 'SIGTERM')
    const forced = setTimeout(() => stopGroup(studio, 'SIGKILL'), 5_000)
    await waitForExit(studio)
    clearTimeout(forced)
    await lake.close()
  }
  process.on('SIGINT', () => void stop('SIGINT'))
  process.on('SIGTERM', () => void stop('SIGTERM'))
  process.on('SIGHUP', () => void stop('SIGTERM'))

  const code = await waitForExit(studio)
  if (stopping) return
  // The Studio died on its own: take the lake (and any stray Vite child) down with it.
  stopping = true
  console.error(`sanity dev exited (code ${code}); stopping the lake.`)
  stopGroup(studio, 'SIGTERM')
  await lake.close()
  process.exitCode = code || 1
}

main().catch((error: unknown) => {
  console.error(`npm run dev: ${error instanceof Error ? error.message : String(error)}`)
  process.exitCode = 1
})
