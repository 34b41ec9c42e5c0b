/**
 * `<dataDir>/lake.lock`: who is using a data folder right now. A running lake keeps its
 * documents in memory, so an import written behind its back would go unseen (and its next
 * writes could overwrite it); the lake and `npm run lake -- import` therefore each hold the
 * lock while they work. The file holds `{"pid", "holder"}`; a lock whose process is gone
 * (e.g. after kill -9) is stale and taken over.
 */
import {readFileSync, rmSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

export const LOCK_FILE_NAME = 'lake.lock'

export interface LockInfo {
  pid: number
  holder: string
}

/** Same-process holders (tests start several lakes on one folder one after another). */
const heldHere = new Map<string, number>()

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

function readLock(file: string): LockInfo | null {
  try {
    const info = JSON.parse(readFileSync(file, 'utf8')) as Partial<LockInfo>
    return typeof info.pid === 'number' && Number.isInteger(info.pid) && info.pid > 0 ? {pid: info.pid, holder: String(info.holder ?? 'lake')} : null
  } catch {
    return null
  }
}

/** The live process holding the data folder's lock, or null (no lock, unreadable or stale). */
export function lockHolder(dataDir: string): LockInfo | null {
  const info = readLock(join(dataDir, LOCK_FILE_NAME))
  return info && isAlive(info.pid) ? info : null
}

export function describeHolder(dataDir: string, info: LockInfo): string {
  return `${dataDir} is in use by ${info.holder === 'lake' ? 'a running lake' : `a running ${info.holder}`} (pid ${info.pid})`
}

/** Takes the data folder's lock for `holder`; throws a one-line error if another live process holds it. */
export function acquireLock(dataDir: string, holder: string): () => void {
  const file = join(dataDir, LOCK_FILE_NAME)
  const count = heldHere.get(file)
  if (count) {
    heldHere.set(file, count + 1)
    return once(() => release(file))
  }
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(file, JSON.stringify({pid: process.pid, holder}) + '\n', {flag: 'wx', mode: 0o600})
      heldHere.set(file, 1)
      return once(() => release(file))
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
      const info = lockHolder(dataDir)
      if (info && info.pid !== process.pid) throw new Error(`${describeHolder(dataDir, info)}; stop it first`)
      // Stale (its process is gone) or left by this process: take it over.
      rmSync(file, {force: true})
    }
  }
  throw new Error(`Could not take the lock ${file}`)
}

function once(fn: () => void): () => void {
  let done = false
  return () => {
    if (done) return
    done = true
    fn()
  }
}

function release(file: string): void {
  const count = (heldHere.get(file) ?? 1) - 1
  if (count > 0) {
    heldHere.set(file, count)
    return
  }
  heldHere.delete(file)
  if (readLock(file)?.pid === process.pid) rmSync(file, {force: true})
}
