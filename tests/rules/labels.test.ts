import {describe, expect, it} from 'vitest'
import {HEADER_LABELS, type HeaderField, matchHeaderLabel} from '../../rules'

const cases: [string, HeaderField, string, string][] = [
  ['Title: The Long Way Home', 'title', 'Title', 'The Long Way Home'],
  ['Author: ilsa_writes', 'author', 'Author', 'ilsa_writes'],
  ['Written by: Corwin', 'author', 'Written by', 'Corwin'],
  ['By: Corwin', 'author', 'By', 'Corwin'],
  ['Fandom: Harry Potter', 'fandom', 'Fandom', 'Harry Potter'],
  ['Fandoms: HP, BtVS', 'fandom', 'Fandoms', 'HP, BtVS'],
  ['Disclaimer: Not mine.', 'disclaimer', 'Disclaimer', 'Not mine.'],
  ['Disclaimers - Not mine.', 'disclaimer', 'Disclaimers', 'Not mine.'],
  ['Disclamer: Not mine.', 'disclaimer', 'Disclamer', 'Not mine.'],
  ["Disclaimer- I don't own it", 'disclaimer', 'Disclaimer', "I don't own it"],
  ['DISCLAIMER:nope', 'disclaimer', 'DISCLAIMER', 'nope'],
  ['Rated: T', 'rating', 'Rated', 'T'],
  ['Rating - PG-13', 'rating', 'Rating', 'PG-13'],
  ['**Rating:** M', 'rating', 'Rating', 'M'],
  ['Summary: Things happen.', 'summary', 'Summary', 'Things happen.'],
  ['summery: Things happen.', 'summary', 'summery', 'Things happen.'],
  ['Sumary - Things happen.', 'summary', 'Sumary', 'Things happen.'],
  ['Synopsis: Things happen.', 'summary', 'Synopsis', 'Things happen.'],
  ['Description: Things happen.', 'summary', 'Description', 'Things happen.'],
  ['Summary:', 'summary', 'Summary', ''],
  ['Pairing: Ilsa/Corwin', 'pairing', 'Pairing', 'Ilsa/Corwin'],
  ['Pairings: Ilsa/Corwin, Mara/Jun', 'pairing', 'Pairings', 'Ilsa/Corwin, Mara/Jun'],
  ['Relationships: Ilsa/Corwin', 'pairing', 'Relationships', 'Ilsa/Corwin'],
  ['Characters: Ilsa, Corwin', 'characters', 'Characters', 'Ilsa, Corwin'],
  ['Warnings: Major Character Death', 'warnings', 'Warnings', 'Major Character Death'],
  ['Warning: none', 'warnings', 'Warning', 'none'],
  ['Spoilers: up to book 5', 'spoilers', 'Spoilers', 'up to book 5'],
  ['Category: Het', 'category', 'Category', 'Het'],
  ['Categories: Gen, Slash', 'category', 'Categories', 'Gen, Slash'],
  ['Genre: Angst/Romance', 'genre', 'Genre', 'Angst/Romance'],
  ['Tags: fluff, hurt/comfort', 'tags', 'Tags', 'fluff, hurt/comfort'],
  ['Language: English', 'language', 'Language', 'English'],
  ['Status: Complete', 'status', 'Status', 'Complete'],
  ['Feedback: yes please!', 'feedback', 'Feedback', 'yes please!'],
  ['Archive: ask first', 'archive', 'Archive', 'ask first'],
  ['Archiving: sure', 'archive', 'Archiving', 'sure'],
  ['A/N: thanks to my beta', 'authorsNote', 'A/N', 'thanks to my beta'],
  ['AN: thanks to my beta', 'authorsNote', 'AN', 'thanks to my beta'],
  ['AN – thanks to my beta', 'authorsNote', 'AN', 'thanks to my beta'],
  ['an: thanks to my beta', 'authorsNote', 'an', 'thanks to my beta'],
  ["Author's Note: thanks", 'authorsNote', "Author's Note", 'thanks'],
  ['Author’s Note: thanks', 'authorsNote', 'Author’s Note', 'thanks'],
  ['Authors Note: thanks', 'authorsNote', 'Authors Note', 'thanks'],
  ['[A/N: thanks to my beta]', 'authorsNote', 'A/N', 'thanks to my beta'],
  ['(A/N: thanks to my beta)', 'authorsNote', 'A/N', 'thanks to my beta'],
  ['Notes: see end', 'notes', 'Notes', 'see end'],
  ['Word Count: 1,234', 'wordCount', 'Word Count', '1,234'],
  ['Wordcount: 1234', 'wordCount', 'Wordcount', '1234'],
  ['Series: Tides', 'series', 'Series', 'Tides'],
  ['Chapter: 3', 'chapter', 'Chapter', '3'],
  ['~*~Summary~*~: Things happen.', 'summary', 'Summary', 'Things happen.'],
  ['   summary   :   spaced out  ', 'summary', 'summary', 'spaced out'],
  ['Summary — Things happen.', 'summary', 'Summary', 'Things happen.'],
]

describe('matchHeaderLabel', () => {
  it.each(cases)('%j', (line, field, label, value) => {
    expect(matchHeaderLabel(line)).toEqual({field, label, value})
  })

  it.each([
    ['plain prose', 'She walked into the room.'],
    ['label word without separator', 'By the time she arrived, it was over.'],
    ['chapter heading', 'Chapter 3: The Sea'],
    ['hyphenated word after a label word', 'Co-author note'],
    ['dash glued to the value', 'Rating-T'],
    ['empty', ''],
    ['separator only', ': value'],
    ['"An" opening a sentence before a dash', 'An – unexpected visitor knocked.'],
  ])('no match: %s', (_name, line) => {
    expect(matchHeaderLabel(line)).toBeNull()
  })

  it('only looks at the first line', () => {
    expect(matchHeaderLabel('Summary: one\nRating: T')).toEqual({field: 'summary', label: 'Summary', value: 'one'})
  })

  it('every label in HEADER_LABELS is recognised as its own field', () => {
    for (const [field, labels] of Object.entries(HEADER_LABELS)) {
      for (const label of labels) expect(matchHeaderLabel(`${label}: x`)?.field, label).toBe(field)
    }
  })
})
