import {closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync} from 'node:fs'
import {dirname} from 'node:path'
import {RATING_SEED} from '../../rules'
import type {StoryDocuments} from './documents'
import type {SanityDoc} from './entities'
import type {WriteOutcome} from './update-work'

export interface DocumentSink {
  /**
   * Written in order: new authors/fandoms, chapters, then the story that references them. A sink
   * that can see what is already stored says whether the story was created, updated or unchanged.
   */
  writeStory(docs: StoryDocuments): Promise<WriteOutcome | void>
  /** Authors/fandoms on their own (introduced by a story that was rejected). */
  writeEntities(docs: SanityDoc[]): Promise<void>
  commit(): Promise<void>
  abort(): Promise<void>
}

/**
 * NDJSON that `sanity dataset import` accepts. Written to a temp file next to the target and
 * renamed at the end, so an interrupted run never leaves a half-written dataset file.
 */
export class NdjsonSink implements DocumentSink {
  private readonly tempPath: string
  private fd: number
  private readonly written = new Set<string>()
  private buffer: string[] = []
  private bufferedBytes = 0

  constructor(private readonly path: string) {
    this.tempPath = `${path}.partial-${process.pid}`
    mkdirSync(dirname(path), {recursive: true})
    this.fd = openSync(this.tempPath, 'w')
    // Ratings are the seeded ids every story references.
    for (const seed of RATING_SEED) this.write(seed as unknown as SanityDoc)
  }

  private write(doc: SanityDoc): void {
    if (this.written.has(doc._id)) return
    this.written.add(doc._id)
    const line = `${JSON.stringify(doc)}\n`
    this.buffer.push(line)
    this.bufferedBytes += line.length
    if (this.bufferedBytes > 1 << 20) this.flush()
  }

  private flush(): void {
    if (!this.buffer.length) return
    writeSync(this.fd, this.buffer.join(''))
    this.buffer = []
    this.bufferedBytes = 0
  }

  async writeStory(docs: StoryDocuments): Promise<void> {
    for (const doc of docs.created) this.write(doc)
    for (const doc of docs.chapters) this.write(doc)
    this.write(docs.story)
  }

  async writeEntities(docs: SanityDoc[]): Promise<void> {
    for (const doc of docs) this.write(doc)
  }

  async commit(): Promise<void> {
    this.flush()
    fsyncSync(this.fd)
    closeSync(this.fd)
    renameSync(this.tempPath, this.path)
  }

  async abort(): Promise<void> {
    try {
      closeSync(this.fd)
    } catch {
      // Already closed.
    }
    rmSync(this.tempPath, {force: true})
  }
}
