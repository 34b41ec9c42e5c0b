import {StackIcon} from '@sanity/icons/Stack'
import {defineField, defineType} from 'sanity'
import {SLUG_MAX_LENGTH, slugFor} from '../rules'

/** A series groups stories; each story records its own part number (story.series[].position). */
export const series = defineType({
  name: 'series',
  title: 'Series',
  type: 'document',
  icon: StackIcon,
  fields: [
    defineField({name: 'title', type: 'string', validation: (rule) => rule.required().max(255)}),
    defineField({name: 'slug', type: 'slug', options: {source: 'title', maxLength: SLUG_MAX_LENGTH, slugify: (input) => slugFor(input)}, validation: (rule) => rule.required()}),
    defineField({name: 'description', type: 'text', rows: 3}),
    defineField({name: 'complete', type: 'boolean', initialValue: false}),
  ],
  orderings: [{title: 'Title', name: 'titleAsc', by: [{field: 'title', direction: 'asc'}]}],
  preview: {
    select: {title: 'title', complete: 'complete'},
    prepare: ({title, complete}) => ({title: title || 'Untitled series', subtitle: complete ? 'Complete' : 'In progress'}),
  },
})
