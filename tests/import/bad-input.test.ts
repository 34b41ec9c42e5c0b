import {copyFileSync, existsSync, readdirSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import type {StoryDocuments} from '../../scripts/import/documents'
import {EntityDirectory} from '../../scripts/import/entities'
import {NdjsonSink} from '../../scripts/import/ndjson-sink'
import {importFiles, type ImportReport} from '../../scripts/import/run'
import {buildEpub, buildZip, FIXTURES, importToNdjson, tempDir} from './helpers'

const goodEpub = () =>
  buildEpub({
    title: 'Lamplight',
    author: 'Ro Vance',
    titlePage: {Fandom: 'Lamps', Rating: 'G', Summary: 'A lamp lighter on her final round of the city.', Disclaimer: 'Lamps belongs to Wick & Co. Not mine.'},
    chapters: [{title: 'Chapter 1', paragraphs: ['She lit the last lamp on the hill.']}],
  })

const BAD_FILES: Record<string, {bytes: () => Buffer; error: RegExp}> = {
  'empty.txt': {bytes: () => Buffer.alloc(0), error: /^bad\/empty\.txt: file is empty$/},
  'binary.txt': {bytes: () => Buffer.from(Array.from({length: 4096}, (_, i) => (i * 7919) % 256)), error: /^bad\/binary\.txt: binary data, not a text file$/},
  'truncated.epub': {bytes: () => goodEpub().subarray(0, 400), error: /^bad\/truncated\.epub: malformed ZIP\/EPUB archive: no end-of-central-directory record \(truncated\?\)$/},
  'oversized.txt': {bytes: () => Buffer.from(`Title: Big\n\n${'word '.repeat(20_000)}`), error: /^bad\/oversized\.txt: is 97\.7 KB, over the 64\.0 KB limit \(--max-file-mb\); not read$/},
  'malformed.epub': {bytes: () => Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.alloc(100, 7), Buffer.from([0x50, 0x4b, 0x05, 0x06]), Buffer.alloc(18, 0xff)]), error: /^bad\/malformed\.epub: malformed ZIP\/EPUB archive: /},
  'bomb.epub': {
    bytes: () =>
      buildZip([
        {name: 'mimetype', data: 'application/epub+zip', store: true},
        {name: 'META-INF/container.xml', data: Buffer.alloc(20 * 1024 * 1024, 0x20), declaredSize: 100},
      ]),
    error: /^bad\/bomb\.epub: archive entry "META-INF\/container\.xml" inflates beyond the safety limit \(zip bomb\?\)$/,
  },
  'klingon.html': {bytes: () => Buffer.from('<html><head><meta charset="x-klingon-8"></head><body><p>Qapla!</p></body></html>'), error: /^bad\/klingon\.html: unknown or unsupported text encoding "x-klingon-8"$/},
  'header-only.txt': {bytes: () => Buffer.from('Title: Nothing Here\nAuthor: Nobody\n'), error: /^bad\/header-only\.txt: no story text found/},
  'odd-utf16.txt': {bytes: () => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('Hello there', 'utf16le'), Buffer.from([0x41])]), error: /^bad\/odd-utf16\.txt: truncated UTF-16/},
}

let dir: {path: string; cleanup: () => void}
let report: ImportReport

beforeAll(async () => {
  dir = tempDir()
  const bad = join(dir.path, 'bad')
  const good = join(dir.path, 'good')
  for (const [name, {bytes}] of Object.entries(BAD_FILES)) {
    writeFileSync(join(dir.path, name), '')
    writeFileSync(join(dir.path, name), bytes())
  }
  // Keep bad and good files in folders of their own so names in messages are predictable.
  const {mkdirSync, renameSync} = await import('node:fs')
  mkdirSync(bad)
  mkdirSync(good)
  for (const name of Object.keys(BAD_FILES)) renameSync(join(dir.path, name), join(bad, name))
  copyFileSync(join(FIXTURES, 'classic-header.txt'), join(good, 'classic-header.txt'))
  copyFileSync(join(FIXTURES, 'ao3-download.html'), join(good, 'ao3-download.html'))
  writeFileSync(join(good, 'lamplight.epub'), goodEpub())
  const run = await importToNdjson([bad, good], join(dir.path, 'out.ndjson'), {cwd: dir.path, maxFileBytes: 64 * 1024})
  report = run.report
})
afterAll(() => dir.cleanup())

describe('bad input', () => {
  it.each(Object.entries(BAD_FILES))('%s gets a one-line error naming the file', (name, {error}) => {
    const result = report.files.find((f) => f.file === `bad/${name}`)!
    expect(result.status).toBe('rejected')
    expect(result.error).toMatch(error)
    expect(result.error).not.toContain('\n')
    expect(result.error).not.toMatch(/\bat .*\(.*:\d+:\d+\)/)
  })

  it('imports the rest of the batch', () => {
    expect(report.files.filter((f) => f.file.startsWith('good/')).map((f) => f.status)).toEqual(['imported', 'imported', 'imported'])
    expect(report.totals).toMatchObject({imported: 3, rejected: Object.keys(BAD_FILES).length})
    expect(Object.values(report.rejectedReasons).reduce((a, b) => a + b, 0)).toBe(Object.keys(BAD_FILES).length)
  })
})

describe('determinism and atomic output', () => {
  it('importing the same folder twice yields byte-identical NDJSON', async () => {
    const first = await importToNdjson([FIXTURES], join(dir.path, 'a.ndjson'), {cwd: FIXTURES})
    const second = await importToNdjson([FIXTURES], join(dir.path, 'b.ndjson'), {cwd: FIXTURES})
    expect(first.ndjson.length).toBeGreaterThan(1000)
    expect(second.ndjson).toBe(first.ndjson)
  })

  it('leaves no NDJSON (and no temp file) behind when the run fails part-way', async () => {
    class FailingSink extends NdjsonSink {
      count = 0
      override async writeStory(docs: StoryDocuments): Promise<void> {
        if (++this.count === 2) throw Object.assign(new Error('disk full'), {code: 'ENOSPC', syscall: 'write'})
        return super.writeStory(docs)
      }
    }
    const out = join(dir.path, 'failing', 'out.ndjson')
    await expect(importFiles([FIXTURES], new FailingSink(out), {directory: new EntityDirectory()})).rejects.toThrow('disk full')
    expect(existsSync(out)).toBe(false)
    expect(readdirSync(join(dir.path, 'failing'))).toEqual([])
    expect(readFileSync(join(dir.path, 'a.ndjson'), 'utf8')).toContain('"_type":"story"')
  })
})
