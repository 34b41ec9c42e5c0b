import {checkStory, FINDING_CODES, FINDING_TITLES, resolveCheckOptions} from '../../rules'
import type {Finding, FindingCode, StoryForChecks} from '../../rules'
import {hasBody, type CheckContext} from './checkContext'
import type {ChecklistRow, GuardBadge, ResolvedGuardOptions} from './types'

const asText = (value: unknown): string | null => (typeof value === 'string' ? value : null)

/** Runs the story rules on a document as the Studio holds it (any field may be missing). */
export function guardFindings(document: unknown, context: CheckContext, options: ResolvedGuardOptions): Finding[] {
  const doc = (document && typeof document === 'object' ? document : {}) as Record<string, unknown>
  const story: StoryForChecks = {
    disclaimer: asText(doc.disclaimer),
    summary: asText(doc.summary),
    // A work in chapters has no body of its own: its first chapter opens it.
    body: hasBody(doc.body) ? doc.body : (context.chapterOpening ?? undefined),
  }
  return checkStory(story, context.fandoms, options.checkOptions)
}

const codeRank = (code: FindingCode): number => {
  const index = (FINDING_CODES as readonly FindingCode[]).indexOf(code)
  return index === -1 ? FINDING_CODES.length : index
}

/** Errors first, then warnings; within a level, in the order the rules list their codes. */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) => (a.level === b.level ? 0 : a.level === 'error' ? -1 : 1) || codeRank(a.code) - codeRank(b.code),
  )
}

export function findingTitle(code: FindingCode): string {
  return FINDING_TITLES[code] ?? code
}

export const READY_BADGE: GuardBadge = {label: 'Ready to publish', title: 'Every publishing check passes', color: 'success'}

/** The badge for a document: its most important failing check, or "Ready to publish". */
export function selectBadge(findings: readonly Finding[]): GuardBadge {
  const [top] = sortFindings(findings)
  if (!top) return READY_BADGE
  const others = findings.length - 1
  return {
    label: findingTitle(top.code),
    title: others > 0 ? `${top.message} (and ${others} more)` : top.message,
    color: top.level === 'error' ? 'danger' : 'warning',
  }
}

/** One row per check the rules know, failing rows carrying their findings. */
export function checklist(findings: readonly Finding[], options: ResolvedGuardOptions): ChecklistRow[] {
  const levels = resolveCheckOptions(options.checkOptions).levels as Partial<Record<FindingCode, string>>
  return (FINDING_CODES as readonly FindingCode[]).map((code) => {
    const mine = findings.filter((finding) => finding.code === code)
    return {code, title: findingTitle(code), passed: mine.length === 0, off: levels[code] === 'off', findings: mine}
  })
}

/** One line per finding, for tooltips and dialogs: "Needs disclaimer: ... (hint)". */
export function describeFinding(finding: Finding): string {
  return finding.hint ? `${finding.message} ${finding.hint}` : finding.message
}

/** Why Publish is disabled, as one sentence listing every error. */
export function publishBlockedReason(findings: readonly Finding[]): string | null {
  const errors = sortFindings(findings).filter((finding) => finding.level === 'error')
  if (errors.length === 0) return null
  return `Cannot publish: ${errors.map((finding) => finding.message).join(' ')}`
}

export interface DocumentFindings {
  id: string
  findings: Finding[]
}

/** For the "Needs attention" list: the documents failing each check, checks in rule order. */
export function groupByCode(results: readonly DocumentFindings[]): Array<{code: FindingCode; title: string; ids: string[]}> {
  const groups = new Map<FindingCode, string[]>()
  for (const {id, findings} of results) {
    for (const {code} of findings) {
      const ids = groups.get(code) ?? []
      if (!ids.includes(id)) ids.push(id)
      groups.set(code, ids)
    }
  }
  return [...groups.entries()]
    .sort(([a], [b]) => codeRank(a) - codeRank(b))
    .map(([code, ids]) => ({code, title: findingTitle(code), ids}))
}
