import type {HeaderField, PartialDate} from '../../rules'
import type {BodyBlock} from './blocks'

export type ImportFormat = 'text' | 'html' | 'epub' | 'markdown'

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
  /** The work's own URL when the file gives one (AO3's "Posted originally at", a tool's source link). */
  sourceUrl?: string
  originalPublication?: PartialDate
  notes?: BodyBlock[]
  endNotes?: BodyBlock[]
  /** One entry for a one-shot. */
  chapters: ParsedChapter[]
  /** Things worth reporting that are not errors ("unknown label Timeline on line 11"). */
  notices: string[]
}

/** Splits "A, B; C & D" into items; arrays pass through trimmed. */
export function listOf(value: string | string[] | undefined, separators = /\s*[,;\n]\s*/): string[] {
  if (value === undefined) return []
  const items = Array.isArray(value) ? value : value.split(separators)
  const seen = new Set<string>()
  const out: string[] = []
  for (const raw of items) {
    const item = raw.replace(/\s+/g, ' ').trim().replace(/^[-*•]\s*/, '').replace(/[.]$/, '')
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
