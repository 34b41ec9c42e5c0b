/**
 * The lake under hostile requests and faults: foreign Host and Origin, oversized queries and
 * parameters, answers too large to serialise, many anonymous listeners, a full disk, loose file
 * modes and a lock whose pid was reused.
 */
import {spawn, spawnSync} from 'node:child_process'
import {chmodSync, existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync} from 'node:fs'
import {request} from 'node:http'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, test} from 'vitest'
import {acquireLock, LOCK_FILE_NAME} from '../../lake/lock'
import {openStore} from '../../lake/store'
import {loadOrCreateToken} from '../../lake/token'
import {startLake, tempDir, TEST_TOKEN, type TestLake} from './helpers'

let lake: TestLake
beforeAll(async () => {
  lake = await startLake({keepAliveMs: 60_000})
  lake.store.mutate('production', Array.from({length: 300}, (_, i) => ({create: {_id: `s${i}`, _type: 'story', title: `Story ${i} `.repeat(20)}})))
})
afterAll(() => lake.close())

const auth = {authorization: `Bearer ${TEST_TOKEN}`}
const queryUrl = (query: string, extra = '') => `${lake.baseUrl}/v2025-02-19/data/query/production?query=${encodeURIComponent(query)}${extra}`

/** A raw request, so the Host header can be anything. */
function rawGet(path: string, headers: Record<string, string>): Promise<{status: number; body: string}> {
  const {port} = new URL(lake.baseUrl)
  return new Promise((resolve, reject) => {
    const req = request({host: '127.0.0.1', port, path, headers}, (res) => {
      let body = ''
      res.on('data', (chunk) => (body += chunk))
      res.on('end', () => resolve({status: res.statusCode ?? 0, body}))
    })
    req.on('error', reject)
    req.end()
  })
}

describe('foreign hosts and origins', () => {
  test('a foreign Host header (DNS rebinding) is refused; loopback names are served', async () => {
    const refused = await rawGet('/v1/ping', {host: 'attacker.example:3900'})
    expect(refused.status).toBe(403)
    expect(JSON.parse(refused.body).error.type).toBe('hostNotAllowedError')
    for (const host of ['127.0.0.1:3900', 'localhost:3900', 'local.localhost:3900', '[::1]:3900']) {
      expect((await rawGet('/v1/ping', {host})).status).toBe(200)
    }
  })

  test('a cross-site Origin is refused on queries and writes, before they run; the Studio\'s origins work', async () => {
    const query = await fetch(queryUrl('count(*)'), {headers: {origin: 'https://evil.example'}})
    expect(query.status).toBe(403)
    const write = await fetch(`${lake.baseUrl}/v2025-02-19/data/mutate/production`, {
      method: 'POST',
      headers: {...auth, origin: 'https://evil.example', 'content-type': 'text/plain'},
      body: JSON.stringify({mutations: [{create: {_id: 'from-evil', _type: 'story'}}]}),
    })
    expect(write.status).toBe(403)
    expect(lake.store.getDocuments('production', ['from-evil'])[0]).toBeNull()
    for (const origin of ['http://localhost:3333', 'http://127.0.0.1:3333', 'https://local.localhost:3900']) {
      const ok = await fetch(queryUrl('count(*)'), {headers: {origin}})
      expect(ok.status).toBe(200)
      expect(ok.headers.get('access-control-allow-origin')).toBe(origin)
    }
  })
})

describe('cheap limits before parsing, evaluating and serialising', () => {
  test('query text over the size limit answers 413', async () => {
    const res = await fetch(`${lake.baseUrl}/v2025-02-19/data/query/production`, {
      method: 'POST',
      headers: {'content-type': 'application/json'},
      body: JSON.stringify({query: `"${'x'.repeat(70_000)}"`}),
    })
    expect(res.status).toBe(413)
    expect((await res.json()).error.type).toBe('queryTooLarge')
  })

  test('a long operator chain (quadratic to parse) answers 400 queryTooComplex at once', async () => {
    const chain = '*[' + Array.from({length: 3000}, (_, i) => `a == ${i}`).join(' || ') + ']'
    const started = performance.now()
    const res = await fetch(`${lake.baseUrl}/v2025-02-19/data/query/production`, {method: 'POST', headers: {'content-type': 'application/json'}, body: JSON.stringify({query: chain})})
    expect(res.status).toBe(400)
    expect((await res.json()).error.type).toBe('queryTooComplex')
    expect(performance.now() - started).toBeLessThan(2000)
    // Operators inside string literals do not count.
    expect(await lake.anonymous.fetch(`count(*[title == "${'|| '.repeat(2000)}"])`)).toBe(0)
  })

  test('parameters with too many values answer 413 before any evaluation', async () => {
    const a = Array.from({length: 40_000}, (_, i) => i)
    const res = await fetch(`${lake.baseUrl}/v2025-02-19/data/query/production`, {
      method: 'POST',
      headers: {'content-type': 'application/json'},
      body: JSON.stringify({query: 'count($a[@ in $a])', params: {a}}),
    })
    expect(res.status).toBe(413)
    expect((await res.json()).error.type).toBe('paramsTooLarge')
    expect(await lake.anonymous.fetch('count($a[@ in $a])', {a: [1, 2, 3]})).toBe(3)
  })

  test('an answer too large to serialise answers 413 instead of freezing the lake', async () => {
    const small = await startLake({limits: {maxResultBytes: 1024 * 1024}})
    try {
      small.store.mutate('production', Array.from({length: 300}, (_, i) => ({create: {_id: `d${i}`, _type: 'story', title: 'x'.repeat(100)}})))
      const res = await fetch(`${small.baseUrl}/v2025-02-19/data/query/production?query=${encodeURIComponent('*[]{"x": *[]}')}`)
      expect(res.status).toBe(413)
      expect((await res.json()).error.type).toBe('queryResultTooLarge')
      expect(await small.anonymous.fetch('count(*)')).toBe(300)
    } finally {
      await small.close()
    }
  })

  test('anonymous listeners are capped with 429; the token holder is not', async () => {
    const capped = await startLake({maxAnonymousListeners: 2, keepAliveMs: 60_000})
    const controllers: AbortController[] = []
    const open = async (headers: Record<string, string> = {}) => {
      const controller = new AbortController()
      controllers.push(controller)
      return fetch(`${capped.baseUrl}/v2025-02-19/data/listen/production?query=${encodeURIComponent('*')}`, {headers, signal: controller.signal})
    }
    try {
      expect((await open()).status).toBe(200)
      expect((await open()).status).toBe(200)
      const third = await open()
      expect(third.status).toBe(429)
      expect((await third.json()).error.type).toBe('tooManyListenersError')
      expect((await open(auth)).status).toBe(200)
      // A closed anonymous listener frees its place.
      controllers[0].abort()
      const deadline = Date.now() + 5000
      let status = 429
      while (status === 429 && Date.now() < deadline) {
        const res = await open()
        status = res.status
        if (status === 429) await res.body?.cancel()
      }
      expect(status).toBe(200)
    } finally {
      for (const controller of controllers) controller.abort()
      await capped.close()
    }
  })
})

describe('a full disk (a 4 MB tmpfs as the data folder)', () => {
  const mountPoint = tempDir('lake-full-')
  let full: TestLake
  beforeAll(async () => {
    const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'tmpfs', mountPoint], {encoding: 'utf8'})
    if (mounted.status !== 0) throw new Error(`this test needs root to mount a tmpfs: ${mounted.stderr.trim()}`)
    full = await startLake({dataDir: join(mountPoint, 'data')})
  })
  afterAll(async () => {
    await full?.close()
    spawnSync('umount', [mountPoint])
    rmSync(mountPoint, {recursive: true, force: true})
  })

  test('a write answers the real error, leaves nothing half-written or stray, and works again once space is freed', async () => {
    await full.client.create({_id: 'before', _type: 'story', title: 'fits'})
    const foundByText = () => full.store.query('production', '*[title match "fits"]._id', {}, 'raw')
    expect(await foundByText()).toEqual(['before'])
    const filler = join(mountPoint, 'filler')
    // Fill the disk: write until the file system refuses.
    try {
      writeFileSync(filler, Buffer.alloc(8 * 1024 * 1024))
    } catch {
      // ENOSPC: what remains is full.
    }
    const big = {_id: 'too-big', _type: 'story', body: 'y'.repeat(400_000)}
    const res = await fetch(`${full.baseUrl}/v2025-02-19/data/mutate/production`, {
      method: 'POST',
      headers: {...auth, 'content-type': 'application/json'},
      // The delete is undone with the rest: the full-text index must find that document again.
      body: JSON.stringify({mutations: [{delete: {id: 'before'}}, {create: big}]}),
    })
    const body = await res.json()
    expect(res.status).toBe(507)
    expect(await foundByText()).toEqual(['before'])
    expect(body.error.type).toBe('insufficientStorageError')
    expect(body.error.description).toMatch(/disk is full/)
    expect(body.error.description).not.toMatch(/no transaction is active/)
    expect(full.store.getDocuments('production', ['too-big'])[0]).toBeNull()

    const upload = await fetch(`${full.baseUrl}/v2025-02-19/assets/files/production?filename=big.bin`, {method: 'POST', headers: auth, body: Buffer.alloc(600_000, 7)})
    expect(upload.status).toBe(507)
    const assetDir = join(mountPoint, 'data', 'assets', 'production')
    expect(existsSync(assetDir) ? readdirSync(assetDir) : []).toEqual([])

    rmSync(filler, {force: true})
    await full.client.create(big)
    expect(full.store.getDocuments('production', ['too-big'])[0]?.body).toHaveLength(400_000)
    expect(await full.anonymous.fetch('count(*)')).toBe(2)
  })
})

describe('private files', () => {
  test('a new data folder is 0700 with 0600 files, and loosened ones are tightened on start', () => {
    const dir = join(tempDir(), 'data')
    const store = openStore(dir)
    store.mutate('production', [{create: {_id: 'a', _type: 'story'}}])
    loadOrCreateToken(dir)
    store.close()
    const mode = (path: string) => statSync(path).mode & 0o777
    expect(mode(dir)).toBe(0o700)
    expect(mode(join(dir, 'lake.sqlite'))).toBe(0o600)
    expect(mode(join(dir, 'token'))).toBe(0o600)
    chmodSync(dir, 0o755)
    chmodSync(join(dir, 'lake.sqlite'), 0o644)
    chmodSync(join(dir, 'token'), 0o644)
    const reopened = openStore(dir)
    loadOrCreateToken(dir)
    reopened.close()
    expect(mode(dir)).toBe(0o700)
    expect(mode(join(dir, 'lake.sqlite'))).toBe(0o600)
    expect(mode(join(dir, 'token'))).toBe(0o600)
  })
})

describe('the data folder lock', () => {
  test('a stale lock whose pid now belongs to an unrelated process does not block startup', async () => {
    const dir = tempDir()
    mkdirSync(dir, {recursive: true})
    // An unrelated live process (not the lake) now has the pid the lock names.
    const sleeper = spawn('sleep', ['30'], {stdio: 'ignore'})
    try {
      writeFileSync(join(dir, LOCK_FILE_NAME), JSON.stringify({pid: sleeper.pid, holder: 'lake', started: 1}))
      const release = acquireLock(dir, 'lake')
      release()
      // Without a recorded start time, a live process that is not Node is not a lake either.
      writeFileSync(join(dir, LOCK_FILE_NAME), JSON.stringify({pid: sleeper.pid, holder: 'lake'}))
      acquireLock(dir, 'lake')()
    } finally {
      sleeper.kill()
      rmSync(dir, {recursive: true, force: true})
    }
  })
})
