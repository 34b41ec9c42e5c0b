import {defineQuery} from 'groq'
import {PUBLISHED_ONLY} from './fragments'

/**
 * The archive's fandom catalogue as the publishing checks read it (rules/fandoms.ts
 * `catalogueFromRows`): every rights holder and fandom, references as ids. With it the checks
 * can tell a disclaimer naming another fandom's owner from one naming nobody. A few hundred
 * small rows; the site and the Studio cache the answer.
 */
export const catalogueQuery = defineQuery(`{
  "rightsHolders": *[_type == "rightsHolder" && ${PUBLISHED_ONLY}]{_id, name, aliases, "successors": successors[]._ref},
  "fandoms": *[_type == "fandom" && ${PUBLISHED_ONLY}]{_id, title, aliases, "rightsHolders": rightsHolders[]._ref, "parent": parent._ref, isOriginalWork, isRealPerson}
}`)
