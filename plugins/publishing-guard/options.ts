import type {CheckOptions} from '../../rules'
import type {PublishingGuardOptions, ResolvedGuardOptions} from './types'

export const DEFAULT_SCHEMA_TYPES = ['story']
export const DEFAULT_CHAPTER_TYPES = ['chapter']
export const DEFAULT_FANDOMS_FIELD = 'fandoms'
/** The API version every request of the plugin uses. */
export const GUARD_API_VERSION = '2025-02-19'

/**
 * Fills in the defaults. Only the check options the caller set are passed on, so the rules keep
 * their own defaults in one place (`resolveCheckOptions` in rules/).
 */
export function resolveGuardOptions(options?: PublishingGuardOptions | void | null): ResolvedGuardOptions {
  const opts = options ?? {}
  const checkOptions: Partial<CheckOptions> = {}
  if (opts.summaryMinLength !== undefined) checkOptions.summaryMinLength = opts.summaryMinLength
  if (opts.summaryMaxLength !== undefined) checkOptions.summaryMaxLength = opts.summaryMaxLength
  if (opts.extraPlaceholderPhrases !== undefined) checkOptions.extraPlaceholderPhrases = opts.extraPlaceholderPhrases
  if (opts.levels !== undefined) checkOptions.levels = opts.levels
  return {
    schemaTypes: opts.schemaTypes?.length ? [...opts.schemaTypes] : [...DEFAULT_SCHEMA_TYPES],
    chapterTypes: opts.chapterTypes ? [...opts.chapterTypes] : [...DEFAULT_CHAPTER_TYPES],
    fandomsField: opts.fandomsField || DEFAULT_FANDOMS_FIELD,
    checkOptions,
  }
}

export function isChapterType(options: ResolvedGuardOptions, typeName: string | undefined): boolean {
  return typeName !== undefined && options.chapterTypes.includes(typeName)
}

export function isGuardedType(options: ResolvedGuardOptions, typeName: string | undefined): boolean {
  return typeName !== undefined && options.schemaTypes.includes(typeName)
}
