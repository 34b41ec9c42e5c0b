/**
 * The archive's GROQ queries, for this reader site and any other front end. Result types are
 * generated into ./sanity.types.ts by `npm run typegen`; @sanity/client picks them up, so
 * `client.fetch(storyPageQuery, params)` is typed without naming them.
 */
export {READABLE_STORY, STORY_CARD, STORY_FILTERS} from './fragments'
export {
  HOME_FANDOM_WINDOW,
  homeQuery,
  searchQuery,
  storiesByPublishedQuery,
  storiesByUpdatedQuery,
  storiesByWordCountQuery,
  STORY_PAGE_FETCH,
  STORY_PAGE_SIZE,
} from './stories'
export {chapterQuery, storyPageQuery} from './storyPage'
export {allFandomsQuery, authorQuery, fandomQuery, fandomsByIdQuery, seriesQuery} from './collections'
export {catalogueQuery} from './catalogue'
export * from './sanity.types'
