/**
 * Shapes shared by the publishing guard's checks, the Studio plugin and the importer's report.
 * 'story.invalid' is never produced by the rules here: the Studio reports the document's own
 * schema validation errors under it, so one verdict (badge, checklist, Publish, Needs attention)
 * counts them too.
 */

export const FINDING_CODES = [
  'story.invalid',
  'disclaimer.missing',
  'disclaimer.no-ownership-disclaimed',
  'disclaimer.rpf-not-fiction',
  'disclaimer.wrong-rights-holder',
  'disclaimer.only-fandom-named',
  'disclaimer.rights-holder-not-named',
  'disclaimer.placeholder',
  'disclaimer.rights-holders-unknown',
  'summary.missing',
  'summary.too-long',
  'summary.too-short',
  'summary.header-label',
  'summary.placeholder',
  'summary.apology',
  'summary.repeats-opening',
  'summary.all-caps',
  'summary.markup',
] as const

export type FindingCode = (typeof FINDING_CODES)[number]
/** 'info' asks an editor for something (data the archive lacks); it never holds a story back. */
export type FindingLevel = 'error' | 'warning' | 'info'

export interface Finding {
  code: FindingCode
  level: FindingLevel
  /** The field it is about: 'disclaimer' or 'summary' for the story rules; any field for 'story.invalid'. */
  field: 'disclaimer' | 'summary' | (string & {})
  /** What is wrong, in the editor's terms. */
  message: string
  /** How to fix it (for header labels: the fixed text). */
  hint: string
}

/** Short titles that fit a badge. */
export const FINDING_TITLES: Record<FindingCode, string> = {
  'story.invalid': 'Required fields',
  'disclaimer.missing': 'Needs disclaimer',
  'disclaimer.no-ownership-disclaimed': "Disclaimer doesn't disclaim",
  'disclaimer.rpf-not-fiction': "RPF disclaimer doesn't say it's fiction",
  'disclaimer.wrong-rights-holder': 'Names the wrong rights holder',
  'disclaimer.only-fandom-named': 'Only the fandom named',
  'disclaimer.rights-holder-not-named': 'Rights holder not named',
  'disclaimer.placeholder': 'Disclaimer placeholder',
  'disclaimer.rights-holders-unknown': 'Fandom has no rights holders',
  'summary.missing': 'Needs summary',
  'summary.too-long': 'Summary too long',
  'summary.too-short': 'Summary too short',
  'summary.header-label': 'Summary has header label',
  'summary.placeholder': 'Summary is a placeholder',
  'summary.apology': 'Summary apologises',
  'summary.repeats-opening': 'Summary repeats opening',
  'summary.all-caps': 'Summary in all caps',
  'summary.markup': 'Summary has markup',
}

/** Level each check reports at unless CheckOptions.levels overrides it. */
export const DEFAULT_FINDING_LEVELS: Record<FindingCode, FindingLevel> = {
  'story.invalid': 'error',
  'disclaimer.missing': 'error',
  'disclaimer.no-ownership-disclaimed': 'error',
  'disclaimer.rpf-not-fiction': 'error',
  'disclaimer.wrong-rights-holder': 'error',
  'disclaimer.only-fandom-named': 'warning',
  'disclaimer.rights-holder-not-named': 'warning',
  'disclaimer.placeholder': 'error',
  'disclaimer.rights-holders-unknown': 'info',
  'summary.missing': 'error',
  'summary.too-long': 'error',
  'summary.too-short': 'error',
  'summary.header-label': 'error',
  'summary.placeholder': 'error',
  'summary.apology': 'warning',
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

/** A rights holder as a fandom's projection carries it (`rightsHolders[]->{_id, name, aliases}`). */
export interface RightsHolderForChecks {
  _id?: string | null
  name?: string | null
  aliases?: readonly string[] | null
}

/**
 * A story's fandom as the checks read it. Rights holders may be plain names (older data, tests)
 * or holder documents; a fandom with none inherits its parent franchise's.
 */
export interface FandomForChecks {
  _id?: string | null
  title?: string | null
  aliases?: readonly string[] | null
  rightsHolders?: ReadonlyArray<string | RightsHolderForChecks | null> | null
  parent?: {title?: string | null; rightsHolders?: ReadonlyArray<string | RightsHolderForChecks | null> | null} | null
  isOriginalWork?: boolean | null
  /** Real-person fiction: judged by its own disclaimer rule, not by ownership. */
  isRealPerson?: boolean | null
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
