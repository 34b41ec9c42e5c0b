import {defineField, defineType} from 'sanity'

/** A story's place in a series: a story may belong to several series. */
export const seriesEntry = defineType({
  name: 'seriesEntry',
  title: 'Series entry',
  type: 'object',
  fields: [
    defineField({name: 'series', type: 'reference', to: [{type: 'series'}], validation: (rule) => rule.required()}),
    defineField({name: 'position', type: 'number', title: 'Part', validation: (rule) => rule.required().integer().min(1)}),
  ],
  preview: {
    select: {title: 'series.title', position: 'position'},
    prepare: ({title, position}) => ({title: title || '(series)', subtitle: position ? `Part ${position}` : undefined}),
  },
})
