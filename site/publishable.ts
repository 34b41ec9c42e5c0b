/**
 * Whether a published story may reach readers: it must also pass the publishing checks from
 * rules/. The Studio's guard blocks publishing such a story, but documents can arrive by
 * other ways (imports, the API, a rule tightened later), so the site checks again, with the
 * archive's fandom catalogue as the Studio does (site/catalogue.ts), so a disclaimer that names
 * another fandom's owner is held back here too.
 */
import {ARCHIVE_CHECK_OPTIONS, checkStory, hasErrors, type FandomCatalogue, type FandomForChecks} from '../rules'

interface CheckableStory {
  summary?: string | null
  disclaimer?: string | null
  body?: unknown
  /** As queries/fragments.ts FANDOM_FOR_CHECKS projects them. */
  fandoms?: ReadonlyArray<FandomForChecks | null> | null
}

export function passesPublishingChecks(story: CheckableStory, catalogue: FandomCatalogue | undefined): boolean {
  const fandoms = (story.fandoms ?? []).filter((f): f is FandomForChecks => f !== null)
  return !hasErrors(checkStory({summary: story.summary, disclaimer: story.disclaimer, body: story.body}, fandoms, ARCHIVE_CHECK_OPTIONS, catalogue))
}
