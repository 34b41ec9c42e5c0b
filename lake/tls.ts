/**
 * The local lake's TLS material. Browsers speak HTTP/2 only over TLS, and the Studio
 * needs HTTP/2 (it keeps more listeners open than HTTP/1.1's six connections per host).
 *
 * Two certificates, made once with the `openssl` CLI and reused:
 * - `ca.pem` / `ca-key.pem`: a private certificate authority, in the CA folder: by default
 *   `<dataDir>/tls/`; `npm run dev` and `npm run trust` use one per user instead
 *   (`userCaDir()`), so trusting it once in a browser covers every data folder and every
 *   renewed server certificate. Its critical name constraints limit it to localhost,
 *   *.localhost and 127.0.0.1, so a leaked CA key cannot impersonate other sites to a browser
 *   that trusts it; a CA made before the constraint existed is replaced. The CA folder is
 *   kept at mode 0700 and the key at 0600.
 * - `cert.pem` / `key.pem` in `<dataDir>/tls/`: the server certificate for localhost,
 *   *.localhost, local.localhost and 127.0.0.1, signed by that CA (re-issued when the CA changes).
 * Nothing here is ever committed (`.lake-data/` is git-ignored).
 */
import {execFileSync} from 'node:child_process'
import {randomBytes, X509Certificate} from 'node:crypto'
import {chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, writeFileSync} from 'node:fs'
import {homedir} from 'node:os'
import {join} from 'node:path'

export interface LakeTls {
  /** PEM server certificate followed by the CA certificate (the chain a server sends). */
  cert: string
  key: string
  /** PEM of the local CA: what an editor trusts once, and what a Node client may pin. */
  ca: string
  /** Path of `ca.pem`, for the instructions printed to editors. */
  caPath: string
  /** True when this call created new certificates. */
  created: boolean
}

export const TLS_DIR_NAME = 'tls'
export const SERVER_NAMES = ['localhost', '*.localhost', 'local.localhost'] as const
export const SERVER_IPS = ['127.0.0.1'] as const

/** What the local CA may sign for (an X.509 name constraints extension). */
export const NAME_CONSTRAINTS = 'critical,permitted;DNS:localhost,permitted;DNS:.localhost,permitted;IP:127.0.0.1/255.255.255.255'
/** DER encoding of the nameConstraints extension's OID, 2.5.29.30. */
const NAME_CONSTRAINTS_OID = Buffer.from([0x06, 0x03, 0x55, 0x1d, 0x1e])

const CA_DAYS = 3650
// Browsers refuse server certificates valid for more than 398 days.
const SERVER_DAYS = 397
// Renew a little before expiry so a long-running dev server does not cross it.
const RENEW_MARGIN_MS = 7 * 24 * 60 * 60 * 1000

function isUsable(certPem: string, now: number): boolean {
  try {
    const cert = new X509Certificate(certPem)
    return Date.parse(cert.validTo) - RENEW_MARGIN_MS > now && Date.parse(cert.validFrom) <= now
  } catch {
    return false
  }
}

/** True when the CA certificate carries name constraints (older data folders have none). */
function hasNameConstraints(certPem: string): boolean {
  try {
    return new X509Certificate(certPem).raw.includes(NAME_CONSTRAINTS_OID)
  } catch {
    return false
  }
}

function openssl(args: string[], cwd: string): void {
  try {
    execFileSync('openssl', args, {cwd, stdio: ['ignore', 'ignore', 'pipe']})
  } catch (error) {
    const err = error as NodeJS.ErrnoException & {stderr?: Buffer}
    if (err.code === 'ENOENT') {
      throw new Error('The local lake needs the `openssl` command to create its TLS certificate; install OpenSSL (e.g. `apt-get install openssl`).')
    }
    const detail = err.stderr?.toString().trim().split('\n').slice(-3).join(' ') ?? err.message
    throw new Error(`openssl failed while creating the local lake certificate in ${cwd}: ${detail}`)
  }
}

function createCa(caDir: string): void {
  // Made aside and moved in, so a second lake starting at the same moment never reads half a CA.
  const dir = mkdtempSync(join(caDir, '.new-ca-'))
  try {
    makeCa(dir)
    chmodSync(join(dir, 'ca-key.pem'), 0o600)
    renameSync(join(dir, 'ca-key.pem'), join(caDir, 'ca-key.pem'))
    renameSync(join(dir, 'ca.pem'), join(caDir, 'ca.pem'))
  } finally {
    rmSync(dir, {recursive: true, force: true})
  }
}

function makeCa(dir: string): void {
  openssl(
    [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
      '-keyout', 'ca-key.pem', '-out', 'ca.pem', '-days', String(CA_DAYS),
      '-subj', '/CN=Fanfic Archive local lake CA',
      '-addext', 'basicConstraints=critical,CA:TRUE,pathlen:0',
      '-addext', 'keyUsage=critical,keyCertSign,cRLSign',
      '-addext', `nameConstraints=${NAME_CONSTRAINTS}`,
    ],
    dir,
  )
}

function createServerCert(dir: string, caDir: string): void {
  const san = [...SERVER_NAMES.map((n) => `DNS:${n}`), ...SERVER_IPS.map((ip) => `IP:${ip}`)].join(',')
  writeFileSync(
    join(dir, 'server.ext'),
    [
      'basicConstraints=critical,CA:FALSE',
      'keyUsage=critical,digitalSignature',
      'extendedKeyUsage=serverAuth',
      `subjectAltName=${san}`,
      '',
    ].join('\n'),
  )
  openssl(
    [
      'req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
      '-keyout', 'key.pem', '-out', 'server.csr', '-subj', '/CN=localhost',
    ],
    dir,
  )
  openssl(
    [
      'x509', '-req', '-in', 'server.csr', '-CA', join(caDir, 'ca.pem'), '-CAkey', join(caDir, 'ca-key.pem'),
      '-set_serial', `0x${randomBytes(16).toString('hex')}`, '-out', 'cert.pem', '-days', String(SERVER_DAYS), '-sha256',
      '-extfile', 'server.ext',
    ],
    dir,
  )
  for (const leftover of ['server.csr', 'server.ext']) rmSync(join(dir, leftover), {force: true})
}

function signedBy(certPem: string, caPem: string): boolean {
  try {
    const ca = new X509Certificate(caPem)
    const cert = new X509Certificate(certPem)
    return cert.checkIssued(ca) && cert.verify(ca.publicKey)
  } catch {
    return false
  }
}

/**
 * The per-user CA folder: LAKE_CA_DIR, else `$XDG_DATA_HOME/fanfic-archive/lake-ca`, else
 * `~/.local/share/fanfic-archive/lake-ca`. One CA for every data folder of this user, so it
 * is trusted once.
 */
export function userCaDir(env: Record<string, string | undefined> = process.env): string {
  const explicit = env.LAKE_CA_DIR?.trim()
  if (explicit) return explicit
  const home = env.HOME?.trim() || homedir()
  const dataHome = env.XDG_DATA_HOME?.trim() || join(home, '.local', 'share')
  return join(dataHome, 'fanfic-archive', 'lake-ca')
}

/** Creates the folder 0700, or tightens one that others can read: it holds a CA key. */
function privateDir(dir: string): void {
  mkdirSync(dir, {recursive: true, mode: 0o700})
  const stat = statSync(dir)
  if (typeof process.getuid === 'function' && stat.uid !== process.getuid()) {
    throw new Error(`The lake's CA folder ${dir} belongs to another user; set LAKE_CA_DIR to a folder of your own.`)
  }
  if ((stat.mode & 0o077) !== 0) chmodSync(dir, 0o700)
}

export interface LakeCa {
  ca: string
  caPath: string
  created: boolean
}

/** Loads the CA in `caDir`, creating (or replacing) it when missing, expiring or unconstrained. */
export function loadOrCreateCa(caDir: string, now: number = Date.now()): LakeCa {
  privateDir(caDir)
  const caPath = join(caDir, 'ca.pem')
  const keyPath = join(caDir, 'ca-key.pem')
  const caOk =
    existsSync(caPath) &&
    existsSync(keyPath) &&
    isUsable(readFileSync(caPath, 'utf8'), now) &&
    hasNameConstraints(readFileSync(caPath, 'utf8'))
  if (!caOk) createCa(caDir)
  else if ((statSync(keyPath).mode & 0o077) !== 0) chmodSync(keyPath, 0o600)
  return {ca: readFileSync(caPath, 'utf8'), caPath, created: !caOk}
}

/**
 * Loads the data folder's server certificate, creating (or renewing) it when missing,
 * expiring or not signed by the CA in `caDir` (default: the data folder's own `tls/`).
 */
export function loadOrCreateTls(dataDir: string, now: number = Date.now(), caDir: string = join(dataDir, TLS_DIR_NAME)): LakeTls {
  const dir = join(dataDir, TLS_DIR_NAME)
  privateDir(dir)
  const file = (name: string) => join(dir, name)
  const authority = loadOrCreateCa(caDir, now)
  let created = authority.created

  const serverOk =
    existsSync(file('cert.pem')) &&
    existsSync(file('key.pem')) &&
    isUsable(readFileSync(file('cert.pem'), 'utf8'), now) &&
    signedBy(readFileSync(file('cert.pem'), 'utf8'), authority.ca)
  if (!serverOk) {
    createServerCert(dir, caDir)
    chmodSync(file('key.pem'), 0o600)
    created = true
  }

  return {
    cert: readFileSync(file('cert.pem'), 'utf8') + authority.ca,
    key: readFileSync(file('key.pem'), 'utf8'),
    ca: authority.ca,
    caPath: authority.caPath,
    created,
  }
}
