import {BlockquoteIcon} from '@sanity/icons/Blockquote'
import {CommentIcon} from '@sanity/icons/Comment'
import {LinkIcon} from '@sanity/icons/Link'
import {defineArrayMember, defineField, defineType} from 'sanity'
import {isSafeLinkHref, SAFE_LINK_SCHEMES} from '../rules'

/** A link annotation shared by story bodies and notes: only http, https and mailto. */
export const linkAnnotation = defineArrayMember({
  name: 'link',
  type: 'object',
  title: 'Link',
  icon: LinkIcon,
  fields: [
    defineField({
      name: 'href',
      type: 'url',
      title: 'URL',
      validation: (rule) =>
        rule.required().uri({scheme: [...SAFE_LINK_SCHEMES], allowRelative: false}).custom((href) =>
          typeof href !== 'string' || isSafeLinkHref(href) ? true : 'Only http, https and mailto links are allowed',
        ),
    }),
  ],
})

/**
 * The text of a story or chapter. Fiction needs few block styles but some of its own:
 * centred lines (poems, dedications), scene breaks and author's notes set apart from the prose.
 */
export const storyBody = defineType({
  name: 'storyBody',
  title: 'Story text',
  type: 'array',
  of: [
    defineArrayMember({
      type: 'block',
      styles: [
        {title: 'Normal', value: 'normal'},
        {title: 'Heading', value: 'h2'},
        {title: 'Subheading', value: 'h3'},
        {title: 'Quote', value: 'blockquote'},
        {title: 'Centred', value: 'centered'},
      ],
      lists: [
        {title: 'Bullet', value: 'bullet'},
        {title: 'Numbered', value: 'number'},
      ],
      marks: {
        decorators: [
          {title: 'Emphasis', value: 'em'},
          {title: 'Strong', value: 'strong'},
          {title: 'Strike', value: 'strike-through'},
          {title: 'Underline', value: 'underline'},
        ],
        annotations: [
          linkAnnotation,
          defineArrayMember({
            name: 'footnote',
            type: 'object',
            title: 'Footnote',
            icon: CommentIcon,
            fields: [defineField({name: 'text', type: 'text', rows: 3, validation: (rule) => rule.required()})],
          }),
        ],
      },
    }),
    defineArrayMember({type: 'sceneBreak'}),
    defineArrayMember({type: 'authorsNote'}),
  ],
})

export const sceneBreak = defineType({
  name: 'sceneBreak',
  title: 'Scene break',
  type: 'object',
  icon: BlockquoteIcon,
  // An object needs at least one field; the break itself carries no content.
  fields: [defineField({name: 'style', type: 'string', title: 'Style', options: {list: ['rule', 'asterisks', 'space']}, initialValue: 'asterisks'})],
  preview: {prepare: () => ({title: '* * *', subtitle: 'Scene break'})},
})

export const authorsNote = defineType({
  name: 'authorsNote',
  title: "Author's note",
  type: 'object',
  icon: CommentIcon,
  fields: [defineField({name: 'text', type: 'text', rows: 3, validation: (rule) => rule.required()})],
  preview: {select: {text: 'text'}, prepare: ({text}) => ({title: text || '(empty note)', subtitle: "Author's note"})},
})
