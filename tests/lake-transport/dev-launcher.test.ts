/**
 * `npm run dev` end to end: the lake and `sanity dev` start, the dataset is seeded once,
 * and Ctrl-C (SIGINT to the terminal's process group) leaves no server behind.
 */
import {execFileSync, spawn, type ChildProcess} from 'node:child_process'
import {mkdtempSync, rmSync} from 'node:fs'
import {createServer, connect, type AddressInfo} from 'node:net'
import {tmpdir} from 'node:os'
import {join, resolve} from 'node:path'
import {afterEach, describe, expect, it} from 'vitest'
import {localLakeClient} from '../../lake/connection'
import {loadOrCreateToken} from '../../lake/token'

const root = resolve(import.meta.dirname, '..', '..')
const children: ChildProcess[] = []
let dataDir: string | undefined

afterEach(() => {
  for (const child of children.splice(0)) {
    try {
      if (child.pid && child.exitCode === null) process.kill(-child.pid, 'SIGKILL')
    } catch {
      // already gone
    }
  }
  if (dataDir) rmSync(dataDir, {recursive: true, force: true})
})

async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done))
  const {port} = server.address() as AddressInfo
  await new Promise((done) => server.close(done))
  return port
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = connect({host: '127.0.0.1', port})
    socket.once('connect', () => {
      socket.destroy()
      done(true)
    })
    socket.once('error', () => done(false))
  })
}

async function until(check: () => Promise<boolean> | boolean, what: string, ms = 90_000): Promise<void> {
  const deadline = Date.now() + ms
  while (Date.now() < deadline) {
    if (await check()) return
    await new Promise((wait) => setTimeout(wait, 200))
  }
  throw new Error(`timed out: ${what}`)
}

function startDev(env: NodeJS.ProcessEnv): {child: ChildProcess; output: () => string} {
  // node --import tsx keeps the launcher in one process, as `npm run dev` runs it.
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/dev.ts'], {
    cwd: root,
    env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  children.push(child)
  let output = ''
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk))
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk))
  return {child, output: () => output}
}

describe('npm run dev (local mode)', () => {
  it('starts the lake and the Studio, seeds once, never prints the token, and Ctrl-C stops both', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'dev-launcher-'))
    const [lakePort, studioPort] = [await freePort(), await freePort()]
    const caDir = join(dataDir, 'user-ca')
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      LAKE_DATA_DIR: dataDir,
      LAKE_CA_DIR: caDir,
      LAKE_PORT: String(lakePort),
      STUDIO_PORT: String(studioPort),
    }
    delete env.SANITY_STUDIO_PROJECT_ID
    delete env.SITE_PORT

    const {child, output} = startDev(env)
    await until(() => output().includes('Ctrl-C stops'), `the launcher banner (output so far: ${output()})`, 30_000)
    expect(output()).toContain(`https://localhost:${lakePort}`)
    expect(output()).toMatch(/seeded \d+ sample documents/)
    expect(output()).toContain(join(caDir, 'ca.pem'))
    expect(output()).toContain('npm run trust')
    // Every variable that moves a port or a folder, with its value now.
    for (const [name, value] of [['LAKE_PORT', String(lakePort)], ['STUDIO_PORT', String(studioPort)], ['SITE_PORT', '3000'], ['LAKE_DATA_DIR', dataDir], ['LAKE_CA_DIR', caDir]]) {
      expect(output()).toMatch(new RegExp(`^ +${name} +${value.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} `, 'm'))
    }
    await until(() => portOpen(studioPort), 'sanity dev to listen')
    // No deprecated `sanity dev` flag.
    expect(output()).not.toMatch(/deprecated/i)
    const studio = await fetch(`http://127.0.0.1:${studioPort}/`)
    expect(studio.status).toBe(200)

    const token = loadOrCreateToken(dataDir)
    expect(output()).not.toContain(token)
    const client = localLakeClient({httpUrl: `http://127.0.0.1:${lakePort}`, token})
    expect(await client.fetch<number>('count(*[_type == "story"])')).toBeGreaterThan(0)

    // Ctrl-C in a terminal signals the whole foreground process group.
    process.kill(-child.pid!, 'SIGINT')
    const code = await new Promise<number | null>((done) => child.once('exit', (c) => done(c)))
    expect(code).toBe(0)
    expect(await portOpen(lakePort)).toBe(false)
    expect(await portOpen(studioPort)).toBe(false)
    const leftovers = execFileSync('ps', ['-eo', 'args'], {encoding: 'utf8'})
      .split('\n')
      .filter((line) => line.includes(`--port ${studioPort}`))
    expect(leftovers).toEqual([])
  }, 150_000)
})
