import {StarIcon} from '@sanity/icons/Star'
import {defineArrayMember, defineField, defineType} from 'sanity'
import {MEDIA_TYPES, SLUG_MAX_LENGTH, slugFor} from '../rules'

export const fandom = defineType({
  name: 'fandom',
  title: 'Fandom',
  type: 'document',
  icon: StarIcon,
  fields: [
    defineField({
      name: 'title',
      type: 'string',
      description: "The fandom's usual name, as readers see it on stories and on the reader site.",
      validation: (rule) => rule.required().max(255),
    }),
    defineField({
      name: 'slug',
      type: 'slug',
      description: "The end of the fandom page's address on the reader site (/fandoms/…).",
      options: {source: 'title', maxLength: SLUG_MAX_LENGTH, slugify: (input) => slugFor(input)}, validation: (rule) => rule.required()}),
    defineField({
      name: 'aliases',
      type: 'array',
      description: 'Other names and abbreviations fans use; matched by the importer and the disclaimer check.',
      of: [defineArrayMember({type: 'string'})],
      options: {layout: 'tags'},
    }),
    defineField({
      name: 'mediaType',
      title: 'Media type',
      type: 'string',
      description: 'What the source is; the reader site groups fandoms by it.',
      options: {list: MEDIA_TYPES.map(({value, title}) => ({value, title}))},
      validation: (rule) => rule.required(),
    }),
    defineField({
      name: 'isOriginalWork',
      title: 'Original work',
      type: 'boolean',
      description: 'Original fiction needs no disclaimer.',
      initialValue: false,
    }),
    defineField({
      name: 'isRealPerson',
      title: 'Real-person fiction',
      type: 'boolean',
      description: 'Stories about real people need a disclaimer saying they are fiction, not one naming owners.',
      initialValue: false,
    }),
    defineField({
      name: 'rightsHolders',
      title: 'Rights holders',
      type: 'array',
      description:
        'The people and companies who own the source, for example its creator, a studio and a network. Disclaimers are checked against them and their aliases; left empty, the parent fandom\'s count.',
      of: [defineArrayMember({type: 'reference', to: [{type: 'rightsHolder'}]})],
      validation: (rule) =>
        rule.custom((holders, context) => {
          const doc = context.document as {isOriginalWork?: boolean; isRealPerson?: boolean; parent?: unknown} | undefined
          return doc?.isOriginalWork || doc?.isRealPerson || doc?.parent || (Array.isArray(holders) && holders.length > 0)
            ? true
            : 'Add at least one rights holder so disclaimers can be checked'
        }).warning(),
    }),
    defineField({
      name: 'parent',
      title: 'Parent fandom',
      type: 'reference',
      description: "The franchise this fandom is part of (Law & Order for Law & Order: SVU). The reader site links the two; with no rights holders of its own, the parent's count.",
      to: [{type: 'fandom'}],
    }),
  ],
  orderings: [{title: 'Title', name: 'titleAsc', by: [{field: 'title', direction: 'asc'}]}],
  preview: {
    select: {
      title: 'title',
      mediaType: 'mediaType',
      parent: 'parent.title',
      original: 'isOriginalWork',
      realPerson: 'isRealPerson',
      holder0: 'rightsHolders.0.name',
      holder1: 'rightsHolders.1.name',
      holder2: 'rightsHolders.2.name',
    },
    prepare: ({title, mediaType, parent, original, realPerson, holder0, holder1, holder2}) => {
      const holders = [holder0, holder1, holder2].filter((h): h is string => typeof h === 'string' && h !== '')
      return {
        title: title || 'Untitled fandom',
        subtitle: [
          original ? 'Original work' : realPerson ? 'Real-person fiction' : MEDIA_TYPES.find((m) => m.value === mediaType)?.title,
          parent && `in ${parent}`,
          holders.length ? `© ${holders.join(', ')}` : '',
        ]
          .filter(Boolean)
          .join(' · '),
      }
    },
  },
})
