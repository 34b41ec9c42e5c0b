import {execFileSync} from 'node:child_process'
import {closeSync, mkdirSync, openSync, writeFileSync} from 'node:fs'
import {createServer, type Server} from 'node:net'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {buildEpub, importToNdjson, type NdjsonRun, tempDir} from './helpers'
import {readAtMost, readRegularFile} from '../../scripts/import/read-bytes'
import {limitedParser} from '../../scripts/import/markup-limits'

// Each case must be refused or cleaned in seconds; the deadline is several times that, never a
// timed assertion.
const DEADLINE = 60_000

const header = (title: string) => `Title: ${title}\nAuthor: Ro Vance\nFandom: Lamps\nRating: G\nSummary: A lamp lighter on her last round of the city.\nDisclaimer: Lamps belongs to Wick & Co. Not mine.\n\n`
const story = (title: string, extra = '') => `${header(title)}She lit the last lamp on the hill.${extra} Then she went home.\n`
const EVIL_NAME = 'evil\n\x1b[31mred\x1b]0;owned\x07.txt'

const epubWith = (chapter: string) =>
  buildEpub({title: 'Flood', author: 'Ro Vance', titlePage: {Fandom: 'Lamps'}, chapters: [{title: 'Chapter 1', paragraphs: [chapter]}]})

const HOSTILE: Record<string, string | Buffer> = {
  'self-closing.html': `<html><body><p>Hello there.</p>${'<div/>'.repeat(300_000)}</body></html>`,
  'attribute-trick.html': `<html><body><p>Hello there.</p>${'<div title="/>">'.repeat(200_000)}</body></html>`,
  'single-quoted-trick.html': `<html><body>${"<span data-x='x/'>".repeat(200_000)}</body></html>`,
  'flood.epub': epubWith(`Hello there.${'<div/>'.repeat(50_000)}`),
}

let dir: {path: string; cleanup: () => void}
let run: NdjsonRun
let socket: Server

beforeAll(async () => {
  dir = tempDir()
  const fics = join(dir.path, 'fics')
  mkdirSync(join(fics, 'sub'), {recursive: true})
  for (const [name, bytes] of Object.entries(HOSTILE)) writeFileSync(join(fics, name), bytes)
  execFileSync('mkfifo', [join(fics, 'pipe.txt')])
  socket = createServer()
  await new Promise<void>((resolve) => socket.listen(join(fics, 'socket.txt'), resolve))
  // NULs past the 8 KB binary sniff, behind a BOM, and as character references.
  writeFileSync(join(fics, 'late-nul.txt'), story('Late Nul', ` ${'Long text goes on. '.repeat(600)}\0\0hidden\0 and \x1b[2J cleared\x7f.`))
  writeFileSync(join(fics, 'bom-nul.txt'), Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(story('Bom Nul', ' Odd\0 bytes\x01here.'))]))
  writeFileSync(join(fics, 'entities.html'), `<html><body><p>Title: Marks</p><p>Author: Ro</p><p>Fandom: Lamps</p><p>Plain&#0; text&#1;with&#x1b;[31m refs&#127;.</p></body></html>`)
  writeFileSync(join(fics, EVIL_NAME), '')
  writeFileSync(join(fics, 'sub', `nice${'\x1b'}[1m.txt`), story('Nice'))
  run = await importToNdjson([fics, '/dev/zero', 'fics/missing\x1b[1m.txt'], join(dir.path, 'out.ndjson'), {cwd: dir.path})
}, DEADLINE)

afterAll(() => {
  socket?.close()
  dir?.cleanup()
})

const resultFor = (file: string) => {
  const result = run.report.files.find((f) => f.file === file)
  if (!result) throw new Error(`no result for ${JSON.stringify(file)}: ${run.report.files.map((f) => f.file).join(', ')}`)
  return result
}

function expectOneLine(message: string | undefined): void {
  expect(message).toBeDefined()
  expect(message).not.toMatch(/[\x00-\x1f\x7f-\x9f]/)
  expect(message).not.toMatch(/\bat .*\(.*:\d+:\d+\)/)
}

describe('markup floods are refused by what the parser opens', () => {
  it.each(Object.keys(HOSTILE))('%s is refused in one line', (name) => {
    const result = resultFor(`fics/${name}`)
    expect(result.status).toBe('rejected')
    expect(result.error).toMatch(new RegExp(`^fics/${name.replace('.', '\\.')}: markup nested more than \\d+ elements deep; not imported$`))
    expectOneLine(result.error)
  })

  it('counts every element the parser opens, however it is written', () => {
    const opened: string[] = []
    const parser = limitedParser({onopentagname: (name) => opened.push(name)}, {}, {maxDepth: 1000, maxElements: 5, maxAttributes: 100})
    expect(() => parser.end('<p>a</p><br/><i/><b title=">">x</b><hr><u>')).toThrow(/more than 5 elements/)
    expect(opened).toEqual(['p', 'br', 'i', 'b', 'hr'])
    expect(() => limitedParser({}, {}, {maxDepth: 1000, maxElements: 1000, maxAttributes: 3}).end('<p a=1 b=2 c=3 d=4>')).toThrow(/more than 3 attributes/)
  })

  it('keeps real nesting that closes', () => {
    const deepButClosed = `${'<div>'.repeat(200)}x${'</div>'.repeat(200)}`.repeat(50)
    expect(() => limitedParser({}).end(deepButClosed)).not.toThrow()
  })
})

describe('only regular files are read, and sizes hold while reading', () => {
  it('refuses a FIFO without opening it (the run would hang otherwise)', () => {
    expect(resultFor('fics/pipe.txt').error).toBe('fics/pipe.txt: is a named pipe (FIFO), not a regular file; not read')
  })

  it('refuses a socket and a device', () => {
    expect(resultFor('fics/socket.txt').error).toBe('fics/socket.txt: is a socket, not a regular file; not read')
    expect(resultFor('/dev/zero').error).toBe('/dev/zero: is a character device, not a regular file; not read')
  })

  it('cuts an endless stream at the limit', () => {
    const fd = openSync('/dev/zero', 'r')
    try {
      const {bytes, truncated} = readAtMost(fd, 3 * 1048576)
      expect(truncated).toBe(true)
      expect(bytes.length).toBe(3 * 1048576 + 1)
    } finally {
      closeSync(fd)
    }
  })

  it('enforces the size on the bytes read, not on what stat says', () => {
    // /proc files are regular files whose stat size is 0.
    expect(() => readRegularFile('/proc/self/status', 'status', 64)).toThrow(/^status: goes on past the 0\.1 KB limit \(--max-file-mb\); stopped reading there, not imported$/)
  })
})

describe('control characters never reach text', () => {
  it('strips NULs and escapes after the first 8 KB, behind a BOM, and from character references', () => {
    for (const name of ['late-nul.txt', 'bom-nul.txt', 'entities.html']) expect(resultFor(`fics/${name}`).status).not.toBe('rejected')
    expect(run.ndjson).not.toMatch(/\\u00[01][0-9a-f]|\\u007f|\\u009b/)
    // eslint-disable-next-line no-control-regex
    expect(run.ndjson).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f]/)
    expect(run.ndjson).toContain('hidden and [2J cleared.')
    expect(run.ndjson).toContain('Odd byteshere.')
  })
})

describe('file names', () => {
  it('prints names escaped, on one line', () => {
    const evil = run.report.files.find((f) => f.file.startsWith('fics/evil'))!
    expect(evil.file).toBe('fics/evil\\x0a\\x1b[31mred\\x1b]0;owned\\x07.txt')
    expect(evil.error).toBe(`${evil.file}: file is empty`)
    expectOneLine(evil.error)
    expectOneLine(run.report.files.find((f) => f.file.startsWith('fics/missing'))?.error)
  })

  it('stores the name relative to the folder given, escaped, never absolute', () => {
    const stories = run.docs.filter((d) => d._type === 'story') as unknown as Array<{source: {fileName: string}}>
    expect(stories.map((s) => s.source.fileName).sort()).toEqual(['bom-nul.txt', 'entities.html', 'late-nul.txt', 'sub/nice\\x1b[1m.txt'])
    expect(run.ndjson).not.toContain(dir.path)
  })
})
