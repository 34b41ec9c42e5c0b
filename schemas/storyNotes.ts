import {defineArrayMember, defineType} from 'sanity'
import {linkAnnotation} from './storyBody'

/** Notes around a story (and author bios): short prose, links, nothing structural. */
export const storyNotes = defineType({
  name: 'storyNotes',
  title: 'Notes',
  type: 'array',
  of: [
    defineArrayMember({
      type: 'block',
      styles: [
        {title: 'Normal', value: 'normal'},
        {title: 'Quote', value: 'blockquote'},
      ],
      lists: [],
      marks: {
        decorators: [
          {title: 'Emphasis', value: 'em'},
          {title: 'Strong', value: 'strong'},
        ],
        annotations: [linkAnnotation],
      },
    }),
  ],
})
