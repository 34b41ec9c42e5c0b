import {mkdirSync, renameSync, writeFileSync} from 'node:fs'
import {dirname, resolve} from 'node:path'
import {parseArgs} from 'node:util'
import {DatasetSink, loadDirectory} from './dataset-sink'
import {EntityDirectory} from './entities'
import {type DocumentSink, NdjsonSink} from './ndjson-sink'
import {ConsoleProgress, ErrorsOnlyProgress} from './progress'
import {DEFAULT_MAX_FILE_BYTES} from './read-file'
import {summaryLine} from './report'
import {type ImportReport, importFiles, WriteFailedError} from './run'
import {fieldLabel} from './update-work'
import {loadWorkIndex, WorkIndex} from './work-identity'

export const USAGE = `Usage: npm run import -- <files or folders...> [options]

  --out <file.ndjson>   write NDJSON for \`sanity dataset import\` instead of the dataset
  --dry-run             read and check everything, write nothing
  --report <file.json>  write per-file results and findings grouped by code
  --strict              reject stories that fail the publishing checks instead of importing drafts
  --dataset <name>      target dataset (default: SANITY_STUDIO_DATASET or the project default)
  --max-file-mb <n>     refuse files larger than this (default ${DEFAULT_MAX_FILE_BYTES / 1048576})
  --encoding <name>     decode text files with this encoding instead of detecting it
  --published-at <date> publication date (ISO 8601) for stories whose file gives none
                        (default: the file's date; else, writing to a dataset, the time of the run)
  --quiet               print only errors and the summary
  -h, --help            show this help

Exit codes: 0 every file imported (drafts included), 1 some files rejected or a write failed, 2 bad usage.`

class UsageError extends Error {}

interface CliIo {
  stdout: NodeJS.WritableStream & {isTTY?: boolean}
  stderr: NodeJS.WritableStream & {isTTY?: boolean}
  env: Record<string, string | undefined>
  cwd: string
}

function parse(argv: string[]) {
  try {
    const {values, positionals} = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        out: {type: 'string'},
        'dry-run': {type: 'boolean'},
        report: {type: 'string'},
        strict: {type: 'boolean'},
        dataset: {type: 'string'},
        'max-file-mb': {type: 'string'},
        encoding: {type: 'string'},
        'published-at': {type: 'string'},
        quiet: {type: 'boolean'},
        help: {type: 'boolean', short: 'h'},
      },
    })
    return {values, positionals}
  } catch (error) {
    throw new UsageError((error as Error).message.split('\n')[0])
  }
}

/** Discards documents: --dry-run still reads, converts and checks every file. */
class NullSink implements DocumentSink {
  async writeStory(): Promise<void> {}
  async writeEntities(): Promise<void> {}
  async commit(): Promise<void> {}
  async abort(): Promise<void> {}
}

function summaryText(report: ImportReport, destination: string): string {
  const {totals} = report
  const lines = [`${summaryLine(totals)} -> ${destination} (${(totals.bytes / 1048576).toFixed(1)} MB read)`]
  const show = (entries: Array<[string, ImportReport['findingsByCode'][string]]>) => {
    for (const [code, entry] of entries) {
      lines.push(`  ${entry.title === code ? code : `${entry.title} (${code})`}: ${entry.count} ${entry.count === 1 ? 'story' : 'stories'}`)
      if (entry.hint) lines.push(`    ${entry.hint}`)
    }
  }
  const drafts = Object.entries(report.findingsByCode).filter(([, entry]) => entry.level === 'error')
  if (drafts.length) {
    lines.push('Findings that keep stories unpublished:')
    show(drafts)
  }
  const warnings = Object.entries(report.findingsByCode).filter(([, entry]) => entry.level !== 'error')
  if (warnings.length) {
    lines.push('Warnings:')
    show(warnings)
  }
  const conflicts = report.files.filter((file) => file.update?.conflicts.length)
  if (conflicts.length) {
    lines.push('Kept as edited in the Studio (the new file changes these too):')
    for (const file of conflicts) lines.push(`  ${file.file}: ${file.update!.conflicts.map(fieldLabel).join(', ')}`)
  }
  if (report.nearDuplicates?.length) {
    lines.push('Nearly the same text, filed as different works (reposts, retitled copies?):')
    for (const pair of report.nearDuplicates) lines.push(`  ${pair.second.file} ~ ${pair.first.file} (${Math.round(pair.similarity * 100)}%)`)
  }
  if (totals.rejected) {
    lines.push('Rejected:')
    for (const [reason, count] of Object.entries(report.rejectedReasons)) lines.push(`  ${count} x ${reason}`)
  }
  return `${lines.join('\n')}\n`
}

function writeJsonAtomically(path: string, value: unknown): void {
  mkdirSync(dirname(path), {recursive: true})
  const temp = `${path}.partial-${process.pid}`
  writeFileSync(temp, `${JSON.stringify(value, null, 2)}\n`)
  renameSync(temp, path)
}

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  let args
  try {
    args = parse(argv)
    if (args.values.help) {
      io.stdout.write(`${USAGE}\n`)
      return 0
    }
    if (!args.positionals.length) throw new UsageError('no files or folders given')
    if (args.values['max-file-mb'] !== undefined && !(Number(args.values['max-file-mb']) > 0)) {
      throw new UsageError(`--max-file-mb must be a positive number, got "${args.values['max-file-mb']}"`)
    }
    const publishedAt = args.values['published-at']
    if (publishedAt !== undefined && !(/^\d{4}-\d{2}-\d{2}/.test(publishedAt) && Number.isFinite(Date.parse(publishedAt)))) {
      throw new UsageError(`--published-at must be an ISO 8601 date like 2004-03-12 or 2004-03-12T10:00:00Z, got "${publishedAt.slice(0, 40)}"`)
    }
    if (args.values.out && args.values['dry-run']) throw new UsageError('--out and --dry-run cannot be combined')
  } catch (error) {
    if (!(error instanceof UsageError)) throw error
    io.stderr.write(`error: ${error.message}\n\n${USAGE}\n`)
    return 2
  }
  const {values, positionals} = args
  const maxFileBytes = values['max-file-mb'] ? Number(values['max-file-mb']) * 1048576 : DEFAULT_MAX_FILE_BYTES
  const directory = new EntityDirectory()
  const works = new WorkIndex()
  let sink: DocumentSink
  let destination: string
  let importedAt: string | undefined
  try {
    if (values['dry-run']) {
      sink = new NullSink()
      destination = 'nothing (dry run)'
    } else if (values.out) {
      const out = resolve(io.cwd, values.out)
      mkdirSync(dirname(out), {recursive: true})
      sink = new NdjsonSink(out)
      destination = values.out
    } else {
      const {archiveClient} = await import('../../lake/connection')
      const env = values.dataset ? {...io.env, SANITY_STUDIO_DATASET: values.dataset} : io.env
      const client = archiveClient({env})
      await loadDirectory(client, directory)
      await loadWorkIndex(client, works)
      sink = new DatasetSink(client)
      destination = `dataset "${client.config().dataset}"`
      importedAt = new Date().toISOString()
    }
  } catch (error) {
    const {lakeDownMessage} = await import('../../lake/connection')
    const down = lakeDownMessage(error, values.dataset ? {...io.env, SANITY_STUDIO_DATASET: values.dataset} : io.env)
    io.stderr.write(down ? `error: ${down} (or write NDJSON with --out)\n` : `error: cannot open the destination: ${(error as Error).message.split('\n')[0]}\n`)
    return 1
  }
  const progress = values.quiet ? new ErrorsOnlyProgress(io.stderr) : new ConsoleProgress(io.stderr)
  let report: ImportReport
  try {
    report = await importFiles(positionals, sink, {
      cwd: io.cwd,
      strict: values.strict,
      importedAt,
      publishedAt: values['published-at'] === undefined ? undefined : new Date(values['published-at']).toISOString(),
      maxFileBytes,
      encoding: values.encoding,
      directory,
      works,
      progress,
    })
  } catch (error) {
    if (!(error instanceof WriteFailedError)) throw error
    io.stderr.write(
      `error: import stopped: could not write to ${destination} after ${error.filesRead} files (${error.reason.slice(0, 200)}); no story from this run is reported as imported, run the same import again to finish (stories already written are left alone)\n`,
    )
    return 1
  }
  if (values.report) writeJsonAtomically(resolve(io.cwd, values.report), report)
  io.stdout.write(summaryText(report, destination))
  return report.totals.rejected > 0 ? 1 : 0
}

const isMain = process.argv[1] && /scripts[\\/]import[\\/]cli\.ts$/.test(process.argv[1])
if (isMain) {
  runCli(process.argv.slice(2), {stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd()}).then(
    (code) => {
      process.exitCode = code
    },
    (error: unknown) => {
      process.stderr.write(`error: ${(error as Error)?.message?.split('\n')[0] ?? String(error)}\n`)
      process.exitCode = 1
    },
  )
}
