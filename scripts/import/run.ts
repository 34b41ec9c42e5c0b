import {readdirSync, statSync} from 'node:fs'
import {basename, join, relative, resolve, sep} from 'node:path'
import type {CheckOptions} from '../../rules'
import {printableName} from './clean-text'
import {buildStoryDocuments} from './documents'
import {EntityDirectory, type SanityDoc, sha256} from './entities'
import {asImportError, ImportError} from './errors'
import type {DocumentSink} from './ndjson-sink'
import type {Progress} from './progress'
import {isSupportedFileName, readStoryFile, type ReadOptions} from './read-file'
import {encodeSignature, NearDuplicateIndex, type NearDuplicatePair, SIGNATURE_SIZE, workSignature} from './near-duplicates'
import {accountFor, conflictFindings, type FileAccount, type ReportedFinding, reportedFinding} from './report'
import {fieldHashes, type WriteOutcome} from './update-work'
import {type WorkIdentity, WorkIndex} from './work-identity'

/** `same-work`: another file of this run was the same work (HTML and EPUB of it); only the first is written. */
export type FileStatus = 'imported' | 'draft' | 'rejected' | 'same-work'

export interface FileResult {
  file: string
  status: FileStatus
  storyId?: string
  documentId?: string
  title?: string
  format?: string
  chapters?: number
  words?: number
  findings: ReportedFinding[]
  notices: string[]
  /** What the file gave, what was inferred, what was ignored. */
  account?: FileAccount
  /** How the work was recognised (its URL, title and author, or bytes) and its canonical URL. */
  identity?: {matchedBy: WorkIdentity['matchedBy']; url?: string}
  /** For a work already in the dataset: what the new download refreshed, added, or left to the editor. */
  update?: {kind: WriteOutcome['kind']; updated: string[]; addedChapters: number; conflicts: string[]}
  /** The earlier file of this run that was the same work. */
  sameWorkAs?: string
  error?: string
}

export interface ImportReport {
  files: FileResult[]
  totals: {files: number; imported: number; drafts: number; rejected: number; updated: number; unchanged: number; sameWork: number; documents: number; bytes: number}
  findingsByCode: Record<string, {title: string; level: string; hint?: string; count: number; files: string[]}>
  rejectedReasons: Record<string, number>
  /** Different works whose texts are at least 90% alike (near-duplicates.ts). */
  nearDuplicates?: NearDuplicatePair[]
  /** CPU time of the whole run, and of the near-duplicate check within it. */
  timings?: {cpuMs: number; nearDuplicateCpuMs: number}
}

export interface ImportOptions extends ReadOptions {
  strict?: boolean
  importedAt?: string
  /** `publishedAt` for stories whose file gives no date (see BuildOptions). */
  publishedAt?: string
  checkOptions?: Partial<CheckOptions>
  directory?: EntityDirectory
  /** Stories already in the destination, by work key (loadWorkIndex); empty for NDJSON. */
  works?: WorkIndex
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
  /** How messages name the file: relative to the working folder when inside it, escaped. */
  name: string
  /** What the dataset keeps (`source.fileName`): relative to the folder given, never absolute. */
  storedName: string
}

/** Expands files and folders (recursively, sorted so runs are reproducible) into input files. */
export function collectInputs(inputs: readonly string[], cwd = process.cwd()): {files: InputFile[]; errors: ImportError[]} {
  const files: InputFile[] = []
  const errors: ImportError[] = []
  const display = (path: string) => {
    const rel = relative(cwd, path)
    return printableName((rel && !rel.startsWith('..') ? rel : path).split(sep).join('/'))
  }
  const walk = (dir: string, root: string) => {
    for (const entry of readdirSync(dir, {withFileTypes: true}).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      if (entry.name.startsWith('.')) continue
      const path = join(dir, entry.name)
      if (entry.isDirectory()) walk(path, root)
      // FIFOs, sockets and devices named like stories are listed so the reader refuses them in one line.
      else if (!entry.isSymbolicLink() && isSupportedFileName(entry.name)) {
        files.push({path, name: display(path), storedName: printableName(relative(root, path).split(sep).join('/'))})
      }
    }
  }
  for (const input of inputs) {
    const path = resolve(cwd, input)
    let stat
    try {
      stat = statSync(path)
    } catch {
      errors.push(new ImportError(printableName(input), 'no such file or folder'))
      continue
    }
    if (stat.isDirectory()) walk(path, path)
    else files.push({path, name: display(path), storedName: printableName(basename(path))})
  }
  return {files, errors}
}

function summarise(results: FileResult[], bytes: number, documents: number): ImportReport {
  const findingsByCode: ImportReport['findingsByCode'] = {}
  const rejectedReasons: Record<string, number> = {}
  for (const result of results) {
    for (const finding of result.findings) {
      const entry = (findingsByCode[finding.code] ??= {
        title: finding.title,
        level: finding.level,
        hint: finding.hint,
        count: 0,
        files: [],
      })
      // A rule's hint can be particular to a story (the fixed text); the summary keeps only a shared one.
      if (entry.count > 0 && entry.hint !== finding.hint) entry.hint = undefined
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
      updated: results.filter((r) => r.update?.kind === 'updated').length,
      unchanged: results.filter((r) => r.update?.kind === 'unchanged').length,
      sameWork: results.filter((r) => r.status === 'same-work').length,
      documents,
      bytes,
    },
    findingsByCode,
    rejectedReasons,
  }
}

/**
 * CPU time of this thread: wall time on a shared machine mostly measures the neighbours, and the
 * process's CPU time charges a short section with whatever the garbage collector's threads did
 * meanwhile. Node before 23.9 has only the process's.
 */
function threadCpu(since?: NodeJS.CpuUsage): NodeJS.CpuUsage {
  return typeof process.threadCpuUsage === 'function' ? process.threadCpuUsage(since) : process.cpuUsage(since)
}

/** A file whose work an earlier file of the same run already brought in. */
class SameWork extends Error {
  constructor(
    readonly earlier: string,
    readonly identity: WorkIdentity,
  ) {
    super(`same work as ${earlier}`)
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
  const works = options.works ?? new WorkIndex()
  const seenThisRun = new Map<string, string>()
  const nearDuplicates = new NearDuplicateIndex()
  // add() copies the signature, so one buffer serves every file.
  const signatureScratch = new Uint32Array(SIGNATURE_SIZE)
  for (const known of works.signatures) nearDuplicates.addKnown(known.storyId, known.label, known.signature)
  let nearDuplicateMicros = 0
  const cpuAtStart = threadCpu()
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
        const checksum = sha256(read.bytes)
        const identity = works.resolve(read.work, checksum)
        const earlier = seenThisRun.get(identity.storyId)
        if (earlier !== undefined) throw new SameWork(earlier, identity)
        seenThisRun.set(identity.storyId, input.name)
        docs = buildStoryDocuments(read.work, {
          storyId: identity.storyId,
          sourceUrl: identity.url,
          fileName: input.storedName,
          format: read.format,
          checksum,
          importedAt: options.importedAt,
          publishedAt: options.publishedAt,
          directory,
          checkOptions: options.checkOptions,
        })
        ;(docs.story.source as Record<string, unknown>).fieldHashes = fieldHashes(docs)
        const started = threadCpu()
        const signature = workSignature(read.work.chapters, signatureScratch)
        const nearly = nearDuplicates.add(docs.storyId, input.name, signature)
        const used = threadCpu(started)
        nearDuplicateMicros += used.user + used.system
        // Kept with the story, so a repost imported next year is found against it.
        if (signature) (docs.story.source as Record<string, unknown>).textSignature = encodeSignature(signature)
        for (const pair of nearly) {
          docs.notices.push(`nearly the same text as ${pair.first.file} (${Math.round(pair.similarity * 100)}% of 3-word runs shared), filed as a different work: a repost or a retitled copy?`)
        }
        const findings = docs.findings.map(reportedFinding)
        const base = {
          file: input.name,
          storyId: docs.storyId,
          title: docs.title,
          format: read.format,
          chapters: Math.max(1, docs.chapters.length),
          words: docs.words,
          findings,
          notices: docs.notices,
          account: accountFor(read.work, docs, identity.url),
          identity: identity.url ? {matchedBy: identity.matchedBy, url: identity.url} : {matchedBy: identity.matchedBy},
        }
        if (docs.isDraft && options.strict) {
          result = {...base, status: 'rejected'}
          // Authors/fandoms it introduced are still written: later stories may reference them.
          entitiesOnly = docs.created
          docs = undefined
        } else {
          result = {...base, status: docs.isDraft ? 'draft' : 'imported', documentId: docs.story._id}
        }
      } catch (error) {
        result =
          error instanceof SameWork
            ? {file: input.name, status: 'same-work', storyId: error.identity.storyId, sameWorkAs: error.earlier, findings: [], notices: [`the same work as ${error.earlier} (found by its ${error.identity.matchedBy === 'url' ? 'URL' : error.identity.matchedBy === 'title' ? 'title and author' : 'bytes'}); only that file was imported`]}
            : {file: input.name, status: 'rejected', findings: [], notices: [], error: asImportError(input.name, error).message}
        docs = undefined
      }
      // Failures of the destination (network, API, disk) stop the run; failures of one file do not.
      try {
        if (entitiesOnly.length) await sink.writeEntities(entitiesOnly)
        if (docs) {
          const outcome = await sink.writeStory(docs)
          if (outcome && outcome.kind !== 'created') {
            result.update = {kind: outcome.kind, updated: outcome.updated, addedChapters: outcome.addedChapters, conflicts: outcome.conflicts.map((c) => c.field)}
            result.findings.push(...conflictFindings(outcome))
          }
        }
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
  const report = summarise(results, bytes, documents)
  report.nearDuplicates = nearDuplicates.pairs
  const cpu = threadCpu(cpuAtStart)
  report.timings = {cpuMs: Math.round((cpu.user + cpu.system) / 100) / 10, nearDuplicateCpuMs: Math.round(nearDuplicateMicros / 100) / 10}
  return report
}

