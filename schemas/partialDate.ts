import {CalendarIcon} from '@sanity/icons/Calendar'
import {defineField, defineType} from 'sanity'

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December']

/** A date known perhaps only to the year or the month, as in a fic signed "January, 2005". */
export const partialDate = defineType({
  name: 'partialDate',
  title: 'Date (year, month or day)',
  type: 'object',
  icon: CalendarIcon,
  options: {columns: 3},
  fields: [
    defineField({name: 'year', type: 'number', validation: (rule) => rule.required().integer().min(1900).max(2200)}),
    defineField({
      name: 'month',
      type: 'number',
      options: {list: MONTHS.map((title, i) => ({title, value: i + 1}))},
      validation: (rule) => rule.integer().min(1).max(12),
    }),
    defineField({
      name: 'day',
      type: 'number',
      validation: (rule) =>
        rule.integer().min(1).max(31).custom((day, context) => {
          const parent = context.parent as {month?: number} | undefined
          return day === undefined || parent?.month ? true : 'A day needs a month'
        }),
    }),
  ],
  preview: {
    select: {year: 'year', month: 'month', day: 'day'},
    prepare: ({year, month, day}) => ({title: [day, month ? MONTHS[month - 1] : undefined, year].filter(Boolean).join(' ')}),
  },
})
