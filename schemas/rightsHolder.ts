import {CaseIcon} from '@sanity/icons/Case'
import {defineArrayMember, defineField, defineType} from 'sanity'

/**
 * Who owns a fandom: a person (an author, a creator) or a company (a studio, a network, a
 * publisher). Fandoms reference holders, so every way of writing one owner's name is entered
 * once and matches in every fandom's disclaimer check.
 */
export const rightsHolder = defineType({
  name: 'rightsHolder',
  title: 'Rights holder',
  type: 'document',
  icon: CaseIcon,
  fields: [
    defineField({
      name: 'name',
      type: 'string',
      description: 'The name as disclaimers most often write it; other spellings go in Aliases.',
      validation: (rule) => rule.required().max(200),
    }),
    defineField({
      name: 'kind',
      type: 'string',
      description: 'A person (an author, a creator) or a company (a studio, a network, a publisher).',
      options: {
        list: [
          {value: 'person', title: 'Person'},
          {value: 'company', title: 'Company'},
        ],
        layout: 'radio',
        direction: 'horizontal',
      },
    }),
    defineField({
      name: 'aliases',
      type: 'array',
      description: 'Other ways disclaimers write this owner: "Wolf Films", "Wolf Productions", "Dick Wolf". Each counts as naming the owner.',
      of: [defineArrayMember({type: 'string'})],
      options: {layout: 'tags'},
    }),
    defineField({
      name: 'successors',
      type: 'array',
      description: 'Owners that took over these rights (renamed, merged or bought). A disclaimer naming either one names the owner.',
      of: [defineArrayMember({type: 'reference', to: [{type: 'rightsHolder'}]})],
    }),
  ],
  orderings: [{title: 'Name', name: 'nameAsc', by: [{field: 'name', direction: 'asc'}]}],
  preview: {
    select: {title: 'name', kind: 'kind', aliases: 'aliases'},
    prepare: ({title, kind, aliases}) => {
      const known = Array.isArray(aliases) ? aliases.filter((a): a is string => typeof a === 'string') : []
      return {
        title: title || 'Unnamed rights holder',
        subtitle: [kind === 'person' ? 'Person' : kind === 'company' ? 'Company' : '', known.length ? `also ${known.slice(0, 3).join(', ')}` : '']
          .filter(Boolean)
          .join(' · '),
      }
    },
  },
})
