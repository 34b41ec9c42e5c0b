import type {FandomCatalogue} from '../fandoms'
import {checkDisclaimer} from './disclaimer'
import {resolveCheckOptions} from './options'
import {checkSummary} from './summary'
import type {CheckOptions, FandomForChecks, Finding, StoryForChecks} from './types'

export {checkDisclaimer} from './disclaimer'
export {checkSummary} from './summary'
export {resolveCheckOptions} from './options'
export * from './types'

/** Every finding for a story, disclaimer first, in a stable order. */
export function checkStory(
  story: StoryForChecks | null | undefined,
  fandoms: readonly (FandomForChecks | null)[] | null | undefined,
  options?: Partial<CheckOptions>,
  catalogue?: FandomCatalogue,
): Finding[] {
  const resolved = resolveCheckOptions(options)
  const s = story ?? {}
  return [...checkDisclaimer(s.disclaimer, fandoms, resolved, catalogue), ...checkSummary(s.summary, s, resolved)]
}

export function hasErrors(findings: readonly Finding[] | null | undefined): boolean {
  return Array.isArray(findings) && findings.some((f) => f.level === 'error')
}
