import type {CheckOptions} from './checks'

/**
 * The archive's publishing-check policy: what the Studio guard, its "Needs attention" list and
 * the reader site all pass to the checks, so an editor and a reader are judged by one standard.
 * Unset codes keep the rules' own defaults (DEFAULT_FINDING_LEVELS); set a value here to change
 * the policy everywhere at once, e.g. `{levels: {'summary.apology': 'error'}}`.
 * Frozen because derived matchers and resolved options are cached per options object.
 */
export const ARCHIVE_CHECK_OPTIONS: Partial<CheckOptions> = Object.freeze({
  levels: Object.freeze({
    // "I don't own Naruto": ownership is disclaimed but the owners are not named. Whether that is
    // enough is the archive's call: 'warning' asks before publishing (the hint names the known
    // owners), 'error' refuses it, 'off' accepts it.
    'disclaimer.only-fandom-named': 'warning',
  }),
})
