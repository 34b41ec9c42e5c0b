import type {SanityClient} from '@sanity/client'
import {RATING_SEED, recordsFromRows} from '../../rules'
import type {StoryDocuments} from './documents'
import type {EntityDirectory, SanityDoc} from './entities'
import type {DocumentSink} from './ndjson-sink'
import {idsForMerge, mergeWork, type Mutation, type WriteOutcome} from './update-work'

/** The API refuses request bodies over 4 MB; stay well under it. */
export const MAX_TRANSACTION_BYTES = 3.5 * 1024 * 1024

export interface RetryOptions {
  retries: number
  baseDelayMs: number
}

function statusOf(error: unknown): number | undefined {
  const e = error as {statusCode?: number; response?: {statusCode?: number}}
  return e?.statusCode ?? e?.response?.statusCode
}

/** Retries 429 and 5xx (and network failures) with exponential backoff and jitter-free delays. */
export async function withRetry<T>(run: () => Promise<T>, options: RetryOptions = {retries: 5, baseDelayMs: 250}): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await run()
    } catch (error) {
      const status = statusOf(error)
      const retryable = status === undefined ? (error as {code?: string})?.code !== undefined : status === 429 || status >= 500
      if (!retryable || attempt >= options.retries) throw error
      await new Promise((resolve) => setTimeout(resolve, options.baseDelayMs * 2 ** attempt))
    }
  }
}

/** Loads existing authors, fandoms and series so imports reuse them instead of creating duplicates. */
export async function loadDirectory(client: SanityClient, directory: EntityDirectory): Promise<void> {
  const rows = await withRetry(() =>
    client.fetch<Array<{_id: string; _type: string; name?: string; title?: string; aliases?: string[]; rightsHolders?: string[]; successors?: string[]; parent?: string; isOriginalWork?: boolean; isRealPerson?: boolean}>>(
      '*[_type in ["author", "fandom", "series", "rightsHolder"] && !(_id in path("drafts.**"))]{_id, _type, name, title, aliases, "rightsHolders": rightsHolders[]._ref, "successors": successors[]._ref, "parent": parent._ref, isOriginalWork, isRealPerson}',
      {},
      {perspective: 'raw'},
    ),
  )
  const slugs = await withRetry(() =>
    client.fetch<Array<{_id: string; slug?: string}>>('*[_type == "story" && defined(slug.current)]{_id, "slug": slug.current}', {}, {perspective: 'raw'}),
  )
  for (const row of slugs) if (row.slug) directory.addStorySlug(row.slug, row._id)
  for (const row of rows) {
    const name = row._type === 'author' ? row.name : row.title
    if (name && row._type === 'series') directory.addSeries({_id: row._id, name})
    else if (name && row._type !== 'rightsHolder') directory.add({_id: row._id, name, aliases: row.aliases})
  }
  const {rightsHolders: holders, fandoms} = recordsFromRows({
    rightsHolders: rows.filter((row) => row._type === 'rightsHolder'),
    fandoms: rows.filter((row) => row._type === 'fandom'),
  })
  // The dataset's own fandoms and owners are the editors': they win over the shipped catalogue.
  directory.fandomKnowledge.addDataset({rightsHolders: holders, fandoms})
}

/**
 * Writes to a dataset in transactions under the API's body limit. A story and its chapters go in
 * one transaction (a story too big for one is split with the story itself last, so a reader never
 * sees it before its chapters). Everything is createIfNotExists with deterministic ids: re-importing
 * the same files changes nothing.
 */
export class DatasetSink implements DocumentSink {
  /** Stories waiting for the next transaction, each with its chapters and new authors/fandoms/series. */
  private pending: Array<{storyId?: string; docs: SanityDoc[]; bytes: number}> = []
  private pendingBytes = 0
  private started = false
  transactions = 0
  /** Stories left alone because the dataset already has them, published or as a draft. */
  skipped = 0
  /** Stories already in the dataset that a newer download changed. */
  updated = 0
  /** Base ids of every story in the dataset (loaded on the first write) or written by this run. */
  private stories: Set<string> | undefined

  constructor(
    private readonly client: SanityClient,
    private readonly retry: RetryOptions = {retries: 5, baseDelayMs: 250},
  ) {}

  private async send(docs: SanityDoc[]): Promise<void> {
    if (!docs.length) return
    await withRetry(() => {
      const tx = this.client.transaction()
      for (const doc of docs) tx.createIfNotExists(doc)
      return tx.commit({visibility: 'async'})
    }, this.retry)
    this.transactions++
  }

  /**
   * An imported draft that an editor has since published (or the reverse) must not come back:
   * a story present in either form is skipped with its chapters.
   */
  private async existingStories(storyIds: string[]): Promise<Set<string>> {
    if (!storyIds.length) return new Set()
    const ids = storyIds.flatMap((id) => [id, `drafts.${id}`])
    const found = await withRetry(() => this.client.fetch<string[]>('*[_id in $ids]._id', {ids}, {perspective: 'raw'}), this.retry)
    return new Set(found.map((id) => id.replace(/^drafts\./, '')))
  }

  private async flush(): Promise<void> {
    const units = this.pending
    this.pending = []
    this.pendingBytes = 0
    const existing = await this.existingStories(units.flatMap((unit) => (unit.storyId ? [unit.storyId] : [])))
    const docs: SanityDoc[] = []
    for (const unit of units) {
      if (unit.storyId && existing.has(unit.storyId)) {
        this.skipped++
        // Later stories may reference what this one introduced.
        docs.push(...unit.docs.filter((doc) => doc._type === 'author' || doc._type === 'fandom' || doc._type === 'series' || doc._type === 'rightsHolder'))
      } else docs.push(...unit.docs)
    }
    await this.send(docs)
  }

  private async knownStories(): Promise<Set<string>> {
    this.stories ??= new Set(
      (await withRetry(() => this.client.fetch<string[]>('*[_type == "story"]._id', {}, {perspective: 'raw'}), this.retry)).map((id) => id.replace(/^drafts\./, '')),
    )
    return this.stories
  }

  /** In order, in transactions under the size limit (mergeWork puts the story's own patches last). */
  private async mutate(mutations: Mutation[]): Promise<void> {
    let chunk: Mutation[] = []
    let bytes = 0
    const send = async () => {
      if (!chunk.length) return
      const batch = chunk
      chunk = []
      bytes = 0
      await withRetry(() => this.client.mutate(batch as never, {visibility: 'async'}), this.retry)
      this.transactions++
    }
    for (const mutation of mutations) {
      const size = Buffer.byteLength(JSON.stringify(mutation)) + 64
      if (bytes + size > MAX_TRANSACTION_BYTES) await send()
      chunk.push(mutation)
      bytes += size
    }
    await send()
  }

  /**
   * A work already in the dataset: refreshed from the new download where no editor changed it
   * (update-work.ts). An editor saving in between makes the revision check fail; the merge is
   * then done again against what they saved.
   */
  private async update(docs: StoryDocuments): Promise<WriteOutcome> {
    await this.flush()
    for (let attempt = 0; ; attempt++) {
      const existing = await withRetry(() => this.client.fetch<SanityDoc[]>('*[_id in $ids]', {ids: idsForMerge(docs)}, {perspective: 'raw'}), this.retry)
      const {mutations, outcome} = mergeWork(docs, existing)
      try {
        await this.mutate([...docs.created.map((doc): Mutation => ({createIfNotExists: doc})), ...(mutations.length ? mutations : [])])
        if (outcome.kind === 'updated') this.updated++
        else this.skipped++
        return outcome
      } catch (error) {
        if (attempt >= 2 || (error as {statusCode?: number})?.statusCode !== 409) throw error
      }
    }
  }

  async writeStory(docs: StoryDocuments): Promise<WriteOutcome> {
    if (!this.started) {
      this.started = true
      await this.send(RATING_SEED as unknown as SanityDoc[])
    }
    const stories = await this.knownStories()
    if (stories.has(docs.storyId)) return this.update(docs)
    stories.add(docs.storyId)
    const created: WriteOutcome = {kind: 'created', updated: [], addedChapters: 0, conflicts: []}
    const all = [...docs.created, ...docs.chapters, docs.story]
    const sizes = all.map((doc) => Buffer.byteLength(JSON.stringify(doc)) + 64)
    const total = sizes.reduce((a, b) => a + b, 0)
    if (this.pendingBytes + total > MAX_TRANSACTION_BYTES) await this.flush()
    if (total <= MAX_TRANSACTION_BYTES) {
      this.pending.push({storyId: docs.storyId, docs: all, bytes: total})
      this.pendingBytes += total
      return created
    }
    if ((await this.existingStories([docs.storyId])).size) {
      this.skipped++
      await this.send(docs.created)
      return created
    }
    // Too big for one transaction: chapters first, the story itself in the last one.
    let chunk: SanityDoc[] = []
    let chunkBytes = 0
    for (let i = 0; i < all.length; i++) {
      if (chunkBytes + sizes[i]! > MAX_TRANSACTION_BYTES && chunk.length) {
        await this.send(chunk)
        chunk = []
        chunkBytes = 0
      }
      chunk.push(all[i]!)
      chunkBytes += sizes[i]!
    }
    await this.send(chunk)
    return created
  }

  async writeEntities(docs: SanityDoc[]): Promise<void> {
    const bytes = docs.reduce((sum, doc) => sum + Buffer.byteLength(JSON.stringify(doc)) + 64, 0)
    this.pending.push({docs, bytes})
    this.pendingBytes += bytes
    if (this.pendingBytes > MAX_TRANSACTION_BYTES) await this.flush()
  }

  async commit(): Promise<void> {
    await this.flush()
  }

  async abort(): Promise<void> {
    this.pending = []
  }
}
