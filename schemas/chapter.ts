import {DocumentTextIcon} from '@sanity/icons/DocumentText'
import {defineField, defineType} from 'sanity'

/** One chapter of a multi-chapter work; the story lists its chapters in reading order. */
export const chapter = defineType({
  name: 'chapter',
  title: 'Chapter',
  type: 'document',
  icon: DocumentTextIcon,
  fields: [
    defineField({name: 'title', type: 'string', validation: (rule) => rule.max(255)}),
    defineField({name: 'summary', type: 'text', rows: 3}),
    defineField({name: 'notes', type: 'storyNotes'}),
    defineField({name: 'body', title: 'Text', type: 'storyBody', validation: (rule) => rule.required()}),
    defineField({name: 'endNotes', title: 'End notes', type: 'storyNotes'}),
    defineField({name: 'wordCount', title: 'Word count', type: 'number', readOnly: true, description: 'Counted when the chapter is published or imported.'}),
  ],
  orderings: [
    {title: 'Title', name: 'titleAsc', by: [{field: 'title', direction: 'asc'}]},
    {title: 'Word count', name: 'wordCountDesc', by: [{field: 'wordCount', direction: 'desc'}]},
  ],
  preview: {
    select: {title: 'title', wordCount: 'wordCount'},
    prepare: ({title, wordCount}) => ({
      title: title || 'Untitled chapter',
      subtitle: typeof wordCount === 'number' ? `${wordCount.toLocaleString('en')} words` : undefined,
    }),
  },
})
