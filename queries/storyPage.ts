import {defineQuery} from 'groq'
import {FANDOM_FOR_CHECKS, PUBLISHED_ONLY, READABLE_STORY, STORY_AUTHORS, STORY_FANDOMS} from './fragments'

/** A series neighbour: enough to link it, and what the checks read so a failing one is not linked. */
const SERIES_NEIGHBOUR = `*[${READABLE_STORY} && references(^.series._ref)]{
      title, "slug": slug.current, "position": series[series._ref == ^.^.series._ref][0].position,
      summary, disclaimer, "fandoms": fandoms[]->{${FANDOM_FOR_CHECKS}}
    }`

/**
 * Everything a story page shows, and what the publishing checks need. Chapters come as
 * `{_id, title}` in reading order; a chapter that is not published resolves to null and the
 * site leaves it out. For each series the story is in, the neighbours are the stories with
 * the nearest lower and higher position in that same series (with what the publishing checks
 * read, so the site can leave out a link to a story it would refuse).
 */
export const storyPageQuery = defineQuery(`
*[${READABLE_STORY} && slug.current == $slug][0]{
  _id,
  _type,
  title,
  "slug": slug.current,
  summary,
  disclaimer,
  notes,
  endNotes,
  body,
  wordCount,
  status,
  language,
  warnings,
  categories,
  characters,
  relationships,
  tags,
  publishedAt,
  updatedAt,
  originalPublication,
  ${STORY_AUTHORS},
  ${STORY_FANDOMS},
  "rating": rating->{_id, code, title, description, minimumAge, requiresContentGate},
  "chapters": chapters[]->{_id, title},
  "series": series[]{
    _key,
    position,
    "series": series->{_id, title, "slug": slug.current},
    "previous": ${SERIES_NEIGHBOUR}[position < ^.position] | order(position desc)[0],
    "next": ${SERIES_NEIGHBOUR}[position > ^.position] | order(position asc)[0]
  }
}
`)

/**
 * One chapter's text. The site looks the id up in the story's chapter list (chapter numbers
 * are positions in that list; GROQ cannot index an array by a parameter), so a chapter is only
 * ever shown as part of a story that lists it.
 */
export const chapterQuery = defineQuery(`
*[_type == "chapter" && _id == $id && ${PUBLISHED_ONLY}][0]{
  _id,
  title,
  summary,
  notes,
  body,
  endNotes,
  wordCount
}
`)
