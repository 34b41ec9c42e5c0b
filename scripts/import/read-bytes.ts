import {closeSync, constants, fstatSync, openSync, readSync, type Stats, statSync} from 'node:fs'
import {ImportError} from './errors'

function kindOf(stat: Stats): string {
  if (stat.isDirectory()) return 'a folder'
  if (stat.isFIFO()) return 'a named pipe (FIFO)'
  if (stat.isSocket()) return 'a socket'
  if (stat.isCharacterDevice()) return 'a character device'
  if (stat.isBlockDevice()) return 'a block device'
  return 'not a regular file'
}

export function formatSize(bytes: number): string {
  return bytes >= 1048576 ? `${(bytes / 1048576).toFixed(1)} MB` : `${(bytes / 1024).toFixed(1)} KB`
}

function overLimit(name: string, size: string, max: number): ImportError {
  return new ImportError(name, `is ${size}, over the ${formatSize(max)} limit (--max-file-mb); not read`)
}

/**
 * Reads at most `max` bytes from an open descriptor and reports whether there was more. The
 * limit holds while reading, whatever `stat` said: files under /proc, a file still being written,
 * or anything else whose size is not what it claims.
 */
export function readAtMost(fd: number, max: number): {bytes: Buffer; truncated: boolean} {
  const chunks: Buffer[] = []
  let total = 0
  for (;;) {
    // One byte past the limit tells "exactly max" from "more than max".
    const want = Math.min(1 << 20, max + 1 - total)
    if (want <= 0) return {bytes: Buffer.concat(chunks, total), truncated: true}
    const chunk = Buffer.allocUnsafe(want)
    const read = readSync(fd, chunk, 0, want, null)
    if (read === 0) return {bytes: Buffer.concat(chunks, total), truncated: false}
    chunks.push(read === want ? chunk : chunk.subarray(0, read))
    total += read
    if (total > max) return {bytes: Buffer.concat(chunks, total), truncated: true}
  }
}

/**
 * A story file's bytes, from regular files only: a FIFO would block the importer forever and a
 * device (`/dev/zero`) never ends, so anything else is refused from `stat` without being opened.
 * The descriptor is checked again after opening (the path may have been swapped in between), and
 * the size limit is enforced on the bytes actually read.
 */
export function readRegularFile(path: string, name: string, max: number): Buffer {
  let stat: Stats
  try {
    stat = statSync(path)
  } catch (error) {
    throw new ImportError(name, `cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`)
  }
  if (!stat.isFile()) throw new ImportError(name, `is ${kindOf(stat)}, not a regular file; not read`)
  if (stat.size > max) throw overLimit(name, formatSize(stat.size), max)
  let fd: number
  try {
    // Non-blocking: if a FIFO was put in the file's place since the stat, opening must not wait for a writer.
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY)
  } catch (error) {
    throw new ImportError(name, `cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`)
  }
  try {
    const opened = fstatSync(fd)
    if (!opened.isFile()) throw new ImportError(name, `is ${kindOf(opened)}, not a regular file; not read`)
    const {bytes, truncated} = readAtMost(fd, max)
    if (truncated) throw new ImportError(name, `goes on past the ${formatSize(max)} limit (--max-file-mb); stopped reading there, not imported`)
    return bytes
  } finally {
    closeSync(fd)
  }
}
