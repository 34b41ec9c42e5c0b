import {DomHandler, type DomHandlerOptions, type Document} from 'domhandler'
import {type Handler, Parser, type ParserOptions} from 'htmlparser2'

/**
 * Limits on what htmlparser2 actually opens. Its open-element stack is an array it `unshift`s and
 * scans (`indexOf` on every end tag), so n open elements cost O(n^2): 300,000 `<div/>` (HTML
 * ignores the slash) take 15 s. Counting in the parser's own callbacks sees exactly what it
 * opened, whatever the syntax (self-closing slashes, `>` inside attribute values, implied tags),
 * which a pre-scan of the text cannot. No real story nests more than a few dozen deep.
 */
export interface MarkupLimits {
  /** Elements open at once. */
  maxDepth: number
  /** Elements opened in one document (a few MB of real story is well under 200,000). */
  maxElements: number
  /** Attributes in one document (each becomes an object key the parser builds). */
  maxAttributes: number
}

export const DEFAULT_MARKUP_LIMITS: MarkupLimits = {maxDepth: 256, maxElements: 1_000_000, maxAttributes: 1_000_000}

/** Thrown from inside the parser when a limit is passed; the message is the one-line reason. */
export class MarkupLimitError extends RangeError {
  constructor(message: string) {
    super(message)
    this.name = 'MarkupLimitError'
  }
}

const HANDLER_KEYS = [
  'onparserinit', 'onreset', 'onend', 'onerror', 'onclosetag', 'onopentagname', 'onattribute', 'onopentag', 'ontext',
  'oncomment', 'oncdatastart', 'oncdataend', 'oncommentend', 'onprocessinginstruction',
] as const

/**
 * Wraps a handler (plain object or class instance such as DomHandler) so the parser stops with a
 * MarkupLimitError the moment it opens one element too many or too deep. Every element the parser
 * opens is announced by `onopentagname` and every one it closes (explicitly, implied, void or at
 * the end) by `onclosetag`, so their difference is the depth of its stack.
 */
export function limitHandler(handler: Partial<Handler>, limits: MarkupLimits = DEFAULT_MARKUP_LIMITS): Partial<Handler> {
  const cbs: Partial<Record<(typeof HANDLER_KEYS)[number], (...args: never[]) => void>> = {}
  for (const key of HANDLER_KEYS) {
    const fn = handler[key] as ((...args: never[]) => void) | undefined
    if (typeof fn === 'function') cbs[key] = fn.bind(handler)
  }
  let depth = 0
  let elements = 0
  let attributes = 0
  const open = cbs.onopentagname as ((name: string) => void) | undefined
  const close = cbs.onclosetag as ((name: string, isImplied: boolean) => void) | undefined
  const attribute = cbs.onattribute as Handler['onattribute'] | undefined
  return {
    ...(cbs as Partial<Handler>),
    onopentagname(name: string) {
      depth++
      elements++
      if (depth > limits.maxDepth) throw new MarkupLimitError(`markup nested more than ${limits.maxDepth} elements deep; not imported`)
      if (elements > limits.maxElements) throw new MarkupLimitError(`markup has more than ${limits.maxElements.toLocaleString('en')} elements; not imported`)
      open?.(name)
    },
    onclosetag(name: string, isImplied: boolean) {
      if (depth > 0) depth--
      close?.(name, isImplied)
    },
    onattribute(name: string, value: string, quote?: string | null) {
      if (++attributes > limits.maxAttributes) throw new MarkupLimitError(`markup has more than ${limits.maxAttributes.toLocaleString('en')} attributes; not imported`)
      attribute?.(name, value, quote)
    },
  }
}

/** `new Parser(handler, options)` with the limits enforced in its callbacks. */
export function limitedParser(handler: Partial<Handler>, options?: ParserOptions, limits?: MarkupLimits): Parser {
  return new Parser(limitHandler(handler, limits), options)
}

/** htmlparser2's `parseDocument` with the limits enforced. */
export function parseDocumentLimited(data: string, options?: ParserOptions & DomHandlerOptions, limits?: MarkupLimits): Document {
  const handler = new DomHandler(undefined, options)
  limitedParser(handler, options, limits).end(data)
  return handler.root
}
