import {randomBytes, timingSafeEqual} from 'node:crypto'
import {chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

/**
 * The local write token lives only in the data folder (mode 0600) so it is never committed;
 * callers must not print it.
 */
export function loadOrCreateToken(dataDir: string): string {
  mkdirSync(dataDir, {recursive: true, mode: 0o700})
  const file = join(dataDir, 'token')
  if (existsSync(file)) {
    const existing = readFileSync(file, 'utf8').trim()
    if (/^[0-9a-f]{64}$/.test(existing)) {
      // A token file loosened since it was written is tightened again.
      chmodSync(file, 0o600)
      return existing
    }
  }
  const token = randomBytes(32).toString('hex')
  writeFileSync(file, token + '\n', {mode: 0o600})
  chmodSync(file, 0o600)
  return token
}

export function defaultDataDir(): string {
  return process.env.LAKE_DATA_DIR || '.lake-data'
}

/** Whether an `Authorization` value is `Bearer <token>` (compared in constant time). */
export function tokenMatches(header: unknown, token: string): boolean {
  if (typeof header !== 'string') return false
  const match = /^Bearer\s+(.+)$/i.exec(header.trim())
  if (!match) return false
  const given = Buffer.from(match[1])
  const expected = Buffer.from(token)
  return given.length === expected.length && timingSafeEqual(given, expected)
}
