import {execFileSync} from 'node:child_process'
import {X509Certificate} from 'node:crypto'
import {chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'
import {loadOrCreateTls, userCaDir} from '../../lake/tls'

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

describe('the local CA is limited to local names', () => {
  function verify(args: string[]): {ok: boolean; output: string} {
    try {
      return {ok: true, output: execFileSync('openssl', args, {cwd: join(dataDir, 'tls'), stdio: ['ignore', 'pipe', 'pipe']}).toString()}
    } catch (error) {
      const err = error as {stdout?: Buffer; stderr?: Buffer}
      return {ok: false, output: `${err.stdout ?? ''}${err.stderr ?? ''}`}
    }
  }

  /** Signs a certificate for `san` with the data folder's CA, as a leaked CA key could. */
  function signWithCa(name: string, san: string): void {
    const dir = join(dataDir, 'tls')
    writeFileSync(join(dir, `${name}.ext`), `basicConstraints=critical,CA:FALSE\nsubjectAltName=${san}\n`)
    execFileSync('openssl', ['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', `${name}-key.pem`, '-out', `${name}.csr`, '-subj', '/CN=x'], {cwd: dir, stdio: 'ignore'})
    execFileSync('openssl', ['x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca-key.pem', '-CAcreateserial', '-out', `${name}.pem`, '-days', '30', '-extfile', `${name}.ext`], {cwd: dir, stdio: 'ignore'})
  }

  it('the server certificate verifies against the CA', () => {
    loadOrCreateTls(dataDir)
    const result = verify(['verify', '-CAfile', 'ca.pem', 'cert.pem'])
    expect(result.output).toContain('cert.pem: OK')
    expect(result.ok).toBe(true)
  })

  it.each([
    ['DNS:example.com'],
    ['DNS:localhost.example.com'],
    ['IP:10.0.0.1'],
  ])('a certificate for %s signed by the CA fails verification', (san) => {
    loadOrCreateTls(dataDir)
    signWithCa('other', san)
    const result = verify(['verify', '-CAfile', 'ca.pem', 'other.pem'])
    expect(result.ok).toBe(false)
    expect(result.output).toMatch(/name constraint|permitted subtree/i)
  })

  it('a CA from before the constraint is replaced, and so is its server certificate', () => {
    const dir = join(dataDir, 'tls')
    mkdirSync(dir, {recursive: true})
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', 'ca-key.pem', '-out', 'ca.pem', '-days', '3650', '-subj', '/CN=old CA', '-addext', 'basicConstraints=critical,CA:TRUE,pathlen:0', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'], {cwd: dir, stdio: 'ignore'})
    signWithCa('cert', 'DNS:localhost')
    const oldCa = readFileSync(join(dir, 'ca.pem'), 'utf8')
    const tls = loadOrCreateTls(dataDir)
    expect(tls.created).toBe(true)
    expect(tls.ca).not.toBe(oldCa)
    expect(verify(['x509', '-noout', '-ext', 'nameConstraints', '-in', 'ca.pem']).output).toMatch(/critical[\s\S]*DNS:localhost[\s\S]*DNS:\.localhost[\s\S]*IP:127\.0\.0\.1/)
    expect(verify(['verify', '-CAfile', 'ca.pem', 'cert.pem']).ok).toBe(true)
  })
})

describe('a per-user CA shared by data folders', () => {
  it('signs the server certificates of two data folders with one CA, so it is trusted once', () => {
    const caDir = join(dataDir, 'user-ca')
    const first = loadOrCreateTls(join(dataDir, 'one'), Date.now(), caDir)
    const second = loadOrCreateTls(join(dataDir, 'two'), Date.now(), caDir)
    expect(second.ca).toBe(first.ca)
    expect(second.caPath).toBe(join(caDir, 'ca.pem'))
    const ca = new X509Certificate(first.ca)
    for (const tls of [first, second]) expect(new X509Certificate(tls.cert).verify(ca.publicKey)).toBe(true)
  })

  it('re-issues a data folder certificate signed by another CA', () => {
    const own = loadOrCreateTls(dataDir)
    const caDir = join(dataDir, 'user-ca')
    const moved = loadOrCreateTls(dataDir, Date.now(), caDir)
    expect(moved.created).toBe(true)
    expect(moved.ca).not.toBe(own.ca)
    expect(new X509Certificate(moved.cert).verify(new X509Certificate(moved.ca).publicKey)).toBe(true)
  })

  it('keeps the CA folder private (0700) and its key 0600, tightening a folder others can read', () => {
    const caDir = join(dataDir, 'user-ca')
    mkdirSync(caDir, {mode: 0o755})
    chmodSync(caDir, 0o755)
    loadOrCreateTls(join(dataDir, 'one'), Date.now(), caDir)
    expect(statSync(caDir).mode & 0o777).toBe(0o700)
    expect(statSync(join(caDir, 'ca-key.pem')).mode & 0o777).toBe(0o600)
    chmodSync(join(caDir, 'ca-key.pem'), 0o644)
    loadOrCreateTls(join(dataDir, 'one'), Date.now(), caDir)
    expect(statSync(join(caDir, 'ca-key.pem')).mode & 0o777).toBe(0o600)
  })

  it('lives in LAKE_CA_DIR, else under XDG_DATA_HOME, else under ~/.local/share', () => {
    expect(userCaDir({LAKE_CA_DIR: '/x/ca', HOME: '/h'})).toBe('/x/ca')
    expect(userCaDir({XDG_DATA_HOME: '/d', HOME: '/h'})).toBe('/d/fanfic-archive/lake-ca')
    expect(userCaDir({HOME: '/h'})).toBe('/h/.local/share/fanfic-archive/lake-ca')
  })
})
