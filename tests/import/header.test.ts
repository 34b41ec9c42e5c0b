import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import {isSceneBreakLine, parseDecoratedTitle, parsePartialDate, parseSignature, parseStoryHeader} from '../../scripts/import/header'
import {fixture} from './helpers'

describe('parseStoryHeader', () => {
  it('reads misspelled labels, dash separators and values that run on over several lines', () => {
    const header = parseStoryHeader(fixture('classic-header.txt').toString('utf8'))
    expect(header.title).toBe('The Lantern Road')
    expect(header.fields).toMatchObject({
      author: 'Wren Halloway',
      rating: 'PG-13',
      fandom: 'The Glass Couriers',
      pairing: 'Ilsa/Corwin',
      summary: 'Two couriers share one road, one lantern, and a promise that neither of them meant to keep.',
      disclaimer: 'The Glass Couriers belong to Marrow Books. I own nothing and make no money from this.',
      warnings: 'Major Character Death',
    })
    expect(header.unknownLabels).toEqual([{label: 'Timeline', value: 'after the second book', line: 11}])
    expect(header.rawHeader).toContain('Summery: Two couriers')
    expect(header.bodyStartLine).toBe(13)
  })

  it.each([
    ['SUMMARY: upper case', 'summary', 'upper case'],
    ['summery: lower case misspelling', 'summary', 'lower case misspelling'],
    ['Sumary: one m', 'summary', 'one m'],
    ['Synopsis: synonym', 'summary', 'synonym'],
    ['Description: synonym', 'summary', 'synonym'],
    ['Disclaimers: plural', 'disclaimer', 'plural'],
    ['Disclaimer- dash', 'disclaimer', 'dash'],
    ['Rated: R', 'rating', 'R'],
    ['Rating: NC-17', 'rating', 'NC-17'],
    ['Pairings: A/B, C/D', 'pairing', 'A/B, C/D'],
    ['Relationship: A/B', 'pairing', 'A/B'],
    ['Genre: Angst', 'genre', 'Angst'],
    ['Category: Slash', 'category', 'Slash'],
    ['Spoilers: book three', 'spoilers', 'book three'],
    ['Feedback: yes please', 'feedback', 'yes please'],
    ['Archive: ask first', 'archive', 'ask first'],
    ['A/N: thanks to my beta', 'authorsNote', 'thanks to my beta'],
    ["Author's Note: written for a prompt", 'authorsNote', 'written for a prompt'],
  ])('%s', (line, field, value) => {
    const header = parseStoryHeader(`${line}\n\nThe story starts here and goes on.`)
    expect(header.fields).toEqual({[field]: value})
    expect(header.bodyStartLine).toBe(2)
  })

  it('takes a label left empty at a blank line from the next paragraph', () => {
    const header = parseStoryHeader('Title: Empty Then Full\nDisclaimer:\n\nNot mine, never was.\n\nOnce upon a time.')
    expect(header.fields.disclaimer).toBe('Not mine, never was.')
    expect(header.bodyStartLine).toBe(5)
  })

  it('treats a rule under the header as a separator, and a file without a header as all body', () => {
    expect(parseStoryHeader('Author: X\nRating: G\n-----\nBody.').bodyStartLine).toBe(3)
    const none = parseStoryHeader('\n\nIt was a dark night.\nThe end.')
    expect(none.fields).toEqual({})
    expect(none.bodyStartLine).toBe(2)
  })

  it.each([
    ['The Lantern Road\nby Wren Halloway\n\nRating: PG\nDisclaimer: Not mine.\n\nBody text.', 'The Lantern Road', 'Wren Halloway'],
    ['~*~ The Lantern Road ~*~\nWritten by Wren\nRating: PG\nDisclaimer: Not mine.\n\nBody text.', 'The Lantern Road', 'Wren'],
    ['The Lantern Road\n\nRating: PG\nDisclaimer: Not mine.\n\nBody text.', 'The Lantern Road', undefined],
  ])('reads a title and "by Author" line above the labels: %j', (text, title, author) => {
    const header = parseStoryHeader(text)
    expect(header).toMatchObject({title, fields: {rating: 'PG', disclaimer: 'Not mine.'}})
    expect(header.fields.author).toBe(author)
    expect(text.split('\n')[header.bodyStartLine]).toBe('Body text.')
  })

  it('takes an undecorated first line as the title only when a header follows', () => {
    expect(parseStoryHeader('Lanterns\n\nAuthor: Wren\n\nText.').title).toBe('Lanterns')
    expect(parseStoryHeader('Lanterns\n\nText goes on.').title).toBeUndefined()
  })
})

describe('decorated titles, scene breaks, dates, signatures', () => {
  it.each([
    ['---The Ferry---', 'The Ferry'],
    ['~*~The Ferry~*~', 'The Ferry'],
    ['== The Ferry ==', 'The Ferry'],
    ['*~*The Ferry*~*', 'The Ferry'],
    ['The Ferry', undefined],
    ['~~~', undefined],
    ['o0o', undefined],
  ])('title line %s', (line, title) => {
    expect(parseDecoratedTitle(line)).toBe(title)
  })

  it.each([
    ['* * *', true],
    ['***', true],
    ['~~~', true],
    ['-----', true],
    ['o0o', true],
    ['oOo', true],
    ['#', true],
    ['xXx', true],
    ['-', false],
    ['The end.', false],
    ['*sigh*', false],
    ['', false],
  ])('scene break %j -> %s', (line, expected) => {
    expect(isSceneBreakLine(line)).toBe(expected)
  })

  it.each([
    ['January, 2005', {year: 2005, month: 1}],
    ['Jan 2005', {year: 2005, month: 1}],
    ['12/03/2004', {year: 2004, month: 12, day: 3}],
    ['25/03/2004', {year: 2004, month: 3, day: 25}],
    ['March 3rd, 2004', {year: 2004, month: 3, day: 3}],
    ['3 March 2004', {year: 2004, month: 3, day: 3}],
    ['2004-03-12', {year: 2004, month: 3, day: 12}],
    ['February 30, 2004', undefined],
    ['13/13/2004', undefined],
    ['Someday 2005', undefined],
  ])('date %s', (text, date) => {
    expect(parsePartialDate(text)).toEqual(date)
  })

  it.each([
    [['Story text.', '', 'Wren Halloway', 'January, 2005'], {author: 'Wren Halloway', date: {year: 2005, month: 1}, startLine: 2}],
    [['Story text.', '', '- Wren, March 3rd, 2004'], {author: 'Wren', date: {year: 2004, month: 3, day: 3}, startLine: 2}],
    [['Story text.', '', 'Jan 2005', ''], {date: {year: 2005, month: 1}, startLine: 2}],
    [['Story text.', '', 'She walked away.'], undefined],
  ])('signature %j', (lines, expected) => {
    expect(parseSignature(lines)).toEqual(expected)
  })
})

describe('a header in any order, with labels the reader does not know', () => {
  const known: Array<[string, string]> = [
    ['Title', 'Lantern Road'],
    ['Author', 'Wren H.'],
    ['Fandom', 'Glass Couriers'],
    ['Rating', 'PG-13'],
    ['Summary', 'Two couriers, one road'],
    ['Disclaimer', 'Not mine'],
  ]
  const unknown: Array<[string, string]> = [
    ['Timeline', 'Year 6'],
    ['Beta Reader Two', 'Fen'],
    ['Prompt', 'lanterns'],
  ]

  it('reads every known row whatever the order, blank lines or unknown rows among them', () => {
    fc.assert(
      fc.property(
        fc.shuffledSubarray([...known, ...unknown], {minLength: known.length + unknown.length}),
        fc.array(fc.boolean(), {minLength: 9, maxLength: 9}),
        (rows, blanks) => {
          const header = rows.map(([label, value], i) => `${label}: ${value}${blanks[i] ? '\n' : ''}`).join('\n')
          const parsed = parseStoryHeader(`${header}\n\nThe lantern guttered twice, and went out.\n`)
          expect(parsed.fields).toMatchObject({author: 'Wren H.', fandom: 'Glass Couriers', rating: 'PG-13', summary: 'Two couriers, one road', disclaimer: 'Not mine'})
          expect(parsed.title).toBe('Lantern Road')
          expect(parsed.unknownLabels.map((u) => u.label).sort()).toEqual(['Beta Reader Two', 'Prompt', 'Timeline'])
        },
      ),
      {numRuns: 200},
    )
  })
})
