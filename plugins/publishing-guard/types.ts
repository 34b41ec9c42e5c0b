import type {CheckOptions, FandomForChecks, Finding, FindingCode} from '../../rules'

/** What a Studio passes to `publishingGuard(...)`. Every option has a default. */
export interface PublishingGuardOptions {
  /** Document types whose disclaimer and summary are checked. Default `['story']`. */
  schemaTypes?: string[]
  /**
   * Document types whose Publish only stores their word count first (no checks): the chapters
   * a guarded story sums. Default `['chapter']`.
   */
  chapterTypes?: string[]
  /** The array-of-references field that lists a document's fandoms. Default `'fandoms'`. */
  fandomsField?: string
  /** Shortest acceptable summary, in characters (passed to the rules). */
  summaryMinLength?: number
  /** Longest acceptable summary, in characters (passed to the rules). */
  summaryMaxLength?: number
  /** Phrases that mark a summary or disclaimer as a placeholder, besides the built-in ones. */
  extraPlaceholderPhrases?: string[]
  /** Raise, lower or switch off a check: `{'summary-too-long': 'warning'}`. */
  levels?: Partial<Record<FindingCode, 'error' | 'warning' | 'info' | 'off'>>
}

/** The options with every default filled in; what the plugin's parts share. */
export interface ResolvedGuardOptions {
  schemaTypes: string[]
  chapterTypes: string[]
  fandomsField: string
  checkOptions: Partial<CheckOptions>
}

/** The fields of a fandom document the checks read (FANDOMS_QUERY). */
export interface FandomDoc extends FandomForChecks {
  _id: string
}

/** One row of the publishing checklist: a check and whether the document passes it. */
export interface ChecklistRow {
  code: FindingCode
  title: string
  passed: boolean
  /** Present when the check is switched off by the options. */
  off: boolean
  findings: Finding[]
}

/** What a document badge shows for a set of findings. */
export interface GuardBadge {
  label: string
  title: string
  color: 'success' | 'warning' | 'danger'
}
