/**
 * `npm run trust`: trust the local lake's certificate authority once, so browsers open the
 * Studio without a certificate warning, for every data folder and every renewed certificate.
 * - Linux: adds the per-user CA (lake/tls.ts `userCaDir()`, created if missing) to the NSS
 *   database Chrome and Chromium read, `~/.pki/nssdb`, creating that database first when
 *   it does not exist yet (a fresh home folder has none). Needs `certutil` (Debian/Ubuntu:
 *   libnss3-tools; Fedora: nss-tools).
 * - Every system: prints the steps for macOS, Windows and Firefox, which keep their own stores.
 * The CA can only sign for localhost, *.localhost and 127.0.0.1 (name constraints).
 */
import {execFileSync} from 'node:child_process'
import {existsSync, mkdirSync} from 'node:fs'
import {homedir} from 'node:os'
import {join} from 'node:path'
import {loadOrCreateCa, userCaDir} from '../lake/tls'

export const NSS_NICKNAME = 'Fanfic Archive local lake CA'

type Env = Record<string, string | undefined>

function certutil(args: string[]): string {
  return execFileSync('certutil', args, {stdio: ['ignore', 'pipe', 'pipe']}).toString()
}

function hasCertutil(): boolean {
  try {
    execFileSync('certutil', ['-H'], {stdio: 'ignore'})
    return true
  } catch (error) {
    // `certutil -H` exits non-zero after printing its help; only a missing binary matters.
    return (error as NodeJS.ErrnoException).code !== 'ENOENT'
  }
}

/** Adds the CA to `<home>/.pki/nssdb`, creating the database when missing; returns the folder. */
export function trustInNss(caPath: string, home: string): string {
  const dir = join(home, '.pki', 'nssdb')
  const db = `sql:${dir}`
  if (!existsSync(join(dir, 'cert9.db'))) {
    mkdirSync(dir, {recursive: true, mode: 0o700})
    certutil(['-N', '-d', db, '--empty-password'])
  }
  // A CA replaced since the last run (expired, or made before name constraints) goes first.
  try {
    certutil(['-D', '-d', db, '-n', NSS_NICKNAME])
  } catch {
    // not there yet
  }
  certutil(['-A', '-d', db, '-t', 'C,,', '-n', NSS_NICKNAME, '-i', caPath])
  return dir
}

export function otherSystemsText(caPath: string): string {
  return [
    'Other browsers and systems (Chrome, Edge and Safari use the system store there):',
    `  macOS:   security add-trusted-cert -r trustRoot -k ~/Library/Keychains/login.keychain-db "${caPath}"`,
    '           (or open the file in Keychain Access and set "When using this certificate: Always Trust")',
    `  Windows: certutil -user -addstore Root "${caPath}"`,
    '  Firefox: Settings > Privacy & Security > Certificates > View Certificates > Authorities > Import,',
    `           choose ${caPath} and tick "Trust this CA to identify websites"`,
    'Or, without trusting anything: open the lake\'s ping URL (printed by `npm run dev`) and accept the warning.',
  ].join('\n')
}

export function runTrust(env: Env = process.env, platform: NodeJS.Platform = process.platform, log: (line: string) => void = console.log): number {
  const {caPath} = loadOrCreateCa(userCaDir(env))
  log(`Local lake certificate authority: ${caPath}`)
  log('(it can only vouch for localhost, *.localhost and 127.0.0.1)')
  let code = 0
  if (platform === 'linux') {
    if (!hasCertutil()) {
      log('certutil is missing: install it (Debian/Ubuntu: sudo apt-get install libnss3-tools; Fedora: sudo dnf install nss-tools) and run `npm run trust` again.')
      code = 1
    } else {
      const dir = trustInNss(caPath, env.HOME?.trim() || homedir())
      log(`Trusted for Chrome and Chromium on this Linux account (NSS database ${dir}).`)
      log('Restart the browser (close every window) so it reads the change. `npm run dev` serves a certificate signed by this authority.')
    }
  }
  log('')
  log(otherSystemsText(caPath))
  return code
}

const isMain = process.argv[1] && /scripts[\\/]trust\.ts$/.test(process.argv[1])
if (isMain) {
  try {
    process.exitCode = runTrust()
  } catch (error) {
    const err = error as Error & {stderr?: Buffer}
    const detail = err.stderr?.toString().trim().split('\n').pop() || err.message.split('\n')[0]
    console.error(`npm run trust: ${detail}`)
    process.exitCode = 1
  }
}
