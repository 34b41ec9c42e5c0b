/**
 * The local lake's TLS material. Browsers speak HTTP/2 only over TLS, and the Studio
 * needs HTTP/2 (it keeps more listeners open than HTTP/1.1's six connections per host).
 *
 * Two certificates live in `<dataDir>/tls/`, made once with the `openssl` CLI and reused:
 * - `ca.pem` / `ca-key.pem`: a private certificate authority for this data folder only.
 *   Trusting `ca.pem` once in a browser removes the certificate warning for good, even
 *   when the server certificate is renewed. Its critical name constraints limit it to
 *   localhost, *.localhost and 127.0.0.1, so a leaked CA key cannot impersonate other sites
 *   to a browser that trusts it; a CA made before the constraint existed is replaced.
 * - `cert.pem` / `key.pem`: the server certificate for localhost, *.localhost,
 *   local.localhost and 127.0.0.1, signed by that CA.
 * Nothing here is ever committed (`.lake-data/` is git-ignored) and keys are mode 0600.
 */
import {execFileSync} from 'node:child_process'
import {X509Certificate} from 'node:crypto'
import {chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

export interface LakeTls {
  /** PEM server certificate followed by the CA certificate (the chain a server sends). */
  cert: string
  key: string
  /** PEM of the local CA: what an editor trusts once, and what a Node client may pin. */
  ca: string
  /** Absolute-ish path of `ca.pem`, for the instructions printed to editors. */
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

function createCa(dir: string): void {
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

function createServerCert(dir: string): void {
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
      'x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca-key.pem',
      '-CAcreateserial', '-out', 'cert.pem', '-days', String(SERVER_DAYS), '-sha256',
      '-extfile', 'server.ext',
    ],
    dir,
  )
  for (const leftover of ['server.csr', 'server.ext', 'ca.srl']) rmSync(join(dir, leftover), {force: true})
}

/** Loads the data folder's certificate, creating (or renewing) it when missing or expiring. */
export function loadOrCreateTls(dataDir: string, now: number = Date.now()): LakeTls {
  const dir = join(dataDir, TLS_DIR_NAME)
  mkdirSync(dir, {recursive: true, mode: 0o700})
  const file = (name: string) => join(dir, name)
  let created = false

  const caOk =
    existsSync(file('ca.pem')) &&
    existsSync(file('ca-key.pem')) &&
    isUsable(readFileSync(file('ca.pem'), 'utf8'), now) &&
    hasNameConstraints(readFileSync(file('ca.pem'), 'utf8'))
  if (!caOk) {
    createCa(dir)
    rmSync(file('cert.pem'), {force: true})
    created = true
  }
  const serverOk = existsSync(file('cert.pem')) && existsSync(file('key.pem')) && isUsable(readFileSync(file('cert.pem'), 'utf8'), now)
  if (!serverOk) {
    createServerCert(dir)
    created = true
  }
  if (created) for (const key of ['ca-key.pem', 'key.pem']) chmodSync(file(key), 0o600)

  const ca = readFileSync(file('ca.pem'), 'utf8')
  return {
    cert: readFileSync(file('cert.pem'), 'utf8') + ca,
    key: readFileSync(file('key.pem'), 'utf8'),
    ca,
    caPath: file('ca.pem'),
    created,
  }
}
