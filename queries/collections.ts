import {defineQuery} from 'groq'
import {FANDOM_HOLDERS, PUBLISHED_ONLY, READABLE_STORY, STORY_CARD} from './fragments'

/** A fandom's own details; its stories come from the paged story list with $fandom set. */
export const fandomQuery = defineQuery(`
*[_type == "fandom" && slug.current == $slug && ${PUBLISHED_ONLY}][0]{
  _id,
  title,
  "slug": slug.current,
  aliases,
  mediaType,
  ${FANDOM_HOLDERS},
  isOriginalWork,
  isRealPerson,
  "parent": parent->{title, "slug": slug.current},
  "children": *[_type == "fandom" && parent._ref == ^._id && ${PUBLISHED_ONLY} && defined(slug.current)] | order(lower(title) asc){title, "slug": slug.current}
}
`)

/** The fandoms with the given ids (the home page passes those of its newest stories). */
export const fandomsByIdQuery = defineQuery(`
*[_type == "fandom" && _id in $ids && ${PUBLISHED_ONLY} && defined(slug.current)] | order(lower(title) asc){
  _id,
  title,
  "slug": slug.current,
  mediaType
}
`)

/** Every fandom of the archive, for the full list at /fandoms (the catalogue's hundreds included). */
export const allFandomsQuery = defineQuery(`
*[_type == "fandom" && ${PUBLISHED_ONLY} && defined(slug.current)] | order(lower(title) asc){
  _id,
  title,
  "slug": slug.current,
  mediaType
}
`)

/** An author's profile; their stories come from the paged story list with $author set. */
export const authorQuery = defineQuery(`
*[_type == "author" && slug.current == $slug && ${PUBLISHED_ONLY}][0]{
  _id,
  name,
  "slug": slug.current,
  aliases,
  bio,
  links[]{_key, title, url},
  "avatar": avatar{alt, "url": asset->url}
}
`)

/** A series with its stories in series order (series are short, so no paging). */
export const seriesQuery = defineQuery(`
*[_type == "series" && slug.current == $slug && ${PUBLISHED_ONLY}][0]{
  _id,
  title,
  "slug": slug.current,
  description,
  complete,
  "stories": *[${READABLE_STORY} && defined(publishedAt) && references(^._id)]{
    "position": series[series._ref == ^.^._id][0].position,
    ${STORY_CARD}
  } | order(position asc)[0...500]
}
`)
