/**
 * The data folder holds drafts, the write token and the TLS key: only its owner may read it.
 * New files are created private, and a folder or file loosened since (a copy, an archive
 * unpacked with another umask, a `chmod`) is tightened again on every start.
 */
import {chmodSync, closeSync, lstatSync, mkdirSync, openSync, readdirSync} from 'node:fs'
import {join} from 'node:path'

export const PRIVATE_DIR_MODE = 0o700
export const PRIVATE_FILE_MODE = 0o600

function tighten(path: string, mode: number): void {
  try {
    const stat = lstatSync(path)
    if (stat.isSymbolicLink()) return
    if ((stat.mode & 0o777) !== mode) chmodSync(path, mode)
  } catch {
    // Gone meanwhile, or not ours to change: the folder's own mode still keeps others out.
  }
}

/** Creates `dataDir` (0700) and tightens it, its files and its `tls/` and `assets/` folders. */
export function makeDataDirPrivate(dataDir: string): void {
  mkdirSync(dataDir, {recursive: true, mode: PRIVATE_DIR_MODE})
  tighten(dataDir, PRIVATE_DIR_MODE)
  for (const entry of readdirSync(dataDir, {withFileTypes: true})) {
    const path = join(dataDir, entry.name)
    if (entry.isFile()) tighten(path, PRIVATE_FILE_MODE)
    else if (entry.isDirectory()) {
      tighten(path, PRIVATE_DIR_MODE)
      // Asset files stay as they are (there may be many); their folders keep others out.
      for (const inner of readdirSync(path, {withFileTypes: true})) {
        const innerPath = join(path, inner.name)
        if (inner.isDirectory()) tighten(innerPath, PRIVATE_DIR_MODE)
        else if (inner.isFile() && entry.name !== 'assets') tighten(innerPath, PRIVATE_FILE_MODE)
      }
    }
  }
}

/** Creates an empty file with owner-only permissions if it does not exist yet. */
export function ensurePrivateFile(path: string): void {
  closeSync(openSync(path, 'a', PRIVATE_FILE_MODE))
  tighten(path, PRIVATE_FILE_MODE)
}
