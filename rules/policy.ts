import type {CheckOptions} from './checks'

/**
 * The archive's publishing-check policy: what the Studio guard, its "Needs attention" list and
 * the reader site all pass to the checks, so an editor and a reader are judged by one standard.
 * Empty means the rules' own defaults (DEFAULT_CHECK_OPTIONS); set a value here to change the
 * policy everywhere at once, e.g. `{levels: {'summary.placeholder': 'error'}}`.
 * Frozen because derived matchers and resolved options are cached per options object.
 */
export const ARCHIVE_CHECK_OPTIONS: Partial<CheckOptions> = Object.freeze({})
