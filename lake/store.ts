import {join} from 'node:path'
import {DatabaseSync, type StatementSync} from 'node:sqlite'
import {randomBytes} from 'node:crypto'
import {applyAction} from './actions'
import {LakeError} from './errors'
import {isPublishedId, isValidDocumentId, publishedIdOf} from './ids'
import {affectedBaseId, isVisibleInPublished, overlayFor, perspectiveKey} from './perspective'
import {evaluateSync} from 'groq-js'
import {parseQuery, runQuery, type QueryOptions} from './query'
import {QueryBudget, queryTimeLimitMs} from './query-budget'
import {indexText} from './search-text'
import {WorkingTransaction, type MutationResult} from './transaction'
import type {CommittedTransaction, DocumentChange, LakeDocument, Perspective} from './types'
import {ensurePrivateFile, makeDataDirPrivate} from './private-files'
import {assertReferentialIntegrity, strongReferences} from './references'
import {DocView, refKey} from './view'

export const LOCAL_USER_ID = 'p-local-author'

export interface MutateOptions {
  transactionId?: string
  identity?: string
  dryRun?: boolean
  autoGenerateArrayKeys?: boolean
  /** Benchmark/test seeding may skip per-revision history rows (history then starts later). */
  skipRevisions?: boolean
  /** Imports check that strong references resolve once all their batches are in (see importNdjson). */
  deferReferenceTargets?: boolean
  /** Seeding a generated archive keeps the documents' own `_updatedAt` (lists order by it). */
  keepTimestamps?: boolean
}

export interface MutateResult {
  transactionId: string
  results: MutationResult[]
  documents: LakeDocument[]
  changes: DocumentChange[]
}

export interface HistoryTransaction {
  id: string
  timestamp: string
  author: string
  documentIDs: string[]
  mutations: unknown[]
}

export type TransactionListener = (transaction: CommittedTransaction) => void

export interface Store {
  readonly dataDir: string
  datasets(): string[]
  query(dataset: string, groq: string, params?: Record<string, unknown>, perspective?: Perspective, options?: QueryOptions): Promise<unknown>
  getDocuments(dataset: string, ids: string[], perspective?: Perspective): Array<LakeDocument | null>
  /** All documents a perspective sees, in view order (the full-scan baseline uses this). */
  documents(dataset: string, perspective?: Perspective): LakeDocument[]
  mutate(dataset: string, mutations: unknown[], options?: MutateOptions): MutateResult
  applyActions(dataset: string, actions: unknown[], options?: MutateOptions): MutateResult
  subscribe(dataset: string, listener: TransactionListener): () => void
  listenerCount(dataset: string): number
  history(dataset: string, documentId: string, options?: {limit?: number; reverse?: boolean}): HistoryTransaction[]
  documentAtRevision(dataset: string, documentId: string, revision: string): LakeDocument | null
  documentAtTime(dataset: string, documentId: string, time: string): LakeDocument | null
  /** The newest stored revision of a document, also after it was deleted. */
  lastRevision(dataset: string, documentId: string): LakeDocument | null
  /** Transactions touching any of `ids`, with before/after states of those ids (history timeline). */
  transactionLog(dataset: string, ids: string[]): CommittedTransaction[]
  /**
   * Committed transactions after `transactionId`, for listener resume; null if the id is unknown
   * or more than `limit` transactions followed it (the listener then answers `reset`).
   */
  transactionsAfter(dataset: string, transactionId: string, limit?: number): CommittedTransaction[] | null
  exportNdjson(dataset: string): Iterable<string>
  importNdjson(dataset: string, lines: Iterable<string>, options?: {replace?: boolean; missing?: boolean; batchSize?: number}): {documents: number; transactions: number}
  close(): void
}

const DATASET_NAME = /^[a-z0-9][a-z0-9_-]{0,63}$/

export function assertDatasetName(name: string): void {
  if (!DATASET_NAME.test(name)) {
    throw new LakeError(400, 'validationError', `Invalid dataset name "${name}": use lowercase letters, digits, "_" and "-"`)
  }
}

function newTransactionId(): string {
  return randomBytes(16).toString('base64url').slice(0, 22)
}

/** In-memory views of one dataset, kept in step with SQLite after each commit. */
class DatasetState {
  readonly raw = new DocView()
  readonly published = new DocView()
  private drafts: DocView | null = null
  private readonly stacks = new Map<string, DocView>()
  readonly listeners = new Set<TransactionListener>()

  /** Forgets every document (listeners stay), before reloading from SQLite. */
  reset(): void {
    this.raw.clear()
    this.published.clear()
    this.drafts = null
    this.stacks.clear()
  }

  load(doc: LakeDocument): void {
    this.raw.put(doc._id, doc)
    if (isVisibleInPublished(doc._id)) this.published.put(doc._id, doc)
  }

  apply(changes: DocumentChange[]): void {
    for (const change of changes) {
      this.raw.put(change.id, change.after)
      if (isVisibleInPublished(change.id)) this.published.put(change.id, change.after)
    }
    if (this.drafts) this.refreshStack(this.drafts, ['drafts'], changes)
    for (const [key, view] of this.stacks) this.refreshStack(view, key.split(','), changes)
  }

  view(perspective: Perspective): DocView {
    if (perspective === 'raw') return this.raw
    if (perspective === 'published') return this.published
    if (perspective === 'drafts') {
      this.drafts ??= this.buildStack(['drafts'])
      return this.drafts
    }
    const key = perspectiveKey(perspective)
    let view = this.stacks.get(key)
    if (!view) {
      // Bounded: release stacks are few, but a client could ask for many.
      if (this.stacks.size > 16) this.stacks.clear()
      view = this.buildStack(perspective)
      this.stacks.set(key, view)
    }
    return view
  }

  private buildStack(stack: readonly string[]): DocView {
    const view = new DocView()
    const bases = new Set<string>()
    for (const doc of this.raw.all()) {
      const base = affectedBaseId(doc._id, stack)
      if (base !== null) bases.add(base)
    }
    for (const base of bases) view.put(base, overlayFor(base, stack, (id) => this.raw.get(id)))
    return view
  }

  private refreshStack(view: DocView, stack: readonly string[], changes: DocumentChange[]): void {
    for (const change of changes) {
      const base = affectedBaseId(change.id, stack)
      if (base !== null) view.put(base, overlayFor(base, stack, (id) => this.raw.get(id)))
    }
  }
}

export function openStore(dataDir: string): Store {
  makeDataDirPrivate(dataDir)
  // SQLite gives its -wal and -shm files the database file's mode.
  ensurePrivateFile(join(dataDir, 'lake.sqlite'))
  const db = new DatabaseSync(join(dataDir, 'lake.sqlite'))
  // WAL + synchronous=FULL: a COMMIT that returned is on disk, so acknowledged transactions survive kill -9.
  db.exec('PRAGMA journal_mode = WAL')
  db.exec('PRAGMA synchronous = FULL')
  db.exec('PRAGMA busy_timeout = 5000')
  db.exec(`
    CREATE TABLE IF NOT EXISTS datasets (name TEXT PRIMARY KEY);
    CREATE TABLE IF NOT EXISTS documents (
      dataset TEXT NOT NULL, id TEXT NOT NULL, type TEXT NOT NULL, rev TEXT, json TEXT NOT NULL,
      PRIMARY KEY (dataset, id)
    ) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS transactions (
      seq INTEGER PRIMARY KEY AUTOINCREMENT,
      id TEXT NOT NULL UNIQUE, dataset TEXT NOT NULL, timestamp TEXT NOT NULL, identity TEXT NOT NULL,
      mutations TEXT NOT NULL, document_ids TEXT NOT NULL, changes TEXT NOT NULL
    );
    CREATE INDEX IF NOT EXISTS transactions_by_dataset ON transactions (dataset, seq);
    CREATE TABLE IF NOT EXISTS search_rows (row INTEGER PRIMARY KEY, dataset TEXT NOT NULL, id TEXT NOT NULL, UNIQUE (dataset, id));
    CREATE TABLE IF NOT EXISTS revisions (
      dataset TEXT NOT NULL, doc_id TEXT NOT NULL, tx_seq INTEGER NOT NULL, rev TEXT NOT NULL, timestamp TEXT NOT NULL, json TEXT,
      PRIMARY KEY (dataset, doc_id, tx_seq)
    ) WITHOUT ROWID;
  `)

  // The full-text index holds what search-text.ts's indexText writes. A data folder from before
  // (`search_text`, whole text only) drops it and its rows; ensureSearchIndex refills.
  if (!db.prepare("SELECT 1 AS found FROM sqlite_master WHERE name = 'search_fts'").get()) {
    db.exec(`
      DROP TABLE IF EXISTS search_text;
      DROP TABLE IF EXISTS search_tokens;
      DELETE FROM search_rows;
      CREATE VIRTUAL TABLE search_fts USING fts5(text, content='', contentless_delete=1, detail=none, tokenize='unicode61 remove_diacritics 2');
    `)
  }

  const statements = {
    addDataset: db.prepare('INSERT OR IGNORE INTO datasets (name) VALUES (?)'),
    listDatasets: db.prepare('SELECT name FROM datasets ORDER BY name'),
    hasDataset: db.prepare('SELECT 1 AS found FROM datasets WHERE name = ?'),
    loadDocs: db.prepare('SELECT json FROM documents WHERE dataset = ?'),
    upsertDoc: db.prepare('INSERT OR REPLACE INTO documents (dataset, id, type, rev, json) VALUES (?, ?, ?, ?, ?)'),
    deleteDoc: db.prepare('DELETE FROM documents WHERE dataset = ? AND id = ?'),
    insertTx: db.prepare(
      'INSERT INTO transactions (id, dataset, timestamp, identity, mutations, document_ids, changes) VALUES (?, ?, ?, ?, ?, ?, ?)',
    ),
    insertRevision: db.prepare('INSERT INTO revisions (dataset, doc_id, tx_seq, rev, timestamp, json) VALUES (?, ?, ?, ?, ?, ?)'),
    txSeq: db.prepare('SELECT seq FROM transactions WHERE dataset = ? AND id = ?'),
    txAfter: db.prepare('SELECT seq, id, timestamp, identity, mutations, changes FROM transactions WHERE dataset = ? AND seq > ? ORDER BY seq LIMIT ?'),
    txForDoc: db.prepare(
      "SELECT seq, id, timestamp, identity, mutations, document_ids, changes FROM transactions WHERE dataset = ? AND (document_ids LIKE ? ESCAPE '\\' OR document_ids LIKE ? ESCAPE '\\') ORDER BY seq",
    ),
    revisionAt: db.prepare('SELECT json FROM revisions WHERE dataset = ? AND doc_id = ? AND rev = ?'),
    revisionBeforeSeq: db.prepare(
      'SELECT json FROM revisions WHERE dataset = ? AND doc_id = ? AND tx_seq < ? ORDER BY tx_seq DESC LIMIT 1',
    ),
    revisionAtTime: db.prepare(
      'SELECT json FROM revisions WHERE dataset = ? AND doc_id = ? AND timestamp <= ? ORDER BY tx_seq DESC LIMIT 1',
    ),
    lastRevision: db.prepare(
      'SELECT json FROM revisions WHERE dataset = ? AND doc_id = ? AND json IS NOT NULL ORDER BY tx_seq DESC LIMIT 1',
    ),
    revisionAtSeq: db.prepare('SELECT json FROM revisions WHERE dataset = ? AND doc_id = ? AND tx_seq = ?'),
    exportDocs: db.prepare('SELECT json FROM documents WHERE dataset = ? ORDER BY id'),
    searchRow: db.prepare('SELECT row FROM search_rows WHERE dataset = ? AND id = ?'),
    addSearchRow: db.prepare('INSERT INTO search_rows (dataset, id) VALUES (?, ?)'),
    dropSearchRow: db.prepare('DELETE FROM search_rows WHERE row = ?'),
    putSearchText: db.prepare('INSERT OR REPLACE INTO search_fts (rowid, text) VALUES (?, ?)'),
    dropSearchText: db.prepare('DELETE FROM search_fts WHERE rowid = ?'),
    countSearchRows: db.prepare('SELECT COUNT(*) AS n FROM search_rows WHERE dataset = ?'),
    clearSearchText: db.prepare('DELETE FROM search_fts WHERE rowid IN (SELECT row FROM search_rows WHERE dataset = ?)'),
    clearSearchRows: db.prepare('DELETE FROM search_rows WHERE dataset = ?'),
    countSearch: db.prepare('SELECT count(*) AS n FROM (SELECT 1 FROM search_fts WHERE search_fts MATCH ? LIMIT ?)'),
    search: db.prepare('SELECT r.id AS id FROM search_fts JOIN search_rows r ON r.row = search_fts.rowid WHERE search_fts MATCH ? AND r.dataset = ? LIMIT ?'),
  } satisfies Record<string, StatementSync>

  const states = new Map<string, DatasetState>()
  let closed = false
  /** Set while importNdjson holds one SQLite transaction around all its batches. */
  let importing: {committed: CommittedTransaction[]} | null = null

  /** The dataset's state, created on first use: only for writes (and reads of known datasets). */
  function state(dataset: string): DatasetState {
    assertDatasetName(dataset)
    let current = states.get(dataset)
    if (!current) {
      current = new DatasetState()
      for (const row of statements.loadDocs.iterate(dataset) as Iterable<{json: string}>) {
        current.load(JSON.parse(row.json) as LakeDocument)
      }
      if (!importing) ensureSearchIndex(dataset, current)
      states.set(dataset, current)
    }
    return current
  }

  // Reads of a dataset nobody wrote to see this empty state, so a token-less GET with any
  // valid name allocates nothing and creates no dataset.
  const emptyState = new DatasetState()

  function isKnown(dataset: string): boolean {
    return states.has(dataset) || statements.hasDataset.get(dataset) !== undefined
  }

  function readState(dataset: string): DatasetState {
    assertDatasetName(dataset)
    return isKnown(dataset) ? state(dataset) : emptyState
  }

  function assertOpen(): void {
    if (closed) throw new LakeError(503, 'serviceUnavailable', 'The lake store is closed')
  }

  function queryIdsFor(dataset: string) {
    return (query: string, params: Record<string, unknown>): string[] => {
      // Mutations by query see committed raw state; the query is a GROQ document selection.
      const text = query.trim().startsWith('*') ? query : `*[${query}]`
      return runQuerySyncIds(state(dataset).raw, text, params)
    }
  }

  function commit(
    dataset: string,
    tx: WorkingTransaction,
    mutationsForLog: unknown[],
    options: MutateOptions,
  ): MutateResult {
    const current = state(dataset)
    const transactionId = options.transactionId || newTransactionId()
    if (options.transactionId !== undefined && !/^[A-Za-z0-9._-]{1,128}$/.test(options.transactionId)) {
      throw new LakeError(400, 'validationError', 'transactionId may only contain letters, digits, ".", "_" and "-"')
    }
    const timestamp = new Date().toISOString()
    const identity = options.identity ?? LOCAL_USER_ID
    const changes: DocumentChange[] = []
    for (const [id, draftAfter] of tx.touched) {
      const before = current.raw.get(id) ?? null
      if (!before && !draftAfter) continue
      let after: LakeDocument | null = null
      if (draftAfter) {
        after = {
          ...draftAfter,
          _createdAt: typeof draftAfter._createdAt === 'string' ? draftAfter._createdAt : (before?._createdAt ?? timestamp),
          _updatedAt: options.keepTimestamps && typeof draftAfter._updatedAt === 'string' ? draftAfter._updatedAt : timestamp,
          _rev: transactionId,
        }
      }
      changes.push({id, before, after, transition: !before ? 'appear' : !after ? 'disappear' : 'update'})
    }
    assertReferentialIntegrity({
      touched: tx.touched,
      before: (id) => current.raw.get(id) ?? null,
      after: (id) => tx.get(id),
      referencing: (id) => current.raw.idsWithKey(refKey(id)),
      deferTargets: options.deferReferenceTargets,
      retyped: tx.retyped,
      indexOf: (id) => tx.touchedBy.get(id) ?? 0,
    })
    const documents = changes.filter((c) => c.after).map((c) => c.after!)
    const result: MutateResult = {transactionId, results: tx.results, documents, changes}
    if (options.dryRun) return result

    const changeSummary = changes.map((c) => ({
      id: c.id,
      transition: c.transition,
      previousRev: c.before?._rev ?? null,
      resultRev: c.after ? transactionId : null,
    }))
    // Inside an import the outer SQLite transaction commits (or rolls back) every batch at once.
    const begin = importing ? 'SAVEPOINT lake_tx' : 'BEGIN IMMEDIATE'
    const end = importing ? 'RELEASE lake_tx' : 'COMMIT'
    const undo = importing ? 'ROLLBACK TO lake_tx; RELEASE lake_tx' : 'ROLLBACK'
    db.exec(begin)
    try {
      statements.addDataset.run(dataset)
      const info = statements.insertTx.run(
        transactionId,
        dataset,
        timestamp,
        identity,
        JSON.stringify(mutationsForLog),
        JSON.stringify(changes.map((c) => c.id)),
        JSON.stringify(changeSummary),
      )
      const seq = Number(info.lastInsertRowid)
      for (const change of changes) {
        const json = change.after ? JSON.stringify(change.after) : null
        if (change.after) statements.upsertDoc.run(dataset, change.id, change.after._type, transactionId, json)
        else statements.deleteDoc.run(dataset, change.id)
        indexSearchText(dataset, change.id, change.after)
        if (!options.skipRevisions) statements.insertRevision.run(dataset, change.id, seq, transactionId, timestamp, json)
      }
      db.exec(end)
    } catch (err) {
      rollbackQuietly(undo)
      if (String((err as Error).message).includes('UNIQUE constraint failed: transactions.id')) {
        throw new LakeError(409, 'conflictError', `Transaction ID "${transactionId}" has already been used`)
      }
      throw storageError(err)
    }
    // The transaction is on disk from here on: whatever happens in memory, the answer is success.
    try {
      current.apply(changes)
    } catch {
      reloadFromDisk(dataset, current)
    }
    if (changes.length > 0) {
      const committed: CommittedTransaction = {dataset, transactionId, timestamp, identity, changes, mutations: tx.submitted}
      if (importing) importing.committed.push(committed)
      else notify(current, committed)
    }
    return result
  }

  /**
   * After a failed write SQLite may already have rolled back by itself (a full disk does): a
   * second ROLLBACK would fail with "no transaction is active" and hide the real error.
   */
  function rollbackQuietly(undo: string): void {
    if (!db.isTransaction) return
    try {
      db.exec(undo)
    } catch {
      // Nothing was committed either way.
    }
  }

  /** Keeps the full-text index (search_text) in step with one document, inside the caller's transaction. */
  function indexSearchText(dataset: string, id: string, doc: LakeDocument | null): void {
    const existing = statements.searchRow.get(dataset, id) as {row: number} | undefined
    if (!doc) {
      if (existing) {
        statements.dropSearchText.run(existing.row)
        statements.dropSearchRow.run(existing.row)
      }
      return
    }
    const row = existing ? existing.row : Number(statements.addSearchRow.run(dataset, id).lastInsertRowid)
    statements.putSearchText.run(row, searchTextOf(doc))
  }

  /** Data folders written before the full-text index get it on first use (once). */
  function ensureSearchIndex(dataset: string, current: DatasetState): void {
    const indexed = (statements.countSearchRows.get(dataset) as {n: number}).n
    if (indexed === current.raw.size) return
    db.exec('BEGIN IMMEDIATE')
    try {
      statements.clearSearchText.run(dataset)
      statements.clearSearchRows.run(dataset)
      for (const doc of current.raw.all()) indexSearchText(dataset, doc._id, doc)
      db.exec('COMMIT')
    } catch (err) {
      db.exec('ROLLBACK')
      throw err
    }
  }

  /** Ids of raw documents matching an FTS5 query made by search-text.ts (termQuery); null past `limit`. */
  function searchIds(dataset: string, match: string, limit: number): string[] | null {
    // Counting stays inside SQLite; reading ids costs per row, so too many are never read.
    if ((statements.countSearch.get(match, limit + 1) as {n: number}).n > limit) return null
    const rows = statements.search.all(match, dataset, limit + 1) as Array<{id: string}>
    return rows.length > limit ? null : rows.map((row) => row.id)
  }

  function notify(current: DatasetState, committed: CommittedTransaction): void {
    for (const listener of current.listeners) {
      try {
        listener(committed)
      } catch {
        // A broken listener must not undo or block an acknowledged commit.
      }
    }
  }

  /** Rebuilds a dataset's memory from SQLite (after an in-memory failure or a rolled-back import). */
  function reloadFromDisk(dataset: string, current: DatasetState): void {
    try {
      current.reset()
      for (const row of statements.loadDocs.iterate(dataset) as Iterable<{json: string}>) {
        current.load(JSON.parse(row.json) as LakeDocument)
      }
    } catch {
      // Still broken: drop the state so the next access loads it afresh.
      if (states.get(dataset) === current) states.delete(dataset)
    }
  }

  type TxRow = {seq: number; id: string; timestamp: string; identity: string; changes: string; mutations?: string}
  function rowToTransaction(dataset: string, row: TxRow, only?: Set<string>): CommittedTransaction {
    let summary = JSON.parse(row.changes) as Array<{id: string; transition: DocumentChange['transition']}>
    if (only) summary = summary.filter((c) => only.has(c.id))
    const changes: DocumentChange[] = []
    for (const c of summary) {
      const after = statements.revisionAtSeq.get(dataset, c.id, row.seq) as {json: string | null} | undefined
      const before = statements.revisionBeforeSeq.get(dataset, c.id, row.seq) as {json: string | null} | undefined
      let afterDoc = after?.json ? (JSON.parse(after.json) as LakeDocument) : null
      if (!after && c.transition !== 'disappear') {
        // Bulk loads keep no revision rows: only the current document can stand in for its own revision.
        const current = readState(dataset).raw.get(c.id)
        if (current?._rev !== row.id) continue
        afterDoc = current
      }
      changes.push({
        id: c.id,
        transition: c.transition,
        after: afterDoc,
        before: c.transition === 'appear' || !before?.json ? null : (JSON.parse(before.json) as LakeDocument),
      })
    }
    return {dataset, transactionId: row.id, timestamp: row.timestamp, identity: row.identity, changes, mutations: storedMutations(row.mutations)}
  }

  const store: Store = {
    dataDir,
    datasets() {
      assertOpen()
      return (statements.listDatasets.all() as Array<{name: string}>).map((r) => r.name)
    },

    async query(dataset, groq, params = {}, perspective = 'raw', options = {}) {
      assertOpen()
      const view = readState(dataset).view(perspective)
      const textSearch = {search: (match: string, limit: number) => searchIds(dataset, match, limit), raw: perspective === 'raw'}
      return runQuery(view, groq, params, {sanity: {projectId: 'local', dataset}, textSearch, ...options})
    },

    documents(dataset, perspective = 'raw') {
      assertOpen()
      return readState(dataset).view(perspective).all()
    },

    getDocuments(dataset, ids, perspective = 'raw') {
      assertOpen()
      const view = readState(dataset).view(perspective)
      return ids.map((id) => {
        if (perspective === 'raw') return view.get(id) ?? null
        if (perspective === 'published' && !isVisibleInPublished(id)) return null
        return view.get(publishedIdOf(id)) ?? null
      })
    },

    mutate(dataset, mutations, options = {}) {
      assertOpen()
      if (!Array.isArray(mutations)) throw new LakeError(400, 'validationError', 'mutations must be an array')
      const current = state(dataset)
      const tx = new WorkingTransaction((id) => current.raw.get(id) ?? null, queryIdsFor(dataset), options)
      for (const mutation of mutations) tx.apply(mutation)
      return commit(dataset, tx, tx.submitted, options)
    },

    applyActions(dataset, actions, options = {}) {
      assertOpen()
      if (!Array.isArray(actions)) throw new LakeError(400, 'validationError', 'actions must be an array')
      const current = state(dataset)
      const tx = new WorkingTransaction((id) => current.raw.get(id) ?? null, queryIdsFor(dataset), options)
      actions.forEach((action, index) => {
        tx.actionIndex = index
        applyAction(tx, action, index)
      })
      return commit(dataset, tx, tx.submitted, options)
    },

    subscribe(dataset, listener) {
      assertDatasetName(dataset)
      // Listening needs a state the first write will notify, but a dataset that was never
      // written to is forgotten again when its last listener leaves.
      const current = state(dataset)
      current.listeners.add(listener)
      return () => {
        current.listeners.delete(listener)
        if (!closed && current.listeners.size === 0 && states.get(dataset) === current && statements.hasDataset.get(dataset) === undefined) {
          states.delete(dataset)
        }
      }
    },

    listenerCount(dataset) {
      return states.get(dataset)?.listeners.size ?? 0
    },

    history(dataset, documentId, options = {}) {
      assertOpen()
      const published = publishedIdOf(documentId)
      const rows = statements.txForDoc.all(dataset, ...idPatterns(published)) as Array<{
        id: string
        timestamp: string
        identity: string
        mutations: string
        document_ids: string
      }>
      let list = rows.map((row) => ({
        id: row.id,
        timestamp: row.timestamp,
        author: row.identity,
        documentIDs: JSON.parse(row.document_ids) as string[],
        mutations: JSON.parse(row.mutations) as unknown[],
      }))
      if (options.reverse) list = list.reverse()
      return options.limit ? list.slice(0, options.limit) : list
    },

    documentAtRevision(dataset, documentId, revision) {
      assertOpen()
      const row = statements.revisionAt.get(dataset, documentId, revision) as {json: string | null} | undefined
      return row?.json ? (JSON.parse(row.json) as LakeDocument) : null
    },

    documentAtTime(dataset, documentId, time) {
      assertOpen()
      const row = statements.revisionAtTime.get(dataset, documentId, time) as {json: string | null} | undefined
      return row?.json ? (JSON.parse(row.json) as LakeDocument) : null
    },

    lastRevision(dataset, documentId) {
      assertOpen()
      const row = statements.lastRevision.get(dataset, documentId) as {json: string | null} | undefined
      return row?.json ? (JSON.parse(row.json) as LakeDocument) : null
    },

    transactionLog(dataset, ids) {
      assertOpen()
      const bySeq = new Map<number, TxRow>()
      for (const id of ids) {
        const published = publishedIdOf(id)
        const rows = statements.txForDoc.all(dataset, ...idPatterns(published)) as unknown as TxRow[]
        for (const row of rows) bySeq.set(row.seq, row)
      }
      const wanted = new Set(ids)
      return [...bySeq.values()]
        .sort((a, b) => a.seq - b.seq)
        .map((row) => rowToTransaction(dataset, row, wanted))
        .filter((tx) => tx.changes.length > 0)
    },

    transactionsAfter(dataset, transactionId, limit = Number.MAX_SAFE_INTEGER) {
      assertOpen()
      const start = statements.txSeq.get(dataset, transactionId) as {seq: number} | undefined
      if (!start) return null
      // One row more than allowed tells "too many" without reading the whole history.
      const rows = statements.txAfter.all(dataset, start.seq, Math.min(limit, Number.MAX_SAFE_INTEGER - 1) + 1) as unknown as TxRow[]
      if (rows.length > limit) return null
      return rows.map((row) => rowToTransaction(dataset, row))
    },

    *exportNdjson(dataset) {
      assertOpen()
      assertDatasetName(dataset)
      for (const row of statements.exportDocs.iterate(dataset) as Iterable<{json: string}>) yield row.json
    },

    importNdjson(dataset, lines, options = {}) {
      assertOpen()
      const docs: LakeDocument[] = []
      let lineNumber = 0
      for (const line of lines) {
        lineNumber++
        if (!line.trim()) continue
        let doc: unknown
        try {
          doc = JSON.parse(line)
        } catch (err) {
          throw new LakeError(400, 'validationError', `line ${lineNumber}: invalid JSON (${(err as Error).message})`)
        }
        if (!doc || typeof doc !== 'object' || Array.isArray(doc)) {
          throw new LakeError(400, 'validationError', `line ${lineNumber}: expected a document object`)
        }
        const d = doc as LakeDocument
        if (!isValidDocumentId(d._id)) throw new LakeError(400, 'validationError', `line ${lineNumber}: field _id is missing or invalid`)
        if (typeof d._type !== 'string' || !d._type) throw new LakeError(400, 'validationError', `line ${lineNumber}: field _type is missing (document "${d._id}")`)
        docs.push(d)
      }
      const kind = options.replace ? 'createOrReplace' : options.missing ? 'createIfNotExists' : 'create'
      if (kind === 'create') {
        // Refuse before writing anything, so a conflicting import leaves no partial batches behind.
        const raw = readState(dataset).raw
        const seen = new Set<string>()
        docs.forEach((doc, i) => {
          if (raw.has(doc._id) || seen.has(doc._id)) {
            throw new LakeError(409, 'mutationError', `document #${i + 1} ("${doc._id}"): Document by ID "${doc._id}" already exists (use --replace to overwrite or --missing to skip existing)`)
          }
          seen.add(doc._id)
        })
      }
      const batchSize = options.batchSize ?? 5000
      if (importing) throw new LakeError(409, 'conflictError', 'Another import is running')
      // All batches share one SQLite transaction: a failing batch leaves nothing of the import behind.
      db.exec('BEGIN IMMEDIATE')
      importing = {committed: []}
      const committed = importing.committed
      let transactions = 0
      try {
        for (let i = 0; i < docs.length; i += batchSize) {
          const batch = docs.slice(i, i + batchSize)
          try {
            store.mutate(dataset, batch.map((doc) => ({[kind]: doc})), {deferReferenceTargets: true})
          } catch (err) {
            if (err instanceof LakeError && err.type === 'mutationError') {
              const item = (err.extra.items as Array<{index: number}> | undefined)?.[0]
              const line = item ? i + item.index + 1 : i + 1
              throw new LakeError(err.status, err.type, `document #${line} ("${batch[item?.index ?? 0]._id}"): ${err.message} (use --replace to overwrite or --missing to skip existing)`)
            }
            throw err
          }
          transactions++
        }
        // Batches may reference documents of later batches: strong references are checked once all are in.
        const raw = readState(dataset).raw
        docs.forEach((doc, i) => {
          for (const ref of strongReferences(raw.get(doc._id) ?? doc)) {
            if (!raw.has(ref)) {
              throw new LakeError(409, 'mutationError', `document #${i + 1} ("${doc._id}"): references non-existent document "${ref}" (make the reference weak with "_weak": true, or import that document too)`)
            }
          }
        })
        importing = null
        db.exec('COMMIT')
      } catch (err) {
        importing = null
        try {
          db.exec('ROLLBACK')
        } catch {
          // SQLite already rolled back (e.g. a failed COMMIT).
        }
        const current = states.get(dataset)
        if (current && committed.length > 0) reloadFromDisk(dataset, current)
        throw err
      }
      const current = states.get(dataset)
      if (current) for (const transaction of committed) notify(current, transaction)
      return {documents: docs.length, transactions}
    },

    close() {
      if (closed) return
      closed = true
      for (const current of states.values()) current.listeners.clear()
      db.close()
    },
  }
  return store
}

/** A full disk answers 507 naming the cause; nothing of the transaction was written. */
function storageError(err: unknown): unknown {
  const message = String((err as Error)?.message ?? err)
  if (/SQLITE_FULL|database or disk is full|ENOSPC/i.test(message)) {
    return new LakeError(507, 'insufficientStorageError', `The lake's disk is full; nothing of this transaction was written (${message})`)
  }
  return err
}

/** The `mutations` column: mutations as applied (older rows may hold submitted actions instead). */
function storedMutations(json: string | undefined): unknown[] | undefined {
  if (!json) return undefined
  try {
    const list = JSON.parse(json) as unknown
    return Array.isArray(list) && list.every((m) => m && typeof m === 'object' && !('actionType' in m)) ? list : undefined
  } catch {
    return undefined
  }
}

/** What the full-text index holds for a document: the strings `@ match` reads, and its id. */
function searchTextOf(doc: LakeDocument): string {
  // A draft or version is seen under its published id in stacked perspectives (`_id`), and its own (`_originalId`).
  return indexText(doc, isPublishedId(doc._id) ? [] : [publishedIdOf(doc._id)])
}

/** LIKE patterns finding a document id (published or draft) in a JSON list of ids; `_` and `%` are literal. */
function idPatterns(publishedId: string): [string, string] {
  const pattern = (id: string) => `%${JSON.stringify(id).replace(/[\\%_]/g, (c) => `\\${c}`)}%`
  return [pattern(publishedId), pattern(`drafts.${publishedId}`)]
}

/** Synchronous id selection for `delete`/`patch` by query (no groq-js async fallback needed). */
function runQuerySyncIds(view: DocView, query: string, params: Record<string, unknown>): string[] {
  const tree = parseQuery(query, params)
  const dataset = new QueryBudget(queryTimeLimitMs(), query).guard(view.all())
  let value: unknown
  try {
    value = evaluateSync(tree, {dataset, params, dereference: (ref) => view.get(ref._ref) ?? null}).data
  } catch (err) {
    if (err instanceof LakeError) throw err
    throw new LakeError(400, 'queryExecutionError', (err as Error).message, {query})
  }
  const list = Array.isArray(value) ? value : value ? [value] : []
  return list.map((doc) => (doc && typeof doc === 'object' ? (doc as {_id?: unknown})._id : undefined)).filter((id): id is string => typeof id === 'string')
}
