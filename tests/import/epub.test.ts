import {describe, expect, it} from 'vitest'
import {countPortableTextWords, toPlainText} from '../../rules'
import {parseEpub} from '../../scripts/import/epub'
import {buildZip} from './helpers'

const xhtml = (body: string) => `<?xml version="1.0" encoding="utf-8"?>\n<html xmlns="http://www.w3.org/1999/xhtml"><head><title>Page</title></head><body>${body}</body></html>`

/** An EPUB whose spine is the given pages in order (a page of '' is an empty entry). */
function epubOf(pages: string[]): Buffer {
  const items = pages.map((body, i) => ({id: `p${i}`, href: `p${i}.xhtml`, body}))
  const opf = `<?xml version="1.0" encoding="utf-8"?>
<package version="2.0" xmlns="http://www.idpf.org/2007/opf" unique-identifier="id">
<metadata xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>Ash</dc:title><dc:creator>Wren</dc:creator><dc:language>en</dc:language></metadata>
<manifest>${items.map((item) => `<item id="${item.id}" href="${item.href}" media-type="application/xhtml+xml"/>`).join('')}</manifest>
<spine>${items.map((item) => `<itemref idref="${item.id}"/>`).join('')}</spine>
</package>`
  return buildZip([
    {name: 'mimetype', data: 'application/epub+zip', store: true},
    {name: 'META-INF/container.xml', data: '<?xml version="1.0"?><container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles><rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/></rootfiles></container>'},
    {name: 'OEBPS/content.opf', data: opf},
    ...items.map((item) => ({name: `OEBPS/${item.href}`, data: item.body})),
  ])
}

const HEADER_PAGE = '<h3>Ash by Wren</h3><p><b>Fandom:</b> Embers<br/><b>Rating:</b> Teen<br/><b>Summary:</b> A short one.</p>'
const DRABBLE = 'The ash settled on the sill and she let it stay there until morning came.'
const CHAPTER = (n: number) => `<h2>Chapter ${n}</h2><p>${'Words keep the fire going through the night. '.repeat(8)}</p>`

describe('EPUB spine', () => {
  it('keeps a drabble written on the header page when it is the only text', () => {
    const work = parseEpub(epubOf([xhtml(`${HEADER_PAGE}<p>${DRABBLE}</p>`)]), 'drabble.epub')
    expect(work.chapters.map((c) => toPlainText(c.body))).toEqual([DRABBLE])
    expect(work.meta).toMatchObject({fandom: 'Embers', rating: 'Teen'})
  })

  it('still drops a few stray words on a title page before real chapters', () => {
    const work = parseEpub(epubOf([xhtml(`${HEADER_PAGE}<p>Contents</p>`), xhtml(CHAPTER(1)), xhtml(CHAPTER(2))]), 'book.epub')
    expect(work.chapters.map((c) => c.title)).toEqual(['Chapter 1', 'Chapter 2'])
  })

  it.each([
    ['an empty entry', ''],
    ['a whitespace-only entry', '  \n\t\n'],
    ['a page with no text', xhtml('<p> </p>')],
  ])('skips %s instead of rejecting the book', (_name, blank) => {
    const work = parseEpub(epubOf([xhtml(HEADER_PAGE), xhtml(CHAPTER(1)), blank, xhtml(CHAPTER(2))]), 'book.epub')
    expect(work.chapters.map((c) => c.title)).toEqual(['Chapter 1', 'Chapter 2'])
    expect(work.chapters.every((c) => countPortableTextWords(c.body) === 64)).toBe(true)
  })

  it('still rejects a book whose spine has no text at all, naming the file', () => {
    expect(() => parseEpub(epubOf(['', xhtml('<p> </p>')]), 'empty.epub')).toThrow(/^empty\.epub: malformed EPUB: no chapter text found in the spine$/)
  })
})
