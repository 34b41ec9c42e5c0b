/**
 * Reading the header, title line, scene breaks and signature of a classic plain-text fic:
 *
 *   ~*~The Long Road~*~
 *   Author: Wren
 *   Rated: PG-13
 *   Summery: Two couriers, one road,
 *     and a promise neither meant to keep.
 *   Disclaimer- Not mine, no money made.
 *
 *   ...the story...
 *
 *   Wren
 *   January, 2005
 *
 * Pure functions over lines (LF-normalised text), shared by the importer and anything else that
 * needs to recognise these conventions.
 */
import {type HeaderField, matchHeaderLabel} from '../../rules'

export interface PartialDate {
  year: number
  month?: number
  day?: number
}

export interface UnknownHeaderLabel {
  label: string
  value: string
  /** 1-based line number in the text. */
  line: number
}

/**
 * Labels only the importer needs (the Studio never sees them in a summary): dates, the work's
 * address, and rows download tools add that carry nothing to keep.
 */
export type ExtraField = 'published' | 'updated' | 'completed' | 'url' | 'noise'

const EXTRA_LABELS: Record<ExtraField, string[]> = {
  published: ['Published', 'Posted', 'Date Posted', 'First Posted', 'First Published', 'Originally Posted', 'Date', 'Written', 'Date Written', 'Publication Date', 'Posted On', 'Started'],
  updated: ['Updated', 'Last Updated', 'Last Update', 'Date Updated', 'Revised', 'Last Revised'],
  completed: ['Completed', 'Finished', 'Date Completed'],
  url: ['Story URL', 'URL', 'Link', 'Story Link', 'Original URL', 'Source', 'Source URL', 'Originally Posted At'],
  noise: [
    'Packaged', 'Publisher', 'Site', 'Author URL', 'Author Link', 'Reviews', 'Favs', 'Follows', 'Hits', 'Kudos', 'Bookmarks', 'Comments', 'Story ID', 'id',
    // LiveJournal / Dreamwidth post metadata.
    'Current Mood', 'Current Music', 'Current Location', 'Mood', 'Music', 'Location', 'Crossposted', 'Cross-posted', 'X-posted', 'Xposted',
  ],
}

const EXTRA_INDEX = new Map<string, ExtraField>()
for (const [field, labels] of Object.entries(EXTRA_LABELS) as [ExtraField, string[]][]) for (const label of labels) EXTRA_INDEX.set(label.toLowerCase(), field)

const EXTRA_LINE = /^[\s*~_#>\[\]()]*([A-Za-z][A-Za-z -]{0,24}?)[ \t]*[*~_\]]*[ \t]*:[ \t]*(.*)$/

/** "Published: 2/2/2009", "Story URL: https://..." -> the field and its value; other lines null. */
export function matchExtraLabel(line: string): {field: ExtraField; label: string; value: string} | null {
  if (line.length > 500) return null
  const match = EXTRA_LINE.exec(line)
  if (!match) return null
  const field = EXTRA_INDEX.get(match[1]!.toLowerCase().replace(/\s+/g, ' '))
  return field ? {field, label: match[1]!, value: match[2]!.replace(/[\s*~_\]]+$/, '').trim()} : null
}

export interface ParsedStoryHeader {
  /** Header values by field; repeated labels are joined with a newline. */
  fields: Partial<Record<HeaderField, string>>
  /** From a decorated title line (`~*~Title~*~`) or a `Title:` label. */
  title?: string
  /** The header exactly as written (kept on the story's import source). */
  rawHeader: string
  /** 0-based index (into `text.split('\n')`) of the first line after the header. */
  bodyStartLine: number
  /** `Label: value` lines inside the header whose label isn't a known spelling. */
  unknownLabels: UnknownHeaderLabel[]
  /** Dates, the work's address and tool noise, by importer-only label (first value of each). */
  extras: Partial<Record<ExtraField, string>>
}

export interface ParsedSignature {
  author?: string
  date?: PartialDate
  /** 0-based index of the signature's first line; the body ends before it. */
  startLine: number
}

const DECORATION_CHARS = '-=~*_#+<>\\[\\]|:.oO0'
const DECORATED_TITLE = new RegExp(
  `^\\s*([${DECORATION_CHARS}]{2,}|[-=~*_#+]\\s)\\s*(.*?\\p{L}.*?)\\s*([${DECORATION_CHARS}]{2,}|\\s[-=~*_#+])\\s*$`,
  'u',
)

/** `---Title---`, `~*~Title~*~`, `== Title ==`, `*~*Title*~*` -> the title; otherwise undefined. */
export function parseDecoratedTitle(line: string): string | undefined {
  if (line.length > 300) return undefined
  const match = DECORATED_TITLE.exec(line)
  if (!match) return undefined
  const inner = match[2]!.replace(/^[-=~*_#+\s]+|[-=~*_#+\s]+$/g, '').trim()
  if (!/\p{L}/u.test(inner) || matchHeaderLabel(inner)) return undefined
  // "o0o" style breaks wrap no letters but o's; a title needs a letter that isn't decoration.
  if (/^[oO0xX\s]+$/.test(inner)) return undefined
  return inner
}

const CHAPTER_NUMBER_WORDS = 'one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve'
/**
 * "Chapter 3", "Part Two: The Ferry", "Ch. IV - Ash", "Chapter12". A roman numeral or a number
 * word needs a space after the label so a word like "Partial" is not read as "Part ial".
 */
const CHAPTER_HEADING = new RegExp(
  `^\\s*(?:chapter|part|ch\\.?)(?:\\s+(?:\\d{1,4}|[ivxlc]{1,8}|${CHAPTER_NUMBER_WORDS})|\\s*\\d{1,4})\\b\\s*[:.\\-–—]?\\s*(.{0,100})$`,
  'i',
)

/** A line (or heading text) that names a chapter rather than a story: the chapter split rule of every reader. */
export function isChapterHeading(line: string): boolean {
  return line.length <= 120 && CHAPTER_HEADING.test(line)
}

const SYMBOL_BREAK = /^[*~#=_+\-·•◊♦§◦°^\s]+$/u
const OHO_BREAK = /^[\s\-~*.]*(?:(?:o0o|oOo|0o0|OoO|o0O|O0O|xXx|XxX|xox|oxo|xOx)+[\s\-~*.]*)+$/

/** Scene-break lines: `* * *`, `***`, `~~~`, `-----`, `o0o`, `#`, `xXx`... */
export function isSceneBreakLine(line: string): boolean {
  const trimmed = line.trim()
  if (trimmed === '' || trimmed.length > 80) return false
  if (SYMBOL_BREAK.test(trimmed)) return trimmed !== '-' && trimmed !== '--'
  return OHO_BREAK.test(trimmed)
}

const MONTHS: Record<string, number> = {
  jan: 1, january: 1, feb: 2, february: 2, mar: 3, march: 3, apr: 4, april: 4, may: 5, jun: 6, june: 6,
  jul: 7, july: 7, aug: 8, august: 8, sep: 9, sept: 9, september: 9, oct: 10, october: 10, nov: 11,
  november: 11, dec: 12, december: 12,
}
const MONTH = '(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\\.?'
const DAY = '(\\d{1,2})(?:st|nd|rd|th)?'
const YEAR = '(\\d{4})'
const DATE_PATTERNS: Array<{re: RegExp; parts: (m: RegExpExecArray) => [number, number?, number?]}> = [
  {re: new RegExp(`^${MONTH},?\\s+${YEAR}$`, 'i'), parts: (m) => [+m[2]!, MONTHS[m[1]!.toLowerCase()]]},
  {re: new RegExp(`^${MONTH}\\s+${DAY},?\\s+${YEAR}$`, 'i'), parts: (m) => [+m[3]!, MONTHS[m[1]!.toLowerCase()], +m[2]!]},
  {re: new RegExp(`^${DAY}(?:\\s+of)?\\s+${MONTH},?\\s+${YEAR}$`, 'i'), parts: (m) => [+m[3]!, MONTHS[m[2]!.toLowerCase()], +m[1]!]},
  {re: /^(\d{4})-(\d{1,2})(?:-(\d{1,2}))?$/, parts: (m) => [+m[1]!, +m[2]!, m[3] ? +m[3] : undefined]},
  {
    // US order (month first) as the old archives wrote it, unless the first number can't be a month.
    re: /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})$/,
    parts: (m) => {
      const a = +m[1]!
      const b = +m[2]!
      const y = m[3]!.length === 2 ? (+m[3]! < 50 ? 2000 + +m[3]! : 1900 + +m[3]!) : +m[3]!
      return a > 12 ? [y, b, a] : [y, a, b]
    },
  },
]

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]

/** "January, 2005", "Jan 2005", "12/03/2004", "March 3rd, 2004", "3 March 2004", "2004-03-03". */
export function parsePartialDate(value: string): PartialDate | undefined {
  const text = value.trim().replace(/^[-~—–\s]+/, '').replace(/[.\s]+$/, '')
  if (text.length > 40) return undefined
  for (const {re, parts} of DATE_PATTERNS) {
    const match = re.exec(text)
    if (!match) continue
    const [year, month, day] = parts(match)
    if (!(year >= 1900 && year <= 2100)) return undefined
    if (month !== undefined && !(month >= 1 && month <= 12)) return undefined
    if (day !== undefined && !(month !== undefined && day >= 1 && day <= DAYS_IN_MONTH[month - 1]!)) return undefined
    const date: PartialDate = {year}
    if (month !== undefined) date.month = month
    if (day !== undefined) date.day = day
    return date
  }
  return undefined
}

const NAME_LINE = /^[-~—–\s]*(?:by\s+)?([\p{L}\p{N}][\p{L}\p{N}.'’_\- ]{0,40}?)[\s~]*$/iu

/**
 * "THE END", "~ Fin ~", "-End-", "Owari": a line that only says the story is over. The reader
 * site shows a work's status, so the importer leaves the marker out of the text.
 */
export function isEndMarkerLine(line: string): boolean {
  return /^[\s~*\-–—=_.:·•+#<>()[\]]*(?:the\s+end|end|fin|finis|finite|owari|el\s+fin|fim|ende)[\s~*\-–—=_.:!·•+#<>()[\]]*$/iu.test(line) && /\p{L}/u.test(line)
}

/** A signature name: a handful of words, no sentence punctuation at the end. */
export function parseSignatureName(line: string): string | undefined {
  const match = NAME_LINE.exec(line)
  if (!match) return undefined
  const name = match[1]!.trim()
  if (name.split(/\s+/).length > 5 || /[.!?]$/.test(name) && !/\b\p{L}\.$/u.test(name)) return undefined
  if (isSceneBreakLine(name) || isEndMarkerLine(name) || /^(tbc|to be continued)$/i.test(name)) return undefined
  return name
}

/**
 * A trailing signature: a name line then a date line ("Wren" / "January, 2005"), or both on one
 * line ("- Wren, March 3rd, 2004"), or a lone date. Returns undefined when the text doesn't end so.
 */
export function parseSignature(lines: readonly string[]): ParsedSignature | undefined {
  let end = lines.length - 1
  while (end >= 0 && lines[end]!.trim() === '') end--
  if (end < 0) return undefined
  const last = lines[end]!
  const date = parsePartialDate(last)
  if (date) {
    let before = end - 1
    while (before >= 0 && lines[before]!.trim() === '' && end - before < 2) before--
    const candidate = before >= 0 ? lines[before]!.trim() : ''
    const nameIsAlone = before >= 0 && (before === 0 || lines[before - 1]!.trim() === '')
    const author = candidate && nameIsAlone ? parseSignatureName(candidate) : undefined
    return author ? {author, date, startLine: before} : {date, startLine: end}
  }
  // "Name, Month Year" on one line: try each comma as the split point.
  const trimmed = last.trim()
  if (trimmed.length > 80 || (end > 0 && lines[end - 1]!.trim() !== '')) return undefined
  for (let i = trimmed.indexOf(','); i > 0; i = trimmed.indexOf(',', i + 1)) {
    const tailDate = parsePartialDate(trimmed.slice(i + 1))
    const author = tailDate ? parseSignatureName(trimmed.slice(0, i)) : undefined
    if (tailDate && author) return {author, date: tailDate, startLine: end}
  }
  return undefined
}

const UNKNOWN_LABEL = /^[\s*~_]*([\p{Lu}][\p{L}'’/ ]{1,24}?)[\s*~_]*:\s*(.*)$/u

function appendField(fields: Partial<Record<HeaderField, string>>, field: HeaderField, value: string): void {
  const existing = fields[field]
  fields[field] = existing ? (value ? `${existing}\n${value}` : existing) : value
}

/**
 * Reads the header: paragraphs at the top made of `Label: value` lines (labels as fans spelled
 * them, any case and order) and decorated title lines. A value runs on over following lines until
 * a blank line or the next label; a label left empty at a blank line takes the next paragraph.
 */
export function parseStoryHeader(text: string): ParsedStoryHeader {
  const lines = text.split('\n')
  const fields: Partial<Record<HeaderField, string>> = {}
  const unknownLabels: UnknownHeaderLabel[] = []
  const extras: ParsedStoryHeader['extras'] = {}
  let title: string | undefined
  let i = 0
  while (i < lines.length && lines[i]!.trim() === '') i++
  const headerStart = i
  // "Title" / "by Author" lines above the labels: taken when a labelled header follows closely.
  const preamble = readPreamble(lines, i)
  if (preamble) {
    title = preamble.title
    if (preamble.author) fields.author = preamble.author
    i = preamble.next
  }
  let bodyStart = i
  let sawLabel = false
  let current: HeaderField | undefined
  let currentIsEmpty = false
  let inUnknown = false
  // Only the top of the file can be a header; a cap keeps pathological inputs linear.
  const limit = Math.min(lines.length, 400)

  while (i < limit) {
    const line = lines[i]!
    if (line.trim() === '') {
      i++
      continue
    }
    const label = matchHeaderLabel(line)
    const extra = label ? null : matchExtraLabel(line)
    const decorated = label || extra ? undefined : parseDecoratedTitle(line)
    const prevBlank = i === 0 || lines[i - 1]!.trim() === ''
    const unknownHere = label || extra || decorated || !(sawLabel || knownLabelSoon(lines, i)) ? null : UNKNOWN_LABEL.exec(line)
    if (extra && (sawLabel || extra.field !== 'noise')) {
      sawLabel = true
      if (extra.value && extras[extra.field] === undefined) extras[extra.field] = extra.value
      current = undefined
      inUnknown = true
    } else if (label) {
      sawLabel = true
      if (label.field === 'title' && label.value && !title) title = label.value
      appendField(fields, label.field, label.value)
      current = label.field
      currentIsEmpty = label.value === ''
      inUnknown = false
    } else if (decorated && !title) {
      title = decorated
      current = undefined
    } else if (sawLabel && isSceneBreakLine(line)) {
      // A rule under the header separates it from the story; it is not a scene break.
      i++
      bodyStart = i
      break
    } else if ((prevBlank || !sawLabel) && unknownHere && isUnknownLabelLine(lines, i, unknownHere[1]!, unknownHere[2]!)) {
      // A label this reader doesn't know ("Timeline: Year 6") is still a header row: it never ends the header.
      unknownLabels.push({label: unknownHere[1]!.trim(), value: unknownHere[2]!.trim(), line: i + 1})
      current = undefined
      inUnknown = true
    } else if (!prevBlank && sawLabel && (current !== undefined || inUnknown)) {
      const unknown = UNKNOWN_LABEL.exec(line)
      if (unknown && !/[.!?,]$/.test(unknown[1]!)) {
        unknownLabels.push({label: unknown[1]!.trim(), value: unknown[2]!.trim(), line: i + 1})
        current = undefined
        inUnknown = true
      } else if (current !== undefined) {
        const value = fields[current]
        fields[current] = value ? `${value} ${line.trim()}` : line.trim()
        currentIsEmpty = false
      }
      // else: the run-on value of an unknown label stays only in rawHeader.
    } else if (prevBlank && current !== undefined && currentIsEmpty && sawLabel) {
      // "Disclaimer:" alone, then the text after a blank line.
      fields[current] = line.trim()
      currentIsEmpty = false
    } else if (!sawLabel && !title && prevBlank && isPlainTitleCandidate(lines, i)) {
      title = line.trim()
      current = undefined
    } else {
      break
    }
    i++
    bodyStart = i
  }
  if (!sawLabel && title === undefined) bodyStart = headerStart
  while (bodyStart < lines.length && lines[bodyStart]!.trim() === '') bodyStart++
  for (const key of Object.keys(fields) as HeaderField[]) {
    const value = fields[key]!.trim()
    if (value === '') delete fields[key]
    else fields[key] = value
  }
  const rawHeader = lines.slice(headerStart, bodyStart).join('\n').trim()
  return {fields, title, rawHeader, bodyStartLine: bodyStart, unknownLabels, extras}
}

/** A known label within the next few lines: the rows above it belong to the same header. */
function knownLabelSoon(lines: readonly string[], at: number): boolean {
  for (let i = at + 1, seen = 0; i < lines.length && seen < 8; i++) {
    if (lines[i]!.trim() === '') continue
    seen++
    if (matchHeaderLabel(lines[i]!)) return true
  }
  return false
}

/**
 * A short "Label: value" row among header rows, not a line of dialogue or prose that happens to
 * hold a colon ("First Lantern: the lantern guttered twice." opens a story).
 */
function isUnknownLabelLine(lines: readonly string[], at: number, label: string, value: string): boolean {
  const line = lines[at]!
  if (line.length > 200 || label.trim().split(/\s+/).length > 3 || /[.!?,]$/.test(label)) return false
  let next = at + 1
  while (next < lines.length && lines[next]!.trim() === '') next++
  const nextLine = next < lines.length ? lines[next]! : ''
  if (matchHeaderLabel(nextLine) || matchExtraLabel(nextLine)) return true
  return !/[.!?"”…]$/.test(value.trim()) && value.trim().split(/\s+/).length <= 12
}

/** An undecorated first line counts as the title only when a labelled header follows it. */
function isPlainTitleCandidate(lines: readonly string[], at: number): boolean {
  const line = lines[at]!.trim()
  if (line.length > 120 || /[.!?,;]$/.test(line)) return false
  let next = at + 1
  while (next < lines.length && lines[next]!.trim() === '') next++
  return next < lines.length && matchHeaderLabel(lines[next]!) !== null
}

const BYLINE = /^\s*(?:by|written by|author:?)\s+(.{1,80}?)\s*$/i

/**
 * Up to three short lines (a title, possibly decorated, and a "by Author" line) before the first
 * label, when that label comes within the first dozen lines. Returns where the labels start.
 */
function readPreamble(lines: readonly string[], from: number): {title?: string; author?: string; next: number} | undefined {
  const nonBlank: number[] = []
  for (let i = from; i < lines.length && nonBlank.length < 4 && i < from + 12; i++) {
    if (lines[i]!.trim() === '') continue
    if (matchHeaderLabel(lines[i]!)) {
      if (nonBlank.length === 0) return undefined
      let title: string | undefined
      let author: string | undefined
      for (const at of nonBlank) {
        const line = lines[at]!.trim()
        const byline = BYLINE.exec(line)
        // A row with a label this reader doesn't know is a header row, not a title.
        if (!byline && UNKNOWN_LABEL.test(line)) return undefined
        if (byline && !author) author = byline[1]
        else if (!title && line.length <= 120 && !/[.!?,;]$/.test(line)) title = parseDecoratedTitle(line) ?? line
        else return undefined
      }
      return {title, author, next: i}
    }
    nonBlank.push(i)
  }
  return undefined
}

export interface SeriesLabel {
  name: string
  /** The work's part number; absent when the label gives none (the work is then not linked). */
  position?: number
}

const NUMBER_WORDS = CHAPTER_NUMBER_WORDS.split('|')
const ROMAN = /^(x{0,3})(ix|iv|v?i{0,3})$/i
const ROMAN_VALUES: Record<string, number> = {i: 1, ii: 2, iii: 3, iv: 4, v: 5, vi: 6, vii: 7, viii: 8, ix: 9}

/** "2", "two", "II" -> 2; anything else (0, "2.5", "many") -> undefined. */
function partNumber(token: string): number | undefined {
  const text = token.toLowerCase()
  if (/^\d{1,4}$/.test(text)) return +text >= 1 ? +text : undefined
  const word = NUMBER_WORDS.indexOf(text)
  if (word >= 0) return word + 1
  const roman = ROMAN.exec(text)
  if (roman && text) return roman[1]!.length * 10 + (roman[2] ? ROMAN_VALUES[roman[2].toLowerCase()]! : 0)
  return undefined
}

const PART_WORD = '(?:part|book|vol(?:ume)?\\.?|no\\.?|installment|entry|story)'
const NUM = `(\\d{1,4}|${CHAPTER_NUMBER_WORDS}|[ivx]{1,5})`
const SERIES_FORMS: Array<{re: RegExp; name: number; position: number}> = [
  // "Part 2 of Name", "Part 2 of the Name series" (the archive's own wording)
  {re: new RegExp(`^(?:${PART_WORD}\\s*#?\\s*|#)${NUM}\\s+(?:of|in)\\s+(?:the\\s+)?(.+?)(?:\\s+series)?$`, 'i'), position: 1, name: 2},
  // "Name [2]", "Name (2)", "Name (Part 2)", "Name [Book 2]"
  {re: new RegExp(`^(.+?)\\s*[[(]\\s*(?:${PART_WORD}\\s*#?\\s*|#)?${NUM}\\s*[\\])]$`, 'i'), name: 1, position: 2},
  // "Name, Part 2", "Name - Book 2", "Name: Part Two", "Name – Vol. 3"
  {re: new RegExp(`^(.+?)\\s*(?:,|:|\\s[-–—])\\s*${PART_WORD}\\s*#?\\s*${NUM}$`, 'i'), name: 1, position: 2},
  // "Name #2"
  {re: new RegExp(`^(.+?)\\s*#\\s*${NUM}$`, 'i'), name: 1, position: 2},
]

/**
 * One series label as fans and archives write it: "Name, Part 2", "Name (2)", "Part 2 of Name",
 * "Name [2]", "Name #2", "Name - Book 2". A label without a usable part number ("Name",
 * "Name [2.5]") gives the name alone. Empty or over-long labels give undefined.
 */
export function parseSeriesLabel(label: string): SeriesLabel | undefined {
  const text = label.replace(/\s+/g, ' ').trim().replace(/[.;,]$/, '').trim()
  if (!text || text.length > 300) return undefined
  for (const form of SERIES_FORMS) {
    const match = form.re.exec(text)
    if (!match) continue
    const position = partNumber(match[form.position]!)
    const name = match[form.name]!.trim().replace(/^["“'‘]|["”'’]$/g, '').trim()
    if (position !== undefined && /\p{L}|\p{N}/u.test(name)) return {name, position}
  }
  return {name: text.replace(/^["“'‘]|["”'’]$/g, '').trim()}
}
