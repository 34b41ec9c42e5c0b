/**
 * Header labels as fans actually typed them in story headers ("Summery:", "Disclaimer-",
 * "**Rated:** T", "[A/N: ...]"). The importer's header parser and the summary check share these,
 * so a label the importer understands is also one the guard spots left in a summary.
 */

export type HeaderField =
  | 'title'
  | 'author'
  | 'fandom'
  | 'disclaimer'
  | 'rating'
  | 'summary'
  | 'pairing'
  | 'characters'
  | 'warnings'
  | 'spoilers'
  | 'category'
  | 'genre'
  | 'tags'
  | 'language'
  | 'status'
  | 'feedback'
  | 'archive'
  | 'authorsNote'
  | 'wordCount'
  | 'series'
  | 'chapter'
  | 'notes'

export const HEADER_LABELS: Record<HeaderField, string[]> = {
  title: ['Title', 'Story Title', 'Fic Title', 'Story Name'],
  author: ['Author', 'Authors', 'Author(s)', 'Writer', 'Written by', 'Written By', 'By', 'Pen Name', 'Penname'],
  fandom: ['Fandom', 'Fandoms', 'Fandom(s)', 'Universe', 'Crossover', 'Source Material'],
  disclaimer: ['Disclaimer', 'Disclaimers', 'Disclaimer(s)', 'Disclamer', 'Disclaim', 'Disclaimor', 'Disclaimar'],
  rating: ['Rating', 'Ratings', 'Rated', 'Raiting', 'Age Rating'],
  summary: ['Summary', 'Summery', 'Sumary', 'Summarry', 'Summaries', 'Synopsis', 'Description', 'Blurb', 'Abstract'],
  pairing: [
    'Pairing',
    'Pairings',
    'Pairing(s)',
    'Paring',
    'Parings',
    'Relationship',
    'Relationships',
    'Relationship(s)',
    'Ship',
    'Ships',
    'Couple',
    'Couples',
  ],
  characters: ['Characters', 'Character', 'Character(s)', 'Chars', 'Main Characters'],
  warnings: ['Warning', 'Warnings', 'Warning(s)', 'Warnigns', 'Archive Warnings', 'Content Warnings', 'Content Warning', 'CW', 'TW', 'Trigger Warnings', 'Trigger Warning'],
  spoilers: ['Spoiler', 'Spoilers', 'Spoiler(s)', 'Spoilers For', 'Spoiler Warning', 'Spoiler Warnings'],
  category: ['Category', 'Categories', 'Catagory', 'Catagories', 'Category(s)'],
  genre: ['Genre', 'Genres', 'Genre(s)'],
  tags: ['Tags', 'Tag', 'Additional Tags', 'Keywords', 'Key Words', 'Freeform'],
  language: ['Language', 'Lang'],
  status: ['Status', 'Completion', 'Story Status'],
  feedback: ['Feedback', 'Reviews', 'Concrit', 'Con-crit'],
  archive: ['Archive', 'Archiving', 'Archived', 'Archived At', 'Archive Permission', 'Permission to Archive', 'Posted To', 'Posted At'],
  authorsNote: ["Author's Note", "Author's Notes", 'Authors Note', 'Authors Notes', "Authors' Notes", 'Author Note', 'Author Notes', 'A/N', 'AN', 'A.N.', 'A.N', 'Note from the Author'],
  wordCount: ['Word Count', 'Wordcount', 'Words', 'Word Count (approx)'],
  series: ['Series', 'Part Of', 'Sequel To', 'Prequel To', 'Series Title'],
  chapter: ['Chapter', 'Chapters', 'Chapter Title', 'Part'],
  notes: ['Notes', 'Note', 'Beta', 'Beta Reader', 'Betas', 'Beta\'d By', 'Dedication', 'Dedicated To'],
}

export interface HeaderLabelMatch {
  field: HeaderField
  /** The label as written in the line, e.g. "Summery". */
  label: string
  value: string
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

/** A label's spaces match any run of spaces; its apostrophe matches straight or curly ones. */
function labelPattern(label: string): string {
  return escapeRegExp(label).replace(/'/g, "['’]?").replace(/ /g, '[ \\t]+')
}

const LABEL_TO_FIELD = new Map<string, HeaderField>()
for (const [field, labels] of Object.entries(HEADER_LABELS) as [HeaderField, string[]][]) {
  for (const label of labels) {
    const key = label.toLowerCase()
    if (!LABEL_TO_FIELD.has(key)) LABEL_TO_FIELD.set(key, field)
  }
}

// Longest first, so "Author's Note" wins over "Author" and "Spoilers For" over "Spoilers".
const ALL_LABELS = [...LABEL_TO_FIELD.keys()].sort((a, b) => b.length - a.length)

const DECORATION = '[\\s*~_#>\\[\\]()]*'
/**
 * Decoration, label, decoration, then ":" (any spacing) or a dash followed by a space
 * ("Rating - T", "Disclaimer- I don't..."); a dash glued to text ("Co-author") is not a separator.
 */
const HEADER_LINE = new RegExp(
  `^${DECORATION}(${ALL_LABELS.map(labelPattern).join('|')})[ \\t]*[*~_\\]]*[ \\t]*(:|[-–—]+(?=\\s|$))(.*)$`,
  'iu',
)
const TRAILING_DECORATION = /[\s*~_\]]+$/u
const LEADING_DECORATION = /^[\s*~_]+/u

function fieldOf(label: string): HeaderField | undefined {
  const key = label.toLowerCase().replace(/[ \t]+/g, ' ').replace(/’/g, "'")
  const direct = LABEL_TO_FIELD.get(key)
  if (direct) return direct
  // Matched with the optional apostrophe left out ("Authors Note" for "Author's Note").
  for (const [candidate, field] of LABEL_TO_FIELD) {
    if (candidate.replace(/'/g, '') === key.replace(/'/g, '')) return field
  }
  return undefined
}

export function matchHeaderLabel(line: string): HeaderLabelMatch | null {
  if (typeof line !== 'string' || line.length > 10_000) return null
  const firstLine = line.replace(/\r?\n[\s\S]*$/, '')
  const match = HEADER_LINE.exec(firstLine)
  if (!match) return null
  const label = match[1].replace(/[ \t]+/g, ' ')
  // "An – unexpected visitor" opens a sentence: a bare "an" is a label only as "AN" or before a colon.
  if (label.toLowerCase() === 'an' && label !== 'AN' && match[2] !== ':') return null
  const field = fieldOf(label)
  if (!field) return null
  let value = match[3].replace(LEADING_DECORATION, '')
  // Drop closing decoration only when the line opened with some ("**Rating: T**", "[A/N: hi]").
  if (/^[\s]*[*~_\[(]/.test(firstLine)) value = value.replace(TRAILING_DECORATION, '').replace(/\)$/, '')
  return {field, label, value: value.trim()}
}

const PREFILTERS = new Map<HeaderField, RegExp>()

/**
 * A cheap test for "this text could open with one of the field's labels" (the label itself,
 * after any decoration), built from HEADER_LABELS so it never rejects a spelling the full
 * matcher accepts; run matchHeaderLabel only on text that passes it.
 */
export function mayStartWithLabel(field: HeaderField, text: string): boolean {
  let pattern = PREFILTERS.get(field)
  if (!pattern) {
    const labels = [...HEADER_LABELS[field]].sort((a, b) => b.length - a.length)
    pattern = new RegExp(`^${DECORATION}(?:${labels.map(labelPattern).join('|')})`, 'iu')
    PREFILTERS.set(field, pattern)
  }
  return pattern.test(text)
}
