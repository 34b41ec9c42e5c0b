import {join} from 'node:path'
import {DatabaseSync, type StatementSync} from 'node:sqlite'
import {randomBytes} from 'node:crypto'
import {applyAction} from './actions'
import {LakeError} from './errors'
import {isPublishedId, isValidDocumentId, publishedIdOf} from './ids'
import {isVisibleInPublished, perspectiveKey} from './perspective'
import {OverlayView} from './overlay-view'
import {evaluateSync} from 'groq-js'
import {parseQuery, runQuery, type QueryOptions} from './query'
import {QueryBudget, queryTimeLimitMs} from './query-budget'
import {indexText} from './search-text'
import {WorkingTransaction, type MutationResult} from './transaction'
import type {CommittedTransaction, DocumentChange, LakeDocument, Perspective} from './types'
import {ensurePrivateFile, makeDataDirPrivate} from './private-files'
import {assertReferentialIntegrity, strongReferences} from './references'
import {DocView, EQUALITY_INDEXED_PATHS, PublishedView, refKey} from './view'
import {SearchCache} from './search-cache'
import {forgetRecent, LAZY_BYTES, lazyDocument, pinLazy, storedForm, type LazyLoader} from './lazy-doc'

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
  /** Imports log no mutations: they only create documents, which the revisions already hold (history derives them). */
  omitMutationLog?: boolean
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

export interface ImportOptions {
  replace?: boolean
  missing?: boolean
  batchSize?: number
  /** Benchmark seeding keeps the documents' own `_updatedAt` (lists order by it). */
  keepTimestamps?: boolean
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
  importNdjson(dataset: string, lines: Iterable<string>, options?: ImportOptions): {documents: number; transactions: number}
  close(): void
}

/** Top-level keys always held in memory: the equality indexes read them (view.ts). */
const KEEP_IN_MEMORY = new Set(EQUALITY_INDEXED_PATHS.map((path) => path.split('.')[0]))

const DATASET_NAME = /^[a-z0-9][a-z0-9_-]{0,63}$/

/** Each full-text row's document id, per dataset, by row number (openStore: searchRows). */
interface SearchRows {
  byDataset: Map<string, Array<string | undefined>>
  /** Whether every row is read (until then lookups join against search_rows). */
  complete: boolean
}

/** Full-text rows read into memory per turn of the event loop (about 10 ms each). */
const SEARCH_ROWS_PAGE = 20_000

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
  readonly published = new PublishedView(this.raw)
  /** The `drafts` view and release stacks' views, made on first use: they hold no copy of the dataset (overlay-view.ts). */
  private readonly overlays = new Map<string, OverlayView>()
  readonly listeners = new Set<TransactionListener>()

  /** Forgets every document (listeners stay), before reloading from SQLite. */
  reset(): void {
    this.raw.clear()
    this.published.clear()
    this.overlays.clear()
  }

  load(doc: LakeDocument): void {
    if (this.overlays.size > 0) this.apply([{id: doc._id, before: null, after: doc, transition: 'appear'}])
    else this.raw.put(doc._id, doc)
  }

  apply(changes: DocumentChange[]): void {
    const overlays = [...this.overlays.values()]
    for (const change of changes) {
      const before = overlays.map((view) => view.before(change.id))
      this.raw.put(change.id, change.after)
      overlays.forEach((view, i) => view.after(change.id, before[i]))
    }
  }

  view(perspective: Perspective): DocView {
    if (perspective === 'raw') return this.raw
    if (perspective === 'published') return this.published
    const key = perspectiveKey(perspective)
    let view = this.overlays.get(key)
    if (!view) {
      // Bounded: release stacks are few, but a client could ask for many.
      if (this.overlays.size > 16) this.overlays.clear()
      view = new OverlayView(this.raw, perspective === 'drafts' ? ['drafts'] : perspective)
      this.overlays.set(key, view)
    }
    return view
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
  // Heads of about 1 KB overflowed a WITHOUT ROWID table's pages (1.3 GB for 400,000 documents);
  // such a table is dropped and its heads written again from the documents on the next load.
  const headsTable = db.prepare("SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = 'heads'").get() as {sql: string} | undefined
  if (headsTable?.sql.includes('WITHOUT ROWID')) db.exec('DROP TABLE heads')
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
    CREATE TABLE IF NOT EXISTS heads (
      dataset TEXT NOT NULL, id TEXT NOT NULL, head TEXT, lazy TEXT NOT NULL, refs TEXT,
      PRIMARY KEY (dataset, id)
    );
    CREATE TABLE IF NOT EXISTS revisions (
      dataset TEXT NOT NULL, doc_id TEXT NOT NULL, tx_seq INTEGER NOT NULL, rev TEXT NOT NULL, timestamp TEXT NOT NULL, json TEXT,
      PRIMARY KEY (dataset, doc_id, tx_seq)
    ) WITHOUT ROWID;
  `)

  // The full-text index holds what search-text.ts's indexText writes. A data folder from before
  // (`search_text`, whole text only; `search_fts`, without the repeat markers) drops it and its
  // rows; ensureSearchIndex refills.
  if (!db.prepare("SELECT 1 AS found FROM sqlite_master WHERE name = 'search_fts2'").get()) {
    db.exec(`
      DROP TABLE IF EXISTS search_text;
      DROP TABLE IF EXISTS search_tokens;
      DROP TABLE IF EXISTS search_fts;
      DELETE FROM search_rows;
      CREATE VIRTUAL TABLE search_fts2 USING fts5(text, content='', contentless_delete=1, detail=none, tokenize='unicode61 remove_diacritics 2');
    `)
  }

  const statements = {
    addDataset: db.prepare('INSERT OR IGNORE INTO datasets (name) VALUES (?)'),
    listDatasets: db.prepare('SELECT name FROM datasets ORDER BY name'),
    hasDataset: db.prepare('SELECT 1 AS found FROM datasets WHERE name = ?'),
    // A document with a head row is read as its head (its large values stay on disk, lazy-doc.ts);
    // `lazy` is NULL for documents stored before heads existed.
    loadDocs: db.prepare(
      'SELECT d.id AS id, h.head AS head, h.lazy AS lazy, h.refs AS refs, CASE WHEN h.head IS NULL THEN d.json END AS json FROM documents d LEFT JOIN heads h ON h.dataset = d.dataset AND h.id = d.id WHERE d.dataset = ?',
    ),
    putHead: db.prepare('INSERT OR REPLACE INTO heads (dataset, id, head, lazy, refs) VALUES (?, ?, ?, ?, ?)'),
    dropHead: db.prepare('DELETE FROM heads WHERE dataset = ? AND id = ?'),
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
    // A revision row's json is NULL while it is the current document (documents holds it: each
    // version is stored once) or after a delete; a commit copies the document into its row before
    // replacing or deleting it (keepRevision).
    revisionAt: db.prepare(`SELECT COALESCE(r.json, (SELECT d.json FROM documents d WHERE d.dataset = r.dataset AND d.id = r.doc_id AND d.rev = r.rev)) AS json FROM revisions r WHERE r.dataset = ? AND r.doc_id = ? AND r.rev = ?`),
    revisionBeforeSeq: db.prepare(
      `SELECT COALESCE(r.json, (SELECT d.json FROM documents d WHERE d.dataset = r.dataset AND d.id = r.doc_id AND d.rev = r.rev)) AS json FROM revisions r WHERE r.dataset = ? AND r.doc_id = ? AND r.tx_seq < ? ORDER BY r.tx_seq DESC LIMIT 1`,
    ),
    revisionAtTime: db.prepare(
      `SELECT COALESCE(r.json, (SELECT d.json FROM documents d WHERE d.dataset = r.dataset AND d.id = r.doc_id AND d.rev = r.rev)) AS json FROM revisions r WHERE r.dataset = ? AND r.doc_id = ? AND r.timestamp <= ? ORDER BY r.tx_seq DESC LIMIT 1`,
    ),
    lastRevision: db.prepare(
      `SELECT COALESCE(r.json, (SELECT d.json FROM documents d WHERE d.dataset = r.dataset AND d.id = r.doc_id AND d.rev = r.rev)) AS json FROM revisions r WHERE r.dataset = ? AND r.doc_id = ? AND COALESCE(r.json, (SELECT d.json FROM documents d WHERE d.dataset = r.dataset AND d.id = r.doc_id AND d.rev = r.rev)) IS NOT NULL ORDER BY r.tx_seq DESC LIMIT 1`,
    ),
    revisionAtSeq: db.prepare(`SELECT COALESCE(r.json, (SELECT d.json FROM documents d WHERE d.dataset = r.dataset AND d.id = r.doc_id AND d.rev = r.rev)) AS json FROM revisions r WHERE r.dataset = ? AND r.doc_id = ? AND r.tx_seq = ?`),
    keepRevision: db.prepare(
      'UPDATE revisions SET json = (SELECT json FROM documents WHERE dataset = ?1 AND id = ?2) WHERE dataset = ?1 AND doc_id = ?2 AND rev = ?3 AND json IS NULL',
    ),
    getDoc: db.prepare('SELECT json FROM documents WHERE dataset = ? AND id = ?'),
    hasDoc: db.prepare('SELECT 1 AS found FROM documents WHERE dataset = ? AND id = ?'),
    // A superset: documents whose JSON holds `"_ref":"<id>"` (JSON.stringify writes no spaces).
    referencingDocs: db.prepare('SELECT id FROM documents WHERE dataset = ? AND instr(json, ?) > 0'),
    exportDocs: db.prepare('SELECT json FROM documents WHERE dataset = ? ORDER BY id'),
    searchRow: db.prepare('SELECT row FROM search_rows WHERE dataset = ? AND id = ?'),
    addSearchRow: db.prepare('INSERT INTO search_rows (dataset, id) VALUES (?, ?)'),
    dropSearchRow: db.prepare('DELETE FROM search_rows WHERE row = ?'),
    putSearchText: db.prepare('INSERT OR REPLACE INTO search_fts2 (rowid, text) VALUES (?, ?)'),
    dropSearchText: db.prepare('DELETE FROM search_fts2 WHERE rowid = ?'),
    countSearchRows: db.prepare('SELECT COUNT(*) AS n FROM search_rows WHERE dataset = ?'),
    clearSearchText: db.prepare('DELETE FROM search_fts2 WHERE rowid IN (SELECT row FROM search_rows WHERE dataset = ?)'),
    clearSearchRows: db.prepare('DELETE FROM search_rows WHERE dataset = ?'),
    searchRowNumbers: db.prepare('SELECT count(*) AS n, json_group_array(rowid) AS rows FROM (SELECT rowid FROM search_fts2 WHERE search_fts2 MATCH ? LIMIT ?)'),
    searchRowsPage: db.prepare('SELECT json_group_array(row) AS rows, json_group_array(id) AS ids, json_group_array(dataset) AS datasets FROM (SELECT row, id, dataset FROM search_rows WHERE row > ? ORDER BY row LIMIT ?)'),
    countSearch: db.prepare('SELECT count(*) AS n FROM (SELECT 1 FROM search_fts2 WHERE search_fts2 MATCH ? LIMIT ?)'),
    search: db.prepare('SELECT r.id AS id FROM search_fts2 JOIN search_rows r ON r.row = search_fts2.rowid WHERE search_fts2 MATCH ? AND r.dataset = ? LIMIT ?'),
  } satisfies Record<string, StatementSync>

  const states = new Map<string, DatasetState>()
  /** Full-text lookups kept between queries, dropped on every write to the dataset's index. */
  const searchCaches = new Map<string, SearchCache>()
  /**
   * Each full-text row's document id, per dataset, by row number: read once, after the first
   * search, a page at a time between requests (400,000 rows at once held the thread for 300 ms),
   * and kept in step by indexSearchText. Once complete a lookup reads only row numbers from
   * SQLite, as one JSON array, instead of joining every hit against search_rows and making a row
   * object of each (a word in 22,000 titles: 47 ms -> 5 ms). Dropped on a rollback, which may
   * bring back rows it no longer holds.
   */
  let searchRows: SearchRows | null = null
  let closed = false
  /** Set while importNdjson holds one SQLite transaction around all its batches. */
  let importing: {committed: CommittedTransaction[]} | null = null

  /** The dataset's state, created on first use: only for writes (and reads of known datasets). */
  function state(dataset: string): DatasetState {
    assertDatasetName(dataset)
    let current = states.get(dataset)
    if (!current) {
      current = new DatasetState()
      loadInto(dataset, current)
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

  /**
   * The committed state a transaction reads: the dataset in memory, or, for an import into a
   * dataset no one has loaded (`npm run lake -- import`), SQLite itself, so an import of any size
   * holds one batch in memory, never the dataset.
   */
  interface Committed {
    state: DatasetState | null
    get(id: string): LakeDocument | null
    /** Ids of documents holding any `_ref` to `id` (a superset). */
    referencing(id: string): Iterable<string>
  }

  function inMemory(current: DatasetState): Committed {
    return {state: current, get: (id) => current.raw.get(id) ?? null, referencing: (id) => current.raw.idsWithKey(refKey(id))}
  }

  function onDisk(dataset: string): Committed {
    return {
      state: null,
      get(id) {
        const row = statements.getDoc.get(dataset, id) as {json: string} | undefined
        return row ? (JSON.parse(row.json) as LakeDocument) : null
      },
      referencing(id) {
        const needle = `"_ref":${JSON.stringify(id)}`
        return (statements.referencingDocs.all(dataset, needle) as Array<{id: string}>).map((row) => row.id)
      },
    }
  }

  function commit(
    dataset: string,
    tx: WorkingTransaction,
    mutationsForLog: unknown[],
    options: MutateOptions,
    committed: Committed = inMemory(state(dataset)),
  ): MutateResult {
    const current = committed.state
    const transactionId = options.transactionId || newTransactionId()
    if (options.transactionId !== undefined && !/^[A-Za-z0-9._-]{1,128}$/.test(options.transactionId)) {
      throw new LakeError(400, 'validationError', 'transactionId may only contain letters, digits, ".", "_" and "-"')
    }
    const timestamp = new Date().toISOString()
    const identity = options.identity ?? LOCAL_USER_ID
    const changes: DocumentChange[] = []
    for (const [id, draftAfter] of tx.touched) {
      const before = committed.get(id)
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
    const befores = new Map(changes.map((c) => [c.id, c.before]))
    assertReferentialIntegrity({
      touched: tx.touched,
      before: (id) => (befores.has(id) ? befores.get(id)! : committed.get(id)),
      after: (id) => tx.get(id),
      referencing: (id) => committed.referencing(id),
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
        options.omitMutationLog ? '' : JSON.stringify(mutationsForLog),
        JSON.stringify(changes.map((c) => c.id)),
        JSON.stringify(changeSummary),
      )
      const seq = Number(info.lastInsertRowid)
      for (const change of changes) {
        // The version being replaced leaves documents: its revision row gets its JSON, and its
        // head in memory (and the views' copies of it) its large values.
        if (change.before) pinLazy(change.before)
        if (typeof change.before?._rev === 'string') statements.keepRevision.run(dataset, change.id, change.before._rev)
        if (change.after) {
          const form = storedForm(change.after, KEEP_IN_MEMORY)
          statements.upsertDoc.run(dataset, change.id, change.after._type, transactionId, form.json)
          writeHead(dataset, change.id, form)
        } else {
          statements.deleteDoc.run(dataset, change.id)
          statements.dropHead.run(dataset, change.id)
        }
        indexSearchText(dataset, change.id, change.after)
        if (!options.skipRevisions) statements.insertRevision.run(dataset, change.id, seq, transactionId, timestamp, null)
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
    if (!current) return result
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
    searchRows = null
    if (!db.isTransaction) return
    try {
      db.exec(undo)
    } catch {
      // Nothing was committed either way.
    }
  }

  /** Keeps the full-text index (search_fts2) in step with one document, inside the caller's transaction. */
  function indexSearchText(dataset: string, id: string, doc: LakeDocument | null): void {
    searchCaches.get(dataset)?.invalidate()
    const existing = statements.searchRow.get(dataset, id) as {row: number} | undefined
    if (!doc) {
      if (existing) {
        statements.dropSearchText.run(existing.row)
        statements.dropSearchRow.run(existing.row)
        const ids = searchRows?.byDataset.get(dataset)
        if (ids) ids[existing.row] = undefined
      }
      return
    }
    let row = existing?.row
    if (row === undefined) {
      row = Number(statements.addSearchRow.run(dataset, id).lastInsertRowid)
      if (searchRows) rowIdsOf(searchRows.byDataset, dataset)[row] = id
    }
    statements.putSearchText.run(row, searchTextOf(doc))
  }

  function rowIdsOf(byDataset: Map<string, Array<string | undefined>>, dataset: string): Array<string | undefined> {
    let ids = byDataset.get(dataset)
    if (!ids) byDataset.set(dataset, (ids = []))
    return ids
  }

  /** Starts reading search_rows into `searchRows`, a page per turn of the event loop. */
  function readSearchRows(): void {
    if (searchRows) return
    const reading: SearchRows = {byDataset: new Map(), complete: false}
    searchRows = reading
    let after = 0
    const page = () => {
      // Closed, or dropped by a rollback meanwhile: a later search starts again.
      if (closed || searchRows !== reading) return
      const found = statements.searchRowsPage.get(after, SEARCH_ROWS_PAGE) as {rows: string; ids: string; datasets: string}
      const [rows, ids, datasets] = [JSON.parse(found.rows) as number[], JSON.parse(found.ids) as string[], JSON.parse(found.datasets) as string[]]
      for (let i = 0; i < rows.length; i++) rowIdsOf(reading.byDataset, datasets[i])[rows[i]] = ids[i]
      if (rows.length < SEARCH_ROWS_PAGE) reading.complete = true
      else {
        after = rows[rows.length - 1]
        setImmediate(page)
      }
    }
    setImmediate(page)
  }

  /** Data folders written before the full-text index get it on first use (once). */
  function ensureSearchIndex(dataset: string, current: DatasetState): void {
    const indexed = (statements.countSearchRows.get(dataset) as {n: number}).n
    if (indexed === current.raw.size) return
    db.exec('BEGIN IMMEDIATE')
    try {
      searchCaches.get(dataset)?.invalidate()
      statements.clearSearchText.run(dataset)
      statements.clearSearchRows.run(dataset)
      searchRows?.byDataset.delete(dataset)
      for (const doc of current.raw.all()) indexSearchText(dataset, doc._id, doc)
      db.exec('COMMIT')
    } catch (err) {
      searchRows = null
      db.exec('ROLLBACK')
      throw err
    }
  }

  /** Ids of raw documents matching an FTS5 query made by search-text.ts (termQuery); null past `limit`. */
  function searchIds(dataset: string, match: string, limit: number): string[] | null {
    // SQLite refuses a LIMIT that is not an integer ("datatype mismatch").
    limit = Math.floor(limit)
    if (!searchRows?.complete) {
      readSearchRows()
      // Counting stays inside SQLite; reading ids costs per row, so too many are never read.
      if ((statements.countSearch.get(match, limit + 1) as {n: number}).n > limit) return null
      const rows = statements.search.all(match, dataset, limit + 1) as Array<{id: string}>
      return rows.length > limit ? null : rows.map((row) => row.id)
    }
    // Row numbers come back as one JSON array: a row object per hit costs more than the search.
    const found = statements.searchRowNumbers.get(match, limit + 1) as {n: number; rows: string}
    if (found.n > limit) return null
    const byRow = searchRows.byDataset.get(dataset) ?? []
    const ids: string[] = []
    for (const row of JSON.parse(found.rows) as number[]) {
      const id = byRow[row]
      if (id !== undefined) ids.push(id)
    }
    return ids
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

  const loaders = new Map<string, LazyLoader>()
  function loaderFor(dataset: string): LazyLoader {
    let loader = loaders.get(dataset)
    if (!loader) {
      loader = {
        load(id, rev) {
          const current = statements.getDoc.get(dataset, id) as {json: string} | undefined
          const doc = current ? (JSON.parse(current.json) as LakeDocument) : null
          if (doc && doc._rev === rev) return doc
          const kept = statements.revisionAt.get(dataset, id, rev) as {json: string | null} | undefined
          if (kept?.json) return JSON.parse(kept.json) as LakeDocument
          throw new LakeError(500, 'internalError', `Document "${id}" at revision ${rev} is no longer stored`)
        },
      }
      loaders.set(dataset, loader)
    }
    return loader
  }

  /** Reads a dataset's documents from SQLite into memory: heads where stored, whole documents otherwise. */
  function loadInto(dataset: string, current: DatasetState): void {
    forgetRecent()
    const loader = loaderFor(dataset)
    const lazyLists = new Map<string, string[]>()
    const missingHeads: string[] = []
    type Row = {id: string; head: string | null; lazy: string | null; refs: string | null; json: string | null}
    for (const row of statements.loadDocs.iterate(dataset) as Iterable<Row>) {
      if (row.head !== null && row.lazy !== null) {
        let keys = lazyLists.get(row.lazy)
        if (!keys) lazyLists.set(row.lazy, (keys = JSON.parse(row.lazy) as string[]))
        const head = JSON.parse(row.head) as Record<string, unknown>
        // Written before heads left their large keys out (a `0` in their place): written again below.
        if (keys.length > 0 && Object.hasOwn(head, keys[0])) missingHeads.push(row.id)
        current.load(lazyDocument(head, keys, row.refs ? (JSON.parse(row.refs) as string[]) : null, loader))
        continue
      }
      let doc = JSON.parse(row.json!) as LakeDocument
      // Stored before heads existed: held as its head already, and its head is written below (read from the next start).
      if (row.lazy === null && row.json!.length > LAZY_BYTES) {
        missingHeads.push(row.id)
        const form = storedForm(doc, KEEP_IN_MEMORY)
        if (form.head) doc = lazyDocument(JSON.parse(form.head) as Record<string, unknown>, form.lazy, form.refs.length > 0 ? form.refs : null, loader)
      }
      current.load(doc)
    }
    if (missingHeads.length === 0 || importing || db.isTransaction) return
    db.exec('BEGIN IMMEDIATE')
    try {
      for (const id of missingHeads) {
        const row = statements.getDoc.get(dataset, id) as {json: string} | undefined
        if (row) writeHead(dataset, id, storedForm(JSON.parse(row.json) as LakeDocument, KEEP_IN_MEMORY))
      }
      db.exec('COMMIT')
    } catch {
      rollbackQuietly('ROLLBACK')
    }
  }

  function writeHead(dataset: string, id: string, form: ReturnType<typeof storedForm>): void {
    if (form.json.length <= LAZY_BYTES) statements.dropHead.run(dataset, id)
    else statements.putHead.run(dataset, id, form.head, JSON.stringify(form.lazy), form.refs.length > 0 ? JSON.stringify(form.refs) : null)
  }

  /** Rebuilds a dataset's memory from SQLite (after an in-memory failure or a rolled-back import). */
  function reloadFromDisk(dataset: string, current: DatasetState): void {
    try {
      current.reset()
      loadInto(dataset, current)
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
      let cache = searchCaches.get(dataset)
      if (!cache) searchCaches.set(dataset, (cache = new SearchCache()))
      const textSearch = {search: (match: string, limit: number) => searchIds(dataset, match, limit), raw: perspective === 'raw', cache}
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
        seq: number
        id: string
        timestamp: string
        identity: string
        mutations: string
        document_ids: string
      }>
      // An import logs no mutations: this document's part of it is its creation, read from its revision.
      const imported = (seq: number) =>
        [published, `drafts.${published}`].flatMap((id) => {
          const row = statements.revisionAtSeq.get(dataset, id, seq) as {json: string | null} | undefined
          return row?.json ? [{createOrReplace: JSON.parse(row.json) as LakeDocument}] : []
        })
      let list = rows.map((row) => ({
        id: row.id,
        timestamp: row.timestamp,
        author: row.identity,
        documentIDs: JSON.parse(row.document_ids) as string[],
        mutations: row.mutations ? (JSON.parse(row.mutations) as unknown[]) : imported(row.seq),
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
      assertDatasetName(dataset)
      if (importing) throw new LakeError(409, 'conflictError', 'Another import is running')
      const kind = options.replace ? 'createOrReplace' : options.missing ? 'createIfNotExists' : 'create'
      const batchSize = options.batchSize ?? 2000
      // A dataset held in memory (a running store) is kept in step batch by batch; otherwise the
      // import reads and writes SQLite only and holds one batch at a time.
      const loaded = states.get(dataset)
      const committedState = loaded ? inMemory(loaded) : onDisk(dataset)
      let batch: LakeDocument[] = []
      let documents = 0
      let transactions = 0
      /** Strong references that did not resolve when their batch was written: checked once all batches are in. */
      const unresolved: Array<{index: number; id: string; ref: string}> = []
      const flush = () => {
        if (batch.length === 0) return
        const first = documents - batch.length
        try {
          const tx = new WorkingTransaction((id) => committedState.get(id), queryIdsFor(dataset), {})
          for (const doc of batch) tx.apply({[kind]: doc})
          commit(dataset, tx, tx.submitted, {deferReferenceTargets: true, omitMutationLog: true, keepTimestamps: options.keepTimestamps}, committedState)
        } catch (err) {
          if (err instanceof LakeError && err.type === 'mutationError') {
            const item = (err.extra.items as Array<{index: number}> | undefined)?.[0]
            const at = item?.index ?? 0
            throw new LakeError(err.status, err.type, `document #${first + at + 1} ("${batch[at]._id}"): ${err.message} (use --replace to overwrite or --missing to skip existing)`)
          }
          throw err
        }
        transactions++
        batch.forEach((doc, i) => {
          const stored = committedState.get(doc._id)
          for (const ref of strongReferences(stored ?? doc)) {
            if (!exists(ref)) unresolved.push({index: first + i, id: doc._id, ref})
          }
        })
        batch = []
      }
      const exists = (id: string) => (loaded ? loaded.raw.has(id) : statements.hasDoc.get(dataset, id) !== undefined)
      // All batches share one SQLite transaction: a failing batch leaves nothing of the import behind.
      db.exec('BEGIN IMMEDIATE')
      importing = {committed: []}
      const committed = importing.committed
      try {
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
          batch.push(d)
          documents++
          if (batch.length >= batchSize) flush()
        }
        flush()
        // Batches may reference documents of later batches: strong references are checked once all are in.
        for (const {index, id, ref} of unresolved) {
          if (!exists(ref)) {
            throw new LakeError(409, 'mutationError', `document #${index + 1} ("${id}"): references non-existent document "${ref}" (make the reference weak with "_weak": true, or import that document too)`)
          }
        }
        importing = null
        db.exec('COMMIT')
      } catch (err) {
        importing = null
        searchRows = null
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
      return {documents, transactions}
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
