import {X509Certificate} from 'node:crypto'
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'
import {loadOrCreateTls} from '../../lake/tls'

let dataDir: string
beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'lake-tls-'))
})
afterEach(() => rmSync(dataDir, {recursive: true, force: true}))

const DAY = 24 * 60 * 60 * 1000

describe('loadOrCreateTls', () => {
  it('makes a server certificate signed by the data folder CA', () => {
    const tls = loadOrCreateTls(dataDir)
    expect(tls.created).toBe(true)
    expect(tls.caPath).toBe(join(dataDir, 'tls', 'ca.pem'))
    const server = new X509Certificate(tls.cert)
    const ca = new X509Certificate(tls.ca)
    expect(server.checkIssued(ca)).toBe(true)
    expect(server.verify(ca.publicKey)).toBe(true)
    expect(ca.ca).toBe(true)
    expect(server.ca).toBe(false)
    // Browsers reject server certificates valid for more than 398 days.
    expect(Date.parse(server.validTo) - Date.parse(server.validFrom)).toBeLessThanOrEqual(398 * DAY)
  })

  it.each([
    ['localhost', 'host'],
    ['local.localhost', 'host'],
    ['127.0.0.1', 'ip'],
  ] as const)('covers %s', (name, kind) => {
    const server = new X509Certificate(loadOrCreateTls(dataDir).cert)
    const matched = kind === 'ip' ? server.checkIP(name) : server.checkHost(name)
    expect(matched).toBe(name)
  })

  it('lists *.localhost for other project hostnames (local.localhost is listed on its own since wildcards on a single label are not honoured everywhere)', () => {
    const server = new X509Certificate(loadOrCreateTls(dataDir).cert)
    expect(server.subjectAltName?.split(', ')).toEqual(['DNS:localhost', 'DNS:*.localhost', 'DNS:local.localhost', 'IP Address:127.0.0.1'])
  })

  it('does not cover other hosts', () => {
    const server = new X509Certificate(loadOrCreateTls(dataDir).cert)
    expect(server.checkHost('example.com')).toBeUndefined()
    expect(server.checkIP('10.0.0.1')).toBeUndefined()
  })

  it('reuses the certificate on the next start', () => {
    const first = loadOrCreateTls(dataDir)
    const second = loadOrCreateTls(dataDir)
    expect(second.created).toBe(false)
    expect(second.cert).toBe(first.cert)
    expect(second.key).toBe(first.key)
  })

  it('renews the server certificate (keeping the CA) when it is about to expire', () => {
    const first = loadOrCreateTls(dataDir)
    const later = Date.now() + 395 * DAY
    const renewed = loadOrCreateTls(dataDir, later)
    expect(renewed.created).toBe(true)
    expect(renewed.ca).toBe(first.ca)
    expect(renewed.cert).not.toBe(first.cert)
  })

  it('explains a missing openssl instead of throwing a raw spawn error', () => {
    const path = process.env.PATH
    process.env.PATH = '/nonexistent'
    try {
      expect(() => loadOrCreateTls(dataDir)).toThrow(/needs the `openssl` command/)
    } finally {
      process.env.PATH = path
    }
  })
})
