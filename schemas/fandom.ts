import {StarIcon} from '@sanity/icons/Star'
import {defineArrayMember, defineField, defineType} from 'sanity'
import {MEDIA_TYPES, SLUG_MAX_LENGTH, slugFor} from '../rules'

export const fandom = defineType({
  name: 'fandom',
  title: 'Fandom',
  type: 'document',
  icon: StarIcon,
  fields: [
    defineField({name: 'title', type: 'string', validation: (rule) => rule.required().max(255)}),
    defineField({name: 'slug', type: 'slug', options: {source: 'title', maxLength: SLUG_MAX_LENGTH, slugify: (input) => slugFor(input)}, validation: (rule) => rule.required()}),
    defineField({
      name: 'aliases',
      type: 'array',
      description: 'Other names and abbreviations fans use; matched by the importer and the disclaimer check.',
      of: [defineArrayMember({type: 'string'})],
      options: {layout: 'tags'},
    }),
    defineField({
      name: 'mediaType',
      type: 'string',
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
      name: 'rightsHolders',
      title: 'Rights holders',
      type: 'array',
      description: 'The companies and people who own the source, for example a studio and a network. Disclaimers are checked against them.',
      of: [defineArrayMember({type: 'string'})],
      options: {layout: 'tags'},
      validation: (rule) =>
        rule.custom((holders, context) => {
          const original = (context.document as {isOriginalWork?: boolean} | undefined)?.isOriginalWork
          return original || (Array.isArray(holders) && holders.length > 0)
            ? true
            : 'Name at least one rights holder so disclaimers can be checked'
        }).warning(),
    }),
    defineField({name: 'parent', title: 'Parent fandom', type: 'reference', to: [{type: 'fandom'}]}),
  ],
  orderings: [{title: 'Title', name: 'titleAsc', by: [{field: 'title', direction: 'asc'}]}],
  preview: {
    select: {title: 'title', mediaType: 'mediaType', parent: 'parent.title', original: 'isOriginalWork'},
    prepare: ({title, mediaType, parent, original}) => ({
      title: title || 'Untitled fandom',
      subtitle: [original ? 'Original work' : MEDIA_TYPES.find((m) => m.value === mediaType)?.title, parent && `in ${parent}`]
        .filter(Boolean)
        .join(' · '),
    }),
  },
})
