/**
 * Cheap limits checked before a query is parsed or evaluated, and on its answer as it is
 * serialised. Parts of a query's work never reach the evaluation deadline and the pauses in
 * query-budget.ts: parsing is synchronous and a long operator chain is quadratic (a 52 KB `||`
 * chain held the thread 12.8 s), parameter-only work (`$a[@ in $a]`) scans no document, and an
 * answer's size is only known as it is written. Each limit is far above what the Studio, the
 * site and the importer send, and answers a 4xx naming itself.
 */
import {LakeError} from './errors'

export interface RequestLimits {
  /** Characters of GROQ text. */
  maxQueryLength: number
  /** Binary operators (`||`, `&&`, `==`, `+`, `|`, ...) in one query. */
  maxQueryOperators: number
  /** Bracket nesting depth of the query text. */
  maxQueryDepth: number
  /** Bytes of all parameters as JSON. */
  maxParamBytes: number
  /** Array elements and object fields across all parameters. */
  maxParamValues: number
  /** Bytes of a query's JSON answer. */
  maxResultBytes: number
}

export const DEFAULT_REQUEST_LIMITS: RequestLimits = {
  maxQueryLength: 64 * 1024,
  maxQueryOperators: 1000,
  maxQueryDepth: 64,
  maxParamBytes: 256 * 1024,
  maxParamValues: 2000,
  maxResultBytes: 64 * 1024 * 1024,
}

function tooComplex(description: string, query: string): LakeError {
  return new LakeError(400, 'queryTooComplex', description, {query: query.length > 200 ? `${query.slice(0, 200)}…` : query})
}

/** Refuses GROQ text that would be slow to parse, before groq-js sees it. */
export function assertQueryText(query: string, limits: RequestLimits = DEFAULT_REQUEST_LIMITS): void {
  if (query.length > limits.maxQueryLength) {
    throw new LakeError(413, 'queryTooLarge', `Query is ${query.length} characters; the local lake accepts at most ${limits.maxQueryLength}`)
  }
  let operators = 0
  let depth = 0
  let maxDepth = 0
  for (let i = 0; i < query.length; i++) {
    const c = query[i]
    if (c === '"' || c === "'") {
      // Skip the string literal, escapes included.
      for (i++; i < query.length && query[i] !== c; i++) if (query[i] === '\\') i++
      continue
    }
    if (c === '/' && query[i + 1] === '/') {
      while (i < query.length && query[i] !== '\n') i++
      continue
    }
    if (c === '(' || c === '[' || c === '{') {
      depth++
      if (depth > maxDepth) maxDepth = depth
    } else if (c === ')' || c === ']' || c === '}') depth--
    else if ('|&=!<>+-*/%'.includes(c)) {
      operators++
      // Two-character operators count once.
      if ('|&=<>*'.includes(query[i + 1] ?? '') && query[i + 1] !== undefined && c !== '-') i++
    } else if ((c === 'i' || c === 'm') && /^(in|match)\b/.test(query.slice(i, i + 6)) && !/[\w.]/.test(query[i - 1] ?? '')) {
      operators++
    }
  }
  if (operators > limits.maxQueryOperators) {
    throw tooComplex(`Query has ${operators} operators; the local lake accepts at most ${limits.maxQueryOperators} (use "in [...]" or a parameter instead of long chains)`, query)
  }
  if (maxDepth > limits.maxQueryDepth) {
    throw tooComplex(`Query nests brackets ${maxDepth} deep; the local lake accepts at most ${limits.maxQueryDepth}`, query)
  }
}

/** Refuses parameters that would make parameter-only work (`$a[@ in $a]`) slow. */
export function assertParams(params: Record<string, unknown>, limits: RequestLimits = DEFAULT_REQUEST_LIMITS): void {
  let values = 0
  const stack: unknown[] = [params]
  while (stack.length > 0) {
    const current = stack.pop()
    if (!current || typeof current !== 'object') continue
    const inner = Array.isArray(current) ? current : Object.values(current)
    values += inner.length
    if (values > limits.maxParamValues) {
      throw new LakeError(413, 'paramsTooLarge', `Query parameters hold more than ${limits.maxParamValues} values (array elements and fields); the local lake accepts at most that many`)
    }
    for (const item of inner) if (item && typeof item === 'object') stack.push(item)
  }
  const bytes = Buffer.byteLength(JSON.stringify(params))
  if (bytes > limits.maxParamBytes) {
    throw new LakeError(413, 'paramsTooLarge', `Query parameters are ${bytes} bytes as JSON; the local lake accepts at most ${limits.maxParamBytes}`)
  }
}

/** The answer to a query whose JSON passes `maxResultBytes` (counted as it is written, http-util.ts `sendJsonInPieces`). */
export function resultTooLarge(limits: RequestLimits = DEFAULT_REQUEST_LIMITS): LakeError {
  return new LakeError(
    413,
    'queryResultTooLarge',
    `Query result exceeds ${Math.round(limits.maxResultBytes / 1024 / 1024)} MB; narrow it with a filter, a projection or a slice such as [0...100]`,
  )
}
