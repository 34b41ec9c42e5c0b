import type {HeaderField} from '../../rules'
import {type ExtraField, type ParsedStoryHeader, type PartialDate, parsePartialDate} from './header'
import type {BodyBlock} from './blocks'

export type ImportFormat = 'text' | 'html' | 'epub' | 'markdown'

/** The program or site that made the file, as its reader recognised it. */
export type SourceKind =
  | 'ao3'
  | 'fanficfare'
  | 'ffn'
  | 'calibre'
  | 'word'
  | 'fansite'
  | 'livejournal'
  | 'markdown'
  | 'plain'
  | 'generic'

export interface ParsedChapter {
  title?: string
  summary?: string
  notes?: BodyBlock[]
  endNotes?: BodyBlock[]
  body: BodyBlock[]
  /** The body's word count, when the reader already had to count it (the body must not change after). */
  words?: number
}

/** What a reader of any format hands to the document builder: the work before ids and rules. */
export interface ParsedWork {
  format: ImportFormat
  title?: string
  /** Header-like metadata; lists come as arrays (AO3 tags) or as text to split ("A, B & C"). */
  meta: Partial<Record<HeaderField, string | string[]>>
  rawHeader?: string
  /** Which reader understood the file (absent: the generic one). */
  source?: SourceKind
  /** The work's address where the file gives it (AO3 "Posted originally...", dc:source, an FFN id). */
  sourceUrl?: string
  /** First published, as the file states it. */
  originalPublication?: PartialDate
  /** Last updated / completed, as the file states it. */
  updated?: PartialDate
  /** "Inspired by ...", "Translation of ...": where the work came from, kept as written. */
  provenance?: string[]
  notes?: BodyBlock[]
  endNotes?: BodyBlock[]
  /** One entry for a one-shot. */
  chapters: ParsedChapter[]
  /** Things worth reporting that are not errors ("unknown label Timeline on line 11"). */
  notices: string[]
  /** Header labels / metadata rows the reader did not understand, as written ("Timeline: Year 6"). */
  unknownLabels?: string[]
  /** Rows the reader knowingly dropped as noise ("Last Update: 2009/03/04", "Follow/Fav"). */
  skipped?: string[]
  /** The text encoding, when it was guessed from the bytes rather than declared or marked. */
  guessedEncoding?: string
}

/** Splits "A, B; C & D" into items; arrays pass through trimmed. */
export function listOf(value: string | string[] | undefined, separators = /\s*[,;\n]\s*/): string[] {
  if (value === undefined) return []
  const items = Array.isArray(value) ? value : value.split(separators)
  const seen = new Set<string>()
  const out: string[] = []
  for (const raw of items) {
    // A list's closing full stop goes; an initial or abbreviation keeps its own ("Hermione G.", "Dr.").
    const trimmed = raw.replace(/\s+/g, ' ').trim().replace(/^[-*•]\s*/, '')
    const item = /(?:^|[\s.])\p{L}{1,3}\.$/u.test(trimmed) ? trimmed : trimmed.replace(/[.]$/, '')
    if (item && !seen.has(item.toLowerCase())) {
      seen.add(item.toLowerCase())
      out.push(item)
    }
  }
  return out
}

export function textOf(value: string | string[] | undefined): string | undefined {
  if (value === undefined) return undefined
  const text = (Array.isArray(value) ? value.join('\n') : value).trim()
  return text === '' ? undefined : text
}

/** A date as fans and tools write it, "2/2/2009", "2009-02-02T10:00:00Z", "Feb 2, 2009". */
export function readDate(value: string | undefined): PartialDate | undefined {
  if (!value) return undefined
  const text = value.trim()
  const iso = /^(\d{4})-(\d{2})-(\d{2})(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$/.exec(text)
  // calibre writes "0101-01-01" for "no date"; years before 1900 are never a fic's.
  if (iso) return +iso[1]! < 1900 ? undefined : parsePartialDate(`${iso[1]}-${iso[2]}-${iso[3]}`)
  return parsePartialDate(text.replace(/^(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*,?\s+/i, '').replace(/\s+\d{1,2}:\d{2}(?::\d{2})?\s*(?:[ap]m)?\s*(?:[A-Z]{2,4})?$/i, '').replace(/^(\d{4})[/.](\d{1,2})[/.](\d{1,2})$/, '$1-$2-$3'))
}

/** The importer-only header rows (dates, the work's address) onto a parsed work. */
export function applyHeaderExtras(work: ParsedWork, extras: Partial<Record<ExtraField, string>>, unknown: ParsedStoryHeader['unknownLabels'] = []): void {
  work.originalPublication ??= readDate(extras.published)
  work.updated ??= readDate(extras.completed) ?? readDate(extras.updated)
  if (extras.completed && work.meta.status === undefined) work.meta.status = 'complete'
  const url = extras.url?.match(/https?:\/\/\S+/)?.[0]?.replace(/[.,;)]+$/, '')
  if (url) work.sourceUrl ??= url
  if (unknown.length) work.unknownLabels = [...(work.unknownLabels ?? []), ...unknown.map((u) => `${u.label}: ${u.value}`.slice(0, 120))]
}
