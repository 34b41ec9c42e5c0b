import {describe, expect, it} from 'vitest'
import {HEADER_LABELS, toPlainText} from '../../rules'
import {parseHtml} from '../../scripts/import/html'
import {parsePlainText} from '../../scripts/import/plaintext'

const HEADER = 'Author: Jo\nFandom: Weather\n\n'

describe('disclaimer paragraphs in chapter text', () => {
  it.each(HEADER_LABELS.disclaimer)('"%s:" is taken out of plain-text chapters and kept as the disclaimer', (label) => {
    const work = parsePlainText(`${HEADER}Chapter 1\n\nIt rained.\n\n${label}: Weather belongs to the sky.\n\nIt poured.\n\nChapter 2\n\nIt stopped.\n`)
    expect(work.meta.disclaimer).toBe('Weather belongs to the sky.')
    expect(work.chapters.map((c) => toPlainText(c.body))).toEqual(['It rained.\n\nIt poured.', 'It stopped.'])
  })

  it.each(['Disclamer', 'Disclaimor', '**Disclaimar**'])('"%s:" is taken out of HTML chapters', (label) => {
    const work = parseHtml(`<h1>Rain</h1><p>Author: Jo</p><p>Fandom: Weather</p><h2>Chapter 1</h2><p>${label}: Not mine.</p><p>It rained.</p><h2>Chapter 2</h2><p>It stopped.</p>`)
    expect(work.meta.disclaimer).toBe('Not mine.')
    expect(work.chapters.map((c) => toPlainText(c.body))).toEqual(['It rained.', 'It stopped.'])
  })
})

describe("author's notes in plain-text chapters", () => {
  it.each([
    ['An – unexpected visitor knocked at the door.', false],
    ['An - unexpected visitor knocked at the door.', false],
    ['an — odd thing happened.', false],
    ['AN – thanks to my beta.', true],
    ['AN: thanks to my beta.', true],
    ['an: thanks to my beta.', true],
    ['A/N - thanks to my beta.', true],
    ['[A/N: thanks to my beta.]', true],
    ["Author's Note: thanks to my beta.", true],
  ])('%j becomes an authorsNote: %s', (paragraph, isNote) => {
    const work = parsePlainText(`${HEADER}It rained.\n\n${paragraph}\n\nIt stopped.\n`)
    expect(work.chapters[0]!.body.map((block) => block._type)).toEqual(['block', isNote ? 'authorsNote' : 'block', 'block'])
  })
})

describe('"Title by Author" in HTML', () => {
  it.each([
    ['a heading with "by" and no Author label', '<h1>Stand by Me</h1><p>Fandom: Songs</p><p>It rained.</p>', 'Stand by Me', undefined],
    ['a heading with "by" and an Author label', '<h1>Stand by Me</h1><p>Author: Jo</p><p>Fandom: Songs</p><p>It rained.</p>', 'Stand by Me', 'Jo'],
    ['a page title with "by" when the file names another author', '<title>Stand by Me</title><h1>Stand by Me</h1><p>Author: Jo</p><p>Fandom: Songs</p><p>It rained.</p>', 'Stand by Me', 'Jo'],
    ['a download tool page title and no Author label', '<title>Ember Hours by Quill Adair</title><p>Fandom: Hearth</p><p>It rained.</p>', 'Ember Hours', 'Quill Adair'],
    ['a download tool page title repeated in a heading', '<title>Ember Hours by Quill Adair</title><h3>Ember Hours by Quill Adair</h3><p>Fandom: Hearth</p><p>It rained.</p>', 'Ember Hours', 'Quill Adair'],
    ['a page title naming the labelled author', '<title>Rain by Jo</title><p>Author: Jo</p><p>Fandom: Weather</p><p>It rained.</p>', 'Rain', 'Jo'],
  ])('%s', (_name, html, title, author) => {
    const work = parseHtml(html)
    expect(work.title).toBe(title)
    expect(work.meta.author).toBe(author)
  })
})

describe('chapter headings: one rule for plain text and HTML', () => {
  it.each([
    ['Chapter 3', true],
    ['Part Two: The Ferry', true],
    ['Chapter Eleven', true],
    ['Chapter Twelve - Ash', true],
    ['Ch. IV - Ash', true],
    ['Ch 4', true],
    ['Chapter12', true],
    ['Partial Eclipse', false],
    ['Chili', false],
    ['Part of me wanted to stay', false],
    ['Stand by Me', false],
  ])('%j is a chapter heading: %s', (heading, isChapter) => {
    const next = heading.replace(/\d+/, (n) => String(Number(n) + 1))
    const plain = parsePlainText(`${HEADER}Prologue text.\n\n${heading}\n\nFirst text.\n\n${next}\n\nSecond text.\n`)
    expect(plain.chapters.length > 1).toBe(isChapter)
    // A first heading that is not a chapter heading is the story's title, leaving one chapter.
    const html = parseHtml(`<h2>${heading}</h2><p>It rained.</p><h2>${next}</h2><p>It stopped.</p>`)
    expect(html.chapters.length).toBe(isChapter ? 2 : 1)
  })
})
