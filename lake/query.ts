import {evaluate, evaluateSync, parse, type ExprNode} from 'groq-js'
import {isConstantTree, simplifyConditions} from './conditions'
import {LakeError} from './errors'
import {DEFAULT_MAX_READS, QueryBudget, querySliceMs, queryTimeLimitMs, nextTurn, SLICE_USED_UP, STOP, YIELD_EVERY_MS} from './query-budget'
import {publishedIdOf} from './ids'
import {copyDocument, lazyKeysOf, lazyRefsOf} from './lazy-doc'
import {isWildcardOnly, NON_TEXT_KEYS, OWN_SCORE_MARKER, patternTerms, repeatQuery, SEARCH_TEXT, SearchCopies, termFilter, termQuery, textQueryPattern, type TextScope} from './search-text'
import type {LookupCache, RawLookup} from './search-cache'
import {compareKeys} from './sorted-index'
import type {LakeDocument} from './types'
import {fieldKey, idPrefixKey, refKey, typeKey, versionOfKey, EQUALITY_INDEXED_PATHS, type DocView} from './view'

/** Namespaces whose functions never read the dataset (`releases::all()` and friends do). */
const DATASET_FREE_NAMESPACES = new Set(['global', 'string', 'array', 'pt', 'delta', 'diff', 'math', 'dateTime', 'text', 'geo', 'sanity'])

/** The child of each node type whose value groq-js uses whole (see `Planner.toYielding`). */
const WHOLE_VALUE_KEYS: Record<string, string> = {ObjectAttributeValue: 'value', ArrayElement: 'value', AccessElement: 'base', Slice: 'base'}

/** Namespaces groq-js only evaluates asynchronously. */
const ASYNC_ONLY_NAMESPACES = new Set(['delta', 'diff'])


/** Functions an order key may use and still be indexed (they only read the document). */
const KEY_FUNCTIONS = new Set(['coalesce', 'lower', 'upper'])

/**
 * `_ref` prefix of the late-bound candidate lists (see `Planner.correlated`): never a valid
 * document id, so no stored reference can reach it.
 */
const LATE = '\u0000lake:'
const LATE_ALL = `${LATE}all`
/** A document id in every candidate set (see `Planner.scoreBound`); never a stored id. */
const ALL = `${LATE}every`
/** `_ref` prefix of the yielding evaluation's jobs (see `Planner.job`). */
const JOB = `${LATE}job:`
/** `_ref` prefix of per-row candidates filtered in the stream (see `Planner.correlatedFilter`). */
const LATE_FILTERED = `${LATE}f`
/** The parameter a correlated filter's `^` expression becomes (never a GROQ parameter name). */
const OUTER_PARAM = '\u0000outer'
/** Node types whose children groq-js evaluates in another scope, where `^` means something else. */
const SCOPE_TYPES = new Set(['Filter', 'Map', 'FlatMap', 'Projection', 'PipeFuncCall'])

type Node = ExprNode & Record<string, unknown>
type Candidates = ReadonlySet<string> | null

const EMPTY: ReadonlySet<string> = new Set()

export interface QueryOptions {
  /** Skip the index planner (used by conformance tests and the benchmark baseline). */
  fullScan?: boolean
  timestamp?: Date
  identity?: string
  sanity?: {projectId: string; dataset: string}
  /** Evaluation time limit; default from `LAKE_QUERY_TIME_LIMIT_MS` (see query-budget.ts). */
  timeLimitMs?: number
  /**
   * How long the first, synchronous evaluation may run before the query runs again yielding
   * (default `querySliceMs()`; a full scan never yields). 0 always yields (conformance tests).
   */
  sliceMs?: number
  /** Documents the query may read (default `DEFAULT_MAX_READS`; a full scan has no limit). */
  maxReads?: number
  /** The dataset's full-text index (store.ts): raw ids with a token starting with each prefix. */
  textSearch?: TextSearch
}

export interface TextSearch {
  /** Raw ids of the documents an FTS5 query (search-text.ts: termQuery) finds; null when more than `limit` match (too common to narrow by). */
  search(match: string, limit: number): string[] | null
  /** Whether the view's ids are raw ids (else drafts and versions stand for their published id). */
  raw: boolean
  /** Lookups kept between queries until the dataset's next write (search-cache.ts). */
  cache?: LookupCache
}

export function parseQuery(query: string, params: Record<string, unknown>): ExprNode {
  let tree: ExprNode
  try {
    tree = parse(query, {params})
  } catch (err) {
    const error = err as Error & {position?: number}
    const position = typeof error.position === 'number' ? error.position : undefined
    if (error.name === 'GroqSyntaxError' || position !== undefined) {
      throw new LakeError(400, 'queryParseError', error.message, {
        query,
        start: position,
        end: position === undefined ? undefined : position + 1,
      })
    }
    throw new LakeError(400, 'queryParseError', error.message, {query})
  }
  assertParamsProvided(tree, params, query)
  return tree
}

/**
 * A `$param` the request did not provide is an error, not `null`: the Content Lake answers 400
 * "param $x referenced, but not provided" (https://www.sanity.io/docs/http-query), so typos show.
 */
function assertParamsProvided(tree: ExprNode, params: Record<string, unknown>, query: string): void {
  const declared = new Set<string>()
  const missing: string[] = []
  const walk = (node: unknown): void => {
    if (!node || typeof node !== 'object') return
    if (Array.isArray(node)) {
      for (const item of node) walk(item)
      return
    }
    const record = node as Record<string, unknown>
    if (record.type === 'FunctionDeclaration') {
      for (const param of (record.params as Array<{name?: string}> | undefined) ?? []) if (param.name) declared.add(param.name)
    }
    if (record.type === 'Parameter' && typeof record.name === 'string' && !Object.hasOwn(params, record.name)) missing.push(record.name)
    for (const value of Object.values(record)) if (value && typeof value === 'object') walk(value)
  }
  walk(tree)
  const name = missing.find((candidate) => !declared.has(candidate))
  if (name !== undefined) throw new LakeError(400, 'queryParseError', `param $${name} referenced, but not provided`, {query})
}

interface EvalContext {
  params: Record<string, unknown>
  timestamp?: Date
  identity?: string
  sanity?: {projectId: string; dataset: string}
}

/**
 * Runs GROQ over one perspective's view, using the indexes to narrow every `*[filter]`.
 *
 * The lake has one thread, so a slow query must not hold it (see lake/README.md, "Query
 * scheduling"): the query first runs synchronously for at most one slice (`sliceMs`, a few ms,
 * enough for nearly every query the Studio and the site send); if it is not done by then it runs
 * again through groq-js's async evaluator over document streams that hand the thread back to
 * other requests every few ms, until it ends or reaches the query limit.
 */
export async function runQuery(
  view: DocView,
  query: string,
  params: Record<string, unknown> = {},
  options: QueryOptions = {},
): Promise<unknown> {
  const parsed = parseQuery(query, params)
  // The full scan is plain groq-js over the query as written: what every shortcut is compared with.
  const ast = options.fullScan ? parsed : simplifyConditions(parsed as Node, params, (id) => view.idsWithKey(refKey(id)).size > 0)
  const context: EvalContext = {
    params,
    // One clock for the whole query: `now()` reads the same instant in every part and every run.
    timestamp: options.timestamp ?? new Date(),
    identity: options.identity,
    sanity: options.sanity,
  }
  const budget = new QueryBudget(options.timeLimitMs ?? queryTimeLimitMs(), query, options.maxReads ?? (options.fullScan ? Number.POSITIVE_INFINITY : DEFAULT_MAX_READS))
  // A full scan still needs the lake's search rewrites (text::query, `@ match`), never its indexes.
  const planner = new Planner(view, context, budget, !options.fullScan, options.textSearch)
  // A full scan is the reference the planner is compared with: plain groq-js, synchronous. So is a
  // query calling a function groq-js does not implement: it fails at once, and an error thrown
  // inside groq-js's async streams could go unhandled (see QueryBudget).
  // Both read the query as parsed: the planned tree holds candidate lists, whose documents may
  // keep their bodies in SQLite until read (lake/lazy-doc.ts).
  const syncOnly = options.fullScan || callsUnimplemented(ast)
  const sliceMs = syncOnly ? Number.POSITIVE_INFINITY : (options.sliceMs ?? querySliceMs())
  planner.init(ast as Node)
  // Ranked slices score documents while planning: ahead of it, pausing like the evaluation.
  if (Number.isFinite(sliceMs)) await planner.prepare(ast as Node, sliceMs)
  const tree = planner.plan(ast as Node) as ExprNode
  const dereference = planner.dereference
  try {
    if (sliceMs > 0 && !containsAsyncOnly(ast)) {
      budget.slice(sliceMs)
      try {
        return evaluateSync(tree, {...context, dataset: planner.needsDataset ? planner.dataset() : [], dereference}).data
      } catch (err) {
        if (err !== SLICE_USED_UP) throw err
      }
    }
    budget.startYielding()
    const yieldingTree = planner.yielding(tree as Node) as ExprNode
    // `*` is a pausing stream in that tree; the dataset is only read by releases::all().
    const dataset = planner.needsDataset ? planner.allWrappedDocs() : []
    const evaluation = (async () => (await evaluate(yieldingTree, {...context, dataset, dereference})).get())()
    // Answered at once on failure: the evaluation winds down behind (its error, if any, is the failure's).
    evaluation.catch(() => {})
    let result: unknown
    try {
      result = await Promise.race([evaluation, budget.failed])
    } catch (err) {
      throw budget.failure ?? err
    }
    if (budget.failure) throw budget.failure
    return result
  } catch (err) {
    if (err instanceof LakeError) throw err
    throw new LakeError(400, 'queryExecutionError', err instanceof Error ? err.message : String(err), {query})
  } finally {
    budget.finish()
  }
}

/** Functions groq-js parses but throws "not implemented" for. */
const UNIMPLEMENTED = new Set(['geo::*', 'documents::*', 'media::*', 'user::*', 'text::semanticSimilarity', 'global::anywhere'])

function callsUnimplemented(node: unknown): boolean {
  if (!node || typeof node !== 'object') return false
  if (Array.isArray(node)) return node.some(callsUnimplemented)
  const n = node as Node
  if (n.type === 'FuncCall' && (UNIMPLEMENTED.has(`${n.namespace}::*`) || UNIMPLEMENTED.has(`${n.namespace}::${n.name}`))) return true
  if (n.type === 'Value') return false
  return Object.entries(n).some(([key, value]) => key !== 'func' && value && typeof value === 'object' && callsUnimplemented(value))
}

/** groq-js only implements these in its async evaluator (`diff::changedAny()`, `delta::...`). */
function containsAsyncOnly(node: unknown): boolean {
  if (!node || typeof node !== 'object') return false
  if (Array.isArray(node)) return node.some(containsAsyncOnly)
  const n = node as Node
  if (n.type === 'FuncCall' && ASYNC_ONLY_NAMESPACES.has(n.namespace as string)) return true
  // Candidate lists are Value nodes: data, never calls (walking them would read every document).
  if (n.type === 'Value') return false
  return Object.entries(n).some(([key, value]) => key !== 'func' && value && typeof value === 'object' && containsAsyncOnly(value))
}

/**
 * `@` left of `match`: a document's strings when `@` is a document copy carrying them, else `@`
 * itself, so `tags[@ match "x*"]` still matches the string elements.
 */
function searchTextOrSelf(): Node {
  const call = parse('coalesce(@.x, @)') as unknown as Node
  return {...call, args: [{type: 'AccessAttribute', base: {type: 'This'}, name: SEARCH_TEXT}, {type: 'This'}]} as unknown as Node
}

/** `a.b.c` for a plain attribute chain on the current document, else null. */
function attributePath(node: Node): string | null {
  if (node.type === 'AccessAttribute') {
    const base = node.base as Node | undefined
    if (!base || base.type === 'This') return node.name as string
    const prefix = attributePath(base)
    return prefix === null ? null : `${prefix}.${node.name as string}`
  }
  return null
}

/**
 * True when `node` only walks the current document's own values (attributes, `[n]`, `[]`):
 * never through `->` (another document) or `^` (an enclosing scope).
 */
function isLocalChain(node: Node | undefined): boolean {
  if (!node || node.type === 'This') return true
  switch (node.type) {
    case 'AccessAttribute':
    case 'AccessElement':
    case 'ArrayCoerce':
      return isLocalChain(node.base as Node | undefined)
    case 'Map':
    case 'FlatMap':
      return isLocalChain(node.base as Node) && isLocalChain(node.expr as Node)
    default:
      return false
  }
}

/** True for `x._ref` / `x[]._ref` on the current document: every value is a reference id it holds. */
function isLocalRef(node: Node): boolean {
  if (node.type === 'AccessAttribute') return node.name === '_ref' && isLocalChain(node.base as Node | undefined)
  if (node.type === 'Map' || node.type === 'FlatMap') return isLocalChain(node.base as Node) && isLocalRef(node.expr as Node)
  return false
}

/** An order key read from the document alone (attributes and a few pure functions). */
function isDocumentKey(node: Node | undefined): boolean {
  if (!node) return true
  switch (node.type) {
    case 'This':
    case 'Value':
      return true
    case 'AccessAttribute':
    case 'AccessElement':
    case 'Group':
      return isDocumentKey(node.base as Node | undefined)
    case 'FuncCall':
      return node.namespace === 'global' && KEY_FUNCTIONS.has(node.name as string) && (node.args as Node[]).every(isDocumentKey)
    default:
      return false
  }
}

/**
 * An expression of the enclosing scope only (`^._id`, `^.series._ref`), rewritten to be
 * evaluated in that scope: each `^` loses one level. Null when it reads anything else.
 */
function outerExpression(node: Node): Node | null {
  let sawParent = false
  const shift = (n: Node): Node | null => {
    switch (n.type) {
      case 'Parent': {
        sawParent = true
        const levels = (n.n as number) - 1
        return (levels === 0 ? {type: 'This'} : {type: 'Parent', n: levels}) as Node
      }
      case 'AccessAttribute':
      case 'AccessElement': {
        if (!n.base) return null
        const base = shift(n.base as Node)
        return base ? ({...n, base} as Node) : null
      }
      case 'Group': {
        const base = shift(n.base as Node)
        return base ? ({...n, base} as Node) : null
      }
      case 'Value':
      case 'Parameter':
        return n
      default:
        return null
    }
  }
  const shifted = shift(node)
  return shifted && sawParent ? shifted : null
}

/**
 * `expr` with every `^` expression equal to `outer` (as `outerExpression` shifts it) replaced by
 * the parameter OUTER_PARAM; null when any other `^` remains, or one inside a node that opens a
 * scope of its own (there `^` is another scope).
 */
function substituteOuter(expr: Node, outer: Node): Node | null {
  const target = JSON.stringify(outer)
  let ok = true
  const walk = (node: Node, scoped: boolean): Node => {
    if (!ok || node.type === 'Value') return node
    if (!scoped && (node.type === 'AccessAttribute' || node.type === 'AccessElement' || node.type === 'Group')) {
      const shifted = outerExpression(node)
      if (shifted && JSON.stringify(shifted) === target) return {type: 'Parameter', name: OUTER_PARAM} as unknown as Node
    }
    if (node.type === 'Parent') {
      ok = false
      return node
    }
    const inner = scoped || SCOPE_TYPES.has(node.type as string)
    let copy: Node | null = null
    for (const [key, value] of Object.entries(node)) {
      let next: unknown = value
      if (Array.isArray(value)) {
        const mapped = value.map((item) => (isNode(item) ? walk(item, inner) : item))
        if (mapped.some((item, i) => item !== value[i])) next = mapped
      } else if (isNode(value)) next = walk(value, inner)
      if (next !== value) {
        copy ??= {...node}
        ;(copy as Record<string, unknown>)[key] = next
      }
    }
    return copy ?? node
  }
  const result = walk(expr, false)
  return ok ? result : null
}

function isNode(value: unknown): value is Node {
  return !!value && typeof value === 'object' && !Array.isArray(value) && typeof (value as {type?: unknown}).type === 'string'
}

function containsType(node: unknown, type: string): boolean {
  if (!node || typeof node !== 'object') return false
  if (Array.isArray(node)) return node.some((item) => containsType(item, type))
  if ((node as Node).type === type) return true
  return Object.values(node).some((value) => value && typeof value === 'object' && containsType(value, type))
}

function andTerms(node: Node, out: Node[] = []): Node[] {
  if (node.type === 'And') {
    andTerms(node.left as Node, out)
    andTerms(node.right as Node, out)
  } else if (node.type === 'Group') andTerms(node.base as Node, out)
  else out.push(node)
  return out
}

function intersect(a: Candidates, b: Candidates): Candidates {
  if (a === null) return b
  if (b === null) return a
  if (a === b) return a
  const [small, large] = a.size <= b.size ? [a, b] : [b, a]
  const out = new Set<string>()
  // Both sets iterate in view order, so the result does too.
  for (const id of small) if (large.has(id)) out.add(id)
  return out
}

/**
 * Whether a document passing every one of `terms` (a filter's `&&` terms) has `key` neither null
 * nor missing: the terms hold `defined(k)` for the key's path or, for `coalesce(a, b, ...)`, for
 * one of its arguments.
 */
function keyDefinedBy(key: Node, terms: Node[]): boolean {
  const defined = new Set<string>()
  for (const term of terms) {
    if (term.type === 'FuncCall' && term.namespace === 'global' && term.name === 'defined' && (term.args as Node[]).length === 1) {
      const path = attributePath((term.args as Node[])[0])
      if (path !== null) defined.add(path)
    }
  }
  if (defined.size === 0) return false
  const path = attributePath(key)
  if (path !== null) return defined.has(path)
  if (key.type === 'FuncCall' && key.namespace === 'global' && key.name === 'coalesce') {
    return (key.args as Node[]).some((arg) => {
      const argPath = attributePath(arg)
      return argPath !== null && defined.has(argPath)
    })
  }
  return false
}

/** The end of `[a...b]` / `[n]` with non-negative literal bounds, else null. */
function sliceEnd(node: Node): number | null {
  if (node.type === 'Slice') {
    const [left, right] = [node.left as number, node.right as number]
    if (typeof left !== 'number' || typeof right !== 'number' || left < 0 || right < 0) return null
    return node.isInclusive ? right + 1 : right
  }
  const index = node.index as number
  return typeof index === 'number' && index >= 0 ? index + 1 : null
}

/** The groq-js function object of `coalesce` (FuncCall nodes carry their implementation). */
const COALESCE = (parse('coalesce(1)') as Node).func

function refObject(ref: Node): Node {
  return {type: 'Object', attributes: [{type: 'ObjectAttributeValue', name: '_ref', value: ref}]} as unknown as Node
}

/**
 * A list of documents and what the query does to each before anything else sees it (filter,
 * map, flat map, score), as the yielding evaluation runs it: one document at a time, each
 * step through groq-js's synchronous evaluator, pausing between documents.
 */
interface Pipeline {
  docs: readonly LakeDocument[]
  steps: Step[]
  /** The query's parameters, plus the outer value of a correlated filter. */
  params?: Record<string, unknown>
}
type Step = {kind: 'Filter' | 'Map' | 'FlatMap'; expr: Node} | {kind: 'score'; args: Node[]}

class Planner {
  needsDataset = false
  needsText = false
  /** The `Value` nodes that replaced `*[filter]`, holding each filter's candidate documents. */
  readonly candidateNodes: Array<{type: 'Value'; value: LakeDocument[]}> = []
  private hasFunctions = false
  private readonly copies = new SearchCopies()
  private readonly late: Array<(key: string) => LakeDocument[]> = []
  /** Per-row candidate lists by key: the documents (with search copies), and their guarded copy. */
  private readonly lateCache = new Map<string, {docs: LakeDocument[]; guarded?: LakeDocument[]}>()
  private allWrapped: LakeDocument[] | null = null
  private allDocs: LakeDocument[] | null = null
  private readonly constants = new WeakMap<Node, {value: unknown} | null>()
  private lookups = new Map<string, Candidates>()
  /** How many documents each `*[filter]` was narrowed to, in planning order (explainQuery). */
  readonly listSizes: Array<() => number> = []
  private rawLookups = new Map<string, RawLookup>()
  /**
   * Set while rankedSlice gathers candidate sets only to test membership: unions and lookups then
   * skip sorting into view order (sets made meanwhile are cached apart).
   */
  private unordered = false
  /** Ranked slices computed ahead by `prepare`, by the node they replace. */
  private readonly prepared = new Map<Node, Node | null>()
  private initialised = false
  /** Each candidate node's documents (with search copies), unguarded: what the yielding evaluation streams. */
  private readonly sourceDocs = new WeakMap<object, LakeDocument[]>()
  /** Set by `yielding()`: document lists are then handed to groq-js as pausing streams. */
  private streaming = false
  private readonly jobs: Array<() => Promise<unknown>> = []
  /** Per-row candidate plans (`late` index) and the `^` expression keying them, by the node that reads them. */
  private readonly correlatedBases = new WeakMap<object, {index: number; outer: Node}>()
  /** Correlated filters run in the stream: their per-row plan and filter with `^...` as a parameter. */
  private readonly lateFiltered: Array<{index: number; expr: Node}> = []

  constructor(
    private readonly view: DocView,
    private readonly context: EvalContext,
    private readonly budget: QueryBudget,
    private readonly narrow = true,
    private readonly textSearch?: TextSearch,
  ) {
    // Planning is synchronous, so no write can come between two lookups of one query.
    if (narrow && textSearch?.cache) {
      this.lookups = textSearch.cache.lookups(view)
      this.rawLookups = textSearch.cache.raw
    }
  }

  /** What the whole query decides before any part is planned; once. */
  init(node: Node): void {
    if (this.initialised) return
    this.initialised = true
    if (containsType(node, 'FunctionDeclaration')) this.hasFunctions = true
    this.needsText = this.usesSearchText(node, false)
    if (this.needsText) {
      const terms = this.searchTextTerms(node)
      this.copies.keep = terms && termFilter(terms)
    }
  }

  plan(node: Node): Node {
    this.init(node)
    const tree = this.visit(node, false)
    for (const value of this.candidateNodes) {
      const docs = this.wrap(value.value)
      this.sourceDocs.set(value, docs)
      value.value = this.budget.guard(docs)
    }
    return tree
  }

  /** Every document of the view (with search copies when needed), guarded by the query budget. */
  dataset(): LakeDocument[] {
    this.allDocs ??= this.budget.guard(this.allWrappedDocs())
    return this.allDocs
  }

  allWrappedDocs(): LakeDocument[] {
    this.allWrapped ??= this.wrap(this.view.all())
    return this.allWrapped
  }

  /**
   * The planned tree for groq-js's async evaluator: every document list (`*`, candidates, per-row
   * candidates) becomes a stream that pauses every few ms (QueryBudget.pause), so other requests
   * are answered while this query runs. Filters, maps and score() over such a list whose
   * expressions read only the current row run inside the stream, each row through the
   * synchronous evaluator: what groq-js would compute, without its async per-value overhead.
   */
  yielding(tree: Node): Node {
    this.streaming = true
    return this.toYielding(tree, true)
  }

  /**
   * `whole`: the node's value is used as a whole (an attribute's or element's value, `[n]`,
   * `[a...b]`, the answer), not iterated by groq-js with work per row. A list there is computed
   * as a job and handed over as a plain array: no per-row stream machinery for groq-js to run.
   */
  private toYielding(node: Node, whole = false): Node {
    if (node.type === 'FuncCall' && node.namespace === 'global' && node.name === 'count' && (node.args as Node[]).length === 1) {
      const counted = this.pipelineOf((node.args as Node[])[0])
      if (counted) return this.job(counted, (rows) => rows.length)
    }
    if (node.type === 'Filter') {
      const correlated = this.correlatedFilter(node)
      if (correlated) return correlated
    }
    const pipeline = this.pipelineOf(node)
    if (pipeline && whole) return this.job(pipeline, (rows) => rows)
    if (pipeline) {
      const planner = this
      // A fresh stream each time groq-js reads the node (a subquery is read once per outer row).
      return {
        type: 'Value',
        get value() {
          return planner.run(pipeline)
        },
      } as unknown as Node
    }
    // A Value's content is data, never a node (a parameter may be `{"type": "Everything"}`).
    if (node.type === 'Value') return node
    let copy: Node | null = null
    for (const [key, value] of Object.entries(node)) {
      let next: unknown = value
      if (Array.isArray(value)) {
        const mapped = value.map((item) => (isNode(item) ? this.toYielding(item) : item))
        if (mapped.some((item, i) => item !== value[i])) next = mapped
      } else if (isNode(value)) next = this.toYielding(value, WHOLE_VALUE_KEYS[node.type as string] === key)
      if (next !== value) {
        copy ??= {...node}
        ;(copy as Record<string, unknown>)[key] = next
      }
    }
    return copy ?? node
  }

  /**
   * A node groq-js's async evaluator resolves through the lake's dereference into a promise:
   * the pipeline's rows, computed here (pausing like a stream), then `finish`ed. Never rejects:
   * a failure is recorded in the budget (see QueryBudget) and answers an empty list.
   */
  private job(pipeline: Pipeline, finish: (rows: unknown[]) => unknown): Node {
    const index = this.jobs.length
    this.jobs.push(async () => {
      const rows: unknown[] = []
      for await (const row of this.run(pipeline)) rows.push(row)
      return finish(rows)
    })
    return {type: 'Deref', base: refObject({type: 'Value', value: `${JOB}${index}`} as Node)} as unknown as Node
  }

  private pipelineOf(node: Node): Pipeline | null {
    switch (node.type) {
      case 'Value': {
        const docs = this.sourceDocs.get(node)
        return docs ? {docs, steps: []} : null
      }
      case 'Everything':
        return {docs: this.allWrappedDocs(), steps: []}
      case 'Filter':
      case 'Map':
      case 'FlatMap': {
        if (!this.isRowLocal(node.expr)) return null
        const base = this.pipelineOf(node.base as Node)
        return base && {docs: base.docs, steps: [...base.steps, {kind: node.type, expr: node.expr as Node}]}
      }
      case 'PipeFuncCall': {
        if (node.name !== 'score' || !this.isRowLocal(node.args)) return null
        const base = this.pipelineOf(node.base as Node)
        return base && {docs: base.docs, steps: [...base.steps, {kind: 'score', args: node.args as Node[]}]}
      }
      default:
        return null
    }
  }

  /**
   * Whether an expression reads only the row it is evaluated on (its attributes, parameters,
   * `->`): no `^` (the enclosing scopes), no `*` or candidate list (a subquery would then run
   * synchronously, without pausing), no function reading the dataset or needing async.
   */
  private isRowLocal(node: unknown): boolean {
    if (!node || typeof node !== 'object') return true
    if (Array.isArray(node)) return node.every((item) => this.isRowLocal(item))
    const n = node as Node
    switch (n.type) {
      case 'Everything':
      case 'Parent':
      case 'Context':
        return false
      case 'Value':
        return !this.sourceDocs.has(n) && !(typeof n.value === 'string' && n.value.startsWith(LATE))
      case 'FuncCall':
        if (this.hasFunctions || !DATASET_FREE_NAMESPACES.has(n.namespace as string) || ASYNC_ONLY_NAMESPACES.has(n.namespace as string)) return false
        break
    }
    return Object.entries(n).every(([key, value]) => key === 'func' || !isNode(value) && !Array.isArray(value) || this.isRowLocal(value))
  }

  private async *run(pipeline: Pipeline): AsyncGenerator<unknown> {
    try {
      yield* this.runSteps(pipeline)
    } catch (err) {
      // Never thrown into groq-js's streams (see QueryBudget): recorded, answered by runQuery.
      this.budget.fail(err)
    }
  }

  private async *runSteps({docs, steps, params}: Pipeline): AsyncGenerator<unknown> {
    let rows: readonly unknown[] = docs
    let from = 0
    for (;;) {
      // score() sorts the whole list: rows are collected up to it, scored, then go on.
      const barrier = steps.findIndex((step, i) => i >= from && step.kind === 'score')
      const stage = steps.slice(from, barrier === -1 ? steps.length : barrier)
      const collected: unknown[] = []
      for (const row of rows) {
        const pause = this.budget.pause()
        if (pause === STOP) return await nextTurn()
        if (pause) await pause
        for (const out of this.applySteps(row, stage, params)) {
          if (barrier === -1) yield out
          else collected.push(out)
        }
      }
      if (barrier === -1) return
      const scored: Array<{_score: number}> = []
      const args = (steps[barrier] as {args: Node[]}).args
      for (const row of collected) {
        const pause = this.budget.pause()
        if (pause === STOP) return await nextTurn()
        if (pause) await pause
        // groq-js's own score() over a one-row list: the row scored, or nothing for a non-object.
        const base = {type: 'Value', value: [row]}
        scored.push(...(this.evalRow({type: 'PipeFuncCall', name: 'score', base, args} as unknown as Node, null, params) as Array<{_score: number}>))
      }
      // The sort groq-js's score() ends with (stable, so ties keep their order).
      scored.sort((a, b) => b._score - a._score)
      rows = scored
      from = barrier + 1
    }
  }

  private applySteps(row: unknown, steps: Step[], params?: Record<string, unknown>): unknown[] {
    let rows = [row]
    for (const step of steps) {
      if (step.kind === 'score') continue
      const next: unknown[] = []
      for (const value of rows) {
        const data = this.evalRow(step.expr, value, params)
        if (step.kind === 'Filter') {
          if (data === true) next.push(value)
        } else if (step.kind === 'FlatMap' && Array.isArray(data)) next.push(...data)
        else next.push(data)
      }
      rows = next
    }
    return rows
  }

  /** One row through groq-js's synchronous evaluator, as its Filter/Map would evaluate it (`@` is the row). */
  private evalRow(expr: Node, row: unknown, params = this.context.params): unknown {
    return evaluateSync(expr as ExprNode, {...this.context, params, root: row, dataset: [], dereference: this.dereference}).data
  }

  // A late-bound `_ref` answers a list of documents; groq-js passes whatever it gets through fromJS.
  readonly dereference = (ref: {_ref: string}): LakeDocument | null => {
    if (ref._ref.startsWith(JOB)) return this.jobs[Number(ref._ref.slice(JOB.length))]() as unknown as LakeDocument
    if (ref._ref.startsWith(LATE_FILTERED)) {
      const rest = ref._ref.slice(LATE_FILTERED.length)
      const colon = rest.indexOf(':')
      const {index, expr} = this.lateFiltered[Number(rest.slice(0, colon))]
      const key = rest.slice(colon + 1)
      const docs = this.lateDocs(`${LATE}${index}:${key}`)
      return this.run({docs, steps: [{kind: 'Filter', expr}], params: {...this.context.params, [OUTER_PARAM]: key}}) as unknown as LakeDocument
    }
    if (ref._ref.startsWith(LATE)) return this.resolveLate(ref._ref) as unknown as LakeDocument
    const doc = this.view.get(ref._ref)
    if (!doc) return null
    return this.needsText ? this.copies.of(doc) : doc
  }

  private wrap(docs: LakeDocument[]): LakeDocument[] {
    return this.needsText ? docs.map(this.copies.of) : docs
  }

  private resolveLate(ref: string): LakeDocument[] | AsyncGenerator<LakeDocument> {
    if (ref === LATE_ALL) return this.streaming ? this.budget.stream(this.allWrappedDocs()) : this.dataset()
    const docs = this.lateDocs(ref)
    if (this.streaming) return this.budget.stream(docs)
    const entry = this.lateCache.get(ref)!
    entry.guarded ??= this.budget.guard(docs)
    return entry.guarded
  }

  /** The per-row candidates `<late><plan>:<key>` stands for (with search copies), computed once per key. */
  private lateDocs(ref: string): LakeDocument[] {
    let entry = this.lateCache.get(ref)
    if (!entry) {
      const rest = ref.slice(LATE.length)
      const colon = rest.indexOf(':')
      const plan = this.late[Number(rest.slice(0, colon))]
      entry = {docs: this.wrap(plan(rest.slice(colon + 1)))}
      this.lateCache.set(ref, entry)
    }
    return entry.docs
  }

  private visit(node: Node, inMatchLeft: boolean): Node {
    if (!node || typeof node !== 'object') return node
    if (node.type === 'FuncCall' && node.namespace === 'text' && node.name === 'query') {
      const arg = this.constant((node.args as Node[])[0])
      if (!arg || typeof arg.value !== 'string') return this.visit((node.args as Node[])[0] ?? ({type: 'Value', value: null} as Node), false)
      return {type: 'Value', value: textQueryPattern(arg.value)} as Node
    }
    if ((node.type as string) === 'ArrayElement' && inMatchLeft && (node.value as Node)?.type === 'This') {
      // `[@, _id]`: splat the document's strings so groq-js sees a flat list of strings.
      return {...node, value: searchTextOrSelf(), isSplat: true} as unknown as Node
    }
    if (node.type === 'This' && inMatchLeft) {
      return searchTextOrSelf()
    }
    if (node.type === 'FuncCall' && !DATASET_FREE_NAMESPACES.has(node.namespace as string)) {
      // e.g. `releases::all()` scans the dataset without a `*` in the query.
      this.needsDataset = true
    }
    if (node.type === 'OpCall' && node.op === 'match') return this.visitMatch(node)
    if (this.narrow && !this.hasFunctions && node.type === 'FuncCall' && node.namespace === 'global' && node.name === 'count') {
      const counted = this.exactCount(node)
      if (counted !== null) return {type: 'Value', value: counted} as Node
    }
    if (node.type === 'Everything') {
      this.needsDataset = true
      return node
    }
    if (this.narrow && !this.hasFunctions) {
      if (node.type === 'Slice' || node.type === 'AccessElement') {
        const ordered = this.orderedSlice(node) ?? this.rankedSlice(node)
        if (ordered) return ordered
      }
      if (node.type === 'Filter' && (node.base as Node).type === 'PipeFuncCall') {
        const scored = this.scoredFilter(node)
        if (scored) return scored
      }
      if (node.type === 'Filter' && (node.base as Node).type === 'Everything') return this.filter(node)
    }
    return this.visitChildren(node, inMatchLeft)
  }

  private visitChildren(node: Node, inMatchLeft: boolean): Node {
    let copy: Node | null = null
    for (const [key, value] of Object.entries(node)) {
      let next: unknown = value
      // A tuple/array directly on the left of `match` keeps the match context: `[@, _id] match q`.
      const nodeType = node.type as string
      const childInMatch = inMatchLeft && (nodeType === 'Array' || nodeType === 'ArrayElement' || nodeType === 'Tuple')
      if (Array.isArray(value)) {
        const mapped = value.map((item) => (item && typeof item === 'object' ? this.visit(item as Node, childInMatch) : item))
        if (mapped.some((item, i) => item !== value[i])) next = mapped
      } else if (value && typeof value === 'object' && 'type' in value) {
        next = this.visit(value as Node, childInMatch)
      }
      if (next !== value) {
        copy ??= {...node}
        ;(copy as Record<string, unknown>)[key] = next
      }
    }
    return copy ?? node
  }

  private visitMatch(node: Node): Node {
    const right = this.visit(node.right as Node, false)
    const left = node.left as Node
    if (this.isWildcardSearch(node)) {
      // `[@, _id] match "*"` holds for every document: its _id alone has a token. Reading every
      // string of the document (the whole story text) to learn that is what made lists slow.
      return {...node, left: {type: 'Array', elements: [(left.elements as Node[])[1]]}, right} as Node
    }
    return {...node, left: this.visit(left, true), right} as Node
  }

  /** `[@, _id] match <only wildcards>` (the Studio's list filter with an empty search box). */
  private isWildcardSearch(node: Node): boolean {
    if (!isSearchTuple(node.left as Node)) return false
    const terms = this.patternOf(node.right as Node)
    return terms !== null && terms.length > 0 && terms.every(isWildcardOnly)
  }

  /**
   * Every term of every pattern matched against `@` (the document's strings), or null when one
   * of those patterns is not a constant (then `@` keeps every string: see `termFilter`).
   */
  private searchTextTerms(node: unknown, out: string[] = []): string[] | null {
    if (!node || typeof node !== 'object') return out
    if (Array.isArray(node)) {
      for (const item of node) if (this.searchTextTerms(item, out) === null) return null
      return out
    }
    const n = node as Node
    if (n.type === 'OpCall' && n.op === 'match' && !this.isWildcardSearch(n) && this.usesSearchText(n.left, true)) {
      const terms = this.patternOf(n.right as Node)
      if (terms === null) return null
      out.push(...terms)
    }
    for (const value of Object.values(n)) {
      if (value && typeof value === 'object' && this.searchTextTerms(value, out) === null) return null
    }
    return out
  }

  /** The terms groq-js makes of a constant match pattern (`text::query(...)` included); null if not constant. */
  private patternOf(right: Node): string[] | null {
    let patternNode = right
    let text = false
    if (right.type === 'FuncCall' && right.namespace === 'text' && right.name === 'query') {
      patternNode = (right.args as Node[])[0]
      text = true
    }
    const pattern = this.constant(patternNode)
    if (!pattern) return null
    return patternTerms(text && typeof pattern.value === 'string' ? textQueryPattern(pattern.value) : pattern.value)
  }

  /** Whether `@` appears on the left of a `match` (the documents then need their search copies). */
  private usesSearchText(node: unknown, inMatchLeft: boolean): boolean {
    if (!node || typeof node !== 'object') return false
    if (Array.isArray(node)) return node.some((item) => this.usesSearchText(item, inMatchLeft))
    const n = node as Node
    if (inMatchLeft && n.type === 'This') return true
    if (n.type === 'OpCall' && n.op === 'match') {
      if (this.isWildcardSearch(n)) return this.usesSearchText(n.right, false)
      return this.usesSearchText(n.left, true) || this.usesSearchText(n.right, false)
    }
    const keep = inMatchLeft && ((n.type as string) === 'Array' || (n.type as string) === 'ArrayElement' || (n.type as string) === 'Tuple')
    return Object.values(n).some((value) => value && typeof value === 'object' && this.usesSearchText(value, keep))
  }

  /** `*[filter]`: the candidates from the indexes, or per-row candidates for `^` filters, or every document. */
  private filter(node: Node): Node {
    const expr = this.visit(node.expr as Node, false)
    // Each `&&` term's candidates once: their intersection is the filter's, and the per-row plan reuses them.
    const terms = andTerms(node.expr as Node)
    const termCandidates = terms.map((term) => this.candidates(term))
    const candidates = termCandidates.reduce<Candidates>(intersect, null)
    // Per-row candidates beat a fixed list unless that list is already tiny.
    if (candidates === null || candidates.size > 64) {
      const correlated = this.correlated(terms, termCandidates)
      if (correlated) return {...node, base: correlated, expr} as Node
    }
    if (candidates !== null) {
      // When the index answers the filter exactly (`_type == "story"`), its list is the answer.
      if (this.isExact(node.expr as Node)) return this.candidateValue(this.docsOf(candidates))
      return {...node, base: this.candidateValue(this.docsOf(candidates)), expr} as Node
    }
    this.needsDataset = true
    return {...node, expr} as Node
  }

  private candidateValue(docs: LakeDocument[]): Node {
    const value = {type: 'Value' as const, value: docs}
    this.candidateNodes.push(value)
    this.listSizes.push(() => value.value.length)
    return value as unknown as Node
  }

  private docsOf(ids: Iterable<string>): LakeDocument[] {
    const docs: LakeDocument[] = []
    for (const id of ids) {
      const doc = this.view.get(id)
      if (doc) docs.push(doc)
    }
    return docs
  }

  /**
   * A filter on `^` (`references(^._id)`, `parent._ref == ^._id`) has different candidates for
   * each row of the enclosing query. groq-js resolves `{"_ref": key}->` through the lake's
   * dereference, so the filter's base becomes `coalesce({"_ref": "<late>" + ^._id}->, *)`: the
   * reference index answers per row, and a key that is not a string falls back to every document.
   */
  private correlated(terms: Node[], termCandidates: Candidates[]): Node | null {
    for (let i = 0; i < terms.length; i++) {
      const outer = this.correlatedRef(terms[i])
      if (!outer) continue
      const fixed = termCandidates.reduce<Candidates>((rest, part, k) => (k === i ? rest : intersect(rest, part)), null)
      const index = this.late.length
      this.late.push((id) => {
        const ids = this.view.idsWithKey(refKey(id))
        return this.docsOf(fixed === null ? ids : intersect(ids, fixed)!)
      })
      const key = {type: 'OpCall', op: '+', left: {type: 'Value', value: `${LATE}${index}:`}, right: outer} as unknown as Node
      const base = {
        type: 'FuncCall',
        namespace: 'global',
        name: 'coalesce',
        func: COALESCE,
        args: [
          {type: 'Deref', base: refObject(key)},
          {type: 'Deref', base: refObject({type: 'Value', value: LATE_ALL} as Node)},
        ],
      } as unknown as Node
      this.correlatedBases.set(base, {index, outer})
      return base
    }
    return null
  }

  /**
   * For the yielding evaluation, a filter on per-row candidates (`references(^._id)`,
   * `^._id in fandoms[]._ref`) whose only `^` is the expression keying the candidates: that
   * expression becomes a parameter holding the key, which the lake's dereference knows, so the
   * filter reads only the row and runs in the stream like any other (groq-js's async filter
   * costs tens of µs per row). A key that is not a string falls back to groq-js's own filter over
   * every document, as the synchronous plan does.
   */
  private correlatedFilter(node: Node): Node | null {
    const info = this.correlatedBases.get(node.base as object)
    if (!info) return null
    const expr = substituteOuter(node.expr as Node, info.outer)
    if (!expr || !this.isRowLocal(expr)) return null
    const index = this.lateFiltered.length
    this.lateFiltered.push({index: info.index, expr})
    const key = {type: 'OpCall', op: '+', left: {type: 'Value', value: `${LATE_FILTERED}${index}:`}, right: info.outer} as unknown as Node
    const everything = {...node, base: {type: 'Deref', base: refObject({type: 'Value', value: LATE_ALL} as Node)}} as Node
    return {
      type: 'FuncCall',
      namespace: 'global',
      name: 'coalesce',
      func: COALESCE,
      args: [{type: 'Deref', base: refObject(key)}, this.toYielding(everything)],
    } as unknown as Node
  }

  /** For `references(^.x)`, `a._ref == ^.x`, `^.x in a[]._ref`: `^.x` as an outer-scope expression. */
  private correlatedRef(term: Node): Node | null {
    if (term.type === 'FuncCall' && term.namespace === 'global' && term.name === 'references') {
      const args = term.args as Node[]
      return args.length === 1 ? outerExpression(args[0]) : null
    }
    if (term.type === 'OpCall' && term.op === '==') {
      const [left, right] = [term.left as Node, term.right as Node]
      if (left.type === 'AccessAttribute' && isLocalRef(left)) return outerExpression(right)
      if (right.type === 'AccessAttribute' && isLocalRef(right)) return outerExpression(left)
    }
    if (term.type === 'OpCall' && term.op === 'in' && isLocalRef(term.right as Node)) return outerExpression(term.left as Node)
    return null
  }

  /**
   * `*[filter] | order(key ...)[a...b]` (also through a projection, as the Studio sends it, and
   * `[n]`): walks the view sorted by the first key and stops once `b` documents pass the filter
   * and the key has moved past the b-th one's. groq-js then filters, sorts and slices those few
   * exactly as it would the whole dataset: every document that could be in the slice is there,
   * in view order, ties included.
   */
  private orderedSlice(node: Node): Node | null {
    let end: number
    if (node.type === 'Slice') {
      const [left, right] = [node.left as number, node.right as number]
      if (typeof left !== 'number' || typeof right !== 'number' || left < 0 || right < 0) return null
      end = node.isInclusive ? right + 1 : right
    } else {
      const index = node.index as number
      if (typeof index !== 'number' || index < 0) return null
      end = index + 1
    }
    const pipe = node.base as Node
    if (pipe.type !== 'PipeFuncCall' || pipe.name !== 'order') return null
    const source = pipe.base as Node
    const projected = source.type === 'Map' && (source.base as Node).type === 'Filter' && (source.expr as Node).type === 'Projection'
    const filter = (projected ? source.base : source) as Node
    if (filter.type !== 'Filter' || (filter.base as Node).type !== 'Everything' || containsType(filter.expr, 'Parent')) return null
    const first = (pipe.args as Node[])[0]
    if (!first) return null
    const descending = first.type === 'Desc'
    let key: Node | null = first.type === 'Desc' || first.type === 'Asc' ? (first.base as Node) : first
    if (projected) key = throughProjection(key, ((source.expr as Node).expr as Node) ?? null)
    if (!key || !isDocumentKey(key)) return null

    const expr = this.visit(filter.expr as Node, false)
    const total = this.view.size
    // Walking costs about end * total / |candidates| index steps; filtering every candidate costs
    // |candidates| evaluations (each far dearer than a step).
    const worthFilteringAll = (size: number) => size <= 64 || (end * total) / Math.max(1, size) > 20 * size
    // Where even the bound says walk, the walk tests membership, not a candidate set: the sets'
    // intersection costs as much as the smaller one (the Studio's "Drafts waiting for review": every
    // draft, 12,000 at 300,000 stories), and the first 101 drafts by last edit are a few steps away.
    // A walk that takes more steps than that set holds (or four times what it would take were the
    // bound the candidates' size) stops and the candidates are worked out.
    const bound = this.sizeBound(filter.expr as Node)
    const test = bound === null ? null : this.candidateTest(filter.expr as Node)
    const steps = bound === null ? 0 : Math.max(bound, (4 * end * total) / Math.max(1, bound))
    // Keyset pages (`publishedAt < $last || (publishedAt == $last && _id < $lastId)`) start the
    // walk where the cursor is: a deep page costs what the first one does.
    const from = this.keyBound(filter.expr as Node, JSON.stringify(key), descending)
    const walked = test && !worthFilteringAll(bound!) ? this.walk(key, descending, test, expr, end, from, steps) : null
    let newFilter: Node
    if (walked) newFilter = this.candidateValue(walked)
    else {
      const candidates = this.candidates(filter.expr as Node)
      const filterAll = candidates !== null && worthFilteringAll(candidates.size)
      // The walk keeps only documents passing the filter (evaluated as groq-js would): no need to filter them again.
      newFilter = filterAll
        ? {...filter, base: this.candidateValue(this.docsOf(candidates)), expr}
        : this.candidateValue(this.walk(key, descending, candidates && ((id) => candidates.has(id)), expr, end, from)!)
    }
    const newSource = projected ? {...source, base: newFilter, expr: this.visit(source.expr as Node, false)} : newFilter
    const newPipe = {...pipe, base: newSource, args: (pipe.args as Node[]).map((arg) => this.visit(arg, false))}
    return {...node, base: newPipe} as Node
  }

  /**
   * The documents an ordered slice can keep, in view order: `key`'s sorted index walked until
   * `end` pass `expr` (and every tie of the last); `member` rules documents out before they are
   * read; `from`, where every document passing `expr` has its key (at most it walking down, at
   * least walking up), is where the walk starts. Null past `maxSteps` index entries.
   */
  private walk(key: Node, descending: boolean, member: ((id: string) => boolean) | null, expr: Node, end: number, from: {value: unknown} | null, maxSteps = Infinity): LakeDocument[] | null {
    if (end === 0) return []
    const path = attributePath(key)
    const keyOf = path !== null ? (doc: LakeDocument) => readAttributePath(doc, path) : (doc: LakeDocument) => evaluateSync(key as ExprNode, {root: doc}).data
    const terms = andTerms(expr)
    // Where the filter names one type, that type's own index: a story list walks no chapter or author.
    const index = this.view.sortedBy(JSON.stringify(key), keyOf, this.onlyType(terms))
    const entries = index.sorted()
    // Where the filter needs the key defined, documents without it (sorted last) are never read.
    const length = keyDefinedBy(key, terms) ? index.definedCount() : entries.length
    const matches: LakeDocument[] = []
    let cut: {key: unknown} | null = null
    const step = descending ? -1 : 1
    let steps = 0
    let start = descending ? length - 1 : 0
    if (from) {
      // The last entry at most `from` (walking down), or the first at least it (walking up).
      let [low, high] = [0, length]
      while (low < high) {
        const middle = (low + high) >>> 1
        const order = compareKeys(entries[middle].key, from.value)
        if (descending ? order <= 0 : order < 0) low = middle + 1
        else high = middle
      }
      start = descending ? low - 1 : low
    }
    for (let i = start; i >= 0 && i < length; i += step) {
      if (++steps > maxSteps) return null
      const entry = entries[i]
      if (cut && compareKeys(entry.key, cut.key) !== 0) break
      const id = this.view.idInView(entry.id)
      if (id === null || (member && !member(id))) continue
      const doc = this.view.get(id)
      if (!doc) continue
      this.budget.tick()
      if (this.passes(expr, doc)) {
        matches.push(doc)
        if (!cut && matches.length === end) cut = {key: entry.key}
      }
    }
    return matches.sort((a, b) => this.view.seqOf(a._id) - this.view.seqOf(b._id))
  }

  /** The one type a document passing every one of `terms` must have (`_type == "t"`, `_type in ["t"]`), if any. */
  private onlyType(terms: Node[]): string | undefined {
    for (const term of terms) {
      if (term.type !== 'OpCall' || attributePath(term.left as Node) !== '_type') continue
      const right = this.constant(term.right as Node)
      if (!right) continue
      if (term.op === '==' && typeof right.value === 'string') return right.value
      if (term.op === 'in' && Array.isArray(right.value) && right.value.length === 1 && typeof right.value[0] === 'string') return right.value[0]
    }
    return undefined
  }

  /** Whether one document passes a top-level filter (no `^`), as groq-js's filter would decide. */
  private passes(expr: Node, doc: LakeDocument): boolean {
    const root = this.needsText ? this.copies.of(doc) : doc
    const dataset = this.needsDataset ? this.dataset() : []
    return evaluateSync(expr as ExprNode, {...this.context, root, dataset, dereference: this.dereference}).data === true
  }

  /**
   * `*[f] | score(...) [_score > 0]? {...}? | order(_score desc, ...)[a...b]` (the Studio's global
   * search, the site's search): only the documents that can rank among the first `b` are handed to
   * groq-js. Each score() term has an upper bound per document from the indexes alone (a match
   * scores under 2.2 per term that can match, a boost adds its weight, `&&` both sides, `||` the
   * sum, anything else 1 where it can be true). Documents are scored exactly (by groq-js, one at a
   * time) from the highest bound down until `b` of them score at least what every bound left is
   * below; those scoring at least the b-th score, in view order, are every document that can be in
   * the slice (ties included: groq-js's sort then decides among them as it would over everything).
   * Documents the indexes say nothing about share one bound, which must be below the b-th score.
   */
  private rankedSlice(node: Node): Node | null {
    if (this.prepared.has(node)) return this.prepared.get(node)!
    const steps = this.rankedSteps(node)
    let next = steps.next()
    while (!next.done) next = steps.next()
    return next.value
  }

  /**
   * Runs rankedSlice for every `[a...b]` / `[n]` of the query (innermost first) before it is
   * planned, handing the thread to other requests every few ms (after `firstSliceMs`, then every
   * YIELD_EVERY_MS): a search scoring thousands of documents no longer holds a document fetch.
   */
  async prepare(root: Node, firstSliceMs: number): Promise<void> {
    if (!this.narrow || this.hasFunctions || !this.textSearch) return
    const found: Node[] = []
    const walk = (node: unknown): void => {
      if (!node || typeof node !== 'object') return
      if (Array.isArray(node)) return node.forEach(walk)
      const n = node as Node
      // A Value's content is data, never a node (a parameter may look like one).
      if (n.type === 'Value') return
      for (const [key, value] of Object.entries(n)) if (key !== 'func') walk(value)
      if (n.type === 'Slice' || n.type === 'AccessElement') found.push(n)
    }
    walk(root)
    let last = performance.now()
    let allowed = firstSliceMs
    for (const node of found) {
      const steps = this.rankedSteps(node)
      let next = steps.next()
      while (!next.done) {
        if (performance.now() - last > allowed) {
          await nextTurn()
          last = performance.now()
          allowed = YIELD_EVERY_MS
        }
        next = steps.next()
      }
      this.prepared.set(node, next.value)
    }
  }

  /** rankedSlice's work, pausable: it yields between steps of a few dozen µs each. */
  private *rankedSteps(node: Node): Generator<void, Node | null> {
    if (!this.textSearch) return null
    const end = sliceEnd(node)
    if (end === null || end === 0) return null
    const order = node.base as Node
    if (order.type !== 'PipeFuncCall' || order.name !== 'order') return null
    let source = order.base as Node
    let map: Node | null = null
    if (source.type === 'Map' && (source.expr as Node).type === 'Projection') {
      map = source
      source = source.base as Node
    }
    const first = (order.args as Node[])[0]
    if (!first || first.type !== 'Desc') return null
    let key: Node | null = first.base as Node
    if (map) key = throughProjection(key, ((map.expr as Node).expr as Node) ?? null)
    if (!key || key.type !== 'AccessAttribute' || key.name !== '_score' || (key.base && (key.base as Node).type !== 'This')) return null
    let positive: Node | null = null
    let score = source
    if (source.type === 'Filter') {
      const test = source.expr as Node
      if (test.type !== 'OpCall' || test.op !== '>' || attributePath(test.left as Node) !== '_score' || this.constant(test.right as Node)?.value !== 0) return null
      positive = source
      score = source.base as Node
    }
    if (score.type !== 'PipeFuncCall' || score.name !== 'score') return null
    const filter = score.base as Node
    if (filter.type !== 'Filter' || (filter.base as Node).type !== 'Everything') return null
    if (containsType(filter.expr, 'Parent') || containsType(score.args, 'Parent')) return null

    // First only the documents whose bound reaches a guess at the b-th score; if the b-th score
    // found is below the guess, again with every document whose bound reaches that score.
    const bounds = function* (this: Planner, tau: number | 'guess'): Generator<void, RankPlan | null> {
      this.unordered = true
      try {
        return yield* this.rankBounds(score.args as Node[], filter.expr as Node, tau, end)
      } finally {
        this.unordered = false
      }
    }.bind(this)
    let plan = yield* bounds('guess')
    if (!plan) return null
    const cheap = plan.cheap

    const expr = this.visit(filter.expr as Node, false)
    const args = (score.args as Node[]).map((arg) => this.visit(arg, false))
    const one = {type: 'Value', value: [] as LakeDocument[]}
    // Scored as shells (values left in SQLite not enumerable, see SearchCopies.shell) when the
    // score and filter read the document only by name: then groq-js's score() copying each row
    // does not read every story's body. `references()` walks the whole document: a shell decides
    // it alone unless the document's stored-away values hold one of the ids.
    const shellRefs = this.shellReads([filter.expr as Node, ...(score.args as Node[])])
    this.copies.withText = this.needsText
    const asRow = (doc: LakeDocument) => (this.needsText ? this.copies.of(doc) : doc)
    const forScoring = (doc: LakeDocument) => {
      if (!shellRefs || (shellRefs.size > 0 && lazyRefsOf(doc).some((id) => shellRefs.has(id)))) return asRow(doc)
      return lazyKeysOf(doc).length > 0 ? this.copies.shell(doc) : asRow(doc)
    }
    // The row groq-js's score() made of the last document evaluated: the document with its `_score`
    // (of a shell, the document's own keys are put back when the row is kept).
    let row: {_score?: unknown} | null = null
    const evaluate = (tree: ExprNode, doc: LakeDocument): number | null => {
      this.budget.tick()
      one.value = [forScoring(doc)]
      const dataset = this.needsDataset ? this.dataset() : []
      const result = evaluateSync(tree, {...this.context, dataset, dereference: this.dereference}).data as Array<{_score?: unknown}>
      row = result[0] ?? null
      const value = row?._score
      return typeof value === 'number' ? value : null
    }
    const single = {...score, base: {...filter, base: one, expr}, args} as unknown as ExprNode
    // The terms that read no whole document (a title, a name), scored first: their exact score
    // plus the others' bounds often rules a document out before its whole text is read.
    const cheapTree = cheap ? ({...score, base: one, args: cheap.map((i) => args[i])} as unknown as ExprNode) : null
    const best: number[] = []
    const scored: Array<{doc: LakeDocument; score: number; row: unknown}> = []
    // Documents scored, or ruled out by their cheap terms (kth only rises: they stay out).
    const seen = new Set<string>()
    let kth = -Infinity
    let step = 0
    const walk = function* (this: Planner, plan: RankPlan): Generator<void, void> {
      for (const entry of plan.ranked) {
        if (++step % 16 === 0) yield
        if (best.length >= end && entry.bound < kth) break
        if (seen.has(entry.id)) continue
        seen.add(entry.id)
        const doc = this.view.get(entry.id)
        if (!doc) continue
        if (cheapTree && best.length >= end) {
          const part = evaluate(cheapTree, doc)
          if (part !== null && plan.slack(part + plan.costlyBound(entry.id)) < kth) continue
        }
        const value = evaluate(single, doc)
        if (value === null) continue
        scored.push({doc, score: value, row})
        if (value <= 0) continue
        let at = best.length
        while (at > 0 && best[at - 1] < value) at--
        best.splice(at, 0, value)
        if (best.length > end) best.pop()
        if (best.length >= end) kth = best[end - 1]
      }
    }.bind(this)
    yield* walk(plan)
    if (plan.tau > 0 && !(best.length >= end && kth >= plan.tau)) {
      plan = yield* bounds(best.length >= end ? kth : 0)
      if (!plan) return null
      yield* walk(plan)
    }
    const rest = plan.rest
    let keep: typeof scored
    // Past a guess, every document not ranked has a bound below it, so below kth.
    if (plan.tau > 0) keep = scored.filter((s) => s.score >= kth)
    else if (best.length >= end && kth > rest) keep = scored.filter((s) => s.score >= kth)
    else if (positive && rest === 0) keep = scored.filter((s) => s.score > 0)
    // Documents the indexes cannot rule out (or that score 0 and still fill the slice) would be needed.
    else return null
    // What groq-js's score() answers over them: their rows in view order, sorted (stably) by score,
    // highest first. Each row is groq-js's own, so none is scored twice.
    keep.sort((a, b) => this.view.seqOf(a.doc._id) - this.view.seqOf(b.doc._id))
    keep.sort((a, b) => b.score - a.score)
    // What Object.assign({}, row, {_score}) in groq-js's score() makes of the whole document.
    const rowOf = (s: (typeof keep)[number]) => (lazyKeysOf(s.doc).length > 0 && s.row && !Object.hasOwn(s.row as object, lazyKeysOf(s.doc)[0]) ? copyDocument(s.doc, {_score: s.score}) : s.row)
    const newScore = {type: 'Value', value: keep.map(rowOf)}
    this.listSizes.push(() => keep.length)
    const newSource = positive ? {...positive, base: newScore, expr: this.visit(positive.expr as Node, false)} : newScore
    const newMapped = map ? {...map, base: newSource, expr: this.visit(map.expr as Node, false)} : newSource
    return {...node, base: {...order, base: newMapped, args: (order.args as Node[]).map((arg) => this.visit(arg, false))}} as Node
  }

  /**
   * The ids of the `references()` calls in `nodes` when they read the row only through its
   * attributes (by name) and those calls; null when some part reads the row whole (`@` outside
   * the left of a match, `references()` of something not constant). Element scopes (`tags[@ ...]`,
   * `authors[]->name`) do not read the row.
   */
  private shellReads(nodes: Node[]): Set<string> | null {
    const ids = new Set<string>()
    const walk = (node: unknown, inMatchLeft: boolean): boolean => {
      if (!node || typeof node !== 'object') return true
      if (Array.isArray(node)) return node.every((item) => walk(item, inMatchLeft))
      const n = node as Node
      switch (n.type) {
        case 'Value':
          return true
        case 'This':
          return inMatchLeft
        case 'Parent':
        case 'Context':
          return false
        case 'OpCall':
          if (n.op === 'match') return walk(n.left, true) && walk(n.right, false)
          break
        case 'FuncCall':
          if (n.namespace === 'global' && n.name === 'references') {
            for (const arg of n.args as Node[]) {
              const value = this.constant(arg)
              if (!value) return false
              for (const id of [value.value].flat()) if (typeof id === 'string') ids.add(id)
            }
            return true
          }
          return (n.args as Node[]).every((arg) => walk(arg, false))
      }
      // In these the expression is evaluated per element: `@` there is not the row.
      if (SCOPE_TYPES.has(n.type as string)) return walk(n.base, false)
      const keep = inMatchLeft && ((n.type as string) === 'Array' || (n.type as string) === 'ArrayElement' || (n.type as string) === 'Tuple')
      return Object.entries(n).every(([key, value]) => key === 'func' || !value || typeof value !== 'object' || walk(value, keep))
    }
    return nodes.every((node) => walk(node, false)) ? ids : null
  }

  /**
   * rankedSlice's bounds: the documents that can score above 0 (and pass the filter's index
   * candidates), highest bound first; `rest`, the bound of every other document; `cheap`, the
   * score() terms that read no whole document (null when none or all are).
   */
  private *rankBounds(scoreArgs: Node[], filterExpr: Node, tauOrGuess: number | 'guess', end: number): Generator<void, RankPlan | null> {
    const terms: ScoreTerm[] = []
    for (const arg of scoreArgs) {
      const term = this.scoreBound(arg)
      if (!term) return null
      terms.push(term)
    }
    // A document's own numeric `_score` is where groq-js starts counting.
    const own = this.lookup(`"${OWN_SCORE_MARKER}"`, false)
    if (own === null) return null
    const start = new Map<string, number>()
    for (const id of own) {
      const value = this.view.get(id)?._score
      if (typeof value !== 'number') continue
      if (value < 0) return null
      start.set(id, value)
    }
    // Summing the same numbers in another order can round differently: bounds get some slack.
    const slack = (total: number) => total * (1 + 1e-9) + 1e-9
    const bound = (id: string) => {
      let total = start.get(id) ?? 0
      for (const term of terms) total += term.bound(id)
      return slack(total)
    }
    // Only the documents whose bound can reach tau: every one of a term with few, and of the
    // others those where each term reaches tau less what all the others can add at most.
    const few = terms.filter((term) => term.estimate <= 4 * end)
    const many = terms.filter((term) => !few.includes(term))
    const highest = many.reduce((total, term) => total + term.max, 0)
    const reaching = (tau: number): ReadonlySet<string> | null => {
      let reach: Candidates = null
      for (const term of many) {
        const need = tau - (highest - term.max)
        if (need > 0) reach = intersect(reach, term.need(need * (1 - 1e-9) - 1e-9))
      }
      if (reach === null && many.length > 0) return null
      return this.union([...few.map((term) => term.positive!), own, ...(reach ? [reach] : [])])
    }
    let tau = 0
    let known: ReadonlySet<string> | null = null
    if (tauOrGuess === 'guess') {
      for (const share of [0.9, 0.75, 0.6]) {
        const found = reaching(highest * share)
        // A guess that leaves thousands is not worth a pass of its own (the site's search, whose
        // title boost alone cannot rule out a story: the other terms add up past the cut).
        if (!found || found.size > 40 * end) break
        if (found.size >= end) {
          ;[tau, known] = [highest * share, found]
          break
        }
      }
    } else if (tauOrGuess > 0) {
      known = reaching(tauOrGuess)
      if (known) tau = tauOrGuess
    }
    known ??= this.union([...terms.flatMap((term) => (term.positive ? [term.positive] : [])), own])
    // Documents outside every known positive set score only through terms that can be positive
    // anywhere (past tau, nothing outside `known` is needed).
    let restTotal = 0
    if (tau === 0) for (const term of terms) if (term.positive === null) restTotal += term.bound(ALL)
    const rest = restTotal > 0 ? slack(restTotal) : 0
    const passes = this.candidateTest(filterExpr)
    const ranked: Array<{id: string; bound: number}> = []
    let step = 0
    for (const id of known) {
      if (++step % 256 === 0) yield
      if (passes && !passes(id)) continue
      const b = bound(id)
      if (b > slack(0)) ranked.push({id, bound: b})
    }
    ranked.sort((a, b) => b.bound - a.bound)
    const costly = scoreArgs.map((arg) => this.usesSearchText(arg, false))
    const cheap = costly.some(Boolean) && !costly.every(Boolean) ? costly.flatMap((c, i) => (c ? [] : [i])) : null
    const costlyBound = (id: string) => {
      let total = 0
      terms.forEach((term, i) => {
        if (costly[i]) total += term.bound(id)
      })
      return total
    }
    return {ranked, rest, cheap, slack, costlyBound, tau}
  }

  /**
   * An upper bound of a score() term per document (see rankedSlice), and the documents for which
   * it can be positive (null: any). `ALL` stands for a document in every set: the bound of any
   * document outside them all.
   */
  private scoreBound(expr: Node): ScoreTerm | null {
    const has = (set: Candidates, id: string) => set === null || id === ALL || set.has(id)
    const nothing: ScoreTerm = {bound: () => 0, positive: EMPTY, estimate: 0, max: 0, need: () => EMPTY}
    if (expr.type === 'OpCall' && expr.op === 'match') {
      const reach = textReach(expr.left as Node, {local: '@', deref: null})
      const terms = this.patternOf(expr.right as Node)
      if (!reach || terms === null) return null
      if (terms.length === 0 || (reach.local === null && reach.deref === null)) return nothing
      const termBounds = terms.map((term) => this.termBound(term, reach))
      const termSets = termBounds.map((term) => term.positive)
      const union = lazy(() => (termSets.includes(null) ? null : this.union(termSets as Array<ReadonlySet<string>>)))
      return {
        get positive() {
          return union()
        },
        estimate: termSets.reduce((total, set) => total + (set ? set.size : Infinity), 0),
        bound: (id) => {
          let total = 0
          for (const term of termBounds) total += term.bound(id)
          return total
        },
        max: 2.2 * terms.length,
        // Each term adds at most 2.2, and at most 1 where it matches one token of one field.
        need: (tau) => {
          if (tau > 2.2 * terms.length) return EMPTY
          const many = Math.ceil(tau / 2.2 - 1e-9)
          if (many >= 2 || tau > 1) {
            const inSeveral = this.inAtLeast(termSets, Math.max(2, many))
            if (many >= 2) return inSeveral
            const high: Candidates[] = [inSeveral]
            for (const term of termBounds) high.push(term.high)
            return high.includes(null) ? null : this.union(high as Array<ReadonlySet<string>>)
          }
          return union()
        },
      }
    }
    // groq-js reads any function named boost as boost().
    if (expr.type === 'FuncCall' && expr.name === 'boost') {
      const [innerNode, weightNode] = expr.args as Node[]
      const inner = innerNode && this.scoreBound(innerNode)
      const weight = this.constant(weightNode)
      if (!inner || !weight) return null
      if (typeof weight.value !== 'number') return nothing
      if (weight.value < 0) return null
      const w = weight.value
      return {
        get positive() {
          return inner.positive
        },
        estimate: inner.estimate,
        bound: (id) => {
          const u = inner.bound(id)
          return u > 0 ? u + w : 0
        },
        max: inner.max > 0 ? inner.max + w : 0,
        need: (tau) => (tau - w > 0 ? inner.need(tau - w) : inner.positive),
      }
    }
    if (expr.type === 'Or' || expr.type === 'And') {
      const left = this.scoreBound(expr.left as Node)
      const right = left && this.scoreBound(expr.right as Node)
      if (!left || !right) return null
      // For l + r >= tau, each side must reach tau less the other's highest.
      const sides = (tau: number, positive: (side: ScoreTerm) => Candidates): [Candidates, Candidates] => [
        tau - right.max > 0 ? left.need(tau - right.max) : positive(left),
        tau - left.max > 0 ? right.need(tau - left.max) : positive(right),
      ]
      if (expr.type === 'Or') {
        const union = lazy(() => (left.positive === null || right.positive === null ? null : this.union([left.positive, right.positive])))
        return {
          get positive() {
            return union()
          },
          estimate: left.estimate + right.estimate,
          bound: (id) => left.bound(id) + right.bound(id),
          max: left.max + right.max,
          need: (tau) => {
            const [l, r] = sides(tau, () => null)
            return l === null && r === null ? union() : intersect(l, r)
          },
        }
      }
      const both = lazy(() => {
        // A side known by a membership test only filters the other's documents.
        const filtered = (set: Candidates, member: (id: string) => boolean) => (set === null ? null : new Set([...set].filter(member)))
        if (left.member && right.positive !== null) return filtered(right.positive, left.member)
        if (right.member && left.positive !== null) return filtered(left.positive, right.member)
        return intersect(left.positive, right.positive)
      })
      return {
        get positive() {
          return both()
        },
        estimate: Math.min(left.estimate, right.estimate),
        bound: (id) => {
          const [l, r] = [left.bound(id), right.bound(id)]
          return l > 0 && r > 0 ? l + r : 0
        },
        max: left.max > 0 && right.max > 0 ? left.max + right.max : 0,
        need: (tau) => {
          // Both sides must be positive: the smaller side's documents when neither need narrows.
          const [l, r] = sides(tau, () => null)
          if (l === null && r === null) return left.estimate <= right.estimate ? left.positive : right.positive
          return intersect(l, r)
        },
      }
    }
    // Anything else scores 1 where it is true. Tested by membership (the Studio's `_type in [...]`
    // is most of the dataset: its union is only built if asked for).
    const where = lazy(() => this.candidates(expr))
    const test = this.candidateTest(expr)
    return {
      get positive() {
        return where()
      },
      estimate: Infinity,
      bound: (id) => (id === ALL || test === null || test(id) ? 1 : 0),
      member: test ?? (() => true),
      max: 1,
      need: (tau) => (tau <= 1 ? where() : EMPTY),
    }
  }

  /** The documents in at least `n` of `sets` (a null set holds every document). */
  private inAtLeast(sets: Candidates[], n: number): Candidates {
    const known = sets.filter((set): set is ReadonlySet<string> => set !== null)
    const needed = n - (sets.length - known.length)
    if (needed <= 0) return null
    if (needed > known.length) return EMPTY
    if (needed === 1) return this.union(known)
    if (needed === known.length) return known.reduce<Candidates>((acc, set) => intersect(acc, set), null)
    const counts = new Map<string, number>()
    for (const set of known) for (const id of set) counts.set(id, (counts.get(id) ?? 0) + 1)
    const out = new Set<string>()
    for (const [id, count] of counts) if (count >= needed) out.add(id)
    return out
  }

  /**
   * `*[f] | score(...) [_score > 0]` (the Studio's global search): only documents for which some
   * scored term holds can have a positive score, so the candidates are those terms' union.
   */
  private scoredFilter(node: Node): Node | null {
    const pipe = node.base as Node
    const inner = pipe.base as Node
    if (pipe.name !== 'score' || inner.type !== 'Filter' || (inner.base as Node).type !== 'Everything') return null
    const test = node.expr as Node
    if (test.type !== 'OpCall' || test.op !== '>' || attributePath(test.left as Node) !== '_score') return null
    const threshold = this.constant(test.right as Node)
    if (!threshold || threshold.value !== 0) return null
    let positive: Candidates = EMPTY
    for (const arg of pipe.args as Node[]) {
      let term = arg
      if (arg.type === 'FuncCall' && arg.name === 'boost') {
        const weight = this.constant((arg.args as Node[])[1])
        if (!weight || typeof weight.value !== 'number' || weight.value <= 0) return null
        term = (arg.args as Node[])[0]
      }
      // Inside score(), `a match "x y"` scores when any of its terms matches (see scoringCandidates).
      const part = this.scoringCandidates(term)
      if (part === null) return null
      positive = this.union([positive, part])
    }
    const candidates = intersect(this.candidates(inner.expr as Node), positive)!
    const newInner = {...inner, base: this.candidateValue(this.docsOf(candidates)), expr: this.visit(inner.expr as Node, false)}
    const newPipe = {...pipe, base: newInner, args: (pipe.args as Node[]).map((arg) => this.visit(arg, false))}
    return {...node, base: newPipe, expr: this.visit(test, false)} as Node
  }

  /**
   * A constant that the key (`keyText`, a node as JSON) of every document passing `expr` is at
   * most (`upper`) or at least, in GROQ's order: from `key < c`, `key <= c`, `key == c` (`>`,
   * `>=` for a lower bound), either way round, through `&&` (the tighter) and `||` (the looser).
   * A comparison is true only between two strings or two numbers, so a document passing it has a
   * key of c's type on the right side of c. Null when `expr` says nothing of the key.
   */
  private keyBound(expr: Node, keyText: string, upper: boolean): {value: unknown} | null {
    const looser = (a: {value: unknown}, b: {value: unknown}) => ((compareKeys(a.value, b.value) > 0) === upper ? a : b)
    switch (expr.type) {
      case 'Group':
        return this.keyBound(expr.base as Node, keyText, upper)
      case 'And': {
        const [left, right] = [this.keyBound(expr.left as Node, keyText, upper), this.keyBound(expr.right as Node, keyText, upper)]
        return left && right ? (looser(left, right) === left ? right : left) : (left ?? right)
      }
      case 'Or': {
        const left = this.keyBound(expr.left as Node, keyText, upper)
        const right = left && this.keyBound(expr.right as Node, keyText, upper)
        return left && right ? looser(left, right) : null
      }
      case 'OpCall': {
        const flipped: Record<string, string> = {'<': '>', '<=': '>=', '>': '<', '>=': '<=', '==': '=='}
        let [op, other] = [expr.op as string, expr.right as Node]
        if (JSON.stringify(expr.left) !== keyText) {
          if (JSON.stringify(expr.right) !== keyText || !flipped[op]) return null
          ;[op, other] = [flipped[op], expr.left as Node]
        }
        const bound = this.constant(other)
        if (!bound || (typeof bound.value !== 'string' && typeof bound.value !== 'number')) return null
        return op === '==' || (upper ? op === '<' || op === '<=' : op === '>' || op === '>=') ? bound : null
      }
      default:
        return null
    }
  }

  /**
   * An upper bound of `candidates(expr)`'s size without intersecting sets (the smaller side of an
   * `&&`, both sides of an `||` added up); null when every document may pass.
   */
  private sizeBound(expr: Node): number | null {
    const fixed = this.constant(expr)
    if (fixed) return fixed.value === true ? null : 0
    switch (expr.type) {
      case 'Group':
        return this.sizeBound(expr.base as Node)
      case 'And': {
        const [left, right] = [this.sizeBound(expr.left as Node), this.sizeBound(expr.right as Node)]
        return left === null ? right : right === null ? left : Math.min(left, right)
      }
      case 'Or': {
        const left = this.sizeBound(expr.left as Node)
        const right = left === null ? null : this.sizeBound(expr.right as Node)
        return left === null || right === null ? null : left + right
      }
      case 'OpCall': {
        const list = expr.op === 'in' && !this.constant(expr.left as Node) ? this.constant(expr.right as Node) : null
        if (list && Array.isArray(list.value)) {
          let size = 0
          for (const value of list.value) {
            const part = this.equals(expr.left as Node, value)
            if (part === null) return null
            size += part.size
          }
          return size
        }
      }
    }
    const found = this.candidates(expr)
    return found === null ? null : found.size
  }

  /** Whether `candidates(expr)` is exactly the documents passing `expr` (only `_type`/`_id` comparisons). */
  private isExact(expr: Node): boolean {
    if (this.constant(expr)) return true
    switch (expr.type) {
      case 'Group':
        return this.isExact(expr.base as Node)
      case 'And':
      case 'Or':
        return this.isExact(expr.left as Node) && this.isExact(expr.right as Node)
      case 'OpCall': {
        const [left, right] = [expr.left as Node, expr.right as Node]
        const exactField = (n: Node) => ['_type', '_id'].includes(attributePath(n) ?? '')
        if (expr.op === '==') return (exactField(left) && !!this.constant(right)) || (exactField(right) && !!this.constant(left))
        if (expr.op === 'in') return exactField(left) && Array.isArray(this.constant(right)?.value)
        return false
      }
      default:
        return false
    }
  }

  /**
   * Candidates for a score() term, scored as groq-js scores: `a match "x y"` when any term matches,
   * `&&` when both sides score, `||` when either does; anything else (a group too) when it is true.
   */
  private scoringCandidates(expr: Node): Candidates {
    switch (expr.type) {
      case 'And':
        return intersect(this.scoringCandidates(expr.left as Node), this.scoringCandidates(expr.right as Node))
      case 'Or': {
        const left = this.scoringCandidates(expr.left as Node)
        const right = left === null ? null : this.scoringCandidates(expr.right as Node)
        return left === null || right === null ? null : this.union([left, right])
      }
      case 'OpCall':
        if (expr.op === 'match') return this.matchCandidates(expr.left as Node, expr.right as Node, true)
        return this.candidates(expr)
      default:
        return this.candidates(expr)
    }
  }

  /**
   * `candidates(expr)` as a membership test, without building the union of an `in` list (the
   * Studio's `_type in $__types` is most of the dataset); null when every document may pass.
   */
  private candidateTest(expr: Node): ((id: string) => boolean) | null {
    const fixed = this.constant(expr)
    if (fixed) return fixed.value === true ? null : () => false
    switch (expr.type) {
      case 'Group':
        return this.candidateTest(expr.base as Node)
      case 'And': {
        const [left, right] = [this.candidateTest(expr.left as Node), this.candidateTest(expr.right as Node)]
        if (!left || !right) return left ?? right
        return (id) => left(id) && right(id)
      }
      case 'Or': {
        const left = this.candidateTest(expr.left as Node)
        const right = left && this.candidateTest(expr.right as Node)
        if (!left || !right) return null
        return (id) => left(id) || right(id)
      }
      case 'OpCall': {
        const list = expr.op === 'in' && !this.constant(expr.left as Node) ? this.constant(expr.right as Node) : null
        if (list && Array.isArray(list.value)) {
          const parts = list.value.map((value) => this.equals(expr.left as Node, value))
          if (parts.some((part) => part === null)) return null
          return (id) => parts.some((part) => part!.has(id))
        }
      }
    }
    const found = this.candidates(expr)
    return found === null ? null : (id) => found.has(id)
  }

  /** The value of a subtree that reads no document (literals, parameters, pure functions of them). */
  private constant(node: Node | undefined): {value: unknown} | null {
    if (!node) return null
    if (this.constants.has(node)) return this.constants.get(node)!
    let result: {value: unknown} | null = null
    if (isConstantTree(node)) {
      try {
        result = {value: evaluateSync(node as ExprNode, {params: this.context.params}).data}
      } catch {
        result = null
      }
    }
    this.constants.set(node, result)
    return result
  }

  /**
   * Candidates already worked out in this query, by node (in order, and unordered): planning asks
   * for a filter's more than once (an ordered slice, a ranked slice's preparation).
   */
  private readonly candidateMemo = {ordered: new Map<Node, Candidates>(), unordered: new Map<Node, Candidates>()}

  /** A superset of the ids satisfying `expr`, in view order; null when no index applies (every document). */
  private candidates(expr: Node): Candidates {
    const memo = this.unordered ? this.candidateMemo.unordered : this.candidateMemo.ordered
    if (memo.has(expr)) return memo.get(expr)!
    const found = this.candidatesOf(expr)
    memo.set(expr, found)
    return found
  }

  private candidatesOf(expr: Node): Candidates {
    const fixed = this.constant(expr)
    if (fixed) return fixed.value === true ? null : EMPTY
    switch (expr.type) {
      case 'Group':
        return this.candidates(expr.base as Node)
      case 'And':
        return intersect(this.candidates(expr.left as Node), this.candidates(expr.right as Node))
      case 'Or': {
        const left = this.candidates(expr.left as Node)
        if (left === null) return null
        const right = this.candidates(expr.right as Node)
        if (right === null) return null
        return this.union([left, right])
      }
      case 'OpCall':
        return this.opCandidates(expr)
      case 'FuncCall':
        return this.funcCandidates(expr)
      default:
        return null
    }
  }

  private funcCandidates(expr: Node): Candidates {
    const args = expr.args as Node[]
    if (expr.namespace === 'global' && expr.name === 'references') {
      const ids: string[] = []
      for (const arg of args) {
        const value = this.constant(arg)
        if (!value) return null
        if (typeof value.value === 'string') ids.push(value.value)
        else if (Array.isArray(value.value)) {
          for (const item of value.value) if (typeof item === 'string') ids.push(item)
        }
      }
      return this.union(ids.map((id) => this.view.idsWithKey(refKey(id))))
    }
    if (expr.namespace === 'sanity' && expr.name === 'versionOf' && args.length === 1) {
      const value = this.constant(args[0])
      if (!value) return null
      if (typeof value.value !== 'string') return EMPTY
      const self = this.view.has(value.value) ? new Set([value.value]) : EMPTY
      return this.union([self, this.view.idsWithKey(versionOfKey(value.value))])
    }
    return null
  }

  private opCandidates(expr: Node): Candidates {
    const left = expr.left as Node
    const right = expr.right as Node
    if (expr.op === 'match') return this.matchCandidates(left, right)
    if (expr.op === '==') {
      const leftConst = this.constant(left)
      const rightConst = this.constant(right)
      if (rightConst && !leftConst) return this.equals(left, rightConst.value)
      if (leftConst && !rightConst) return this.equals(right, leftConst.value)
      return null
    }
    if (expr.op === 'in') {
      const leftConst = this.constant(left)
      if (leftConst && isLocalRef(right)) {
        // Only strings are indexed; `null in a[]._ref` matches members without `_ref`.
        return typeof leftConst.value === 'string' ? this.view.idsWithKey(refKey(leftConst.value)) : null
      }
      if (right.type === 'FuncCall' && right.name === 'path') return this.pathCandidates(left, (right.args as Node[])[0])
      const rightConst = this.constant(right)
      if (!leftConst && rightConst && Array.isArray(rightConst.value)) {
        const parts = rightConst.value.map((value) => this.equals(left, value))
        if (parts.some((part) => part === null)) return null
        return this.union(parts as ReadonlySet<string>[])
      }
    }
    return null
  }

  /**
   * `x match "a b*"` through the full-text index: every term must match a token of x (any term,
   * inside score()), x's strings are the document's own (the whole document for `@`, else its named
   * top-level fields) or, through one `->`, a referenced document's; the index holds groq-js's own
   * tokens of each (search-text.ts), so the documents with a token starting with each term's
   * literal start are a superset. groq-js still decides each candidate.
   */
  private matchCandidates(left: Node, right: Node, anyTerm = false): Candidates {
    if (!this.textSearch) return null
    const reach = textReach(left, {local: '@', deref: null})
    if (!reach) return null
    const terms = this.patternOf(right)
    if (terms === null) return null
    // No terms or no text: groq-js answers false (and scores 0) for every document.
    if (terms.length === 0 || (reach.local === null && reach.deref === null)) return EMPTY
    if (!anyTerm && reach.deref === null) {
      const queries = terms.map((term) => termQuery(term, reach.local!)).filter((q): q is string => q !== null)
      if (queries.length === 0) return null
      // Terms looked up one by one and kept (search-cache.ts) serve every pair they are in; only
      // when each alone is too common does SQLite intersect them, in one lookup.
      let each: Candidates = null
      for (const query of queries) each = intersect(each, this.lookup(query, false))
      return each ?? this.lookup(queries.join(' AND '), false)
    }
    let result: Candidates = null
    let any: ReadonlySet<string> = EMPTY
    for (const term of terms) {
      const found = this.termCandidates(term, reach)
      if (anyTerm) {
        if (found === null) return null
        any = this.union([any, found])
      } else result = intersect(result, found)
    }
    return anyTerm ? any : result
  }

  /**
   * A bound of what one term of a match scores per document: freq * 2.2 / (freq + 1.2) (groq-js),
   * below 2.2 where the term can match. In named top-level fields the index also tells where it
   * can match two tokens of one field (search-text.ts, repeatQuery); elsewhere it matches at most
   * one token per field, so a document where k of the fields hold it scores at most
   * k * 2.2 / (k + 1.2): 1 for one field. `ALL` gets the highest bound.
   */
  private termBound(term: string, reach: TextReach): {positive: Candidates; bound: (id: string) => number; high: Candidates} {
    const positive = this.termCandidates(term, reach)
    const upTo = (id: string) => (positive === null || id === ALL || positive.has(id) ? 2.2 : 0)
    if (positive === null || reach.deref !== null || reach.local === null || reach.local === '@') return {positive, bound: upTo, high: positive}
    const fields: Array<{any: ReadonlySet<string>; many: ReadonlySet<string>}> = []
    for (const field of reach.local) {
      const [anyQuery, manyQuery] = [termQuery(term, [field]), repeatQuery(term, field)]
      const any = anyQuery === null ? null : this.lookup(anyQuery, false)
      const many = manyQuery === null ? null : this.lookup(manyQuery, false)
      if (!any || !many) return {positive, bound: upTo, high: positive}
      fields.push({any, many})
    }
    // Where it can score above 1: two tokens of one field, or tokens in two fields.
    const high = lazy(() => this.union([...fields.map((field) => field.many), this.inAtLeast(fields.map((field) => field.any), 2) ?? positive]))
    return {
      positive,
      get high() {
        return high()
      },
      bound: (id) => {
        if (id === ALL) return 2.2
        if (!positive.has(id)) return 0
        let k = 0
        for (const field of fields) {
          if (field.many.has(id)) return 2.2
          if (field.any.has(id)) k++
        }
        return k === 0 ? 0 : (k * 2.2) / (k + 1.2)
      },
    }
  }

  /** Documents in which `term` can match a token of the text `reach` names; null when the index cannot tell or the term is too common. */
  termCandidates(term: string, reach: TextReach): Candidates {
    const parts: ReadonlySet<string>[] = []
    for (const [scope, deref] of [[reach.local, false], [reach.deref, true]] as const) {
      if (scope === null) continue
      // Field by field, so each lookup is shared by every clause reading that field.
      for (const one of scope === '@' ? ['@' as const] : scope.map((field) => [field])) {
        const query = termQuery(term, one)
        if (query === null) return null
        const found = this.lookup(query, deref)
        if (found === null) return null
        parts.push(found)
      }
    }
    return this.union(parts)
  }

  /** The view's documents an FTS5 query finds (with `deref`, the documents referring to them); null when it finds too many to narrow by. */
  private lookup(query: string, deref: boolean): Candidates {
    const key = `${deref ? 'd' : 'l'}${this.unordered ? 'u' : 'o'}${query}`
    if (this.lookups.has(key)) return this.lookups.get(key)!
    const limit = Math.max(5000, Math.floor(this.view.size / 4))
    // Views differ in size, so in limit: a kept lookup answers every limit it decides (the
    // Studio's search and the site's ask the same words of the raw and the published view).
    const kept = this.rawLookups.get(query)
    let rawIds: string[] | null
    if (kept && (kept.ids === null ? limit <= kept.limit : kept.ids.length <= limit)) rawIds = kept.ids
    else {
      rawIds = this.textSearch!.search(query, limit)
      this.rawLookups.set(query, {limit, ids: rawIds})
      this.textSearch!.cache?.count(rawIds?.length ?? 0)
    }
    let result: Candidates = null
    if (rawIds !== null) {
      const ids = new Set<string>()
      for (const rawId of rawIds) {
        const id = this.textSearch!.raw ? rawId : publishedIdOf(rawId)
        if (deref) for (const referrer of this.view.idsWithKey(refKey(id))) ids.add(referrer)
        else if (this.view.has(id)) ids.add(id)
      }
      result = this.unordered ? ids : new Set(this.view.inViewOrder(ids))
    }
    this.lookups.set(key, result)
    this.textSearch!.cache?.count(result?.size ?? 0)
    return result
  }

  /** `_id in path("drafts.**")` (and `_originalId`): documents whose id starts with that segment. */
  private pathCandidates(attribute: Node, patternNode: Node | undefined): Candidates {
    const field = attributePath(attribute)
    if (field !== '_id' && field !== '_originalId') return null
    const pattern = this.constant(patternNode)
    if (!pattern || typeof pattern.value !== 'string') return null
    const match = /^([^.*]+)\.(?!$)/.exec(pattern.value)
    return match ? this.view.idsWithKey(idPrefixKey(match[1], field)) : null
  }

  /**
   * `count(*[f])` where the indexes answer `f` exactly (`_type ==` / `in` a string constant, and
   * `&&` / `||` of those): the size of the index set, so counting every story reads no document.
   */
  private exactCount(node: Node): number | null {
    const args = node.args as Node[]
    if (args.length !== 1 || args[0].type !== 'Filter' || (args[0].base as Node).type !== 'Everything') return null
    const ids = this.exactIds(args[0].expr as Node)
    if (ids === null) return null
    // Every view's index sets know their exact size (the published and overlay views' too).
    return ids.size
  }

  private exactIds(expr: Node): ReadonlySet<string> | null {
    switch (expr.type) {
      case 'Group':
        return this.exactIds(expr.base as Node)
      case 'And': {
        const left = this.exactIds(expr.left as Node)
        const right = left && this.exactIds(expr.right as Node)
        return right && intersect(left, right)
      }
      case 'Or': {
        const left = this.exactIds(expr.left as Node)
        const right = left && this.exactIds(expr.right as Node)
        return right && this.union([left!, right])
      }
      case 'OpCall': {
        const left = expr.left as Node
        if (attributePath(left) !== '_type' || this.constant(left)) return null
        const right = this.constant(expr.right as Node)
        if (!right) return null
        if (expr.op === '==' && typeof right.value === 'string') return this.view.idsWithKey(typeKey(right.value))
        if (expr.op === 'in' && Array.isArray(right.value) && right.value.every((v) => typeof v === 'string')) {
          return this.union((right.value as string[]).map((type) => this.view.idsWithKey(typeKey(type))))
        }
        return null
      }
      default:
        return null
    }
  }

  private equals(attribute: Node, value: unknown): Candidates {
    if (attribute.type === 'AccessAttribute' && isLocalRef(attribute)) {
      return typeof value === 'string' ? this.view.idsWithKey(refKey(value)) : null
    }
    const path = attributePath(attribute)
    if (path === null) return null
    if (path === '_id') {
      return typeof value === 'string' && this.view.has(value) ? new Set([value]) : EMPTY
    }
    if (path === '_type') {
      return typeof value === 'string' ? this.view.idsWithKey(typeKey(value)) : EMPTY
    }
    if ((EQUALITY_INDEXED_PATHS as readonly string[]).includes(path)) {
      if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
        return this.view.idsWithKey(fieldKey(path, value))
      }
    }
    return null
  }

  /** The union of candidate sets, in view order. */
  private union(parts: ReadonlyArray<ReadonlySet<string>>): ReadonlySet<string> {
    const nonEmpty = parts.filter((part) => part.size > 0)
    if (nonEmpty.length === 0) return EMPTY
    if (nonEmpty.length === 1) return nonEmpty[0]
    const all = new Set<string>()
    for (const part of nonEmpty) for (const id of part) all.add(id)
    return this.unordered ? all : new Set(this.view.inViewOrder(all))
  }
}

/**
 * What the left of a `match` reads: the text of the document itself (`local`: `'@'` for all of it,
 * else the top-level fields) and of documents it follows one `->` to (`deref`); null on either side
 * is no text at all. Null for anything else (`_type`, which the index leaves out, `^`, constants
 * holding strings, functions).
 */
/**
 * A score() term's upper bound per document (`bound`), the documents where it can be positive
 * (null: any), an upper bound of that set's size, its highest value over all documents, and
 * `need(tau)`, a superset of the documents where its bound reaches tau > 0 (null: any).
 */
interface ScoreTerm {
  bound: (id: string) => number
  readonly positive: Candidates
  estimate: number
  /** Membership in `positive`, when that is cheaper than the set. */
  member?: (id: string) => boolean
  max: number
  need: (tau: number) => Candidates
}

/** `make()`, computed on first use. */
function lazy<T>(make: () => T): () => T {
  let done = false
  let value: T
  return () => {
    if (!done) {
      value = make()
      done = true
    }
    return value
  }
}

/** rankedSlice's bounds (see `Planner.rankBounds`). */
interface RankPlan {
  /** Every document not in `ranked` has a bound below this (0: below `rest`). */
  tau: number
  ranked: Array<{id: string; bound: number}>
  rest: number
  cheap: number[] | null
  slack: (total: number) => number
  costlyBound: (id: string) => number
}

interface TextReach {
  local: TextScope | null
  deref: TextScope | null
}

function joinScopes(a: TextScope | null, b: TextScope | null): TextScope | null {
  if (a === null) return b
  if (b === null) return a
  if (a === '@' || b === '@') return '@'
  return [...new Set([...a, ...b])]
}

function joinReach(parts: Array<TextReach | null>): TextReach | null {
  let out: TextReach = {local: null, deref: null}
  for (const part of parts) {
    if (!part) return null
    out = {local: joinScopes(out.local, part.local), deref: joinScopes(out.deref, part.deref)}
  }
  return out
}

/** `self` is what `@` reads here: the document, or (inside `a[]...`) elements within a field. */
function textReach(node: Node, self: TextReach): TextReach | null {
  switch (node.type) {
    case 'This':
      return self
    case 'Value':
      return hasString(node.value) ? null : {local: null, deref: null}
    case 'AccessAttribute': {
      const name = node.name as string
      if (NON_TEXT_KEYS.has(name)) return null
      const base = node.base ? textReach(node.base as Node, self) : self
      if (!base) return null
      // An attribute of a whole document is that field; within a field it stays within it.
      const narrow = (scope: TextScope | null): TextScope | null => (scope === '@' ? [name] : scope)
      return {local: narrow(base.local), deref: narrow(base.deref)}
    }
    case 'AccessElement':
    case 'ArrayCoerce':
    case 'Group':
      return textReach(node.base as Node, self)
    case 'Deref': {
      const base = textReach(node.base as Node, self)
      if (!base || base.deref !== null) return null
      return {local: null, deref: base.local === null ? null : '@'}
    }
    case 'Map':
    case 'FlatMap': {
      const base = textReach(node.base as Node, self)
      return base && textReach(node.expr as Node, base)
    }
    case 'Array':
      return joinReach((node.elements as unknown as Array<{value: Node}>).map((e) => textReach(e.value, self)))
    case 'FuncCall':
      return node.namespace === 'global' && node.name === 'coalesce' ? joinReach((node.args as Node[]).map((a) => textReach(a, self))) : null
    default:
      return null
  }
}

function hasString(value: unknown): boolean {
  if (typeof value === 'string') return true
  if (Array.isArray(value)) return value.some(hasString)
  return !!value && typeof value === 'object' && Object.values(value).some(hasString)
}

/** What groq-js reads for a plain attribute path: objects only, anything else is null. */
function readAttributePath(doc: LakeDocument, path: string): unknown {
  let value: unknown = doc
  for (const part of path.split('.')) {
    if (!value || typeof value !== 'object' || Array.isArray(value)) return null
    value = (value as Record<string, unknown>)[part]
  }
  return value === undefined ? null : value
}

/** A key on a projected row (`orderings[0]`, `title`) as the expression on the document it came from. */
function throughProjection(key: Node | null, object: Node | null): Node | null {
  if (!key || !object || object.type !== 'Object') return null
  let index: number | null = null
  let attribute = key
  if (key.type === 'AccessElement') {
    index = key.index as number
    attribute = key.base as Node
  }
  if (attribute.type !== 'AccessAttribute' || (attribute.base && (attribute.base as Node).type !== 'This')) return null
  const attributes = object.attributes as unknown as Array<Record<string, unknown>>
  // A spread (`...`) could also define the name: only plain objects are followed.
  if (attributes.some((a) => a.type !== 'ObjectAttributeValue')) return null
  const found = [...attributes].reverse().find((a) => a.name === attribute.name)
  if (!found) return null
  const value = found.value as Node
  if (index === null) return value
  if (value.type !== 'Array') return null
  const elements = value.elements as unknown as Array<Record<string, unknown>>
  const element = elements[index]
  return element && !element.isSplat && elements.slice(0, index).every((e) => !e.isSplat) ? (element.value as Node) : null
}


/** `[@, _id]` exactly: the Studio's search tuple. */
function isSearchTuple(node: Node): boolean {
  if (node.type !== 'Array') return false
  const elements = node.elements as unknown as Array<Record<string, unknown>>
  return (
    elements.length === 2 &&
    !elements[0].isSplat &&
    (elements[0].value as Node).type === 'This' &&
    !elements[1].isSplat &&
    attributePath(elements[1].value as Node) === '_id'
  )
}

/** How the planner narrowed each `*[filter]`: candidate counts, and whether a full scan remains. */
export function explainQuery(view: DocView, query: string, params: Record<string, unknown> = {}, textSearch?: TextSearch): {candidates: number[]; fullScan: boolean} {
  const planner = new Planner(view, {params}, new QueryBudget(queryTimeLimitMs(), query), true, textSearch)
  planner.plan(simplifyConditions(parseQuery(query, params) as Node, params, (id) => view.idsWithKey(refKey(id)).size > 0))
  return {candidates: planner.listSizes.map((size) => size()), fullScan: planner.needsDataset}
}
