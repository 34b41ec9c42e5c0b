import {describe, expect, it} from 'vitest'
import {missingRequiredFindings, requiredFields, schemaFindings} from '../../plugins/publishing-guard/schemaFindings'
import {compileSchema} from '../helpers/validateAsStudio'

describe('schema errors in the verdict', () => {
  it('turns error markers into story.invalid findings naming the field, leaving the guard\'s own fields to the rules', () => {
    const findings = schemaFindings(
      [
        {level: 'error', message: 'Required', path: ['fandoms']},
        {level: 'error', message: 'Required', path: ['fandoms']},
        {level: 'warning', message: 'Too long', path: ['title']},
        {level: 'error', message: 'Add a disclaimer', path: ['disclaimer']},
      ],
      ['disclaimer', 'summary'],
    )
    expect(findings.map((f) => [f.code, f.level, f.field, f.message])).toEqual([['story.invalid', 'error', 'fandoms', 'fandoms: Required']])
  })

  it('reads the required fields of the compiled story type', () => {
    const required = requiredFields(compileSchema().get('story'))
    expect(required).toEqual(expect.arrayContaining(['title', 'fandoms', 'authors']))
    expect(required).not.toContain('disclaimer')
  })

  it('reports required fields a draft leaves empty', () => {
    expect(missingRequiredFindings({fandoms: [], title: 'T'}, ['fandoms', 'title']).map((f) => f.message)).toEqual(['fandoms: Required'])
  })
})
