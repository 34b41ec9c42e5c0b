import {evaluate, evaluateSync, parse, type ExprNode} from 'groq-js'
import {LakeError} from './errors'
import {DEFAULT_MAX_READS, QueryBudget, querySliceMs, queryTimeLimitMs, nextTurn, SLICE_USED_UP, STOP} from './query-budget'
import {publishedIdOf} from './ids'
import {isWildcardOnly, NON_TEXT_KEYS, patternTerms, SEARCH_TEXT, SearchCopies, textQueryPattern} from './search-text'
import {compareKeys} from './sorted-index'
import type {LakeDocument} from './types'
import {fieldKey, idPrefixKey, refKey, typeKey, versionOfKey, EQUALITY_INDEXED_PATHS, type DocView} from './view'

/** Namespaces whose functions never read the dataset (`releases::all()` and friends do). */
const DATASET_FREE_NAMESPACES = new Set(['global', 'string', 'array', 'pt', 'delta', 'diff', 'math', 'dateTime', 'text', 'geo', 'sanity'])

/** The child of each node type whose value groq-js uses whole (see `Planner.toYielding`). */
const WHOLE_VALUE_KEYS: Record<string, string> = {ObjectAttributeValue: 'value', ArrayElement: 'value', AccessElement: 'base', Slice: 'base'}

/** Namespaces groq-js only evaluates asynchronously. */
const ASYNC_ONLY_NAMESPACES = new Set(['delta', 'diff'])

/** Functions that give the same answer for every document, so a call on constants is a constant. */
const CONSTANT_FUNCTIONS = new Set(['path', 'lower', 'upper', 'coalesce', 'defined', 'count', 'length', 'string'])

/** Functions an order key may use and still be indexed (they only read the document). */
const KEY_FUNCTIONS = new Set(['coalesce', 'lower', 'upper'])

/**
 * `_ref` prefix of the late-bound candidate lists (see `Planner.correlated`): never a valid
 * document id, so no stored reference can reach it.
 */
const LATE = '\u0000lake:'
const LATE_ALL = `${LATE}all`
/** `_ref` prefix of the yielding evaluation's jobs (see `Planner.job`). */
const JOB = `${LATE}job:`

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
  /** Null when more than `limit` documents match (too common a word to narrow by). */
  search(prefixes: string[], limit: number): string[] | null
  /** Whether the view's ids are raw ids (else drafts and versions stand for their published id). */
  raw: boolean
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
  const ast = parseQuery(query, params)
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
  const tree = planner.plan(ast as Node) as ExprNode
  const dereference = planner.dereference
  // A full scan is the reference the planner is compared with: plain groq-js, synchronous. So is a
  // query calling a function groq-js does not implement: it fails at once, and an error thrown
  // inside groq-js's async streams could go unhandled (see QueryBudget).
  const syncOnly = options.fullScan || callsUnimplemented(tree)
  const sliceMs = syncOnly ? Number.POSITIVE_INFINITY : (options.sliceMs ?? querySliceMs())
  try {
    if (sliceMs > 0 && !containsAsyncOnly(tree)) {
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
  return Object.values(n).some((value) => value && typeof value === 'object' && containsAsyncOnly(value))
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
  const [small, large] = a.size <= b.size ? [a, b] : [b, a]
  const out = new Set<string>()
  // Both sets iterate in view order, so the result does too.
  for (const id of small) if (large.has(id)) out.add(id)
  return out
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
  /** Each candidate node's documents (with search copies), unguarded: what the yielding evaluation streams. */
  private readonly sourceDocs = new WeakMap<object, LakeDocument[]>()
  /** Set by `yielding()`: document lists are then handed to groq-js as pausing streams. */
  private streaming = false
  private readonly jobs: Array<() => Promise<unknown>> = []

  constructor(
    private readonly view: DocView,
    private readonly context: EvalContext,
    private readonly budget: QueryBudget,
    private readonly narrow = true,
    private readonly textSearch?: TextSearch,
  ) {}

  plan(node: Node): Node {
    if (containsType(node, 'FunctionDeclaration')) this.hasFunctions = true
    this.needsText = this.usesSearchText(node, false)
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

  private async *runSteps({docs, steps}: Pipeline): AsyncGenerator<unknown> {
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
        for (const out of this.applySteps(row, stage)) {
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
        scored.push(...(this.evalRow({type: 'PipeFuncCall', name: 'score', base, args} as unknown as Node, null) as Array<{_score: number}>))
      }
      // The sort groq-js's score() ends with (stable, so ties keep their order).
      scored.sort((a, b) => b._score - a._score)
      rows = scored
      from = barrier + 1
    }
  }

  private applySteps(row: unknown, steps: Step[]): unknown[] {
    let rows = [row]
    for (const step of steps) {
      if (step.kind === 'score') continue
      const next: unknown[] = []
      for (const value of rows) {
        const data = this.evalRow(step.expr, value)
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
  private evalRow(expr: Node, row: unknown): unknown {
    return evaluateSync(expr as ExprNode, {...this.context, root: row, dataset: [], dereference: this.dereference}).data
  }

  // A late-bound `_ref` answers a list of documents; groq-js passes whatever it gets through fromJS.
  readonly dereference = (ref: {_ref: string}): LakeDocument | null => {
    if (ref._ref.startsWith(JOB)) return this.jobs[Number(ref._ref.slice(JOB.length))]() as unknown as LakeDocument
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
    let entry = this.lateCache.get(ref)
    if (!entry) {
      const rest = ref.slice(LATE.length)
      const colon = rest.indexOf(':')
      const plan = this.late[Number(rest.slice(0, colon))]
      entry = {docs: this.wrap(plan(rest.slice(colon + 1)))}
      this.lateCache.set(ref, entry)
    }
    if (this.streaming) return this.budget.stream(entry.docs)
    entry.guarded ??= this.budget.guard(entry.docs)
    return entry.guarded
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
    if (node.type === 'Everything') {
      this.needsDataset = true
      return node
    }
    if (this.narrow && !this.hasFunctions) {
      if (node.type === 'Slice' || node.type === 'AccessElement') {
        const ordered = this.orderedSlice(node)
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
    let right = node.right as Node
    let text = false
    if (right.type === 'FuncCall' && right.namespace === 'text' && right.name === 'query') {
      right = (right.args as Node[])[0]
      text = true
    }
    const pattern = this.constant(right)
    if (!pattern) return false
    const terms = patternTerms(text && typeof pattern.value === 'string' ? textQueryPattern(pattern.value) : pattern.value)
    return terms !== null && terms.length > 0 && terms.every(isWildcardOnly)
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
      return {
        type: 'FuncCall',
        namespace: 'global',
        name: 'coalesce',
        func: COALESCE,
        args: [
          {type: 'Deref', base: refObject(key)},
          {type: 'Deref', base: refObject({type: 'Value', value: LATE_ALL} as Node)},
        ],
      } as unknown as Node
    }
    return null
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
    const candidates = this.candidates(filter.expr as Node)
    const total = this.view.size
    // Walking costs about end * total / |candidates| index steps; filtering every candidate costs
    // |candidates| evaluations (each far dearer than a step).
    const filterAll = candidates !== null && (candidates.size <= 64 || (end * total) / Math.max(1, candidates.size) > 20 * candidates.size)
    // The walk keeps only documents passing the filter (evaluated as groq-js would): no need to filter them again.
    const newFilter = filterAll
      ? {...filter, base: this.candidateValue(this.docsOf(candidates)), expr}
      : this.candidateValue(this.walk(key, descending, candidates, expr, end))
    const newSource = projected ? {...source, base: newFilter, expr: this.visit(source.expr as Node, false)} : newFilter
    const newPipe = {...pipe, base: newSource, args: (pipe.args as Node[]).map((arg) => this.visit(arg, false))}
    return {...node, base: newPipe} as Node
  }

  private walk(key: Node, descending: boolean, candidates: Candidates, expr: Node, end: number): LakeDocument[] {
    if (end === 0) return []
    const path = attributePath(key)
    const keyOf = path !== null ? (doc: LakeDocument) => readAttributePath(doc, path) : (doc: LakeDocument) => evaluateSync(key as ExprNode, {root: doc}).data
    const entries = this.view.sortedBy(JSON.stringify(key), keyOf).sorted()
    const matches: LakeDocument[] = []
    let cut: {key: unknown} | null = null
    const step = descending ? -1 : 1
    for (let i = descending ? entries.length - 1 : 0; i >= 0 && i < entries.length; i += step) {
      const entry = entries[i]
      if (cut && compareKeys(entry.key, cut.key) !== 0) break
      if (candidates && !candidates.has(entry.id)) continue
      const doc = this.view.get(entry.id)
      if (!doc) continue
      this.budget.tick()
      if (this.passes(expr, doc)) {
        matches.push(doc)
        if (!cut && matches.length === end) cut = {key: entry.key}
      }
    }
    return matches.sort((a, b) => this.view.seqOf(a._id) - this.view.seqOf(b._id))
  }

  /** Whether one document passes a top-level filter (no `^`), as groq-js's filter would decide. */
  private passes(expr: Node, doc: LakeDocument): boolean {
    const root = this.needsText ? this.copies.of(doc) : doc
    const dataset = this.needsDataset ? this.dataset() : []
    return evaluateSync(expr as ExprNode, {...this.context, root, dataset, dereference: this.dereference}).data === true
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

  /** A superset of the ids satisfying `expr`, in view order; null when no index applies (every document). */
  private candidates(expr: Node): Candidates {
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
   * `x match "a b*"` through the full-text index: every term must match a token of x, x's strings
   * are the document's own (or, through one `->`, a referenced document's), and the index holds
   * every string of every document, so documents with an indexed token starting with each term's
   * first word are a superset. groq-js still decides each candidate.
   */
  private matchCandidates(left: Node, right: Node, anyTerm = false): Candidates {
    if (!this.textSearch) return null
    const reach = textReach(left, true)
    if (reach === null) return null
    let patternNode = right
    let text = false
    if (right.type === 'FuncCall' && right.namespace === 'text' && right.name === 'query') {
      patternNode = (right.args as Node[])[0]
      text = true
    }
    const pattern = this.constant(patternNode)
    if (!pattern) return null
    const terms = patternTerms(text && typeof pattern.value === 'string' ? textQueryPattern(pattern.value) : pattern.value)
    if (terms === null) return null
    // No terms: groq-js answers false for every document.
    if (terms.length === 0) return EMPTY
    const prefixes = terms.map(indexPrefix).filter((prefix): prefix is string => prefix !== null)
    if (prefixes.length === 0) return null
    if (anyTerm && prefixes.length < terms.length) return null
    let result: Candidates = null
    let any: ReadonlySet<string> = EMPTY
    // One term at a time when references are followed (a term may match in another document) or
    // when any term is enough (score()).
    for (const group of reach === 'deref' || anyTerm ? prefixes.map((p) => [p]) : [prefixes]) {
      const rawIds = this.textSearch.search(group, Math.max(5000, this.view.size / 4))
      if (rawIds === null) {
        if (anyTerm) return null
        continue
      }
      const ids = new Set<string>()
      for (const rawId of rawIds) {
        const id = this.textSearch.raw ? rawId : publishedIdOf(rawId)
        if (this.view.has(id)) ids.add(id)
        if (reach === 'deref') for (const referrer of this.view.idsWithKey(refKey(id))) ids.add(referrer)
      }
      const found = new Set(this.view.inViewOrder(ids))
      if (anyTerm) any = this.union([any, found])
      else result = intersect(result, found)
    }
    return anyTerm ? any : result
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
    return new Set(this.view.inViewOrder(all))
  }
}

/**
 * What the left of a `match` reads: 'local' for the document's own strings (`@`, attributes),
 * 'deref' when it also follows one `->`, null for anything else (e.g. `_type`, which the
 * full-text index leaves out, or `^`).
 */
function textReach(node: Node, top: boolean, derefs = 0): 'local' | 'deref' | null {
  const worst = (parts: Array<'local' | 'deref' | null>) => (parts.includes(null) ? null : parts.includes('deref') ? 'deref' : 'local')
  switch (node.type) {
    case 'This':
    case 'Value':
      return derefs > 0 ? 'deref' : 'local'
    case 'AccessAttribute':
      if (NON_TEXT_KEYS.has(node.name as string)) return null
      return node.base ? textReach(node.base as Node, false, derefs) : derefs > 0 ? 'deref' : 'local'
    case 'AccessElement':
    case 'ArrayCoerce':
    case 'Group':
      return textReach(node.base as Node, false, derefs)
    case 'Deref':
      return derefs > 0 ? null : textReach(node.base as Node, false, derefs + 1) === null ? null : 'deref'
    case 'Map':
    case 'FlatMap':
      return worst([textReach(node.base as Node, false, derefs), textReach(node.expr as Node, false, derefs)])
    case 'Array':
      return worst((node.elements as unknown as Array<{value: Node}>).map((e) => textReach(e.value, top, derefs)))
    case 'FuncCall':
      return node.namespace === 'global' && node.name === 'coalesce' ? worst((node.args as Node[]).map((a) => textReach(a, top, derefs))) : null
    default:
      return null
  }
}

/**
 * The part of a match term the full-text index can look up: its first word as SQLite's
 * unicode61 tokenizer splits it, up to the first `*`. Null when that is empty (e.g. `*`).
 */
function indexPrefix(term: string): string | null {
  const literal = term.split('*')[0]
  const word = /[\p{L}\p{N}\p{Co}]+/u.exec(literal)
  return word ? word[0] : null
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

function isConstantTree(node: Node): boolean {
  switch (node.type) {
    case 'Value':
    case 'Parameter':
      return true
    case 'Group':
    case 'Not':
    case 'Neg':
    case 'Pos':
      return isConstantTree(node.base as Node)
    case 'And':
    case 'Or':
    case 'OpCall':
      return isConstantTree(node.left as Node) && isConstantTree(node.right as Node)
    case 'Array':
      return (node.elements as unknown as Array<{value: Node}>).every((e) => isConstantTree(e.value))
    case 'FuncCall':
      return node.namespace === 'global' && CONSTANT_FUNCTIONS.has(node.name as string) && (node.args as Node[]).every(isConstantTree)
    default:
      return false
  }
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
  planner.plan(parseQuery(query, params) as Node)
  return {candidates: planner.candidateNodes.map((node) => node.value.length), fullScan: planner.needsDataset}
}
