import type {LakeDocument} from './types'

/**
 * Attribute name for "every string of this document" in `@ match ...` (Studio search). A symbol, so
 * no GROQ text can name it, and it only exists on per-query copies: stored documents never change.
 */
export const SEARCH_TEXT = Symbol('lakeSearchText')

/** Keys whose string values are not text of the document (`@ match` skips them). */
export const NON_TEXT_KEYS = new Set(['_key', '_ref', '_type', '_rev'])

export function collectStrings(value: unknown, out: string[]): void {
  if (typeof value === 'string') out.push(value)
  else if (Array.isArray(value)) for (const item of value) collectStrings(item, out)
  else if (value && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      if (NON_TEXT_KEYS.has(key)) continue
      collectStrings(inner, out)
    }
  }
}

/**
 * Per-query shallow copies that carry the hidden search text, one per document per query; the
 * text is gathered on first use and dropped with the query (never cached on stored documents).
 */
export class SearchCopies {
  private readonly copies = new Map<LakeDocument, LakeDocument>()
  /**
   * Which strings `@` keeps (see `termFilter`): set before any copy's text is read, so every
   * copy of one query sees the same text. Null keeps every string.
   */
  keep: ((text: string) => boolean) | null = null

  readonly of = (doc: LakeDocument): LakeDocument => {
    let copy = this.copies.get(doc)
    if (!copy) {
      copy = {...doc}
      let text: string[] | null = null
      Object.defineProperty(copy, SEARCH_TEXT, {
        enumerable: false,
        get: () => {
          if (!text) {
            collectStrings(doc, (text = []))
            const keep = this.keep
            if (keep) text = text.filter(keep)
          }
          return text
        },
      })
      this.copies.set(doc, copy)
    }
    return copy
  }
}

/** `text::query("foo bar")` as a match pattern: `foo* bar*`; quotes and `-excluded` terms are dropped. */
export function textQueryPattern(query: string): string {
  return query
    .replace(/"/g, ' ')
    .split(/\s+/)
    .filter((term) => term && !term.startsWith('-'))
    // Content Lake's text search matches word prefixes; groq-js `match` needs the explicit `*`.
    .map((term) => (term.endsWith('*') ? term : `${term}*`))
    .join(' ')
}

// groq-js's own tokenisation of match patterns (shared-*.js: CHARS_WITH_WILDCARD, EDGE_CHARS).
const PATTERN_TERMS = /([^!@#$%^&(),\\/?";:{}|[\]+<>\s-])+/g
const EDGE_CHARS = /(\b\.+|\.+\b)/g

/** The terms groq-js makes of a match pattern (a string or an array of strings); null if it is neither. */
export function patternTerms(pattern: unknown): string[] | null {
  const parts = typeof pattern === 'string' ? [pattern] : Array.isArray(pattern) && pattern.every((p) => typeof p === 'string') ? (pattern as string[]) : null
  if (!parts) return null
  return parts.flatMap((part) => part.replace(EDGE_CHARS, '').match(PATTERN_TERMS) ?? [])
}

/** Drops dots at word edges as groq-js does before tokenising (`story.12` is one token, `story12`). */
export function stripEdgeDots(text: string): string {
  return text.replace(EDGE_CHARS, '')
}

/** A term of only `*`: matches any token at all. */
export function isWildcardOnly(term: string): boolean {
  return /^\*+$/.test(term)
}

/**
 * A test that keeps every string in which some token could match one of `terms` (groq-js match
 * terms), or null when it cannot be decided cheaply (then every string is kept). A string without
 * such a token adds nothing to `@ match` (a term matches when some token matches it, and a score
 * counts matching tokens), so `@` may leave it out: results stay groq-js's while a story's body is
 * scanned once by one regular expression instead of split into tokens and tested token by token.
 *
 * A matching token starts with the term's literal part (up to its first `*`), compared as groq-js
 * compares (`RegExp(..., 'i')`, so the same case folding), after groq-js drops dots at word edges;
 * the test drops every dot, which keeps the literal (it has none) contiguous. A literal with a `.`
 * (groq-js's regex reads it as any character) or an empty one (`*x`) keeps everything.
 */
export function termFilter(terms: readonly string[]): ((text: string) => boolean) | null {
  if (terms.length === 0) return null
  const literals: string[] = []
  for (const term of terms) {
    const literal = term.split('*')[0]
    if (literal === '' || literal.includes('.')) return null
    literals.push(literal.slice(0, 1024).replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&'))
  }
  const any = new RegExp(literals.join('|'), 'i')
  return (text) => any.test(text.includes('.') ? text.replace(/\./g, '') : text)
}
