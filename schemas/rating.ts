import {EyeOpenIcon} from '@sanity/icons/EyeOpen'
import {defineArrayMember, defineField, defineType} from 'sanity'

/** The standard ratings ship as seed data (rules/ratings.ts); editors rarely create new ones. */
export const rating = defineType({
  name: 'rating',
  title: 'Rating',
  type: 'document',
  icon: EyeOpenIcon,
  fields: [
    defineField({
      name: 'code',
      type: 'string',
      description: 'A short lower-case name for links and filters on the reader site (teen, mature); keep it once stories use the rating.',
      validation: (rule) => rule.required().regex(/^[a-z0-9-]+$/, {name: 'lower-case code'}),
    }),
    defineField({name: 'title', type: 'string', description: 'As readers see it on stories and in the rating filter.', validation: (rule) => rule.required()}),
    defineField({name: 'description', type: 'text', rows: 2, description: 'What the rating allows, in a sentence: readers see it at the content gate, editors when choosing a rating.'}),
    defineField({
      name: 'minimumAge',
      title: 'Minimum age',
      type: 'number',
      description: 'The youngest readers it suits; 0 for all ages.',
      validation: (rule) => rule.integer().min(0).max(21),
    }),
    defineField({
      name: 'sortOrder',
      title: 'Position on the scale',
      type: 'number',
      description: 'Lower is milder; lists and the rating filter follow this order.',
      validation: (rule) => rule.required().integer(),
    }),
    defineField({
      name: 'requiresContentGate',
      type: 'boolean',
      description: 'Readers must confirm before the text is shown.',
      initialValue: false,
    }),
    defineField({
      name: 'aliases',
      type: 'array',
      description: 'How other scales write this rating (PG-13, Fiction T, ...). Imports are mapped through these.',
      of: [defineArrayMember({type: 'string'})],
      options: {layout: 'tags'},
    }),
  ],
  orderings: [{title: 'Scale', name: 'sortOrderAsc', by: [{field: 'sortOrder', direction: 'asc'}]}],
  preview: {
    select: {title: 'title', minimumAge: 'minimumAge', gate: 'requiresContentGate'},
    prepare: ({title, minimumAge, gate}) => ({
      title: title || 'Untitled rating',
      subtitle: [typeof minimumAge === 'number' && minimumAge > 0 ? `${minimumAge}+` : undefined, gate ? 'content gate' : undefined]
        .filter(Boolean)
        .join(' · '),
    }),
  },
})
