import {analyse} from 'chardet'
import {BlankTextError, ImportError} from './errors'

/** A WHATWG encoding label TextDecoder accepts; the common ones are spelled out. */
export type TextEncodingName = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252' | (string & {})

export interface DecodedText {
  text: string
  encoding: TextEncodingName
  /** True when nothing (BOM, declaration, flag) named the encoding and it was detected from the bytes. */
  guessed?: boolean
}

export interface DecodeOptions {
  /** Force an encoding (from a CLI flag or an HTML/XML declaration); unknown names are an error. */
  encoding?: string
}

const ENCODING_ALIASES: Record<string, TextEncodingName> = {
  'utf-8': 'utf-8',
  utf8: 'utf-8',
  'utf-16': 'utf-16le',
  'utf-16le': 'utf-16le',
  'utf-16be': 'utf-16be',
  'windows-1252': 'windows-1252',
  cp1252: 'windows-1252',
  'iso-8859-1': 'windows-1252',
  'latin-1': 'windows-1252',
  latin1: 'windows-1252',
  'us-ascii': 'utf-8',
  ascii: 'utf-8',
}

/** Maps a declared charset to one we decode, or fails naming it (we never guess past a declaration). */
export function resolveEncodingName(name: string, file: string): TextEncodingName {
  const label = name.trim().toLowerCase()
  const resolved = ENCODING_ALIASES[label]
  if (resolved) return resolved
  try {
    return new TextDecoder(label).encoding
  } catch {
    throw new ImportError(file, `unknown or unsupported text encoding "${name.slice(0, 40)}"`)
  }
}

/** CRLF and lone CR (classic Mac) become LF so every later stage sees one line ending. */
export function normaliseLineEndings(text: string): string {
  return text.indexOf('\r') === -1 ? text : text.replace(/\r\n?/g, '\n')
}

function decodeWith(bytes: Uint8Array, encoding: TextEncodingName, fatal: boolean): string {
  return new TextDecoder(encoding, {fatal, ignoreBOM: false}).decode(bytes)
}

/** UTF-16 without a BOM shows as NULs in every other byte of mostly-ASCII text. */
function guessUtf16(bytes: Uint8Array): TextEncodingName | undefined {
  const sample = Math.min(bytes.length - (bytes.length % 2), 4096)
  if (sample < 4) return undefined
  let evenNuls = 0
  let oddNuls = 0
  for (let i = 0; i < sample; i += 2) {
    if (bytes[i] === 0) evenNuls++
    if (bytes[i + 1] === 0) oddNuls++
  }
  const pairs = sample / 2
  if (oddNuls > pairs * 0.4 && evenNuls < pairs * 0.05) return 'utf-16le'
  if (evenNuls > pairs * 0.4 && oddNuls < pairs * 0.05) return 'utf-16be'
  return undefined
}

function bomEncoding(bytes: Uint8Array): TextEncodingName | undefined {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return 'utf-8'
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le'
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be'
  return undefined
}

/** Binary files carry NULs or many C0 control characters that no story text has. */
function looksBinary(bytes: Uint8Array): boolean {
  const sample = bytes.subarray(0, 8192)
  if (sample.indexOf(0) !== -1) return true
  // Native latin1 decode + regex: a byte loop here was the importer's hottest function.
  const controls = new TextDecoder('latin1').decode(sample).match(/[\x01-\x08\x0b\x0e-\x19\x1b-\x1f]/g)?.length ?? 0
  return controls > Math.max(2, sample.length * 0.01)
}

function hasControlNoise(text: string): boolean {
  let controls = 0
  const sample = Math.min(text.length, 8192)
  for (let i = 0; i < sample; i++) {
    const c = text.charCodeAt(i)
    if (c === 0 || (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d && c !== 0x0c)) controls++
  }
  return controls > Math.max(2, sample * 0.01)
}

/**
 * Decodes a story file's bytes: BOMs first, then a declared encoding, then the UTF-16 NUL
 * pattern, then strict UTF-8,
 * falling back to Windows-1252 (what most pre-2010 fic was saved as) when UTF-8 is invalid.
 */
export function decodeText(bytes: Uint8Array, file: string, options: DecodeOptions = {}): DecodedText {
  if (bytes.length === 0) throw new BlankTextError(file, 'file is empty')
  // As browsers do (WHATWG "decode"): a BOM outranks any declaration; a declared UTF-16 in a file
  // whose bytes are 8-bit (the declaration itself was readable as ASCII) means UTF-8.
  let encoding: TextEncodingName | undefined = bomEncoding(bytes)
  if (encoding === undefined && options.encoding) {
    const declared = resolveEncodingName(options.encoding, file)
    encoding = declared.startsWith('utf-16') ? (guessUtf16(bytes) ?? 'utf-8') : declared
  }
  encoding ??= guessUtf16(bytes)

  let text: string
  let guessed = false
  if (encoding === 'utf-8') {
    try {
      text = decodeWith(bytes, 'utf-8', true)
    } catch {
      // Files declared (or BOM-marked) UTF-8 but saved by a 1252 editor are common in old archives.
      text = decodeWith(bytes, 'windows-1252', false)
      encoding = 'windows-1252'
    }
  } else if (encoding) {
    text = decodeWith(bytes, encoding, false)
    if (encoding.startsWith('utf-16') && hasControlNoise(text)) throw new ImportError(file, 'binary data, not a text file')
  } else {
    if (looksBinary(bytes)) throw new ImportError(file, 'binary data, not a text file')
    try {
      text = decodeWith(bytes, 'utf-8', true)
      encoding = 'utf-8'
    } catch {
      encoding = detectEncoding(bytes)
      text = decodeWith(bytes, encoding, false)
      guessed = true
    }
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1)
  text = normaliseLineEndings(text)
  if (text.trim() === '') throw new BlankTextError(file, 'file has no text (only whitespace)')
  return guessed ? {text, encoding, guessed} : {text, encoding}
}

/** Latin-script guesses: Windows-1252 reads all of them as old Western editors saved them. */
const WESTERN = /^(iso-8859-1|iso-8859-15|windows-1252|us-ascii|utf-8)$/i

/**
 * Not UTF-8 and nothing declared: the charset is detected from the bytes (chardet over the first
 * 64 KB) and decoded with TextDecoder, so Windows-1251, KOI8-R, Shift_JIS, GBK, Big5 and EUC-KR
 * text comes out right. Western and unsure guesses keep the old archives' Windows-1252.
 */
export function detectEncoding(bytes: Uint8Array): TextEncodingName {
  const sample = bytes.subarray(0, 65536)
  const matches = analyse(sample)
  const candidate = matches.find((match) => !WESTERN.test(match.name) && decoderFor(match.name))
  if (!candidate) return 'windows-1252'
  if (candidate === matches[0] && candidate.confidence >= 30) return decoderFor(candidate.name)!
  // Unsure (English labels around Russian text lower chardet's confidence): Western text has a few
  // accented letters among plain ones, text in another script is mostly high bytes.
  if (candidate.confidence >= 10 && highByteShare(sample) > 0.3) return decoderFor(candidate.name)!
  return 'windows-1252'
}

function decoderFor(name: string): TextEncodingName | undefined {
  try {
    return new TextDecoder(name.toLowerCase()).encoding
  } catch {
    return undefined
  }
}

/** Bytes >= 0x80 among the letter-like bytes (ASCII letters and high bytes). */
function highByteShare(sample: Uint8Array): number {
  let high = 0
  let letters = 0
  for (let i = 0; i < sample.length; i++) {
    const byte = sample[i]!
    if (byte >= 0x80) {
      high++
      letters++
    } else if ((byte >= 0x41 && byte <= 0x5a) || (byte >= 0x61 && byte <= 0x7a)) letters++
  }
  return letters ? high / letters : 0
}

/** Reads a charset from an XML declaration or HTML meta tag in the first bytes, if any. */
export function sniffDeclaredCharset(bytes: Uint8Array): string | undefined {
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 2048))
  const xml = /<\?xml[^>]*encoding\s*=\s*["']([^"']+)["']/i.exec(head)
  if (xml) return xml[1]
  const meta = /<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9._-]+)/i.exec(head)
  return meta?.[1]
}
