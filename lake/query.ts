import {evaluate, evaluateSync, parse, type ExprNode} from 'groq-js'
import {LakeError} from './errors'
import {QueryBudget, queryTimeLimitMs} from './query-budget'
import type {LakeDocument} from './types'
import {fieldKey, refKey, typeKey, EQUALITY_INDEXED_PATHS, type DocView} from './view'

/**
 * Attribute name for "every string of this document" in `@ match ...` (Studio search). A symbol, so
 * no GROQ text can name it, and it only exists on per-query copies: stored documents never change.
 */
const SEARCH_TEXT = Symbol('lakeSearchText')

/** Namespaces whose functions never read the dataset (`releases::all()` and friends do). */
const DATASET_FREE_NAMESPACES = new Set(['global', 'string', 'array', 'pt', 'delta', 'diff', 'math', 'dateTime', 'text', 'geo', 'sanity'])

type Node = ExprNode & Record<string, unknown>
type Candidates = ReadonlySet<string> | null

export interface QueryOptions {
  /** Skip the index planner (used by conformance tests and the benchmark baseline). */
  fullScan?: boolean
  timestamp?: Date
  identity?: string
  sanity?: {projectId: string; dataset: string}
  /** Evaluation time limit; default from `LAKE_QUERY_TIME_LIMIT_MS` (see query-budget.ts). */
  timeLimitMs?: number
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

/** Runs GROQ over one perspective's view, using the indexes to narrow every `*[filter]`. */
export async function runQuery(
  view: DocView,
  query: string,
  params: Record<string, unknown> = {},
  options: QueryOptions = {},
): Promise<unknown> {
  const ast = parseQuery(query, params)
  const context = {
    params,
    timestamp: options.timestamp,
    identity: options.identity,
    sanity: options.sanity,
  }
  const budget = new QueryBudget(options.timeLimitMs ?? queryTimeLimitMs(), query)
  if (options.fullScan) {
    const value = await evaluate(ast, {...context, dataset: budget.guard(view.all())})
    return value.get()
  }
  const planner = new Planner(view)
  const tree = planner.rewrite(ast as Node) as ExprNode
  let dataset = planner.needsDataset ? view.all() : []
  let dereference = (ref: {_ref: string}): LakeDocument | null => view.get(ref._ref) ?? null
  const copies = planner.needsText ? new SearchCopies() : null
  dataset = budget.guard(copies ? dataset.map(copies.of) : dataset)
  for (const node of planner.candidateNodes) {
    node.value = budget.guard(copies ? node.value.map(copies.of) : node.value)
  }
  if (copies) {
    const plain = dereference
    dereference = (ref) => {
      const doc = plain(ref)
      return doc ? copies.of(doc) : null
    }
  }
  try {
    return evaluateSync(tree, {...context, dataset, dereference}).data
  } catch (err) {
    if (err instanceof LakeError) throw err
    // Some constructs only exist in groq-js's async evaluator.
    try {
      const value = await evaluate(tree, {...context, dataset, dereference})
      return await value.get()
    } catch (asyncErr) {
      if (asyncErr instanceof LakeError) throw asyncErr
      throw new LakeError(400, 'queryExecutionError', (asyncErr as Error).message, {query})
    }
  }
}

/**
 * `@` left of `match`: a document's strings when `@` is a document copy carrying them, else `@`
 * itself, so `tags[@ match "x*"]` still matches the string elements.
 */
function searchTextOrSelf(): Node {
  const call = parse('coalesce(@.x, @)') as unknown as Node
  return {...call, args: [{type: 'AccessAttribute', base: {type: 'This'}, name: SEARCH_TEXT}, {type: 'This'}]} as unknown as Node
}

function constant(node: Node | undefined): {value: unknown} | null {
  if (!node) return null
  if (node.type === 'Value') return {value: node.value}
  if (node.type === 'Group') return constant(node.base as Node)
  if (node.type === 'Array') {
    const out: unknown[] = []
    for (const element of node.elements as unknown as Array<{value: Node; isSplat: boolean}>) {
      const inner = constant(element.value)
      if (!inner) return null
      if (element.isSplat) {
        if (Array.isArray(inner.value)) out.push(...inner.value)
      } else out.push(inner.value)
    }
    return {value: out}
  }
  return null
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

function intersect(a: Candidates, b: Candidates): Candidates {
  if (a === null) return b
  if (b === null) return a
  const [small, large] = a.size <= b.size ? [a, b] : [b, a]
  const out = new Set<string>()
  for (const id of small) if (large.has(id)) out.add(id)
  return out
}

class Planner {
  needsDataset = false
  needsText = false
  /** The `Value` nodes that replaced `*[filter]`, holding each filter's candidate documents. */
  readonly candidateNodes: Array<{type: 'Value'; value: LakeDocument[]}> = []
  private hasFunctions = false

  constructor(private readonly view: DocView) {}

  rewrite(node: Node): Node {
    if (containsType(node, 'FunctionDeclaration')) this.hasFunctions = true
    return this.visit(node, false)
  }

  private visit(node: Node, inMatchLeft: boolean): Node {
    if (!node || typeof node !== 'object') return node
    if (node.type === 'FuncCall' && node.namespace === 'text' && node.name === 'query') {
      return textQueryPattern(node)
    }
    if ((node.type as string) === 'ArrayElement' && inMatchLeft && (node.value as Node)?.type === 'This') {
      // `[@, _id]`: splat the document's strings so groq-js sees a flat list of strings.
      this.needsText = true
      return {...node, value: searchTextOrSelf(), isSplat: true} as unknown as Node
    }
    if (node.type === 'This' && inMatchLeft) {
      this.needsText = true
      return searchTextOrSelf()
    }
    if (node.type === 'FuncCall' && !DATASET_FREE_NAMESPACES.has(node.namespace as string)) {
      // e.g. `releases::all()` scans the dataset without a `*` in the query.
      this.needsDataset = true
    }
    if (node.type === 'OpCall' && node.op === 'match') {
      return {
        ...node,
        left: this.visit(node.left as Node, true),
        right: this.visit(node.right as Node, false),
      } as Node
    }
    if (node.type === 'Everything') {
      this.needsDataset = true
      return node
    }
    if (node.type === 'Filter' && (node.base as Node).type === 'Everything' && !this.hasFunctions) {
      const expr = this.visit(node.expr as Node, false)
      const candidates = this.candidates(node.expr as Node)
      if (candidates === null) {
        this.needsDataset = true
        return {...node, expr} as Node
      }
      const docs: LakeDocument[] = []
      for (const id of candidates) {
        const doc = this.view.get(id)
        if (doc) docs.push(doc)
      }
      const base = {type: 'Value' as const, value: docs}
      this.candidateNodes.push(base)
      return {...node, base, expr} as Node
    }
    let copy: Node | null = null
    for (const [key, value] of Object.entries(node)) {
      let next: unknown = value
      // A tuple/array directly on the left of `match` keeps the match context: `[@, _id] match q`.
      const nodeType = node.type as string
      const childInMatch = inMatchLeft && (nodeType === 'Array' || nodeType === 'ArrayElement' || nodeType === 'Tuple')
      if (Array.isArray(value)) {
        const mapped = value.map((item) =>
          item && typeof item === 'object' ? this.visit(item as Node, childInMatch) : item,
        )
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

  /** A superset of the ids satisfying `expr`, in view order; null when no index applies. */
  private candidates(expr: Node): Candidates {
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
        return new Set(this.view.inViewOrder(new Set([...left, ...right])))
      }
      case 'OpCall':
        return this.opCandidates(expr)
      case 'FuncCall':
        if (expr.namespace === 'global' && expr.name === 'references') {
          const ids: string[] = []
          for (const arg of expr.args as Node[]) {
            const value = constant(arg)
            if (!value) return null
            if (typeof value.value === 'string') ids.push(value.value)
            else if (Array.isArray(value.value)) {
              for (const item of value.value) if (typeof item === 'string') ids.push(item)
            }
          }
          return this.union(ids.map(refKey))
        }
        return null
      default:
        return null
    }
  }

  private opCandidates(expr: Node): Candidates {
    const left = expr.left as Node
    const right = expr.right as Node
    if (expr.op === '==') {
      const leftConst = constant(left)
      const rightConst = constant(right)
      if (rightConst && !leftConst) return this.equals(left, rightConst.value)
      if (leftConst && !rightConst) return this.equals(right, leftConst.value)
      return null
    }
    if (expr.op === 'in') {
      const leftConst = constant(left)
      if (leftConst && isLocalRef(right)) {
        // Only strings are indexed; `null in a[]._ref` matches members without `_ref`.
        return typeof leftConst.value === 'string' ? this.union([refKey(leftConst.value)]) : null
      }
      const rightConst = constant(right)
      if (!leftConst && rightConst && Array.isArray(rightConst.value)) {
        let out: Set<string> = new Set()
        const parts: Candidates[] = rightConst.value.map((value) => this.equals(left, value))
        if (parts.some((part) => part === null)) return null
        for (const part of parts) out = new Set([...out, ...part!])
        return new Set(this.view.inViewOrder(out))
      }
    }
    return null
  }

  private equals(attribute: Node, value: unknown): Candidates {
    if (attribute.type === 'AccessAttribute' && isLocalRef(attribute)) {
      return typeof value === 'string' ? this.union([refKey(value)]) : null
    }
    const path = attributePath(attribute)
    if (path === null) return null
    if (path === '_id') {
      return typeof value === 'string' && this.view.has(value) ? new Set([value]) : new Set()
    }
    if (path === '_type') {
      return typeof value === 'string' ? this.view.idsWithKey(typeKey(value)) : new Set()
    }
    if ((EQUALITY_INDEXED_PATHS as readonly string[]).includes(path)) {
      if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
        return this.view.idsWithKey(fieldKey(path, value))
      }
    }
    return null
  }

  private union(keys: string[]): Candidates {
    if (keys.length === 1) return this.view.idsWithKey(keys[0])
    const all = new Set<string>()
    for (const key of keys) for (const id of this.view.idsWithKey(key)) all.add(id)
    return new Set(this.view.inViewOrder(all))
  }
}

function containsType(node: unknown, type: string): boolean {
  if (!node || typeof node !== 'object') return false
  if (Array.isArray(node)) return node.some((item) => containsType(item, type))
  if ((node as Node).type === type) return true
  return Object.values(node).some((value) => value && typeof value === 'object' && containsType(value, type))
}

/** `text::query("foo bar")` becomes the match pattern `foo* bar*`; quotes and `-excluded` terms are dropped. */
function textQueryPattern(node: Node): Node {
  const arg = constant((node.args as Node[])[0])
  if (!arg || typeof arg.value !== 'string') return (node.args as Node[])[0] ?? ({type: 'Value', value: null} as Node)
  const terms = arg.value
    .replace(/"/g, ' ')
    .split(/\s+/)
    .filter((term) => term && !term.startsWith('-'))
    // Content Lake's text search matches word prefixes; groq-js `match` needs the explicit `*`.
    .map((term) => (term.endsWith('*') ? term : `${term}*`))
  return {type: 'Value', value: terms.join(' ')} as Node
}

function collectStrings(value: unknown, out: string[]): void {
  if (typeof value === 'string') out.push(value)
  else if (Array.isArray(value)) for (const item of value) collectStrings(item, out)
  else if (value && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      if (key === '_key' || key === '_ref' || key === '_type' || key === '_rev') continue
      collectStrings(inner, out)
    }
  }
}

/** The strings of each stored document, computed once per document version. */
const searchTexts = new WeakMap<LakeDocument, string[]>()

function searchTextOf(doc: LakeDocument): string[] {
  let text = searchTexts.get(doc)
  if (!text) {
    text = []
    collectStrings(doc, text)
    searchTexts.set(doc, text)
  }
  return text
}

/** Per-query shallow copies that carry the hidden search text; one copy per document per query. */
class SearchCopies {
  private readonly copies = new Map<LakeDocument, LakeDocument>()

  readonly of = (doc: LakeDocument): LakeDocument => {
    let copy = this.copies.get(doc)
    if (!copy) {
      copy = {...doc}
      Object.defineProperty(copy, SEARCH_TEXT, {enumerable: false, get: () => searchTextOf(doc)})
      this.copies.set(doc, copy)
    }
    return copy
  }
}

/** How the planner narrowed each `*[filter]`: candidate counts, and whether a full scan remains. */
export function explainQuery(view: DocView, query: string, params: Record<string, unknown> = {}): {candidates: number[]; fullScan: boolean} {
  const planner = new Planner(view)
  planner.rewrite(parseQuery(query, params) as Node)
  return {candidates: planner.candidateNodes.map((node) => node.value.length), fullScan: planner.needsDataset}
}
