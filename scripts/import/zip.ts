import {inflateRawSync} from 'node:zlib'
import {ImportError} from './errors'

/** Limits that keep a hostile archive (a zip bomb) from exhausting memory. */
export interface ZipLimits {
  /** Largest uncompressed size of any one entry. */
  maxEntryBytes: number
  /** Largest uncompressed size of all entries read from one archive. */
  maxTotalBytes: number
  /** Largest uncompressed/compressed ratio for entries above `ratioFloorBytes`. */
  maxRatio: number
  ratioFloorBytes: number
  maxEntries: number
}

export const DEFAULT_ZIP_LIMITS: ZipLimits = {
  maxEntryBytes: 64 * 1024 * 1024,
  maxTotalBytes: 256 * 1024 * 1024,
  maxRatio: 200,
  ratioFloorBytes: 1024 * 1024,
  maxEntries: 10_000,
}

export interface ZipEntry {
  name: string
  method: number
  compressedSize: number
  uncompressedSize: number
  localHeaderOffset: number
}

export interface ZipArchive {
  entries: Map<string, ZipEntry>
  /** Inflates one entry; throws ImportError when the archive is damaged or exceeds the limits. */
  read(name: string): Buffer
}

const EOCD_SIGNATURE = 0x06054b50
const CENTRAL_SIGNATURE = 0x02014b50
const LOCAL_SIGNATURE = 0x04034b50

function findEndOfCentralDirectory(buf: Buffer): number {
  const earliest = Math.max(0, buf.length - 22 - 0xffff)
  for (let i = buf.length - 22; i >= earliest; i--) {
    if (buf.readUInt32LE(i) === EOCD_SIGNATURE) return i
  }
  return -1
}

/** Reads a ZIP's central directory; entry data is inflated lazily and within `limits`. */
export function openZip(buf: Buffer, file: string, limits: ZipLimits = DEFAULT_ZIP_LIMITS): ZipArchive {
  const damaged = (why: string) => new ImportError(file, `malformed ZIP/EPUB archive: ${why}`)
  if (buf.length < 22) throw damaged('too short to be a ZIP file')
  const eocd = findEndOfCentralDirectory(buf)
  if (eocd < 0) throw damaged('no end-of-central-directory record (truncated?)')
  const count = buf.readUInt16LE(eocd + 10)
  const cdSize = buf.readUInt32LE(eocd + 12)
  const cdOffset = buf.readUInt32LE(eocd + 16)
  if (cdOffset === 0xffffffff || count === 0xffff) throw damaged('ZIP64 archives are not supported')
  if (count > limits.maxEntries) throw damaged(`too many entries (${count})`)
  if (cdOffset + cdSize > buf.length) throw damaged('central directory lies outside the file (truncated?)')

  const entries = new Map<string, ZipEntry>()
  let p = cdOffset
  for (let i = 0; i < count; i++) {
    if (p + 46 > buf.length || buf.readUInt32LE(p) !== CENTRAL_SIGNATURE) throw damaged(`bad central directory entry ${i + 1}`)
    const nameLength = buf.readUInt16LE(p + 28)
    const extraLength = buf.readUInt16LE(p + 30)
    const commentLength = buf.readUInt16LE(p + 32)
    if (p + 46 + nameLength > buf.length) throw damaged(`bad central directory entry ${i + 1}`)
    const name = buf.toString('utf8', p + 46, p + 46 + nameLength)
    entries.set(name, {
      name,
      method: buf.readUInt16LE(p + 10),
      compressedSize: buf.readUInt32LE(p + 20),
      uncompressedSize: buf.readUInt32LE(p + 24),
      localHeaderOffset: buf.readUInt32LE(p + 42),
    })
    p += 46 + nameLength + extraLength + commentLength
  }

  let totalRead = 0
  const read = (name: string): Buffer => {
    const entry = entries.get(name)
    if (!entry) throw damaged(`missing entry "${name.slice(0, 80)}"`)
    const at = entry.localHeaderOffset
    if (at + 30 > buf.length || buf.readUInt32LE(at) !== LOCAL_SIGNATURE) throw damaged(`bad local header for "${name.slice(0, 80)}"`)
    const start = at + 30 + buf.readUInt16LE(at + 26) + buf.readUInt16LE(at + 28)
    const end = start + entry.compressedSize
    if (end > buf.length) throw damaged(`entry "${name.slice(0, 80)}" is truncated`)
    const compressed = buf.subarray(start, end)
    // The declared size may lie, so the cap is enforced on the inflater itself, not on the header.
    const cap = Math.min(
      limits.maxEntryBytes,
      limits.maxTotalBytes - totalRead,
      Math.max(limits.ratioFloorBytes, entry.compressedSize * limits.maxRatio),
    )
    let data: Buffer
    if (entry.method === 0) {
      data = compressed
    } else if (entry.method === 8) {
      try {
        data = inflateRawSync(compressed, {maxOutputLength: Math.max(1, cap + 1)})
      } catch (error) {
        const code = (error as {code?: string}).code
        if (code === 'ERR_BUFFER_TOO_LARGE' || error instanceof RangeError) {
          throw new ImportError(file, `archive entry "${name.slice(0, 80)}" inflates beyond the safety limit (zip bomb?)`)
        }
        throw damaged(`entry "${name.slice(0, 80)}" does not inflate (${(error as Error).message})`)
      }
    } else {
      throw damaged(`entry "${name.slice(0, 80)}" uses unsupported compression method ${entry.method}`)
    }
    if (data.length > cap) {
      throw new ImportError(file, `archive entry "${name.slice(0, 80)}" inflates beyond the safety limit (zip bomb?)`)
    }
    totalRead += data.length
    return data
  }
  return {entries, read}
}
