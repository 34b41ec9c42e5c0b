import {blockText} from './blocks'
import {decodeText, sniffDeclaredCharset} from './decode'
import {parseEpub} from './epub'
import {ImportError} from './errors'
import {parseHtml} from './html'
import {parseMarkdown} from './markdown'
import {MarkupLimitError} from './markup-limits'
import {readRegularFile} from './read-bytes'
import {scrubControlCharacters} from './clean-text'
import {findWorkUrl} from './source-url'
import {parsePlainText} from './plaintext'
import type {ImportFormat, ParsedWork} from './work'
import {DEFAULT_ZIP_LIMITS, type ZipLimits} from './zip'

export const DEFAULT_MAX_FILE_BYTES = 50 * 1024 * 1024

export interface ReadOptions {
  /** Files above this size are refused before they are read. */
  maxFileBytes?: number
  zipLimits?: ZipLimits
  /** Forced text encoding (CLI --encoding). */
  encoding?: string
}

export interface ReadResult {
  work: ParsedWork
  bytes: Buffer
  format: ImportFormat
}

const EXTENSIONS: Record<string, ImportFormat> = {
  txt: 'text',
  text: 'text',
  asc: 'text',
  htm: 'html',
  html: 'html',
  xhtml: 'html',
  epub: 'epub',
  md: 'markdown',
  markdown: 'markdown',
}

export function formatOf(name: string, bytes: Uint8Array): ImportFormat {
  const ext = /\.([A-Za-z0-9]+)$/.exec(name)?.[1]?.toLowerCase()
  if (ext && EXTENSIONS[ext]) return EXTENSIONS[ext]!
  if (bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04) return 'epub'
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 512)).trimStart().toLowerCase()
  if (head.startsWith('<!doctype html') || head.startsWith('<html') || head.startsWith('<?xml')) return 'html'
  return 'text'
}

export function isSupportedFileName(name: string): boolean {
  const ext = /\.([A-Za-z0-9]+)$/.exec(name)?.[1]?.toLowerCase()
  return ext !== undefined && EXTENSIONS[ext] !== undefined
}

/** Parses one file's bytes; every problem with the input becomes a one-line ImportError. */
export function parseBytes(bytes: Buffer, name: string, options: ReadOptions = {}): ReadResult {
  if (bytes.length === 0) throw new ImportError(name, 'file is empty')
  const format = formatOf(name, bytes)
  let work: ParsedWork
  try {
    work = parseWork(bytes, name, format, options)
  } catch (error) {
    if (error instanceof MarkupLimitError) throw new ImportError(name, error.message)
    // Parsers recurse over the element tree; a hostile file can nest deeper than the stack.
    if (error instanceof RangeError) throw new ImportError(name, `markup nested too deeply to import (${error.message})`)
    throw error
  }
  scrubControlCharacters(work)
  if (!work.chapters.some((chapter) => chapter.body.some((block) => /[\p{L}\p{N}]/u.test(blockText(block))))) throw new ImportError(name, 'no story text found (only a header, or nothing readable)')
  return {work, bytes, format}
}

function parseWork(bytes: Buffer, name: string, format: ImportFormat, options: ReadOptions): ParsedWork {
  let work: ParsedWork
  if (format === 'epub') {
    work = parseEpub(bytes, name, options.zipLimits ?? DEFAULT_ZIP_LIMITS)
  } else {
    const declared = options.encoding ?? (format === 'html' ? sniffDeclaredCharset(bytes) : undefined)
    if (bytes.length % 2 === 1 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))) {
      throw new ImportError(name, 'truncated UTF-16 text (odd number of bytes)')
    }
    const decoded = decodeText(bytes, name, {encoding: declared})
    const {text} = decoded
    work = format === 'html' ? parseHtml(text) : format === 'markdown' ? parseMarkdown(text) : parsePlainText(text)
    work.sourceUrl ??= findWorkUrl(text.slice(0, 16384))
    if (decoded.guessed) {
      work.guessedEncoding = decoded.encoding
      work.notices.push(`text encoding guessed as ${decoded.encoding} (not UTF-8, and the file declares none); check the text, or pass --encoding`)
    }
  }
  return work
}

export function readStoryFile(path: string, name: string, options: ReadOptions = {}): ReadResult {
  return parseBytes(readRegularFile(path, name, options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES), name, options)
}
