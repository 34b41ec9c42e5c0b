import {compilePhrases} from './phrases'
import {type CheckOptions, DEFAULT_CHECK_OPTIONS, DEFAULT_FINDING_LEVELS, type Finding, type FindingCode} from './types'

const resolvedCache = new WeakMap<object, CheckOptions>()

/** Fills in defaults. The same partial object always yields the same resolved object (cached). */
export function resolveCheckOptions(partial?: Partial<CheckOptions> | null): CheckOptions {
  if (!partial) return DEFAULT_CHECK_OPTIONS as CheckOptions
  if (partial === DEFAULT_CHECK_OPTIONS) return partial as CheckOptions
  const cached = resolvedCache.get(partial)
  if (cached) return cached
  const resolved: CheckOptions = {
    summaryMinLength: finiteOr(partial.summaryMinLength, DEFAULT_CHECK_OPTIONS.summaryMinLength),
    summaryMaxLength: finiteOr(partial.summaryMaxLength, DEFAULT_CHECK_OPTIONS.summaryMaxLength),
    extraPlaceholderPhrases: Array.isArray(partial.extraPlaceholderPhrases)
      ? partial.extraPlaceholderPhrases.filter((p): p is string => typeof p === 'string')
      : DEFAULT_CHECK_OPTIONS.extraPlaceholderPhrases,
    levels: partial.levels ?? {},
  }
  resolvedCache.set(partial, resolved)
  resolvedCache.set(resolved, resolved)
  return resolved
}

function finiteOr(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : fallback
}

const extraPhraseCache = new WeakMap<readonly string[], string[]>()

export function compiledExtraPhrases(options: CheckOptions): string[] {
  const list = options.extraPlaceholderPhrases
  let compiled = extraPhraseCache.get(list)
  if (!compiled) {
    compiled = compilePhrases(list)
    extraPhraseCache.set(list, compiled)
  }
  return compiled
}

/** Applies CheckOptions.levels: re-levels findings and drops the ones turned 'off'. */
export function applyLevels(findings: Finding[], options: CheckOptions): Finding[] {
  const out: Finding[] = []
  for (const finding of findings) {
    const level = options.levels[finding.code] ?? DEFAULT_FINDING_LEVELS[finding.code]
    if (level === 'off') continue
    out.push(level === finding.level ? finding : {...finding, level})
  }
  return out
}

export function finding(code: FindingCode, field: Finding['field'], message: string, hint: string): Finding {
  return {code, level: DEFAULT_FINDING_LEVELS[code], field, message, hint}
}

/** "1,312": fixed en-US grouping, independent of the runtime's locale data. */
export function formatCount(n: number): string {
  return String(Math.trunc(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',')
}
