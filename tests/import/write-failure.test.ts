import {writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import type {StoryDocuments} from '../../scripts/import/documents'
import type {SanityDoc} from '../../scripts/import/entities'
import type {DocumentSink} from '../../scripts/import/ndjson-sink'
import {importFiles, WriteFailedError} from '../../scripts/import/run'
import {tempDir} from './helpers'

/** A destination that goes away after `okWrites` writes (a dropped connection, a full disk). */
class FailingDestination implements DocumentSink {
  writes = 0
  constructor(private readonly okWrites: number) {}
  private write(): void {
    if (this.writes++ >= this.okWrites) throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:3333'), {code: 'ECONNREFUSED'})
  }
  async writeStory(_docs: StoryDocuments): Promise<void> {
    this.write()
  }
  async writeEntities(_docs: SanityDoc[]): Promise<void> {
    this.write()
  }
  async commit(): Promise<void> {}
  async abort(): Promise<void> {}
}

const GOOD = 'Author: Pim\nFandom: Canal Town\nRating: G\nSummary: Pim ties the boat before the storm comes in.\nDisclaimer: Canal Town is not mine.\n\nPim tied the boat.\n'
const DRAFT = 'Author: Jo\nFandom: Weather\nRating: G\n\nIt rained.\n'

let dir: {path: string; cleanup: () => void}
beforeAll(() => {
  dir = tempDir('import-write-')
  writeFileSync(join(dir.path, 'a-good.txt'), GOOD)
  writeFileSync(join(dir.path, 'b-draft.txt'), DRAFT)
  writeFileSync(join(dir.path, 'c-good.txt'), GOOD.replace('Pim tied', 'Pim untied'))
})
afterAll(() => dir.cleanup())

describe('a failing destination stops the run', () => {
  it.each([
    ['a story write', false, 0, 0],
    ['the authors/fandoms of a story rejected by --strict', true, 1, 1],
  ])('%s', async (_name, strict, okWrites, filesRead) => {
    const sink = new FailingDestination(okWrites)
    const run = importFiles([dir.path], sink, {cwd: dir.path, strict})
    await expect(run).rejects.toBeInstanceOf(WriteFailedError)
    await expect(run).rejects.toMatchObject({filesRead, reason: 'connect ECONNREFUSED 127.0.0.1:3333'})
    // Nothing after the failure was read or written.
    expect(sink.writes).toBe(okWrites + 1)
  })
})
