import {UserIcon} from '@sanity/icons/User'
import {defineArrayMember, defineField, defineType} from 'sanity'
import {SAFE_LINK_SCHEMES, SLUG_MAX_LENGTH, slugFor} from '../rules'

export const author = defineType({
  name: 'author',
  title: 'Author',
  type: 'document',
  icon: UserIcon,
  fields: [
    defineField({name: 'name', type: 'string', validation: (rule) => rule.required().max(120)}),
    defineField({name: 'slug', type: 'slug', options: {source: 'name', maxLength: SLUG_MAX_LENGTH, slugify: (input) => slugFor(input)}, validation: (rule) => rule.required()}),
    defineField({
      name: 'aliases',
      type: 'array',
      description: 'Other pen names. The importer matches signatures and bylines against these.',
      of: [defineArrayMember({type: 'string'})],
      options: {layout: 'tags'},
    }),
    defineField({name: 'bio', type: 'storyNotes'}),
    defineField({
      name: 'links',
      type: 'array',
      of: [
        defineArrayMember({
          type: 'object',
          name: 'authorLink',
          fields: [
            defineField({name: 'title', type: 'string', validation: (rule) => rule.required()}),
            defineField({name: 'url', type: 'url', validation: (rule) => rule.required().uri({scheme: [...SAFE_LINK_SCHEMES]})}),
          ],
        }),
      ],
    }),
    defineField({name: 'avatar', type: 'image', options: {hotspot: true}, fields: [defineField({name: 'alt', type: 'string', title: 'Alternative text'})]}),
  ],
  orderings: [{title: 'Name', name: 'nameAsc', by: [{field: 'name', direction: 'asc'}]}],
  preview: {
    select: {title: 'name', aliases: 'aliases', media: 'avatar'},
    prepare: ({title, aliases, media}) => ({
      title: title || 'Unnamed author',
      subtitle: Array.isArray(aliases) && aliases.length ? `also ${aliases.join(', ')}` : undefined,
      media,
    }),
  },
})
