/**
 * FanFicFare's downloads, read from the shapes its writers emit (writer_html.py, writer_epub.py,
 * with labels from defaults.ini):
 *
 *   HTML   <h1><a href=storyUrl>Title</a> by <a>Author</a></h1>
 *          <table class="full"><tr><td><b>Label:</b></td><td>value</td></tr>...</table>
 *          <a name="TOCTOP"><h2>Table of Contents</h2></a><p>links</p>
 *          <a name="section0001"><h2>Chapter</h2></a> chapter html ...
 *          (a file_start or titlepage_start copied from the EPUB writer gives an <h3> title and
 *          `<b>Label:</b> value<br />` rows in a div; a summary may stand above the table)
 *   EPUB   title_page.xhtml: <h3><a href=storyUrl>Title</a> by <a>Author</a></h3> then
 *          `<b>Label:</b> value<br />` rows (or the table form); toc_page.xhtml; log_page.xhtml;
 *          fileNNNN.xhtml chapters opening with <h3 class="fff_chapter_title">; the OPF carries
 *          dc:source, dc:date (publication, modification) and dc:subject tags.
 *
 * Every title-page row is read; a row this reader doesn't know is recorded and skipped, never
 * the end of the table.
 */
import type {ChildNode, Element} from 'domhandler'
import {DomUtils} from 'htmlparser2'
import {type HeaderField, matchHeaderLabel, matchStatus, splitGenres} from '../../rules'
import {blockText, counterKeys, type KeyGenerator, tidyStoryBlocks} from './blocks'
import {takeChapterDisclaimers} from './disclaimers'
import {isSceneBreakLine, matchExtraLabel} from './header'
import {nodesToStoryBlocks} from './html-blocks'
import {liftChapterNotes} from './notes'
import {type ImportFormat, listOf, type ParsedChapter, type ParsedWork, readDate} from './work'

const {findOne, findAll, textContent} = DomUtils

const clean = (text: string) => text.replace(/\s+/g, ' ').trim()

function isElement(node: ChildNode): node is Element {
  return node.type === 'tag'
}

/** FanFicFare's own labels (defaults.ini `*_label`) where they differ from the header spellings. */
const FFF_LABELS: Record<string, HeaderField> = {
  category: 'category',
  categories: 'category',
  'ao3 categories': 'category',
  fandoms: 'fandom',
  'extra tags': 'tags',
  'freeform tags': 'tags',
  freeform: 'tags',
  description: 'summary',
  ships: 'pairing',
}

/** Rows a download tool adds that carry nothing to keep (their values are recorded as skipped). */
const FFF_NOISE = new Set(['words', 'word count', 'packaged', 'publisher', 'site', 'author url', 'kudos', 'hits', 'bookmarks', 'comments', 'reviews', 'favs', 'follows', 'story id', 'size', 'rating count', 'collections'])

interface Row {
  label: string
  nodes: ChildNode[]
}

/** `<b>Label:</b> value<br/>` runs and `<tr><td><b>Label:</b></td><td>value</td></tr>` rows. */
function titlePageRows(container: Element): Row[] {
  const rows: Row[] = []
  const table = container.name === 'table' ? container : findOne((el) => el.name === 'table', container.children)
  if (table) {
    for (const tr of findAll((el) => el.name === 'tr', table.children)) {
      const cells = tr.children.filter(isElement).filter((el) => el.name === 'td' || el.name === 'th')
      const first = cells[0]
      if (!first) continue
      // The EPUB title page's table form puts a whole `<b>Label:</b> value` in each cell, two to a row.
      const own = cells.map((cell) => ({cell, bold: findOne((el) => el.name === 'b' || el.name === 'strong', cell.children)}))
      if (own.every(({cell, bold}) => bold && /:$/.test(clean(textContent(bold))) && clean(textContent(cell)) !== clean(textContent(bold)))) {
        for (const {cell, bold} of own) rows.push({label: clean(textContent(bold!)).replace(/:$/, ''), nodes: cell.children.filter((node) => node !== bold && !(isElement(node) && findOne((el) => el === bold, [node])))})
        continue
      }
      const bold = findOne((el) => el.name === 'b' || el.name === 'strong', first.children)
      const label = bold ? clean(textContent(bold)) : ''
      if (!/:$/.test(label)) continue
      const rest = cells.length > 1 ? cells.slice(1).flatMap((cell) => cell.children) : first.children.filter((node) => node !== bold && !(isElement(node) && findOne((el) => el === bold, [node])))
      rows.push({label: label.replace(/:$/, ''), nodes: rest})
    }
    return rows
  }
  let current: Row | undefined
  const walk = (nodes: readonly ChildNode[]) => {
    for (const node of nodes) {
      if (isElement(node) && (node.name === 'b' || node.name === 'strong') && /:\s*$/.test(textContent(node))) {
        current = {label: clean(textContent(node)).replace(/:$/, ''), nodes: []}
        rows.push(current)
      } else if (isElement(node) && node.name === 'br') {
        current = undefined
      } else if (isElement(node) && (node.name === 'div' || node.name === 'p') && !current) {
        walk(node.children)
      } else if (current) {
        current.nodes.push(node)
      }
    }
  }
  walk(container.children)
  return rows
}

/** A heading "Title by Author" whose links give the story's address and the authors. */
function readTitleHeading(heading: Element, work: ParsedWork): void {
  const links = findAll((el) => el.name === 'a', heading.children)
  const text = clean(textContent(heading))
  if (links.length) {
    work.title ??= clean(textContent(links[0]!))
    const href = links[0]!.attribs.href
    if (href && /^https?:/i.test(href)) work.sourceUrl ??= href
    const authors = links.slice(1).map((a) => clean(textContent(a))).filter(Boolean)
    if (authors.length) work.meta.author ??= authors
  } else {
    const byline = /^(.+?)\s+by\s+(.+)$/.exec(text)
    work.title ??= byline ? byline[1] : text
    if (byline) work.meta.author ??= byline[2]
  }
}

function applyRows(rows: Row[], work: ParsedWork, keys: KeyGenerator): void {
  const unknown: string[] = []
  const skipped: string[] = []
  for (const row of rows) {
    const label = row.label.toLowerCase().replace(/\s+/g, ' ')
    const valueText = clean(row.nodes.map((node) => textContent(node)).join(''))
    if (!valueText) continue
    const extra = matchExtraLabel(`${row.label}: ${valueText}`)
    if (FFF_NOISE.has(label) || extra?.field === 'noise') {
      skipped.push(`${row.label}: ${valueText}`.slice(0, 120))
      continue
    }
    if (extra?.field === 'published') work.originalPublication ??= readDate(valueText)
    else if (extra?.field === 'updated') work.updated ??= readDate(valueText)
    else if (extra?.field === 'completed') {
      work.updated ??= readDate(valueText)
      work.meta.status ??= 'complete'
    } else if (extra?.field === 'url') {
      const url = /https?:\/\/\S+/.exec(valueText)?.[0]
      if (url) work.sourceUrl ??= url
    }
    if (extra) continue
    const field = FFF_LABELS[label] ?? matchHeaderLabel(`${row.label}:`)?.field
    if (!field) {
      unknown.push(`${row.label}: ${valueText}`.slice(0, 120))
      continue
    }
    if (field === 'summary') {
      work.meta.summary ??= nodesToStoryBlocks(row.nodes, keys).map(blockText).join('\n\n') || valueText
    } else if (field === 'chapter') {
      work.meta.chapter ??= valueText
    } else if (field === 'rating' || field === 'language' || field === 'status' || field === 'title' || field === 'disclaimer') {
      work.meta[field] ??= valueText
    } else {
      const links = findAll((el) => el.name === 'a', row.nodes)
      work.meta[field] ??= links.length ? links.map((a) => clean(textContent(a))).filter(Boolean) : valueText
    }
  }
  if (unknown.length) {
    work.unknownLabels = [...(work.unknownLabels ?? []), ...unknown]
    work.notices.push(...unknown.map((row) => `unknown title page row "${row.split(':')[0]}" (skipped)`))
  }
  if (skipped.length) work.skipped = [...(work.skipped ?? []), ...skipped]
}

const TOC_TITLE = /^(table of contents|contents|toc|index)$/i
const LOG_TITLE = /^update log$/i

/** A FanFicFare HTML download: its title table, TOC anchor or section anchors. */
export function isFanFicFareHtml(nodes: ChildNode[]): boolean {
  const anchors = findAll((el) => el.name === 'a' && /^(section\d+|TOCTOP)$/i.test(el.attribs.name ?? ''), nodes)
  if (anchors.length) return true
  const table = findOne((el) => el.name === 'table' && /\bfull\b/.test(el.attribs.class ?? ''), nodes)
  return table !== null && findAll((el) => el.name === 'b' && /:\s*$/.test(textContent(el)), table.children).length >= 2
}

interface Chapter extends ParsedChapter {
  nodes: ChildNode[]
}

function finish(work: ParsedWork, chapters: Chapter[], keys: KeyGenerator): ParsedWork {
  const tidyKeys = counterKeys('t')
  work.chapters = chapters
    .map(({nodes, ...chapter}) => ({...chapter, body: tidyStoryBlocks(nodesToStoryBlocks(nodes, keys), tidyKeys, isSceneBreakLine)}))
    .filter((chapter) => chapter.body.length)
  // A disclaimer repeated atop each chapter is lifted once; author's notes leave the text.
  const disclaimer = takeChapterDisclaimers(work.chapters)
  let noteDisclaimer: string | undefined
  for (const chapter of work.chapters) {
    const lifted = liftChapterNotes(chapter.body, keys)
    chapter.body = lifted.body
    if (lifted.notes.length) chapter.notes = lifted.notes
    if (lifted.endNotes.length) chapter.endNotes = lifted.endNotes
    noteDisclaimer ??= lifted.disclaimer
  }
  if (disclaimer ?? noteDisclaimer) work.meta.disclaimer ??= disclaimer ?? noteDisclaimer
  if (!work.chapters.length) work.chapters = [{body: []}]
  return work
}

/** FanFicFare HTML: one document. */
export function readFanFicFareHtml(nodes: ChildNode[], format: ImportFormat = 'html'): ParsedWork {
  const keys = counterKeys()
  const work: ParsedWork = {format, source: 'fanficfare', meta: {}, chapters: [], notices: []}
  const chapters: Chapter[] = []
  /** Text between the title and the first chapter that is no title-page row: a summary placed above the table. */
  const preamble: ChildNode[] = []
  let inToc = false
  const visit = (list: readonly ChildNode[]) => {
    for (const node of list) {
      if (!isElement(node)) {
        if (chapters.length && !inToc) chapters[chapters.length - 1]!.nodes.push(node)
        continue
      }
      const el = node
      const name = el.attribs.name ?? ''
      if (el.name === 'h1' && !work.title) {
        readTitleHeading(el, work)
        continue
      }
      if (el.name === 'table' && !chapters.length && findOne((b) => b.name === 'b' && /:\s*$/.test(textContent(b)), el.children)) {
        applyRows(titlePageRows(el), work, keys)
        continue
      }
      const heading = /^h[1-6]$/.test(el.name) ? el : el.name === 'a' ? findOne((child) => /^h[1-6]$/.test(child.name), el.children) : null
      const headingText = heading ? clean(textContent(heading)) : ''
      if (/^TOCTOP$/i.test(name) || (heading && TOC_TITLE.test(headingText))) {
        inToc = true
        continue
      }
      // The writer puts the anchor round the heading; a hand-tidied file often has it inside.
      const inner = el === heading ? findOne((a) => a.name === 'a' && /^section\d+$/i.test(a.attribs.name ?? ''), el.children) : null
      // A file_start copied from the EPUB title page gives "<h3><a>Title</a> by <a>Author</a></h3>".
      if (el === heading && !inner && !work.title && !chapters.length && !inToc && isTitleHeading(el)) {
        readTitleHeading(el, work)
        continue
      }
      // The EPUB title page's form, `<div><b>Label:</b> value<br />...</div>`, or a summary above the table.
      if (!chapters.length && !inToc && !heading && !/^section\d+$/i.test(name) && PREAMBLE_ELEMENTS.has(el.name)) {
        if (findOne((b) => (b.name === 'b' || b.name === 'strong') && /:\s*$/.test(textContent(b)), el.children)) applyRows(titlePageRows(el), work, keys)
        else if (clean(textContent(el))) preamble.push(el)
        continue
      }
      if (/^section\d+$/i.test(name) || inner || (heading && chapters.length === 0 && inToc)) {
        inToc = false
        chapters.push({title: headingText || undefined, body: [], nodes: []})
        continue
      }
      if (inToc) continue
      if (el.name === 'body' || el.name === 'html') {
        visit(el.children)
        continue
      }
      if (chapters.length) chapters[chapters.length - 1]!.nodes.push(el)
    }
  }
  visit(nodes)
  if (!work.meta.summary && preamble.length) {
    const summary = nodesToStoryBlocks(preamble, keys).map(blockText).join('\n\n').replace(/^summary:\s*/i, '').trim()
    if (summary) work.meta.summary = summary
  }
  return finish(work, chapters, keys)
}

/** Elements that may hold title-page rows or a summary before the first chapter. */
const PREAMBLE_ELEMENTS = new Set(['div', 'p', 'blockquote', 'section', 'span', 'center'])

/** "Title by Author" with the title linked to the story, as FanFicFare's writers head a file. */
function isTitleHeading(heading: Element): boolean {
  const text = clean(textContent(heading))
  if (!text || TOC_TITLE.test(text) || LOG_TITLE.test(text)) return false
  const link = findOne((a) => a.name === 'a' && /^https?:/i.test(a.attribs.href ?? ''), heading.children)
  return link !== null || /\sby\s/i.test(text)
}

/** FanFicFare EPUB: the spine's documents, each named by the writer's file naming. */
export interface SpineDoc {
  href: string
  nodes: ChildNode[]
}

export interface OpfFacts {
  subjects: string[]
  source?: string
  published?: string
  updated?: string
}

/**
 * dc:subject as FanFicFare fills it (include_subject_tags: extratags, genre, category, characters,
 * ships, status): each subject goes where its kind belongs, once; status words set the status;
 * "Last Update" stamps and the tool's own "FanFiction" tag are dropped.
 */
export function mapSubjects(subjects: readonly string[], work: ParsedWork): void {
  const known = new Set<string>()
  for (const field of ['category', 'fandom', 'genre', 'characters', 'pairing', 'tags', 'warnings', 'rating'] as const) {
    for (const item of listOf(work.meta[field])) for (const part of splitGenres(item) ?? [item]) known.add(part.toLowerCase())
  }
  const tags: string[] = []
  const skipped: string[] = []
  for (const subject of subjects) {
    const text = clean(subject)
    if (!text) continue
    const status = /^(completed?|in-progress|in progress|wip|abandoned|hiatus)$/i.test(text) ? matchStatus(text) : null
    if (status) {
      work.meta.status ??= status
      continue
    }
    if (/^(last )?updated?\s*[:\-]/i.test(text) || /^(fanfiction|fan fiction|fanworks|fanfic)$/i.test(text)) {
      skipped.push(text)
      continue
    }
    if (known.has(text.toLowerCase())) continue
    const genres = splitGenres(text)
    if (genres) {
      tags.push(...genres.filter((genre) => !known.has(genre.toLowerCase())))
      continue
    }
    tags.push(text)
  }
  if (tags.length) work.meta.tags = [...listOf(work.meta.tags), ...tags]
  if (skipped.length) work.skipped = [...(work.skipped ?? []), ...skipped]
}

export function readFanFicFareEpub(docs: readonly SpineDoc[], opf: OpfFacts): ParsedWork {
  const keys = counterKeys()
  const work: ParsedWork = {format: 'epub', source: 'fanficfare', meta: {}, chapters: [], notices: []}
  const chapters: Chapter[] = []
  for (const doc of docs) {
    const base = doc.href.replace(/^.*\//, '')
    const heading = findOne((el) => /^h[1-6]$/.test(el.name), doc.nodes)
    const headingText = heading ? clean(textContent(heading)) : ''
    if (/^(cover|title_?page|titlepage)\b/i.test(base) || (chapters.length === 0 && findOne((el) => el.name === 'b' && /:\s*$/.test(textContent(el)), doc.nodes) && /^title/i.test(base))) {
      if (heading) readTitleHeading(heading, work)
      const container = findOne((el) => el.name === 'table', doc.nodes) ?? findOne((el) => el.name === 'body', doc.nodes) ?? ({children: doc.nodes, name: 'div'} as unknown as Element)
      applyRows(titlePageRows(container), work, keys)
      continue
    }
    if (/^(toc_?page|toc|nav)\b/i.test(base) || TOC_TITLE.test(headingText) || /^log_?page\b/i.test(base) || LOG_TITLE.test(headingText)) continue
    const body = findOne((el) => el.name === 'body', doc.nodes)
    const nodes = body ? body.children : doc.nodes
    const content = heading ? nodes.filter((node) => node !== heading && !(isElement(node) && findOne((el) => el === heading, [node]) && clean(textContent(node)) === headingText)) : nodes
    chapters.push({title: headingText || undefined, body: [], nodes: content})
  }
  if (opf.source) work.sourceUrl ??= opf.source
  work.originalPublication ??= readDate(opf.published)
  work.updated ??= readDate(opf.updated)
  mapSubjects(opf.subjects, work)
  return finish(work, chapters, keys)
}

