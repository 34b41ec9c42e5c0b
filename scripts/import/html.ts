import type {Document, Element} from 'domhandler'
import {DomUtils, Parser, parseDocument} from 'htmlparser2'
import {type HeaderField, matchHeaderLabel} from '../../rules'
import {isChapterHeading, isSceneBreakLine, type PartialDate, parsePartialDate, parseStoryHeader} from './header'
import {type BodyBlock, blockText, counterKeys, type KeyGenerator, type TextBlock, tidyStoryBlocks} from './blocks'
import {takeChapterDisclaimers} from './disclaimers'
import {assertNestingDepth, BlockBuilder, nodesToStoryBlocks} from './html-blocks'
import type {ImportFormat, ParsedChapter, ParsedWork} from './work'

const {findAll, findOne, textContent} = DomUtils

function hasClass(el: Element, name: string): boolean {
  return (el.attribs.class ?? '').split(/\s+/).includes(name)
}

function cleanText(text: string): string {
  return text.replace(/\s+/g, ' ').trim()
}

function elementChildren(el: Element): Element[] {
  return el.children.filter((child): child is Element => child.type === 'tag')
}

/** AO3 `dl.tags` labels -> header fields (the rest of the labels map through HEADER_LABELS). */
const AO3_LABELS: Record<string, HeaderField> = {
  rating: 'rating',
  'archive warning': 'warnings',
  'archive warnings': 'warnings',
  category: 'category',
  categories: 'category',
  fandom: 'fandom',
  fandoms: 'fandom',
  relationship: 'pairing',
  relationships: 'pairing',
  character: 'characters',
  characters: 'characters',
  'additional tags': 'tags',
  language: 'language',
  series: 'series',
}

function ddValues(dd: Element): string[] {
  const links = findAll((el) => el.name === 'a' || el.name === 'li', dd.children)
  if (links.length) return links.map((a) => cleanText(textContent(a))).filter(Boolean)
  return cleanText(textContent(dd)).split(/\s*,\s*/).filter(Boolean)
}

/**
 * The archive writes a series as "Part 2 of <a>Name</a>" (download) or in `span.position`
 * ("Part 2 of the <a>Name</a> series", next to previous/next links on the work page); each
 * series becomes one label for parseSeriesLabel.
 */
function seriesLabels(el: Element): string[] {
  const positions = findAll((child) => hasClass(child, 'position'), el.children)
  const texts = positions.length ? positions.map((p) => cleanText(textContent(p))) : [cleanText(textContent(el))]
  return texts.flatMap((text) => text.replace(/^series\s*:?\s*/i, '').split(/\s*[,;]\s*(?=part\s+\d+\s+of\b)/i)).filter(Boolean)
}

/** Summary/notes blocks follow a `<p>Summary</p>` (or `<h3>Notes</h3>`) label as `blockquote.userstuff`. */
function labelledQuotes(container: Element, keys: KeyGenerator): Map<string, BodyBlock[]> {
  const found = new Map<string, BodyBlock[]>()
  let label = ''
  for (const el of elementChildren(container)) {
    if (el.name === 'blockquote' && hasClass(el, 'userstuff')) {
      if (label && !found.has(label)) found.set(label, nodesToStoryBlocks(el.children, keys))
      label = ''
    } else if (el.name !== 'blockquote') {
      const text = cleanText(textContent(el)).toLowerCase().replace(/:$/, '')
      if (text.length < 40) label = text
    }
  }
  return found
}

function ao3Chapters(doc: Document, keys: KeyGenerator): ParsedChapter[] {
  const container = findOne((el) => el.attribs.id === 'chapters', doc.children)
  if (!container) return []
  const chapterDivs = findAll((el) => /^chapter-\d+$/.test(el.attribs.id ?? ''), container.children)
  const chapters: ParsedChapter[] = []
  if (chapterDivs.length) {
    for (const div of chapterDivs) {
      const heading = findOne((el) => /^h[1-4]$/.test(el.name), div.children)
      const body = findOne((el) => el.name === 'div' && hasClass(el, 'userstuff'), div.children)
      const quotes = labelledQuotes(findOne((el) => hasClass(el, 'meta'), div.children) ?? div, keys)
      chapters.push({
        title: heading ? cleanText(textContent(heading)) : undefined,
        summary: quotes.has('summary') ? quotes.get('summary')!.map(blockText).join('\n\n') : undefined,
        notes: quotes.get('notes'),
        body: nodesToStoryBlocks(body ? body.children : [], keys),
      })
    }
    return chapters
  }
  // The download's own layout: headings and `div.userstuff` siblings inside #chapters.
  let title: string | undefined
  for (const el of elementChildren(container)) {
    if (/^h[1-4]$/.test(el.name) || hasClass(el, 'meta')) {
      const heading = /^h[1-4]$/.test(el.name) ? el : findOne((child) => /^h[1-4]$/.test(child.name), el.children)
      if (heading) title = cleanText(textContent(heading))
    } else if (el.name === 'div' && hasClass(el, 'userstuff')) {
      chapters.push({title, body: nodesToStoryBlocks(el.children, keys)})
      title = undefined
    }
  }
  if (!chapters.length) chapters.push({body: nodesToStoryBlocks(container.children, keys)})
  return chapters
}

/** The archive's own (AO3-like) HTML download: `dl.tags`, `blockquote.userstuff`, `#chapters`. */
function parseAo3(doc: Document): ParsedWork {
  const keys = counterKeys()
  const meta: ParsedWork['meta'] = {}
  const notices: string[] = []
  let originalPublication: PartialDate | undefined
  const dl = findOne((el) => el.name === 'dl' && hasClass(el, 'tags'), doc.children)!
  let label: string | undefined
  for (const el of elementChildren(dl)) {
    if (el.name === 'dt') label = cleanText(textContent(el)).replace(/:$/, '').toLowerCase()
    else if (el.name === 'dd' && label) {
      const field = AO3_LABELS[label] ?? matchHeaderLabel(`${label}:`)?.field
      if (label === 'stats') {
        const stats = cleanText(textContent(el))
        const chapters = /Chapters:\s*(\d+)\s*\/\s*(\d+|\?)/i.exec(stats)
        if (chapters) meta.status = chapters[1] === chapters[2] ? 'complete' : 'in-progress'
        const published = /Published:\s*(\d{4}-\d{2}-\d{2})/i.exec(stats)
        if (published) originalPublication = parsePartialDate(published[1]!)
      } else if (field === 'series') {
        meta.series = seriesLabels(el)
      } else if (field) {
        meta[field] = field === 'rating' || field === 'language' ? cleanText(textContent(el)) : ddValues(el)
      } else {
        notices.push(`unknown metadata label "${label}"`)
      }
      label = undefined
    }
  }
  // A series block outside the tag list (the work page's `#series` module).
  if (!meta.series) {
    const block = findOne((el) => el.attribs.id === 'series' || (hasClass(el, 'series') && el.name !== 'dd'), doc.children)
    const labels = block ? seriesLabels(block) : []
    if (labels.length) meta.series = labels
  }
  const preface = findOne((el) => el.attribs.id === 'preface', doc.children)
  const metaDiv = preface ? (findOne((el) => hasClass(el, 'meta'), preface.children) ?? preface) : doc
  const h1 = findOne((el) => el.name === 'h1' || (el.name === 'h2' && hasClass(el, 'title')), 'children' in metaDiv ? metaDiv.children : [])
  const authors = findAll((el) => el.name === 'a' && el.attribs.rel === 'author', doc.children).map((a) => cleanText(textContent(a)))
  if (authors.length) meta.author = authors
  const quotes = 'attribs' in metaDiv ? labelledQuotes(metaDiv, keys) : new Map<string, BodyBlock[]>()
  const summary = quotes.get('summary')
  if (summary) meta.summary = summary.map(blockText).join('\n\n')
  const afterword = findOne((el) => el.attribs.id === 'afterword', doc.children)
  const endQuotes = afterword ? labelledQuotes(findOne((el) => hasClass(el, 'meta'), afterword.children) ?? afterword, keys) : undefined
  const notes = quotes.get('notes')
  const disclaimer = notes && findDisclaimer(notes)
  if (disclaimer) meta.disclaimer = disclaimer.text
  return {
    format: 'html',
    title: h1 ? cleanText(textContent(h1)) : undefined,
    meta,
    originalPublication,
    notes: disclaimer ? disclaimer.rest : notes,
    endNotes: endQuotes?.get('end notes') ?? endQuotes?.get('notes'),
    chapters: ao3Chapters(doc, keys),
    notices,
  }
}

/** AO3 has no disclaimer field: writers put it in the notes, so a "Disclaimer:" paragraph there is taken out. */
function findDisclaimer(blocks: BodyBlock[]): {text: string; rest: BodyBlock[]} | undefined {
  for (let i = 0; i < blocks.length; i++) {
    const label = matchHeaderLabel(blockText(blocks[i]!))
    if (label?.field === 'disclaimer') return {text: label.value, rest: blocks.filter((_, j) => j !== i)}
  }
  return undefined
}

/**
 * Generic HTML and what fanfic download tools write: a title (`<h1>` or `<title>`), a header of
 * `Label: value` rows (paragraphs, `<b>Label:</b> value<br>` lines or table rows), then the text,
 * split into chapters at headings when there are at least two.
 */
export function parseGenericHtmlBlocks(
  blocks: BodyBlock[],
  sourceTags: Map<TextBlock, string>,
  documentTitle: string | undefined,
  format: ImportFormat,
): ParsedWork {
  let title = documentTitle
  let start = 0
  const firstTag = blocks[0]?._type === 'block' ? sourceTags.get(blocks[0]) : undefined
  if (blocks[0] && firstTag && /^h[1-3]$/.test(firstTag) && !isChapterHeading(blockText(blocks[0]))) {
    title = cleanText(blockText(blocks[0]))
    start = 1
  }
  // The header parser works on lines; paragraphs are separated by blank lines as in plain text.
  const lineOfBlock: number[] = []
  const lines: string[] = []
  const scanEnd = Math.min(blocks.length, start + 60)
  for (let i = start; i < scanEnd; i++) {
    lineOfBlock.push(lines.length)
    const block = blocks[i]!
    lines.push(...(block._type === 'block' ? blockText(block).split('\n') : ['* * *']), '')
  }
  const header = parseStoryHeader(lines.join('\n'))
  let bodyStart = start
  if (Object.keys(header.fields).length) {
    const index = lineOfBlock.findIndex((line) => line >= header.bodyStartLine)
    bodyStart = start + (index < 0 ? lineOfBlock.length : index)
  }
  if (header.title && title === undefined) title = header.title
  const meta: ParsedWork['meta'] = {...header.fields}
  // Download tools title the page (`<title>`) "Title by Author"; a heading alone ("Stand by Me")
  // is never split. A found author wins: the byline is then dropped only if it names that author.
  const byline = documentTitle ? /^(.+?)\s+by\s+([^,]{1,60})$/.exec(documentTitle) : null
  if (byline && (meta.author === undefined || meta.author === byline[2])) {
    if (title === documentTitle) title = byline[1]
    meta.author ??= byline[2]
  }
  const published = header.unknownLabels.find((u) => /^(published|posted|date|written)$/i.test(u.label))
  const originalPublication = published ? parsePartialDate(published.value) : undefined
  const body = blocks.slice(bodyStart)
  const headingAt = body
    .map((block, i) => (block._type === 'block' && /^h[1-4]$/.test(sourceTags.get(block) ?? '') ? i : -1))
    .filter((i) => i >= 0)
  const chapters: ParsedChapter[] = []
  if (headingAt.length >= 2) {
    if (headingAt[0]! > 0) {
      const before = body.slice(0, headingAt[0])
      if (before.some((b) => b._type !== 'sceneBreak')) chapters.push({body: before})
    }
    headingAt.forEach((at, n) =>
      chapters.push({title: cleanText(blockText(body[at]!)), body: body.slice(at + 1, headingAt[n + 1] ?? body.length)}),
    )
  } else {
    chapters.push({body})
  }
  const tidyKeys = counterKeys('t')
  for (const chapter of chapters) chapter.body = tidyStoryBlocks(chapter.body, tidyKeys, isSceneBreakLine)
  const disclaimer = takeChapterDisclaimers(chapters)
  if (disclaimer && !meta.disclaimer) meta.disclaimer = disclaimer
  return {
    format,
    title,
    meta,
    rawHeader: header.rawHeader || undefined,
    originalPublication,
    chapters,
    notices: header.unknownLabels.filter((u) => u !== published).map((u) => `unknown header label "${u.label}"`),
  }
}

function documentTitleOf(doc: Document): string | undefined {
  const title = findOne((el) => el.name === 'title', doc.children)
  const text = title ? cleanText(textContent(title)) : ''
  return text || undefined
}

export function isAo3Document(doc: Document): boolean {
  return findOne((el) => el.name === 'dl' && hasClass(el, 'tags'), doc.children) !== null
}

/** Parses an HTML file (any of the three layouts) into a work. */
export function parseHtml(html: string, format: ImportFormat = 'html'): ParsedWork {
  assertNestingDepth(html)
  // Cheap check first: most files are not AO3 downloads and go through the streaming path only.
  if (/<dl[^>]*class\s*=\s*["'][^"']*\btags\b/i.test(html)) {
    const doc = parseDocument(html, {decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true})
    if (isAo3Document(doc)) {
      const work = parseAo3(doc)
      const tidyKeys = counterKeys('t')
      for (const chapter of work.chapters) chapter.body = tidyStoryBlocks(chapter.body, tidyKeys, isSceneBreakLine)
      const disclaimer = takeChapterDisclaimers(work.chapters)
      if (disclaimer && !work.meta.disclaimer) work.meta.disclaimer = disclaimer
      return {...work, format}
    }
  }
  const builder = new BlockBuilder(counterKeys())
  let title: string | undefined
  let inTitle = false
  const parser = new Parser(
    {
      onopentag(name, attrs) {
        if (name === 'title') inTitle = true
        builder.onopentag(name, attrs)
      },
      ontext(text) {
        if (inTitle) title = (title ?? '') + text
        builder.ontext(text)
      },
      onclosetag(name) {
        if (name === 'title') inTitle = false
        builder.onclosetag(name)
      },
    },
    {decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true},
  )
  parser.end(html)
  const blocks = builder.finish()
  return parseGenericHtmlBlocks(blocks, builder.sourceTags, title ? cleanText(title) || undefined : undefined, format)
}
