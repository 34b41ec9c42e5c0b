import {describe, expect, it} from 'vitest'
import {CATEGORIES, LANGUAGES, MEDIA_TYPES, matchCategory, matchWarning, STORY_STATUSES, WARNINGS} from '../../rules'

describe('vocabularies', () => {
  it('warnings carry the archive titles', () => {
    expect(WARNINGS.map((w) => [w.value, w.title])).toEqual([
      ['choose-not-to-use', 'Choose Not To Use Archive Warnings'],
      ['no-archive-warnings-apply', 'No Archive Warnings Apply'],
      ['graphic-violence', 'Graphic Depictions Of Violence'],
      ['major-character-death', 'Major Character Death'],
      ['rape-non-con', 'Rape/Non-Con'],
      ['underage', 'Underage Sex'],
    ])
  })

  it('categories, statuses, media types', () => {
    expect(CATEGORIES.map((c) => `${c.value}=${c.title}`)).toEqual(['gen=Gen', 'f-f=F/F', 'f-m=F/M', 'm-m=M/M', 'multi=Multi', 'other=Other'])
    expect(STORY_STATUSES.map((s) => s.value)).toEqual(['in-progress', 'complete'])
    expect(MEDIA_TYPES.map((m) => m.value)).toEqual(['book', 'tv', 'film', 'game', 'anime', 'comics', 'cartoon', 'theatre', 'radio', 'celebrity', 'original', 'other'])
  })

  it('languages: English first, unique valid BCP-47 codes', () => {
    expect(LANGUAGES[0]).toEqual({value: 'en', title: 'English'})
    expect(LANGUAGES.length).toBeGreaterThanOrEqual(20)
    expect(new Set(LANGUAGES.map((l) => l.value)).size).toBe(LANGUAGES.length)
    for (const {value} of LANGUAGES) expect(Intl.getCanonicalLocales(value)).toEqual([value])
  })
})

describe('matchWarning', () => {
  it.each([
    ['No Archive Warnings Apply', 'no-archive-warnings-apply'],
    ['no archive warnings apply', 'no-archive-warnings-apply'],
    ['Graphic Depictions of Violence', 'graphic-violence'],
    ['Graphic Depictions Of Violence', 'graphic-violence'],
    ['Violence', 'graphic-violence'],
    ['Character Death', 'major-character-death'],
    ['Major Character Death', 'major-character-death'],
    ['MCD', 'major-character-death'],
    ['Rape/Non-Con', 'rape-non-con'],
    ['non-con', 'rape-non-con'],
    ['Underage', 'underage'],
    ['Creator Chose Not To Use Archive Warnings', 'choose-not-to-use'],
    ['  Choose Not To Use Archive Warnings. ', 'choose-not-to-use'],
    ['fluff', null],
    ['', null],
  ])('%j -> %s', (label, expected) => {
    expect(matchWarning(label)).toBe(expected)
  })
})

describe('matchCategory', () => {
  it.each([
    ['F/M', 'f-m'],
    ['f/m', 'f-m'],
    ['Het', 'f-m'],
    ['M/M', 'm-m'],
    ['Slash', 'm-m'],
    ['F/F', 'f-f'],
    ['Femslash', 'f-f'],
    ['Gen', 'gen'],
    ['gen', 'gen'],
    ['Multi', 'multi'],
    ['Other', 'other'],
    ['Romance', null],
    ['', null],
  ])('%j -> %s', (label, expected) => {
    expect(matchCategory(label)).toBe(expected)
  })
})
