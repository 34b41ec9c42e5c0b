/**
 * `<dataDir>/lake.lock`: who is using a data folder right now. A running lake keeps its
 * documents in memory, so an import written behind its back would go unseen (and its next
 * writes could overwrite it); the lake and `npm run lake -- import` therefore each hold the
 * lock while they work. The file holds `{"pid", "holder", "started"}`; a lock whose process is
 * gone (e.g. after kill -9), or whose pid now belongs to another process (a different start
 * time), is stale and taken over.
 */
import {existsSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

export const LOCK_FILE_NAME = 'lake.lock'

export interface LockInfo {
  pid: number
  holder: string
  /** The holder's start time in clock ticks since boot (Linux `/proc/<pid>/stat`), to tell a reused pid apart. */
  started?: number
}

/** A process's start time from `/proc/<pid>/stat` (field 22), or null where there is no /proc. */
function startTicks(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    // The command name (field 2) may hold spaces and parentheses: count fields after its last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    const value = Number(fields[19])
    return Number.isFinite(value) ? value : null
  } catch {
    return null
  }
}

/** Whether a live `pid` is still the process that wrote the lock, not an unrelated one that reused the number. */
function isSameProcess(info: LockInfo): boolean {
  if (!existsSync('/proc/self/stat')) return true
  const started = startTicks(info.pid)
  if (started === null) return true
  if (info.started !== undefined) return info.started === started
  // A lock written without a start time: only a Node process can be a lake or an import.
  try {
    return /node|tsx/.test(readFileSync(`/proc/${info.pid}/cmdline`, 'utf8'))
  } catch {
    return true
  }
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
    if (typeof info.pid !== 'number' || !Number.isInteger(info.pid) || info.pid <= 0) return null
    return {pid: info.pid, holder: String(info.holder ?? 'lake'), ...(typeof info.started === 'number' ? {started: info.started} : {})}
  } catch {
    return null
  }
}

/** The live process holding the data folder's lock, or null (no lock, unreadable or stale). */
export function lockHolder(dataDir: string): LockInfo | null {
  const info = readLock(join(dataDir, LOCK_FILE_NAME))
  return info && isAlive(info.pid) && isSameProcess(info) ? info : null
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
      const started = startTicks(process.pid)
      writeFileSync(file, JSON.stringify({pid: process.pid, holder, ...(started === null ? {} : {started})}) + '\n', {flag: 'wx', mode: 0o600})
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
