/**
 * `npm run dev`: the editor's whole local setup in one command.
 * - SANITY_STUDIO_PROJECT_ID set: just `sanity dev` against the hosted project.
 * - otherwise: start the local lake (data in LAKE_DATA_DIR, default .lake-data/), seed the
 *   sample archive into an empty dataset, and run `sanity dev` pointed at the lake with the
 *   lake's token embedded (never printed). Ctrl-C stops both.
 */
import {spawn, type ChildProcess} from 'node:child_process'
import {dirname, join, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'
import {lakeDataDir, lakePort, localLakeClient, seedIfEmpty} from '../lake/connection'
import {startLake, type RunningLake} from '../lake/server'
import {sampleDocuments} from './seed/sample-content'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const sanityBin = join(root, 'node_modules', '.bin', 'sanity')
const STUDIO_HOST = '127.0.0.1'
const STUDIO_PORT = Number(process.env.STUDIO_PORT ?? 3333)

function runSanityDev(env: NodeJS.ProcessEnv): ChildProcess {
  // Own process group so Ctrl-C handling can stop Vite and anything it spawned, all at once.
  // --no-auto-updates: the auto-updating Studio loads its code from Sanity's CDN.
  return spawn(
    sanityBin,
    ['dev', '--host', STUDIO_HOST, '--port', String(STUDIO_PORT), '--no-auto-updates', '--no-load-in-dashboard'],
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

function printBanner(lake: RunningLake, seeded: number, dataDir: string): void {
  const studioUrl = `http://${STUDIO_HOST}:${STUDIO_PORT}`
  const lakeHost = lake.url.replace('//localhost', '//local.localhost')
  const lines = [
    '',
    'Local Content Lake',
    `  Studio:      ${studioUrl}  (starting…)`,
    `  Lake:        ${lake.url} (browsers, HTTP/2)   ${lake.httpUrl} (Node clients)`,
    `  Data folder: ${dataDir}${seeded ? `  (seeded ${seeded} sample documents)` : ''}`,
    '',
    'First time only: the lake uses a certificate made on this machine. Either',
    `  - open ${lakeHost}/v1/ping in your browser and accept the certificate warning, or`,
    `  - trust the local authority once, which also covers renewed certificates:`,
    `      ${lake.caPath}`,
    '      (Chrome/Chromium on Linux: certutil -d sql:$HOME/.pki/nssdb -A -t "C,," -n fanfic-lake -i <that file>;',
    '       macOS: open it in Keychain Access and set "Always Trust"; Windows: certutil -addstore Root <that file>)',
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
  const lake = await startLake({dataDir, port: lakePort(process.env)})
  let seeded = 0
  try {
    seeded = await seedIfEmpty(localLakeClient({httpUrl: lake.httpUrl, token: lake.token}), sampleDocuments())
  } catch (error) {
    await lake.close()
    throw error
  }
  printBanner(lake, seeded, dataDir)

  const studio = runSanityDev({
    ...process.env,
    SANITY_STUDIO_LAKE_URL: lake.url,
    SANITY_STUDIO_LAKE_TOKEN: lake.token,
  })

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
