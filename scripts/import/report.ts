import {FINDING_TITLES, type FindingCode} from '../../rules'
import type {StoryDocuments} from './documents'
import {fieldLabel, type WriteOutcome} from './update-work'
import type {ParsedWork} from './work'

/**
 * What the report says about a file and a run, in the words the Studio uses: a rule's finding
 * carries the title and hint from rules/checks; the importer's own findings have theirs here.
 */
export const IMPORT_FINDING_TITLES: Record<string, string> = {
  'import.no-author': 'Needs author',
  'import.no-fandom': 'Needs fandom',
  'import.rating-unmapped': 'Rating not recognised',
  'import.no-publication-date': 'No publication date',
  'import.edited-in-studio': 'Changed in the Studio and in the file',
}

export function findingTitle(code: string): string {
  return FINDING_TITLES[code as FindingCode] ?? IMPORT_FINDING_TITLES[code] ?? code
}

export interface ReportedFinding {
  code: string
  title: string
  level: string
  field: string
  message: string
  hint?: string
}

export function reportedFinding(finding: {code: string; level: string; field: string; message: string; hint?: string}): ReportedFinding {
  const out: ReportedFinding = {code: finding.code, title: findingTitle(finding.code), level: finding.level, field: finding.field, message: finding.message}
  if (finding.hint) out.hint = finding.hint
  return out
}

/** A field an editor changed since the last import that the new download changes too: kept, and said so. */
export function conflictFindings(outcome: WriteOutcome | void): ReportedFinding[] {
  return (outcome?.conflicts ?? []).map((conflict) =>
    reportedFinding({
      code: 'import.edited-in-studio',
      level: 'warning',
      field: conflict.field,
      message: `${fieldLabel(conflict.field)} was changed in the Studio since the last import, and the new file changes it too; the Studio's version was kept`,
      hint: `Compare ${conflict.documentId} with the file and copy over what should change.`,
    }),
  )
}

export interface FileAccount {
  /** Header fields and other facts the file gave. */
  read: string[]
  /** What the importer decided because the file didn't say. */
  inferred: string[]
  /** What the file had that was not used: labels not understood, rows skipped. */
  ignored: string[]
}

const WORK_FIELD_NAMES: Record<string, string> = {pairing: 'relationships', authorsNote: "author's note"}

/** Per file: what was read, what was inferred, what was ignored. */
export function accountFor(work: ParsedWork, docs: StoryDocuments, url: string | undefined): FileAccount {
  const read = Object.keys(work.meta)
    .filter((field) => work.meta[field as keyof ParsedWork['meta']] !== undefined)
    .map((field) => WORK_FIELD_NAMES[field] ?? field)
  if (work.title && !read.includes('title')) read.unshift('title')
  if (url) read.push(`url ${url}`)
  if (work.originalPublication) read.push('publication date')
  read.push(docs.chapters.length > 1 ? `${docs.chapters.length} chapters` : 'one-shot text')
  const story = docs.story as Record<string, any>
  const inferred: string[] = []
  if (!work.title && !work.meta.title) inferred.push(`title "${docs.title}" from the file name`)
  if (!work.meta.warnings) inferred.push('warnings: choose not to use (the file names none)')
  if (!work.meta.rating) inferred.push('rating: not rated (the file gives none)')
  if (!work.meta.language) inferred.push(`language: ${story.language}`)
  if (!work.meta.status) inferred.push(`status: ${story.status} (${docs.chapters.length > 1 ? 'several chapters' : 'one chapter'})`)
  if (story.publishedAt && !work.originalPublication) inferred.push('publication date: the time of the import or --published-at')
  const ignored = [...(work.unknownLabels ?? []).map((label) => `label not understood: ${label}`), ...(work.skipped ?? []).map((row) => `row skipped: ${row}`)]
  return {read, inferred, ignored}
}

export interface OutcomeTotals {
  files: number
  imported: number
  drafts: number
  rejected: number
  updated?: number
  unchanged?: number
  sameWork?: number
}

/** "16 files: 11 stories published, 5 drafts, 0 rejected" (with updates and repeats when there are any). */
export function summaryLine(totals: OutcomeTotals): string {
  const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`
  const parts = [`${plural(totals.imported, 'story', 'stories')} published`, plural(totals.drafts, 'draft', 'drafts'), `${totals.rejected} rejected`]
  const extra: string[] = []
  if (totals.updated) extra.push(`${totals.updated} updated from a newer download`)
  if (totals.unchanged) extra.push(`${totals.unchanged} already in the dataset unchanged`)
  if (totals.sameWork) extra.push(`${plural(totals.sameWork, 'file was', 'files were')} the same work as another file`)
  return `${plural(totals.files, 'file', 'files')}: ${parts.join(', ')}${extra.length ? ` (${extra.join('; ')})` : ''}`
}
