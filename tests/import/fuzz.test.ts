import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import {buildStoryDocuments} from '../../scripts/import/documents'
import {EntityDirectory, sha256} from '../../scripts/import/entities'
import {ImportError} from '../../scripts/import/errors'
import {parseBytes} from '../../scripts/import/read-file'
import {buildEpub, fixture} from './helpers'

const NAMES = ['story.txt', 'story.html', 'story.md', 'story.epub', 'noextension']

/** Parses and builds documents; the only acceptable failure is a one-line ImportError naming the file. */
function importOnce(bytes: Buffer, name: string): void {
  const started = performance.now()
  try {
    const {work, format} = parseBytes(bytes, name)
    const docs = buildStoryDocuments(work, {fileName: name, format, checksum: sha256(bytes), directory: new EntityDirectory()})
    expect(docs.story._type).toBe('story')
    JSON.stringify(docs.story)
  } catch (error) {
    if (!(error instanceof ImportError)) throw new Error(`${name}: not an ImportError: ${(error as Error)?.stack ?? error}`)
    expect(error.message.startsWith(`${name}: `)).toBe(true)
    expect(error.message).not.toContain('\n')
  }
  // Inputs here are a few KB: anything slow is a hang in the making (generous for a busy machine).
  expect(performance.now() - started).toBeLessThan(5000)
}

const SEEDS = ['classic-header.txt', 'multi-chapter.html', 'ao3-download.html', 'fanficfare.html', 'plain.md'].map((name) => ({name, bytes: fixture(name)}))
const EPUB = buildEpub({
  title: 'Fuzz',
  author: 'A. Writer',
  titlePage: {Fandom: 'F', Rating: 'T', Summary: 'A summary that is long enough to pass.', Disclaimer: 'F belongs to G. Not mine.'},
  chapters: [{title: 'Chapter 1', paragraphs: ['One.', 'Two.']}, {title: 'Chapter 2', paragraphs: ['Three.']}],
})

const TOKENS = ['<', '>', '</p>', '<p>', '<div>', '<script>', '<!--', '&', '&#x', 'Summary:', 'Disclaimer-', '~*~', '* * *', '\n\n', '\r', '\u0000', '\uFEFF', 'Chapter 1', '---\n', '<dl class="tags">', '<a href="javascript:x">', '*', '_']

const mutation = fc.oneof(
  fc.record({kind: fc.constant('flip' as const), at: fc.nat(), value: fc.integer({min: 0, max: 255})}),
  fc.record({kind: fc.constant('truncate' as const), at: fc.nat()}),
  fc.record({kind: fc.constant('insert' as const), at: fc.nat(), text: fc.constantFrom(...TOKENS)}),
  fc.record({kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({min: 1, max: 64})}),
  fc.record({kind: fc.constant('repeat' as const), at: fc.nat(), length: fc.integer({min: 1, max: 32}), times: fc.integer({min: 2, max: 200})}),
)

type Mutation =
  | {kind: 'flip'; at: number; value: number}
  | {kind: 'truncate'; at: number}
  | {kind: 'insert'; at: number; text: string}
  | {kind: 'delete'; at: number; length: number}
  | {kind: 'repeat'; at: number; length: number; times: number}

function mutate(bytes: Buffer, mutations: Mutation[]): Buffer {
  let out = Buffer.from(bytes)
  for (const m of mutations) {
    const at = out.length ? m.at % out.length : 0
    if (m.kind === 'flip' && out.length) out[at] = m.value
    else if (m.kind === 'truncate') out = out.subarray(0, at)
    else if (m.kind === 'insert') out = Buffer.concat([out.subarray(0, at), Buffer.from(m.text), out.subarray(at)])
    else if (m.kind === 'delete') out = Buffer.concat([out.subarray(0, at), out.subarray(at + m.length)])
    else if (m.kind === 'repeat') {
      const chunk = out.subarray(at, at + m.length)
      out = Buffer.concat([out.subarray(0, at), ...Array.from({length: m.times}, () => chunk), out.subarray(at)])
    }
  }
  return out
}

describe('no input crashes or hangs the importer', () => {
  it('random strings in every format', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({maxLength: 400}), fc.string({unit: 'grapheme', maxLength: 200}), fc.array(fc.constantFrom(...TOKENS, 'word ', 'Title: T', 'Author: A'), {maxLength: 80}).map((parts) => parts.join(''))), fc.constantFrom(...NAMES), (text, name) => {
        importOnce(Buffer.from(text, 'utf8'), name)
      }),
      {numRuns: 1500},
    )
  })

  it('pathologically deep nesting', () => {
    importOnce(Buffer.from(`<dl class="tags"></dl>${'<div>'.repeat(200_000)}text`), 'deep.html')
    importOnce(Buffer.from(`${'<b><i>'.repeat(100_000)}text`), 'marks.html')
  })

  it('mutated fixtures', () => {
    fc.assert(
      fc.property(fc.constantFrom(...SEEDS), fc.array(mutation, {minLength: 1, maxLength: 8}), (seed, mutations) => {
        importOnce(mutate(seed.bytes, mutations), seed.name)
      }),
      {numRuns: 1500},
    )
  })

  it('mutated EPUB archives', () => {
    fc.assert(
      fc.property(fc.array(mutation, {minLength: 1, maxLength: 4}), (mutations) => {
        importOnce(mutate(EPUB, mutations), 'book.epub')
      }),
      {numRuns: 1000},
    )
  })

  it('random bytes as files', () => {
    fc.assert(
      fc.property(fc.uint8Array({maxLength: 2048}), fc.constantFrom(...NAMES), (bytes, name) => {
        importOnce(Buffer.from(bytes), name)
      }),
      {numRuns: 1000},
    )
  })
})
