import {BookIcon} from '@sanity/icons/Book'
import {DocumentsIcon} from '@sanity/icons/Documents'
import {EditIcon} from '@sanity/icons/Edit'
import {StarIcon} from '@sanity/icons/Star'
import {EyeOpenIcon} from '@sanity/icons/EyeOpen'
import type {StructureResolver} from 'sanity/structure'
import {needsAttentionList} from './plugins/publishing-guard'
import {ARCHIVE_CHECK_OPTIONS} from './rules'

const API_VERSION = '2025-02-19'

type StructureBuilder = Parameters<StructureResolver>[0]

/** A document type's list in a fixed order (the Studio's default is last edited first). */
function sortedList(S: StructureBuilder, type: string, title: string, field: string) {
  return S.documentTypeListItem(type)
    .title(title)
    .child(S.documentTypeList(type).title(title).defaultOrdering([{field, direction: 'asc'}]))
}

/** The editor's desk: stories by how editors look for them, then the supporting documents. */
export const structure: StructureResolver = (S, context) => {
  const sorted = (type: string, title: string, field: string) => sortedList(S, type, title, field)
  return S.list()
    .title('Archive')
    .items([
      S.documentTypeListItem('story').title('All stories').icon(BookIcon),
      S.listItem()
        .title('Stories by fandom')
        .icon(StarIcon)
        .child(
          // Only fandoms with stories: the catalogue ships hundreds an archive may never use.
          S.documentList()
            .id('stories-by-fandom')
            .title('Stories by fandom')
            .apiVersion(API_VERSION)
            .schemaType('fandom')
            .filter('_type == "fandom" && count(*[_type == "story" && references(^._id)]) > 0')
            .defaultOrdering([{field: 'title', direction: 'asc'}])
            .child((fandomId) =>
              S.documentList()
                .title('Stories')
                .apiVersion(API_VERSION)
                .schemaType('story')
                .filter('_type == "story" && references($fandomId)')
                .params({fandomId}),
            ),
        ),
      S.listItem()
        .title('Stories by rating')
        .icon(EyeOpenIcon)
        .child(
          S.documentTypeList('rating')
            .title('Stories by rating')
            .defaultOrdering([{field: 'sortOrder', direction: 'asc'}])
            .child((ratingId) =>
              S.documentList()
                .title('Stories')
                .apiVersion(API_VERSION)
                .schemaType('story')
                .filter('_type == "story" && rating._ref == $ratingId')
                .params({ratingId}),
            ),
        ),
      S.listItem()
        .title('Drafts waiting for review')
        .icon(EditIcon)
        .child(
          S.documentList()
            .title('Drafts waiting for review')
            .apiVersion(API_VERSION)
            .schemaType('story')
            // Under the drafts perspective the Studio lists with, a draft's id shows as _originalId.
            .filter('_type == "story" && (_id in path("drafts.**") || _originalId in path("drafts.**"))')
            .defaultOrdering([{field: '_updatedAt', direction: 'desc'}]),
        ),
      needsAttentionList(S, context, ARCHIVE_CHECK_OPTIONS),
      S.divider(),
      S.documentTypeListItem('chapter').title('Chapters').icon(DocumentsIcon),
      sorted('series', 'Series', 'title'),
      sorted('author', 'Authors', 'name'),
      // The catalogue ships hundreds of fandoms and their owners: a newcomer looks them up by name.
      sorted('fandom', 'Fandoms', 'title'),
      // The owners disclaimers are checked against; editors keep them.
      sorted('rightsHolder', 'Rights holders', 'name'),
      sorted('rating', 'Ratings', 'sortOrder'),
    ])
}
