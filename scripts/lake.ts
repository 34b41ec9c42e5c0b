/**
 * `npm run lake -- export <file.ndjson>` / `npm run lake -- import <file.ndjson> [--replace | --missing]`
 * Reads and writes the local lake's data folder directly (LAKE_DATA_DIR, default .lake-data/),
 * in the NDJSON format of `sanity dataset export/import`. A running lake keeps its documents in
 * memory and would not see an import made behind its back, so import refuses while the data
 * folder's lock (lake/lock.ts) is held, and holds it itself. Export only reads and may run anytime.
 */
import {closeSync, createWriteStream, existsSync, mkdirSync, openSync, readSync} from 'node:fs'
import {StringDecoder} from 'node:string_decoder'
import {once} from 'node:events'
import {LakeError} from '../lake/errors'
import {acquireLock} from '../lake/lock'
import {openStore} from '../lake/store'
import {defaultDataDir} from '../lake/token'

const USAGE = `usage:
  npm run lake -- export <file.ndjson> [--dataset production]
  npm run lake -- import <file.ndjson> [--dataset production] [--replace | --missing]`

function fail(message: string): never {
  process.stderr.write(`lake: ${message}\n`)
  process.exit(1)
}

/** The file's lines, read 1 MiB at a time: an import holds one batch of documents, never the file. */
function* fileLines(file: string): Generator<string> {
  const fd = openSync(file, 'r')
  const buffer = Buffer.alloc(1 << 20)
  const decoder = new StringDecoder('utf8')
  let rest = ''
  try {
    for (;;) {
      const read = readSync(fd, buffer, 0, buffer.length, null)
      if (read === 0) break
      const lines = (rest + decoder.write(buffer.subarray(0, read))).split('\n')
      rest = lines.pop()!
      yield* lines
    }
    rest += decoder.end()
    if (rest) yield rest
  } finally {
    closeSync(fd)
  }
}

async function main(argv: string[]): Promise<void> {
  const [command, file, ...rest] = argv
  if (!command || !file || !['export', 'import'].includes(command)) fail(USAGE)
  let dataset = 'production'
  let replace = false
  let missing = false
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i]
    if (arg === '--dataset') dataset = rest[++i] ?? fail('--dataset needs a name')
    else if (arg === '--replace') replace = true
    else if (arg === '--missing') missing = true
    else fail(`unknown option ${arg}\n${USAGE}`)
  }
  if (replace && missing) fail('use either --replace or --missing, not both')
  const dataDir = defaultDataDir()
  let releaseLock = () => {}
  if (command === 'import') {
    if (!existsSync(file)) fail(`${file}: no such file`)
    try {
      mkdirSync(dataDir, {recursive: true})
      releaseLock = acquireLock(dataDir, 'import')
      // fail() exits without unwinding; the lock must not outlive this process's exit either way.
      process.once('exit', () => releaseLock())
    } catch (err) {
      fail(`cannot import: ${(err as Error).message} (npm run dev / the lake server)`)
    }
  }
  const store = openStore(dataDir)
  try {
    if (command === 'export') {
      const out = file === '-' ? process.stdout : createWriteStream(file)
      let count = 0
      for (const line of store.exportNdjson(dataset)) {
        if (!out.write(line + '\n')) await once(out, 'drain')
        count++
      }
      if (out !== process.stdout) await new Promise<void>((resolve, reject) => (out as ReturnType<typeof createWriteStream>).end((err?: Error | null) => (err ? reject(err) : resolve())))
      process.stderr.write(`lake: exported ${count} documents from "${dataset}" (${dataDir}) to ${file}\n`)
    } else {
      try {
        const result = store.importNdjson(dataset, fileLines(file), {replace, missing})
        process.stderr.write(`lake: imported ${result.documents} documents into "${dataset}" in ${result.transactions} transaction(s)\n`)
      } catch (err) {
        if (err instanceof LakeError) fail(`${file}: ${err.message}`)
        throw err
      }
    }
  } finally {
    store.close()
    releaseLock()
  }
}

main(process.argv.slice(2)).catch((err: unknown) => fail(err instanceof Error ? err.message : String(err)))
