/**
 * Shared GROQ pieces. Kept as plain string constants so `sanity typegen` can inline them into
 * each defineQuery and generate exact result types.
 *
 * Every reader query repeats the draft/version guard although the site's client reads with
 * `perspective: 'published'`: a client configured without it (raw perspective, a token with
 * read access to drafts) must still never show an unpublished story.
 */

/** Neither a draft nor a release version: what every reader query filters documents by. */
export const PUBLISHED_ONLY = `!(_id in path("drafts.**")) && !(_id in path("versions.**"))`

/** Published, addressable stories only. */
export const READABLE_STORY = `_type == "story" && ${PUBLISHED_ONLY} && defined(slug.current)`

/** A story's authors as every page links them. */
export const STORY_AUTHORS = `"authors": authors[]->{_id, name, "slug": slug.current}`

/** A fandom's rights holders as the publishing checks read them (rules/checks: FandomForChecks). */
export const FANDOM_HOLDERS = `"rightsHolders": rightsHolders[]->{_id, name, aliases}`

/** What the publishing checks (rules/checkStory) read of a fandom: its owners, or its parent's. */
export const FANDOM_FOR_CHECKS = `title, aliases, isOriginalWork, isRealPerson, ${FANDOM_HOLDERS}, "parent": parent->{title, ${FANDOM_HOLDERS}}`

/** A story's fandoms: what pages link, plus what the publishing checks (rules/checkStory) read. */
export const STORY_FANDOMS = `"fandoms": fandoms[]->{_id, "slug": slug.current, mediaType, ${FANDOM_FOR_CHECKS}}`

/** What a story list item shows, plus the fields the publishing checks (rules/checkStory) read. */
export const STORY_CARD = `
  _id,
  _type,
  title,
  "slug": slug.current,
  summary,
  disclaimer,
  publishedAt,
  updatedAt,
  originalPublication,
  wordCount,
  status,
  language,
  warnings,
  categories,
  characters,
  relationships,
  tags,
  "chapterCount": count(chapters),
  ${STORY_AUTHORS},
  ${STORY_FANDOMS},
  "rating": rating->{_id, code, title, requiresContentGate, sortOrder}
`

/**
 * Optional filters shared by every story list; a null parameter switches its filter off.
 * $excludeWarnings drops stories carrying any of the listed warnings (what readers ask for);
 * $warning keeps only stories carrying that one.
 */
export const STORY_FILTERS = `
  ($rating == null || rating->code == $rating) &&
  ($warning == null || $warning in warnings) &&
  ($excludeWarnings == null || count(warnings[@ in $excludeWarnings]) == 0) &&
  ($category == null || $category in categories) &&
  ($status == null || status == $status) &&
  ($language == null || language == $language) &&
  ($minWords == null || wordCount >= $minWords) &&
  ($maxWords == null || wordCount <= $maxWords) &&
  ($fandom == null || $fandom in fandoms[]._ref) &&
  ($author == null || $author in authors[]._ref) &&
  ($tagged == null || $tagged in tags || $tagged in characters || $tagged in relationships)
`
