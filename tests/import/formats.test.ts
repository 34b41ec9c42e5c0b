import {copyFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {storyIdForKey, toPlainText, workKey} from '../../rules'
import {buildEpub, FIXTURES, importToNdjson, type NdjsonRun, tempDir} from './helpers'

type Doc = Record<string, any> & {_id: string; _type: string}

/** A Windows-1252 file with CRLF endings: curly quotes 0x93/0x94 and an em dash 0x97. */
function windows1252Story(): Buffer {
  const text = [
    'Title: Borrowed Light',
    'Author: Tamsin Vell',
    'Fandom: Starwell Academy',
    'Rated: T',
    'Summary: Ros borrows a lamp from the library and brings back something else entirely.',
    'Disclaimer: Starwell Academy belongs to Nine Lanterns Press; I own none of it.',
    '',
    '\x93Don\x92t touch that,\x94 said the librarian \x97 too late.',
    '',
    'The lamp was warm, like a hand.',
    '',
  ].join('\r\n')
  return Buffer.from(text, 'latin1')
}

function utf16Story(): Buffer {
  const text = [
    'Title: Night Ferry',
    'Author: Ilo Park',
    'Fandom: River Kingdoms',
    'Rating: General',
    'Summary: The last ferry of the night carries one passenger too many across the river.',
    'Disclaimer: River Kingdoms is owned by Greyfen Studio. Not mine.',
    '',
    'The ferryman counted twice. Seven tickets, eight shadows — “Who are you?” he asked.',
    '',
  ].join('\n')
  return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')])
}

let dir: {path: string; cleanup: () => void}
let run: NdjsonRun
const byFile = (file: string) => run.report.files.find((f) => f.file.endsWith(file))!
const docById = (id: string): Doc => run.docs.find((d) => d._id === id) as Doc
const storyOf = (file: string): Doc => docById(byFile(file).documentId!)

beforeAll(async () => {
  dir = tempDir()
  for (const name of ['classic-header.txt', 'multi-chapter.html', 'ao3-download.html', 'fanficfare.html', 'plain.md']) {
    copyFileSync(join(FIXTURES, name), join(dir.path, name))
  }
  writeFileSync(join(dir.path, 'windows-1252.txt'), windows1252Story())
  writeFileSync(join(dir.path, 'utf16.txt'), utf16Story())
  writeFileSync(
    join(dir.path, 'tool-download.epub'),
    buildEpub({
      title: 'Winter Bells',
      author: 'Marit Osk',
      subjects: ['Bellringers', 'Hurt/Comfort'],
      description: '&lt;p&gt;The bells of Osk ring on their own every winter night.&lt;/p&gt;',
      titlePage: {
        Fandom: 'Bellringers',
        Rating: 'Teen',
        Status: 'In-Progress',
        Summary: 'The bells of Osk ring on their own every winter night.',
        Disclaimer: 'Bellringers belongs to Halden Books. No money made.',
      },
      chapters: [
        {title: 'Chapter 1: The First Bell', paragraphs: ['The first bell rang at <em>midnight</em>.', 'Nobody was in the tower.']},
        {title: 'Chapter 2: The Second Bell', paragraphs: ['The second bell rang at one.']},
      ],
    }),
  )
  writeFileSync(join(dir.path, 'missing-disclaimer.txt'), 'Title: Loose Ends\nAuthor: Pim\nFandom: Canal Town\nRating: G\nSummary: A short story with a summary but no disclaimer at all, sadly.\n\nPim tied the boat.\n')
  run = await importToNdjson([dir.path], join(dir.path, 'out', 'dataset.ndjson'), {cwd: dir.path})
})
afterAll(() => dir.cleanup())

describe('plain text', () => {
  it('imports the header, title line, body and signature of a classic file', () => {
    const story = storyOf('classic-header.txt')
    expect(story).toMatchObject({
      _type: 'story',
      title: 'The Lantern Road',
      slug: {_type: 'slug', current: 'the-lantern-road'},
      rating: {_type: 'reference', _ref: 'rating.teen'},
      relationships: ['Ilsa/Corwin'],
      warnings: ['major-character-death'],
      summary: 'Two couriers share one road, one lantern, and a promise that neither of them meant to keep.',
      originalPublication: {year: 2005, month: 1},
      source: {fileName: 'classic-header.txt', format: 'text'},
    })
    expect(story.source.checksum).toMatch(/^[0-9a-f]{64}$/)
    // The work's key (no URL in this file: its title and first author) names the story.
    expect(story._id).toBe(storyIdForKey(workKey({title: story.title, firstAuthor: 'Wren Halloway'})!))
    expect(story.authors).toEqual([{_type: 'reference', _ref: 'author.wren-halloway', _key: 'a0'}])
    const text = toPlainText(story.body)
    expect(text).not.toMatch(/Disclaimer|Marrow Books|January, 2005|Wren Halloway/)
    expect(text).toContain('The lantern guttered twice before Ilsa noticed the wind had changed. She pulled her collar up')
    expect(story.body.filter((b: Doc) => b._type === 'sceneBreak')).toHaveLength(2)
    const emphasised = story.body.flatMap((b: Doc) => b.children ?? []).filter((s: Doc) => s.marks.includes('em'))
    expect(emphasised.map((s: Doc) => s.text)).toEqual(['very'])
    expect(story.wordCount).toBeGreaterThan(50)
    expect(byFile('classic-header.txt').notices).toEqual([expect.stringContaining('"Timeline" on line 11')])
  })

  it('decodes Windows-1252 with CRLF endings and UTF-16 LE with a BOM', () => {
    expect(toPlainText(storyOf('windows-1252.txt').body)).toBe('“Don’t touch that,” said the librarian — too late.\n\nThe lamp was warm, like a hand.')
    expect(storyOf('windows-1252.txt').title).toBe('Borrowed Light')
    expect(toPlainText(storyOf('utf16.txt').body)).toBe('The ferryman counted twice. Seven tickets, eight shadows — “Who are you?” he asked.')
  })
})

describe('HTML', () => {
  it('splits a multi-chapter file into chapter documents and sanitises it', () => {
    const story = storyOf('multi-chapter.html')
    expect(story.title).toBe('Salt and Signal')
    expect(story.body).toEqual([])
    expect(story.chapters).toEqual([
      {_type: 'reference', _ref: `${story._id}.ch1`, _key: 'c1'},
      {_type: 'reference', _ref: `${story._id}.ch2`, _key: 'c2'},
    ])
    const [one, two] = [docById(`${story._id}.ch1`), docById(`${story._id}.ch2`)]
    expect(one.title).toBe('Chapter 1: The Storm')
    expect(two.title).toBe('Chapter 2: The Signal')
    expect(story.wordCount).toBe(one.wordCount + two.wordCount)
    const serialised = JSON.stringify([story, one, two])
    expect(serialised).not.toMatch(/javascript:|cookie|alert|onclick|onload|font-family|evil/)
    const logBook = one.body[1].children.find((s: Doc) => s.text.includes('log book'))
    expect(logBook.marks).toEqual([])
    expect(two.body.flatMap((b: Doc) => b.markDefs ?? [])).toEqual([{_type: 'link', _key: expect.any(String), href: 'https://example.org/keepers'}])
    expect(one.body.some((b: Doc) => b._type === 'sceneBreak')).toBe(true)
    expect(two.body.find((b: Doc) => b.style === 'blockquote')).toBeDefined()
    expect(two.body.filter((b: Doc) => b.listItem === 'bullet').map((b: Doc) => b.level)).toEqual([1, 1, 2])
  })

  it("reads the archive's own HTML download (dl.tags, userstuff blockquotes, chapters)", () => {
    const story = storyOf('ao3-download.html')
    expect(story).toMatchObject({
      title: 'The Quiet Orchard',
      rating: {_ref: 'rating.mature'},
      warnings: ['graphic-violence', 'major-character-death'],
      categories: ['f-m'],
      relationships: ['Maren/Tobiah'],
      characters: ['Maren', 'Tobiah', 'The Grafter'],
      tags: ['Slow Burn', 'Apples'],
      language: 'en',
      status: 'complete',
      summary: 'Every autumn the orchard goes silent for one day. This year Maren means to find out why, whatever it costs.',
      disclaimer: 'Orchard Saga belongs to Hollin Press. Not mine, no money made.',
      originalPublication: {year: 2016, month: 9, day: 14},
    })
    expect(story.authors[0]._ref).toBe('author.fennick')
    expect(story.fandoms[0]._ref).toBe('fandom.orchard-saga')
    expect(toPlainText(story.notes)).toBe('For my sister, who likes apples.')
    expect(toPlainText(story.endNotes)).toBe('Thank you for reading.')
    expect(docById(`${story._id}.ch2`).title).toBe('Chapter 2: Graft')
    expect(toPlainText(docById(`${story._id}.ch1`).body)).toBe('The birds stopped first. Maren set down her basket and listened.\n\nNothing. Not even the bees.')
  })

  it('reads a download tool page: "Title by Author", <b>Label:</b> rows, Category as fandom', () => {
    const story = storyOf('fanficfare.html')
    expect(story).toMatchObject({title: 'Ember Hours', rating: {_ref: 'rating.general'}, status: 'complete', characters: ['Bryn', 'Odile'], tags: ['Drama', 'Friendship']})
    expect(story.authors[0]._ref).toBe('author.quill-adair')
    expect(story.fandoms[0]._ref).toBe('fandom.hearthkeepers')
    expect(story.chapters).toHaveLength(2)
  })
})

describe('EPUB and Markdown', () => {
  it('reads OPF metadata, the title page rows and the spine as chapters', () => {
    const story = storyOf('tool-download.epub')
    expect(story).toMatchObject({title: 'Winter Bells', rating: {_ref: 'rating.teen'}, status: 'in-progress', summary: 'The bells of Osk ring on their own every winter night.', source: {format: 'epub'}})
    expect(story.authors[0]._ref).toBe('author.marit-osk')
    expect(story.fandoms[0]._ref).toBe('fandom.bellringers')
    const one = docById(`${story._id}.ch1`)
    expect(one.title).toBe('Chapter 1: The First Bell')
    expect(one.body[0].children.map((s: Doc) => [s.text, s.marks])).toEqual([['The first bell rang at ', []], ['midnight', ['em']], ['.', []]])
  })

  it('reads front matter and converts Markdown to storyBody blocks', () => {
    const story = storyOf('plain.md')
    expect(story).toMatchObject({title: 'Paper Boats', rating: {_ref: 'rating.general'}, characters: ['Pim', 'Saskia'], source: {format: 'markdown'}})
    expect(story.body.map((b: Doc) => b._type)).toEqual(['block', 'block', 'sceneBreak', 'block'])
    expect(story.body[1].markDefs).toEqual([{_type: 'link', _key: expect.any(String), href: 'https://example.org/boats'}])
  })
})

describe('documents', () => {
  it('imports a story failing the publishing checks as a draft, with the reason in the report', () => {
    const result = byFile('missing-disclaimer.txt')
    expect(result.status).toBe('draft')
    expect(result.documentId).toBe(`drafts.${result.storyId}`)
    expect(run.docs.some((d) => d._id === result.storyId)).toBe(false)
    expect(run.report.findingsByCode['disclaimer.missing']).toMatchObject({level: 'error', count: 1, files: ['missing-disclaimer.txt']})
  })

  it('writes ratings, authors and fandoms once, every array member keyed, every reference resolvable', () => {
    const ids = new Set(run.docs.map((d) => d._id))
    expect(ids.size).toBe(run.docs.length)
    for (const id of ['rating.general', 'rating.teen', 'rating.mature', 'rating.explicit', 'rating.not-rated']) expect(ids.has(id)).toBe(true)
    const check = (value: unknown, inArray: boolean, path: string): void => {
      if (Array.isArray(value)) value.forEach((item, i) => check(item, true, `${path}[${i}]`))
      else if (value && typeof value === 'object') {
        const record = value as Record<string, unknown>
        if (inArray) expect(record._key, path).toEqual(expect.any(String))
        if (record._type === 'reference') expect(ids.has(record._ref as string) || ids.has(`drafts.${record._ref}`), path).toBe(true)
        for (const [key, child] of Object.entries(record)) check(child, false, `${path}.${key}`)
      }
    }
    for (const doc of run.docs) check(doc, false, doc._id)
    expect(run.report.totals).toMatchObject({files: 9, imported: 8, drafts: 1, rejected: 0})
  })
})

describe('old-style HTML', () => {
  it('splits <br><br> paragraphs and turns centred "* * *" paragraphs into scene breaks', async () => {
    const {parseHtml} = await import('../../scripts/import/html')
    const work = parseHtml('<html><body>First line of the <i>story</i>.<br><br>Second paragraph,<br>with a wrapped line.<br><br><p align="center">* * *</p><p>After the break.</p><p>&nbsp;</p><center>o0o</center></body></html>')
    const body = work.chapters[0]!.body
    expect(body.map((b) => (b._type === 'block' ? b.children.map((s) => s.text).join('') : b._type))).toEqual([
      'First line of the story.',
      'Second paragraph,\nwith a wrapped line.',
      'sceneBreak',
      'After the break.',
    ])
    expect(body[0]).toMatchObject({_type: 'block', children: [{text: 'First line of the ', marks: []}, {text: 'story', marks: ['em']}, {text: '.', marks: []}]})
  })
})

describe('Studio validation', () => {
  it('every imported document passes the Studio schema validation without errors', async () => {
    const {validateAsStudio, pathOf} = await import('../helpers/validateAsStudio')
    const failures: string[] = []
    for (const doc of run.docs) {
      const markers = await validateAsStudio(doc, {documents: run.docs})
      for (const marker of markers.filter((m) => m.level === 'error')) failures.push(`${doc._id} ${pathOf(marker)}: ${marker.message}`)
    }
    expect(failures).toEqual([])
  })
})

describe('archive download variants', () => {
  const preface = `<div id="preface"><div class="meta"><dl class="tags"><dt>Rating:</dt><dd>General Audiences</dd><dt>Fandom:</dt><dd><a>Canal Town</a></dd><dt>Stats:</dt><dd>Published: 2020-02-02 Words: 9 Chapters: 1/?</dd></dl><h1>Locks</h1><div class="byline">by <a rel="author">Pim</a></div></div></div>`

  it.each([
    ['#chapter-N sections', `<div id="chapters"><div id="chapter-1"><div class="meta"><h2>Chapter 1: Up</h2><p>Summary</p><blockquote class="userstuff"><p>Going up the locks.</p></blockquote></div><div class="userstuff"><p>The water rose.</p></div></div><div id="chapter-2"><h2>Chapter 2: Down</h2><div class="userstuff"><p>The water fell.</p></div></div></div>`, [['Chapter 1: Up', 'The water rose.', 'Going up the locks.'], ['Chapter 2: Down', 'The water fell.', undefined]]],
    ['a one-shot', `<div id="chapters" class="userstuff"><div class="userstuff"><p>The water rose and fell.</p></div></div>`, [[undefined, 'The water rose and fell.', undefined]]],
  ])('%s', async (_, chapters, expected) => {
    const {parseHtml} = await import('../../scripts/import/html')
    const work = parseHtml(`<html><body>${preface}${chapters}</body></html>`)
    expect(work).toMatchObject({title: 'Locks', meta: {rating: 'General Audiences', fandom: ['Canal Town'], author: ['Pim'], status: 'in-progress'}, originalPublication: {year: 2020, month: 2, day: 2}})
    expect(work.chapters.map((c) => [c.title, toPlainText(c.body), c.summary])).toEqual(expected)
  })
})

describe('disclaimers inside the text', () => {
  it('are taken out of HTML chapters and kept as the disclaimer', async () => {
    const {parseHtml} = await import('../../scripts/import/html')
    const work = parseHtml('<h1>Rain</h1><p>Author: Jo</p><p>Fandom: Weather</p><h2>Chapter 1</h2><p><b>Disclaimer:</b> Weather belongs to the sky. Not mine.</p><p>It rained.</p><h2>Chapter 2</h2><p>Disclaimer: see chapter one.</p><p>It stopped.</p>')
    expect(work.meta.disclaimer).toBe('Weather belongs to the sky. Not mine.')
    expect(work.chapters.map((c) => toPlainText(c.body))).toEqual(['It rained.', 'It stopped.'])
  })
})
