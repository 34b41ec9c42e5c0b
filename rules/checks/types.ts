/** Shapes shared by the publishing guard's checks, the Studio plugin and the importer's report. */

export const FINDING_CODES = [
  'disclaimer.missing',
  'disclaimer.no-ownership-disclaimed',
  'disclaimer.rights-holder-not-named',
  'disclaimer.placeholder',
  'summary.missing',
  'summary.too-long',
  'summary.too-short',
  'summary.header-label',
  'summary.placeholder',
  'summary.repeats-opening',
  'summary.all-caps',
  'summary.markup',
] as const

export type FindingCode = (typeof FINDING_CODES)[number]
export type FindingLevel = 'error' | 'warning'

export interface Finding {
  code: FindingCode
  level: FindingLevel
  field: 'disclaimer' | 'summary'
  /** What is wrong, in the editor's terms. */
  message: string
  /** How to fix it (for header labels: the fixed text). */
  hint: string
}

/** Short titles that fit a badge. */
export const FINDING_TITLES: Record<FindingCode, string> = {
  'disclaimer.missing': 'Needs disclaimer',
  'disclaimer.no-ownership-disclaimed': "Disclaimer doesn't disclaim",
  'disclaimer.rights-holder-not-named': 'Rights holder not named',
  'disclaimer.placeholder': 'Disclaimer placeholder',
  'summary.missing': 'Needs summary',
  'summary.too-long': 'Summary too long',
  'summary.too-short': 'Summary too short',
  'summary.header-label': 'Summary has header label',
  'summary.placeholder': 'Summary is a placeholder',
  'summary.repeats-opening': 'Summary repeats opening',
  'summary.all-caps': 'Summary in all caps',
  'summary.markup': 'Summary has markup',
}

/** Level each check reports at unless CheckOptions.levels overrides it. */
export const DEFAULT_FINDING_LEVELS: Record<FindingCode, FindingLevel> = {
  'disclaimer.missing': 'error',
  'disclaimer.no-ownership-disclaimed': 'error',
  'disclaimer.rights-holder-not-named': 'warning',
  'disclaimer.placeholder': 'error',
  'summary.missing': 'error',
  'summary.too-long': 'error',
  'summary.too-short': 'error',
  'summary.header-label': 'error',
  'summary.placeholder': 'warning',
  'summary.repeats-opening': 'warning',
  'summary.all-caps': 'warning',
  'summary.markup': 'warning',
}

export interface StoryForChecks {
  disclaimer?: string | null
  summary?: string | null
  /** storyBody Portable Text; only its opening is read. */
  body?: unknown
  /** Used when body is absent, e.g. the first chapter's opening text. */
  openingText?: string | null
}

export interface FandomForChecks {
  title?: string
  aliases?: string[]
  rightsHolders?: string[]
  isOriginalWork?: boolean
}

export interface CheckOptions {
  summaryMinLength: number
  summaryMaxLength: number
  extraPlaceholderPhrases: string[]
  levels: Partial<Record<FindingCode, FindingLevel | 'off'>>
}

/**
 * Deeply frozen: resolveCheckOptions hands this very object out. Options objects are treated as
 * immutable everywhere (matchers derived from them are cached per object).
 */
export const DEFAULT_CHECK_OPTIONS: Readonly<CheckOptions> = Object.freeze({
  summaryMinLength: 20,
  summaryMaxLength: 1250,
  extraPlaceholderPhrases: Object.freeze([]) as unknown as string[],
  levels: Object.freeze({}),
})
