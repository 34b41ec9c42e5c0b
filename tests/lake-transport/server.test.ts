import {request as httpRequest} from 'node:http'
import {connect as http2Connect} from 'node:http2'
import {request as httpsRequest} from 'node:https'
import {connect as netConnect} from 'node:net'
import {mkdtempSync, rmSync, statSync, readFileSync} from 'node:fs'
import {networkInterfaces, tmpdir} from 'node:os'
import {join} from 'node:path'
import {connect as tlsConnect} from 'node:tls'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'
import {localLakeClient, seedIfEmpty} from '../../lake/connection'
import {startLake, type RunningLake} from '../../lake/server'

let dataDir: string
const running: RunningLake[] = []

async function start(options: Partial<Parameters<typeof startLake>[0]> = {}): Promise<RunningLake> {
  const lake = await startLake({dataDir, port: 0, ...options})
  running.push(lake)
  return lake
}

beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'lake-transport-'))
})

afterEach(async () => {
  await Promise.all(running.splice(0).map((lake) => lake.close()))
  rmSync(dataDir, {recursive: true, force: true})
})

const PING = '/v2025-02-19/users/me'

function tryConnect(host: string, port: number): Promise<'connected' | string> {
  return new Promise((done) => {
    const socket = netConnect({host, port, timeout: 2_000})
    socket.once('connect', () => {
      socket.destroy()
      done('connected')
    })
    socket.once('timeout', () => {
      socket.destroy()
      done('ETIMEDOUT')
    })
    socket.once('error', (error: NodeJS.ErrnoException) => done(error.code ?? error.message))
  })
}

function http1Get(url: string, token: string): Promise<{status: number; version: string; body: string}> {
  return new Promise((done, fail) => {
    const req = httpRequest(url, {headers: {authorization: `Bearer ${token}`}}, (res) => {
      let body = ''
      res.on('data', (chunk) => (body += chunk))
      res.on('end', () => done({status: res.statusCode ?? 0, version: res.httpVersion, body}))
    })
    req.on('error', fail)
    req.end()
  })
}

function https1Get(url: string, token: string): Promise<{status: number; version: string; alpn: string | false | null}> {
  return new Promise((done, fail) => {
    const req = httpsRequest(url, {rejectUnauthorized: false, headers: {authorization: `Bearer ${token}`}, agent: false}, (res) => {
      res.resume()
      const alpn = (res.socket as import('node:tls').TLSSocket).alpnProtocol
      res.on('end', () => done({status: res.statusCode ?? 0, version: res.httpVersion, alpn}))
    })
    req.on('error', fail)
    req.end()
  })
}

function http2Get(origin: string, path: string, token: string): Promise<{status: number; body: string; alpn: string | undefined}> {
  return new Promise((done, fail) => {
    const session = http2Connect(origin, {rejectUnauthorized: false})
    session.on('error', fail)
    const stream = session.request({':path': path, authorization: `Bearer ${token}`})
    let status = 0
    let body = ''
    stream.on('response', (headers) => (status = Number(headers[':status'])))
    stream.on('data', (chunk) => (body += chunk))
    stream.on('end', () => {
      const alpn = session.alpnProtocol
      session.close()
      done({status, body, alpn})
    })
    stream.on('error', fail)
  })
}

function peerFingerprint(port: number): Promise<string> {
  return new Promise((done, fail) => {
    const socket = tlsConnect({host: '127.0.0.1', port, servername: 'localhost', rejectUnauthorized: false}, () => {
      const fingerprint = socket.getPeerCertificate().fingerprint256
      socket.destroy()
      done(fingerprint)
    })
    socket.on('error', fail)
  })
}

describe('startLake: where it listens', () => {
  it('binds 127.0.0.1 only and reports both URLs', async () => {
    const lake = await start()
    expect(lake.server.address()).toMatchObject({address: '127.0.0.1', family: 'IPv4', port: lake.port})
    expect(lake.url).toBe(`https://localhost:${lake.port}`)
    expect(lake.httpUrl).toBe(`http://127.0.0.1:${lake.port}`)
    expect(await tryConnect('127.0.0.1', lake.port)).toBe('connected')
    // Another loopback address and every external interface must be refused.
    expect(await tryConnect('127.0.0.2', lake.port)).toBe('ECONNREFUSED')
    const external = Object.values(networkInterfaces())
      .flat()
      .filter((info) => info && !info.internal && info.family === 'IPv4')
      .map((info) => info!.address)
    for (const address of external) expect(await tryConnect(address, lake.port), address).not.toBe('connected')
  })

  it('binds 127.0.0.1 when asked for "localhost" (which may resolve to ::1)', async () => {
    const lake = await start({host: 'localhost'})
    expect(lake.server.address()).toMatchObject({address: '127.0.0.1'})
    expect(lake.httpUrl).toBe(`http://127.0.0.1:${lake.port}`)
  })

  it.each(['0.0.0.0', '::', '192.168.1.10', 'example.com'])('refuses to listen on non-loopback host %s', async (host) => {
    await expect(start({host})).rejects.toThrow(/loopback/)
  })

  it('names the port when it is taken', async () => {
    const first = await start()
    await expect(start({port: first.port})).rejects.toThrow(new RegExp(`port ${first.port} is already in use`))
  })
})

describe('startLake: one port, two protocols', () => {
  it('answers plain HTTP/1.1 and TLS HTTP/2 on the same port with the same handler', async () => {
    const lake = await start()
    const plain = await http1Get(lake.httpUrl + PING, lake.token)
    expect(plain.version).toBe('1.1')
    expect(plain.status).toBe(200)
    const secure = await http2Get(lake.url, PING, lake.token)
    expect(secure.alpn).toBe('h2')
    expect(secure.status).toBe(200)
    expect(JSON.parse(secure.body)).toEqual(JSON.parse(plain.body))
  })

  it('still speaks HTTP/1.1 over TLS to clients without HTTP/2', async () => {
    const lake = await start()
    const res = await https1Get(lake.url + PING, lake.token)
    expect(res).toMatchObject({status: 200, version: '1.1', alpn: false})
  })

  it('close() ends open listener streams on both protocols promptly', async () => {
    const lake = await start()
    const listenPath = '/v2025-02-19/data/listen/production?query=*'
    const h2Ended = new Promise<void>((done) => {
      const session = http2Connect(lake.url, {rejectUnauthorized: false})
      session.on('error', () => {})
      session.on('close', () => done())
      const stream = session.request({':path': listenPath, authorization: `Bearer ${lake.token}`})
      stream.on('error', () => {})
      stream.resume()
    })
    const h1Ended = new Promise<void>((done) => {
      const req = httpRequest(lake.httpUrl + listenPath, {headers: {authorization: `Bearer ${lake.token}`}}, (res) => {
        res.resume()
        res.on('close', () => done())
      })
      req.on('error', () => done())
      req.end()
    })
    await new Promise((wait) => setTimeout(wait, 300))
    const started = Date.now()
    await lake.close()
    await Promise.all([h1Ended, h2Ended])
    expect(Date.now() - started).toBeLessThan(2_000)
    expect(await tryConnect('127.0.0.1', lake.port)).toBe('ECONNREFUSED')
  })
})

describe('startLake: secrets in the data folder', () => {
  it('creates the token file once (mode 0600) and reuses it on restart', async () => {
    const first = await start()
    const tokenFile = join(dataDir, 'token')
    expect(readFileSync(tokenFile, 'utf8').trim()).toBe(first.token)
    expect(statSync(tokenFile).mode & 0o777).toBe(0o600)
    await first.close()
    const second = await start()
    expect(second.token).toBe(first.token)
  })

  it('uses a given token instead of the file', async () => {
    const lake = await start({token: 'f'.repeat(64)})
    expect(lake.token).toBe('f'.repeat(64))
    expect((await http1Get(lake.httpUrl + PING, 'f'.repeat(64))).status).toBe(200)
  })

  it('creates the certificate on first start and serves the same one after a restart', async () => {
    const first = await start()
    const before = await peerFingerprint(first.port)
    const certFile = join(dataDir, 'tls', 'cert.pem')
    const mtime = statSync(certFile).mtimeMs
    await first.close()
    const second = await start()
    expect(await peerFingerprint(second.port)).toBe(before)
    expect(statSync(certFile).mtimeMs).toBe(mtime)
    expect(statSync(join(dataDir, 'tls', 'key.pem')).mode & 0o777).toBe(0o600)
  })
})

describe('seedIfEmpty', () => {
  it('seeds an empty dataset once and leaves a dataset with content alone', async () => {
    const lake = await start()
    const client = localLakeClient({httpUrl: lake.httpUrl, token: lake.token})
    const docs = [
      {_id: 'rating.general', _type: 'rating', code: 'general'},
      {_id: 'drafts.story.a', _type: 'story', title: 'A draft'},
    ]
    expect(await seedIfEmpty(client, docs)).toBe(2)
    expect(await client.fetch('*[_id in $ids]._id', {ids: docs.map((d) => d._id)}, {perspective: 'raw'})).toHaveLength(2)
    await client.delete('rating.general')
    expect(await seedIfEmpty(client, docs)).toBe(0)
    expect(await client.getDocument('rating.general')).toBeUndefined()
  })
})
