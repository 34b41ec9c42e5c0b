import {copyDocument} from './lazy-doc'
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

  readonly of = (doc: LakeDocument): LakeDocument => {
    let copy = this.copies.get(doc)
    if (!copy) {
      // Values left in SQLite stay there until `@` (or the query) reads them.
      copy = copyDocument(doc)
      let text: string[] | null = null
      Object.defineProperty(copy, SEARCH_TEXT, {
        enumerable: false,
        get: () => {
          if (!text) collectStrings(doc, (text = []))
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
