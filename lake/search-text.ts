import {copyDocument, lazyKeysOf} from './lazy-doc'
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
  private readonly texts = new Map<LakeDocument, string[]>()
  /**
   * Which strings `@` keeps (see `termFilter`): set before any copy's text is read, so every
   * copy of one query sees the same text. Null keeps every string.
   */
  keep: ((text: string) => boolean) | null = null
  /** Whether copies carry the search text (the query has `@` left of a match). */
  withText = true

  readonly of = (doc: LakeDocument): LakeDocument => {
    let copy = this.copies.get(doc)
    if (!copy) {
      // Values left in SQLite stay there until `@` (or the query) reads them.
      copy = copyDocument(doc)
      this.addText(copy, doc)
      this.copies.set(doc, copy)
    }
    return copy
  }

  /**
   * A copy for scoring only (query.ts, rankedSlice): the values left in SQLite are still there
   * to read by name, but not enumerable, so groq-js's score(), which copies each row whole
   * (`Object.assign`), does not read a story's body from SQLite for every document it scores.
   */
  shell(doc: LakeDocument): LakeDocument {
    const copy = copyDocument(doc)
    for (const key of lazyKeysOf(doc)) Object.defineProperty(copy, key, {enumerable: false})
    if (this.withText) this.addText(copy, doc)
    return copy
  }

  private addText(copy: LakeDocument, doc: LakeDocument): void {
    Object.defineProperty(copy, SEARCH_TEXT, {
      enumerable: false,
      get: () => {
        let text = this.texts.get(doc)
        if (!text) {
          collectStrings(doc, (text = []))
          const keep = this.keep
          if (keep) text = text.filter(keep)
          this.texts.set(doc, text)
        }
        return text
      },
    })
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

// ---- The full-text index's tokens --------------------------------------------------------------
//
// The index (store.ts, SQLite FTS5 with its unicode61 tokeniser) holds two things per document:
// - its whole text (every string, edge dots dropped as groq-js drops them), tokenised by SQLite in
//   C, for `@`: a term is looked up by its literal start's first word as a prefix, which finds a
//   superset (a groq-js token that matches starts with an SQLite token starting with that word);
// - groq-js's own tokens of each top-level field up to FIELD_TEXT_LIMIT characters (a longer one,
//   a story's body, only as the marker `f<slot>m`: "may match anything"), split as groq-js splits,
//   case-folded as a non-unicode `RegExp(..., 'i')` folds, written as `f<slot>q<code>` in letters
//   and digits that SQLite keeps as one token. A term's literal start (up to its first `*`),
//   encoded the same way, is an exact prefix lookup of the documents with a token it can match.
// Ordinary words can coincide with these tokens or markers; a lookup then only finds more.

const MATCH_TOKENS = /([^!@#$%^&*(),\\/?";:{}|[\]+<>\s-])+/g
const FIELD_TEXT_LIMIT = 1000
const FIELD_SLOTS = 4096

/** One UTF-16 unit as a non-unicode case-insensitive RegExp compares it (ECMA-262 Canonicalize). */
function canonicalize(unit: string): string {
  const upper = unit.toUpperCase()
  if (upper.length !== 1) return unit
  if (unit.charCodeAt(0) >= 128 && upper.charCodeAt(0) < 128) return unit
  return upper
}

/**
 * Folded text as FTS5 token characters, unit by unit with a prefix-free code (a-y and digits as
 * themselves, Z as `zz`, any other unit as `z` + 4 hex digits), so one encoding starts with
 * another exactly when the folded texts do.
 */
export function encodeToken(text: string): string {
  if (/^[A-Za-z0-9]*$/.test(text)) return text.toLowerCase().replace(/z/g, 'zz')
  let out = ''
  for (const unit of text) {
    for (let i = 0; i < unit.length; i++) {
      const folded = canonicalize(unit[i])
      const code = folded.charCodeAt(0)
      if ((code >= 65 && code <= 89) || (code >= 48 && code <= 57)) out += folded.toLowerCase()
      else if (code === 90) out += 'zz'
      else out += `z${code.toString(16).padStart(4, '0')}`
    }
  }
  return out
}

/** The slot of a top-level field in the index (a hash: two fields sharing one only widen lookups). */
export function fieldSlot(field: string): number {
  let hash = 2166136261
  for (let i = 0; i < field.length; i++) hash = Math.imul(hash ^ field.charCodeAt(i), 16777619) >>> 0
  return hash % FIELD_SLOTS
}

/** The marker of a document with a numeric `_score` (groq-js's score() starts from it). */
export const OWN_SCORE_MARKER = 'lakeownscore0'

/**
 * What the full-text index holds of one stored document (see above). `extraIds` are the ids it is
 * also seen under (a draft's published id in stacked views).
 */
export function indexText(doc: LakeDocument, extraIds: string[]): string {
  const whole: string[] = []
  const fields: string[] = []
  const field = (key: string, strings: string[]) => {
    let length = 0
    for (const text of strings) length += text.length
    const slot = fieldSlot(key)
    if (length > FIELD_TEXT_LIMIT) {
      fields.push(`f${slot}m`)
      return
    }
    const own = new Set<string>()
    const repeated = new Set<string>()
    for (const text of strings) {
      for (const token of text.match(MATCH_TOKENS) ?? []) {
        const code = encodeToken(token)
        if (own.has(code)) repeated.add(code)
        else own.add(code)
      }
    }
    for (const token of own) fields.push(`f${slot}q${token}`)
    // Where two tokens of the field can match one term: a token held twice, or two tokens
    // sharing a start (two tokens starting with a term's literal are in one run of the sorted
    // tokens, so some neighbours in it share that start too).
    const sorted = [...own].sort()
    for (let i = 1; i < sorted.length; i++) {
      const [a, b] = [sorted[i - 1], sorted[i]]
      let n = 0
      while (n < a.length && a[n] === b[n]) n++
      if (n > 0) repeated.add(a.slice(0, n))
    }
    for (const start of repeated) fields.push(`f${slot}c${start}`)
  }
  for (const key of Object.keys(doc)) {
    if (NON_TEXT_KEYS.has(key)) continue
    const strings: string[] = []
    collectStrings(doc[key], strings)
    if (key === '_id') strings.push(...extraIds)
    for (let i = 0; i < strings.length; i++) if (strings[i].includes('.')) strings[i] = stripEdgeDots(strings[i])
    whole.push(...strings)
    field(key, strings)
  }
  // In stacked perspectives a document also has `_originalId` (its own id).
  field('_originalId', [stripEdgeDots(doc._id)])
  if (typeof doc._score === 'number') fields.push(OWN_SCORE_MARKER)
  return `${whole.join('\n')}\n${fields.join(' ')}`
}

/**
 * An FTS5 query for the documents in which `term` can match two or more tokens of the named
 * top-level field (see indexText: a repeated token, two tokens sharing a start, or a field too
 * long to hold its tokens); null when the index cannot tell. Outside it the term matches at most
 * one token of the field, so it scores at most 1 there (freq * 2.2 / (freq + 1.2)).
 */
export function repeatQuery(term: string, field: string): string | null {
  const literal = term.split('*')[0]
  if (literal === '' || literal.includes('.')) return null
  const slot = fieldSlot(field)
  return `("f${slot}c${encodeToken(literal.slice(0, 1024))}"* OR "f${slot}m")`
}

/** Where a term is looked up: every string of the document (`@`), or the named top-level fields. */
export type TextScope = '@' | readonly string[]

/**
 * An FTS5 query for the documents in which `term` (a groq-js match term) can match a token within
 * `scope` (a superset), or null when the index cannot tell (a term starting with `*`, or whose
 * literal start has a `.`, which groq-js's regex reads as any character, or no letter or digit).
 */
export function termQuery(term: string, scope: TextScope): string | null {
  const literal = term.split('*')[0]
  if (literal === '' || literal.includes('.')) return null
  if (scope === '@') {
    const word = /[\p{L}\p{N}\p{Co}]+/u.exec(literal)
    return word ? `"${word[0]}"*` : null
  }
  if (scope.length === 0) return null
  const code = encodeToken(literal.slice(0, 1024))
  const parts: string[] = []
  for (const slot of new Set(scope.map(fieldSlot))) parts.push(`"f${slot}q${code}"*`, `"f${slot}m"`)
  return parts.length === 1 ? parts[0] : `(${parts.join(' OR ')})`
}
