import {readdirSync, statSync} from 'node:fs'
import {join, relative, resolve, sep} from 'node:path'
import {type CheckOptions, FINDING_TITLES, type FindingCode} from '../../rules'
import {buildStoryDocuments} from './documents'
import {EntityDirectory, type SanityDoc, sha256} from './entities'
import {asImportError, ImportError} from './errors'
import type {DocumentSink} from './ndjson-sink'
import type {Progress} from './progress'
import {isSupportedFileName, readStoryFile, type ReadOptions} from './read-file'

export type FileStatus = 'imported' | 'draft' | 'rejected'

export interface FileResult {
  file: string
  status: FileStatus
  storyId?: string
  documentId?: string
  title?: string
  format?: string
  chapters?: number
  words?: number
  findings: Array<{code: string; level: string; field: string; message: string}>
  notices: string[]
  error?: string
}

export interface ImportReport {
  files: FileResult[]
  totals: {files: number; imported: number; drafts: number; rejected: number; documents: number; bytes: number}
  findingsByCode: Record<string, {title: string; level: string; count: number; files: string[]}>
  rejectedReasons: Record<string, number>
}

export interface ImportOptions extends ReadOptions {
  strict?: boolean
  importedAt?: string
  /** `publishedAt` for stories whose file gives no date (see BuildOptions). */
  publishedAt?: string
  checkOptions?: Partial<CheckOptions>
  directory?: EntityDirectory
  progress?: Progress
  /** Base folder for the relative file names stored on stories and shown in messages. */
  cwd?: string
}

/**
 * The destination (dataset, NDJSON file) refused a write. Fatal for the whole run: a sink may hold
 * several files' stories at once, so after a failure no story can be reported as imported.
 */
export class WriteFailedError extends Error {
  readonly reason: string

  constructor(
    /** Files read before the failure; some of their stories may not have been written. */
    readonly filesRead: number,
    cause: unknown,
  ) {
    const reason = (cause instanceof Error ? cause.message : String(cause)).replace(/\s+/g, ' ').trim()
    super(`writing failed after ${filesRead} files were read: ${reason}`)
    this.name = 'WriteFailedError'
    this.reason = reason
  }
}

interface InputFile {
  path: string
  name: string
}

/** Expands files and folders (recursively, sorted so runs are reproducible) into input files. */
export function collectInputs(inputs: readonly string[], cwd = process.cwd()): {files: InputFile[]; errors: ImportError[]} {
  const files: InputFile[] = []
  const errors: ImportError[] = []
  const display = (path: string) => {
    const rel = relative(cwd, path)
    return (rel && !rel.startsWith('..') ? rel : path).split(sep).join('/')
  }
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, {withFileTypes: true}).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      if (entry.name.startsWith('.')) continue
      const path = join(dir, entry.name)
      if (entry.isDirectory()) walk(path)
      else if (entry.isFile() && isSupportedFileName(entry.name)) files.push({path, name: display(path)})
    }
  }
  for (const input of inputs) {
    const path = resolve(cwd, input)
    let stat
    try {
      stat = statSync(path)
    } catch {
      errors.push(new ImportError(input, 'no such file or folder'))
      continue
    }
    if (stat.isDirectory()) walk(path)
    else files.push({path, name: display(path)})
  }
  return {files, errors}
}

function summarise(results: FileResult[], bytes: number, documents: number): ImportReport {
  const findingsByCode: ImportReport['findingsByCode'] = {}
  const rejectedReasons: Record<string, number> = {}
  for (const result of results) {
    for (const finding of result.findings) {
      const entry = (findingsByCode[finding.code] ??= {
        title: FINDING_TITLES[finding.code as FindingCode] ?? finding.code,
        level: finding.level,
        count: 0,
        files: [],
      })
      entry.count++
      if (!entry.files.includes(result.file)) entry.files.push(result.file)
    }
    if (result.status === 'rejected') {
      const reason = result.error
        ? result.error.slice(result.file.length + 2).replace(/["“][^"”]*["”]/g, '"…"').replace(/\d+(\.\d+)?/g, 'N')
        : `publishing checks failed (${[...new Set(result.findings.filter((f) => f.level === 'error').map((f) => f.code))].join(', ')})`
      rejectedReasons[reason] = (rejectedReasons[reason] ?? 0) + 1
    }
  }
  return {
    files: results,
    totals: {
      files: results.length,
      imported: results.filter((r) => r.status === 'imported').length,
      drafts: results.filter((r) => r.status === 'draft').length,
      rejected: results.filter((r) => r.status === 'rejected').length,
      documents,
      bytes,
    },
    findingsByCode,
    rejectedReasons,
  }
}

/**
 * Imports files one at a time (memory stays flat however large the corpus), writing each story
 * with its chapters to the sink as soon as it is built. Bad files are reported and skipped.
 */
export async function importFiles(inputs: readonly string[], sink: DocumentSink, options: ImportOptions = {}): Promise<ImportReport> {
  const cwd = options.cwd ?? process.cwd()
  const {files, errors} = collectInputs(inputs, cwd)
  const directory = options.directory ?? new EntityDirectory()
  const results: FileResult[] = errors.map((error) => ({file: error.file, status: 'rejected', findings: [], notices: [], error: error.message}))
  const progress = options.progress
  progress?.start(files.length)
  let bytes = 0
  let documents = 0
  try {
    for (const input of files) {
      let result: FileResult
      let size = 0
      let docs: ReturnType<typeof buildStoryDocuments> | undefined
      let entitiesOnly: SanityDoc[] = []
      try {
        const read = readStoryFile(input.path, input.name, options)
        size = read.bytes.length
        docs = buildStoryDocuments(read.work, {
          fileName: input.name,
          format: read.format,
          checksum: sha256(read.bytes),
          importedAt: options.importedAt,
          publishedAt: options.publishedAt,
          directory,
          checkOptions: options.checkOptions,
        })
        const findings = docs.findings.map(({code, level, field, message}) => ({code, level, field, message}))
        const base = {file: input.name, storyId: docs.storyId, title: docs.title, format: read.format, chapters: Math.max(1, docs.chapters.length), words: docs.words, findings, notices: docs.notices}
        if (docs.isDraft && options.strict) {
          result = {...base, status: 'rejected'}
          // Authors/fandoms it introduced are still written: later stories may reference them.
          entitiesOnly = docs.created
          docs = undefined
        } else {
          result = {...base, status: docs.isDraft ? 'draft' : 'imported', documentId: docs.story._id}
        }
      } catch (error) {
        result = {file: input.name, status: 'rejected', findings: [], notices: [], error: asImportError(input.name, error).message}
        docs = undefined
      }
      // Failures of the destination (network, API, disk) stop the run; failures of one file do not.
      try {
        if (entitiesOnly.length) await sink.writeEntities(entitiesOnly)
        if (docs) await sink.writeStory(docs)
      } catch (error) {
        throw new WriteFailedError(results.length - errors.length, error)
      }
      documents += entitiesOnly.length + (docs ? docs.created.length + docs.chapters.length + 1 : 0)
      bytes += size
      results.push(result)
      progress?.tick(result, size)
    }
    try {
      await sink.commit()
    } catch (error) {
      throw new WriteFailedError(results.length - errors.length, error)
    }
  } catch (error) {
    await sink.abort()
    throw error
  } finally {
    progress?.stop()
  }
  return summarise(results, bytes, documents)
}

