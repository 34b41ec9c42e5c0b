import {BookIcon} from '@sanity/icons/Book'
import {defineArrayMember, defineField, defineType} from 'sanity'
import {CATEGORIES, LANGUAGES, SLUG_MAX_LENGTH, STORY_STATUSES, STORY_TITLE_MAX, slugFor, WARNINGS} from '../rules'

const tagList = {layout: 'tags' as const}

export const story = defineType({
  name: 'story',
  title: 'Story',
  type: 'document',
  icon: BookIcon,
  groups: [
    {name: 'text', title: 'Text', default: true},
    {name: 'tags', title: 'Tags'},
    {name: 'publishing', title: 'Publishing'},
    {name: 'source', title: 'Source'},
  ],
  fields: [
    defineField({
      name: 'title',
      type: 'string',
      group: 'text',
      validation: (rule) => rule.required().max(STORY_TITLE_MAX),
    }),
    defineField({
      name: 'slug',
      type: 'slug',
      group: 'text',
      description: "The end of the story's address on the reader site (/stories/…). Changing it breaks links readers have saved.",
      // The importer slugs titles with the same rule, so a re-generated slug matches an imported one.
      options: {source: 'title', maxLength: SLUG_MAX_LENGTH, slugify: (input) => slugFor(input)},
      validation: (rule) => rule.required(),
    }),
    defineField({
      name: 'authors',
      type: 'array',
      group: 'text',
      of: [defineArrayMember({type: 'reference', to: [{type: 'author'}]})],
      validation: (rule) => rule.required().min(1).unique(),
    }),
    defineField({
      name: 'fandoms',
      type: 'array',
      group: 'tags',
      description: 'Two or more make a crossover.',
      of: [defineArrayMember({type: 'reference', to: [{type: 'fandom'}]})],
      validation: (rule) => rule.required().min(1).unique(),
    }),
    defineField({
      name: 'rating',
      type: 'reference',
      group: 'tags',
      to: [{type: 'rating'}],
      validation: (rule) => rule.required(),
    }),
    defineField({
      name: 'warnings',
      title: 'Archive warnings',
      type: 'array',
      group: 'tags',
      of: [defineArrayMember({type: 'string'})],
      options: {list: WARNINGS.map(({value, title}) => ({value, title}))},
      validation: (rule) => rule.required().min(1).unique(),
    }),
    defineField({
      name: 'categories',
      type: 'array',
      group: 'tags',
      of: [defineArrayMember({type: 'string'})],
      options: {list: CATEGORIES.map(({value, title}) => ({value, title})), layout: 'grid'},
      validation: (rule) => rule.unique(),
    }),
    defineField({name: 'characters', type: 'array', group: 'tags', of: [defineArrayMember({type: 'string'})], options: tagList}),
    defineField({
      name: 'relationships',
      type: 'array',
      group: 'tags',
      description: 'For example "Ilsa/Corwin" (romantic) or "Ilsa & Corwin" (platonic).',
      of: [defineArrayMember({type: 'string'})],
      options: tagList,
    }),
    defineField({name: 'tags', title: 'Additional tags', type: 'array', group: 'tags', of: [defineArrayMember({type: 'string'})], options: tagList}),
    defineField({
      name: 'language',
      type: 'string',
      group: 'tags',
      initialValue: 'en',
      options: {list: LANGUAGES.map(({value, title}) => ({value, title}))},
      validation: (rule) => rule.required(),
    }),
    defineField({
      name: 'status',
      type: 'string',
      group: 'publishing',
      initialValue: 'complete',
      options: {list: STORY_STATUSES.map(({value, title}) => ({value, title})), layout: 'radio', direction: 'horizontal'},
      // An imported file often doesn't say whether more is coming: unknown stays unset (a warning
      // for the editor), never guessed.
      validation: (rule) => rule.required().warning('Status not known: set it once you know whether the work is finished.'),
    }),
    // The publishing guard plugin adds the disclaimer and summary checks to these two fields.
    defineField({
      name: 'summary',
      type: 'text',
      group: 'text',
      rows: 4,
      description: 'What readers see in story lists and above the text. A placeholder ("TBD", "[insert summary here]") keeps the story from being published.',
    }),
    defineField({
      name: 'disclaimer',
      type: 'text',
      group: 'text',
      rows: 2,
      description: 'Who owns what the story borrows, for example "Starfall Station belongs to Lumen Pictures." It must name a rights holder of each fandom; original work needs none.',
    }),
    defineField({name: 'notes', type: 'storyNotes', group: 'text', description: 'Shown before the text.'}),
    defineField({
      name: 'body',
      title: 'Text',
      type: 'storyBody',
      group: 'text',
      description: 'The text of a one-shot. A work in chapters leaves this empty and lists its chapters below.',
    }),
    defineField({
      name: 'chapters',
      type: 'array',
      group: 'text',
      description: 'In reading order. Each chapter is its own document, so long works stay far below the document size limit.',
      of: [defineArrayMember({type: 'reference', to: [{type: 'chapter'}]})],
      validation: (rule) =>
        rule.unique().custom((chapters, context) => {
          const body = (context.document as {body?: unknown[]} | undefined)?.body
          return Array.isArray(chapters) && chapters.length > 0 && Array.isArray(body) && body.length > 0
            ? 'A story has either its text or chapters, not both: move the text into a chapter'
            : true
        }),
    }),
    defineField({name: 'endNotes', title: 'End notes', type: 'storyNotes', group: 'text'}),
    defineField({
      name: 'wordCount',
      title: 'Word count',
      type: 'number',
      group: 'publishing',
      readOnly: true,
      description: 'Counted when the story is published or imported.',
    }),
    defineField({
      name: 'publishedAt',
      title: 'Published',
      type: 'datetime',
      group: 'publishing',
      description: 'Set when the story is first published; the reader site lists only stories that have it, newest first.',
    }),
    defineField({
      name: 'updatedAt',
      title: 'Updated',
      type: 'datetime',
      group: 'publishing',
      description: 'Set each time the story is published again; "Recently updated" lists follow it.',
    }),
    defineField({
      name: 'originalPublication',
      type: 'partialDate',
      group: 'publishing',
      description: 'When the work first appeared elsewhere, as precisely as known.',
    }),
    defineField({name: 'series', type: 'array', group: 'publishing', of: [defineArrayMember({type: 'seriesEntry'})]}),
    defineField({name: 'source', type: 'importSource', group: 'source'}),
  ],
  orderings: [
    {title: 'Newest', name: 'publishedAtDesc', by: [{field: 'publishedAt', direction: 'desc'}]},
    {title: 'Recently updated', name: 'updatedAtDesc', by: [{field: 'updatedAt', direction: 'desc'}]},
    {title: 'Title', name: 'titleAsc', by: [{field: 'title', direction: 'asc'}]},
    {title: 'Word count', name: 'wordCountDesc', by: [{field: 'wordCount', direction: 'desc'}]},
  ],
  preview: {
    select: {
      title: 'title',
      author0: 'authors.0.name',
      author1: 'authors.1.name',
      fandom0: 'fandoms.0.title',
      fandom1: 'fandoms.1.title',
      rating: 'rating.title',
      wordCount: 'wordCount',
    },
    prepare: ({title, author0, author1, fandom0, fandom1, rating, wordCount}) => ({
      title: title || 'Untitled story',
      subtitle: storySubtitle({authors: [author0, author1], fandoms: [fandom0, fandom1], rating, wordCount}),
    }),
  },
})

export function storySubtitle(parts: {
  authors: Array<string | undefined>
  fandoms: Array<string | undefined>
  rating?: string
  wordCount?: number
}): string {
  const authors = parts.authors.filter(Boolean).join(' & ')
  const fandoms = parts.fandoms.filter(Boolean).join(' × ')
  const words = typeof parts.wordCount === 'number' ? `${parts.wordCount.toLocaleString('en')} words` : undefined
  return [authors && `by ${authors}`, fandoms, parts.rating, words].filter(Boolean).join(' · ')
}
