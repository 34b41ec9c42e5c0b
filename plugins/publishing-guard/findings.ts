import {checkStory, FINDING_CODES, FINDING_TITLES, resolveCheckOptions} from '../../rules'
import type {Finding, FindingCode, StoryForChecks} from '../../rules'
import {hasBody, type CheckContext} from './checkContext'
import type {ChecklistRow, GuardBadge, ResolvedGuardOptions} from './types'

const asText = (value: unknown): string | null => (typeof value === 'string' ? value : null)

/** The rules' input for a document as the Studio holds it (any field may be missing). */
function storyForChecks(document: unknown, context: CheckContext): StoryForChecks {
  const doc = (document && typeof document === 'object' ? document : {}) as Record<string, unknown>
  return {
    disclaimer: asText(doc.disclaimer),
    summary: asText(doc.summary),
    // A work in chapters has no body of its own: its first chapter opens it.
    body: hasBody(doc.body) ? doc.body : (context.chapterOpening ?? undefined),
  }
}

/** Runs the story rules on a document, every time (for one-off passes over many documents). */
export function computeGuardFindings(document: unknown, context: CheckContext, options: ResolvedGuardOptions): Finding[] {
  return checkStory(storyForChecks(document, context), context.fandoms, options.checkOptions, context.catalogue)
}

interface Memo {
  story: StoryForChecks
  catalogue: CheckContext['catalogue']
  fandomsKey: string
  optionsKey: string
  findings: Finding[]
}

// One keystroke asks for the same findings about seven times: four field validators, then
// the Publish action, the badge and the checklist, each with its own document and context
// objects. So results are kept by what the checks read: the two texts, the fandoms and the
// options by value, the body by identity (Studio documents are immutable; comparing a long
// body would cost more than the checks). A few entries cover documents open side by side.
const MEMO_SIZE = 8
const memos: Memo[] = []
const optionsKeys = new WeakMap<object, string>()
const fandomsKeys = new WeakMap<object, string>()

/** Validators and hooks may load the fandoms through different clients, so compare contents. */
function fandomsKey(fandoms: CheckContext['fandoms']): string {
  if (!Array.isArray(fandoms)) return ''
  let key = fandomsKeys.get(fandoms)
  if (key === undefined) {
    key = JSON.stringify(fandoms.map((f) => [f?.title, f?.aliases, f?.rightsHolders, f?.parent, f?.isOriginalWork, f?.isRealPerson]))
    fandomsKeys.set(fandoms, key)
  }
  return key
}

/** Equal check options give equal keys: the plugin and `guardValidation` resolve their own copies. */
function optionsKey(options: ResolvedGuardOptions): string {
  const checkOptions = options.checkOptions
  let key = optionsKeys.get(checkOptions)
  if (key === undefined) {
    key = JSON.stringify(resolveCheckOptions(checkOptions))
    optionsKeys.set(checkOptions, key)
  }
  return key
}

/**
 * Runs the story rules on a document as the Studio holds it, computing once per change: the
 * same inputs give back the same (shared, not to be mutated) array.
 */
export function guardFindings(document: unknown, context: CheckContext, options: ResolvedGuardOptions): Finding[] {
  const story = storyForChecks(document, context)
  const key = optionsKey(options)
  const fandoms = fandomsKey(context.fandoms)
  const index = memos.findIndex(
    (memo) =>
      memo.story.summary === story.summary &&
      memo.story.disclaimer === story.disclaimer &&
      memo.story.body === story.body &&
      memo.fandomsKey === fandoms &&
      memo.catalogue === context.catalogue &&
      memo.optionsKey === key,
  )
  if (index !== -1) {
    const [memo] = memos.splice(index, 1)
    memos.unshift(memo)
    return memo.findings
  }
  const findings = checkStory(story, context.fandoms, options.checkOptions, context.catalogue)
  memos.unshift({story, catalogue: context.catalogue, fandomsKey: fandoms, optionsKey: key, findings})
  if (memos.length > MEMO_SIZE) memos.pop()
  return findings
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
