import {defineQuery} from 'groq'
import {PUBLISHED_ONLY, READABLE_STORY, STORY_CARD, STORY_FILTERS} from './fragments'

/**
 * Story lists are paged by cursor (sort value + _id as tie-break), never by offset: a page
 * stays correct while stories are published in between, and deep pages cost the same as the
 * first. Each query returns one item more than a page so the caller knows whether a next page
 * exists. The slice must be a literal in GROQ, hence the fixed sizes below.
 */
export const STORY_PAGE_SIZE = 20
export const STORY_PAGE_FETCH = STORY_PAGE_SIZE + 1

/** Newest first. First page: $lastPublishedAt and $lastId null. */
export const storiesByPublishedQuery = defineQuery(`
*[${READABLE_STORY} && defined(publishedAt) && ${STORY_FILTERS}
  && ($lastId == null || publishedAt < $lastPublishedAt || (publishedAt == $lastPublishedAt && _id < $lastId))
] | order(publishedAt desc, _id desc)[0...21]{${STORY_CARD}}
`)

/** Recently updated first (a story never updated counts as updated when published). */
export const storiesByUpdatedQuery = defineQuery(`
*[${READABLE_STORY} && defined(publishedAt) && ${STORY_FILTERS}
  && ($lastId == null || coalesce(updatedAt, publishedAt) < $lastUpdatedAt || (coalesce(updatedAt, publishedAt) == $lastUpdatedAt && _id < $lastId))
] | order(coalesce(updatedAt, publishedAt) desc, _id desc)[0...21]{${STORY_CARD}}
`)

/** Longest first. */
export const storiesByWordCountQuery = defineQuery(`
*[${READABLE_STORY} && defined(publishedAt) && ${STORY_FILTERS}
  && ($lastId == null || coalesce(wordCount, 0) < $lastWordCount || (coalesce(wordCount, 0) == $lastWordCount && _id < $lastId))
] | order(coalesce(wordCount, 0) desc, _id desc)[0...21]{${STORY_CARD}}
`)

/** How many of the newest stories the home page's fandom list is drawn from. */
export const HOME_FANDOM_WINDOW = 200

/**
 * The home page: the newest stories, and the fandom references of the newest 200 (one
 * list per story, as stored: projecting them costs more than reading them), read along the
 * publication-date index. A catalogue holds hundreds of fandoms,
 * most without stories; finding every fandom that has one would read every story (or every
 * fandom's references) on each visit, so the list is drawn from the newest stories: in an
 * archive under 200 stories that is every fandom with a story, with exact counts.
 * `fandomsByIdQuery` then reads those fandoms; `fandomTotal` counts the full list at /fandoms.
 */
export const homeQuery = defineQuery(`{
  "stories": *[${READABLE_STORY} && defined(publishedAt)] | order(publishedAt desc, _id desc)[0...21]{${STORY_CARD}},
  "recentFandoms": *[${READABLE_STORY} && defined(publishedAt)] | order(publishedAt desc, _id desc)[0...200].fandoms,
  "fandomTotal": count(*[_type == "fandom" && ${PUBLISHED_ONLY} && defined(slug.current)])
}`)

/**
 * Search over title, summary, tags, author names and fandom titles. $terms is the reader's
 * input split into words, each with a trailing * for prefix matching; every term must match
 * somewhere. A title hit outweighs everything else. Results are one ranked page.
 */
export const searchQuery = defineQuery(`
*[${READABLE_STORY} && defined(publishedAt) && [title, summary, ...coalesce(tags, []), ...coalesce(authors[]->name, []), ...coalesce(fandoms[]->title, [])] match $terms]
| score(
    boost(title match $terms, 10),
    boost(fandoms[]->title match $terms, 3),
    boost(authors[]->name match $terms, 3),
    boost(tags[] match $terms, 2),
    summary match $terms
  )
| order(_score desc, publishedAt desc, _id desc)[0...50]{_score, ${STORY_CARD}}
`)
