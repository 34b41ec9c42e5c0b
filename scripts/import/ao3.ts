/**
 * The Archive of Our Own's downloads (and this archive's own, which share the layout), read from
 * the structure otwarchive's download templates write:
 *
 *   #preface    p.message ("Posted originally on the Archive of Our Own at URL"), dl.tags
 *               (Rating, Archive Warning, Category, Fandom, Relationship, Character, Additional
 *               Tags, Language, Series, Collections, Stats), h1 title, .byline, "Summary" and
 *               "Notes" paragraphs each followed by a blockquote, "See the end of the work for
 *               notes", "Inspired by" / "Translation of" items
 *   #chapters   per chapter: .meta.group (h2.heading, "Chapter Summary", "Chapter Notes"
 *               + blockquotes), the text in .userstuff, then #endnotesN ("Chapter End Notes")
 *   #afterword  #endnotes ("End Notes" + blockquote), works inspired by this one
 *
 * The EPUB download is calibre's conversion of the same HTML split into files (classes may be
 * renamed), so the walker relies on ids and classes where they survive and on the labels' text
 * where they don't. Every spine document's body is walked in order as one stream.
 */
import type {ChildNode, Element} from 'domhandler'
import {DomUtils} from 'htmlparser2'
import type {HeaderField} from '../../rules'
import {type BodyBlock, blockText, counterKeys, tidyStoryBlocks} from './blocks'
import {takeChapterDisclaimers, takeNoteDisclaimer} from './disclaimers'
import {isSceneBreakLine, type PartialDate, parsePartialDate} from './header'
import {nodesToStoryBlocks} from './html-blocks'
import type {ImportFormat, ParsedChapter, ParsedWork} from './work'

const {textContent, findAll} = DomUtils

function clean(text: string): string {
  return text.replace(/\s+/g, ' ').trim()
}

function hasClass(el: Element, name: string): boolean {
  return (el.attribs.class ?? '').split(/\s+/).includes(name)
}

function isElement(node: ChildNode): node is Element {
  return node.type === 'tag'
}

function nextElement(node: ChildNode): Element | undefined {
  let next = node.next
  while (next && !(isElement(next))) {
    if (next.type === 'text' && next.data.trim() !== '') return undefined
    next = next.next
  }
  return next ?? undefined
}

/** `dl.tags` labels -> header fields. */
const TAG_LABELS: Record<string, HeaderField> = {
  rating: 'rating',
  ratings: 'rating',
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
  'additional tag': 'tags',
  'additional tags': 'tags',
  freeform: 'tags',
  language: 'language',
}

/** The labels AO3 puts above a blockquote, by where they send it. */
type NoteSlot = 'summary' | 'notes' | 'endNotes'
const NOTE_LABELS: Record<string, NoteSlot> = {
  summary: 'summary',
  notes: 'notes',
  'end notes': 'endNotes',
  'chapter summary': 'summary',
  'chapter notes': 'notes',
  'chapter end notes': 'endNotes',
  "author's note": 'notes',
  "author's notes": 'notes',
}

const SITE_NOISE = [
  /^see the end of the (work|chapter) for (more )?(notes|end notes)/i,
  /^please (drop by|go to) the .{0,60}(to )?(leave|comment|give)/i,
  /^posted originally on the /i,
]

function ddValues(dd: Element): string[] {
  const links = findAll((el) => el.name === 'a' || el.name === 'li', dd.children)
  if (links.length) return links.map((a) => clean(textContent(a))).filter(Boolean)
  return clean(textContent(dd)).split(/\s*,\s*/).filter(Boolean)
}

/** "Part 2 of <a>Name</a>" items, one label each for parseSeriesLabel. */
function seriesLabels(el: Element): string[] {
  const positions = findAll((child) => hasClass(child, 'position'), el.children)
  const texts = positions.length ? positions.map((p) => clean(textContent(p))) : [clean(textContent(el))]
  return texts.flatMap((text) => text.replace(/^series\s*:?\s*/i, '').split(/\s*[,;]\s*(?=part\s+\d+\s+of\b)/i)).filter(Boolean)
}

function statDate(stats: string, label: string): PartialDate | undefined {
  const match = new RegExp(`${label}:\\s*([0-9]{4}-[0-9]{1,2}-[0-9]{1,2}|[^:]*?\\d{4})(?=\\s+[A-Z][a-z]+:|\\s*$)`).exec(stats)
  return match ? parsePartialDate(match[1]!) : undefined
}

/** Whether a parsed document is an AO3-style download: its tag list or its "Posted originally" line. */
export function isAo3Layout(nodes: ChildNode[]): boolean {
  const dl = DomUtils.findOne((el) => el.name === 'dl' && (hasClass(el, 'tags') || findAll((dt) => dt.name === 'dt' && /^\s*(rating|archive warnings?|fandoms?)\s*:?\s*$/i.test(textContent(dt)), el.children).length >= 2), nodes)
  if (dl) return true
  return DomUtils.findOne((el) => el.name === 'p' && /posted originally on the archive of our own/i.test(textContent(el)), nodes) !== null
}

type Section = 'preface' | 'chapters' | 'afterword'

/** Reads the AO3 layout from one or more documents' nodes (an EPUB's spine, in order). */
export function readAo3(documents: ReadonlyArray<readonly ChildNode[]>, format: ImportFormat): ParsedWork {
  const keys = counterKeys()
  const meta: ParsedWork['meta'] = {}
  const notices: string[] = []
  const unknownLabels: string[] = []
  const provenance: string[] = []
  const chapters: Array<ParsedChapter & {nodes: ChildNode[]}> = []
  let title: string | undefined
  let sourceUrl: string | undefined
  let originalPublication: PartialDate | undefined
  let updated: PartialDate | undefined
  let notes: BodyBlock[] | undefined
  let endNotes: BodyBlock[] | undefined
  let section: Section = 'preface'
  let sawTags = false
  /** The label ("Chapter Notes") of the blockquote that comes next. */
  let pendingLabel: NoteSlot | undefined

  const current = (): ParsedChapter & {nodes: ChildNode[]} => {
    if (!chapters.length) chapters.push({body: [], nodes: []})
    return chapters[chapters.length - 1]!
  }

  const readTags = (dl: Element) => {
    sawTags = true
    let label: string | undefined
    for (const el of dl.children.filter(isElement)) {
      if (el.name === 'dt') {
        label = clean(textContent(el)).replace(/:$/, '').toLowerCase()
        continue
      }
      if (el.name !== 'dd' || !label) continue
      const field = TAG_LABELS[label]
      if (label === 'stats') {
        const stats = clean(textContent(el))
        const chapterCount = /Chapters:\s*(\d+)\s*\/\s*(\d+|\?)/i.exec(stats)
        if (chapterCount) meta.status = chapterCount[1] === chapterCount[2] ? 'complete' : 'in-progress'
        originalPublication = statDate(stats, 'Published') ?? originalPublication
        const completed = statDate(stats, 'Completed')
        updated = completed ?? statDate(stats, 'Updated') ?? updated
        if (completed) meta.status = 'complete'
      } else if (label === 'series') {
        meta.series = seriesLabels(el)
      } else if (label === 'collections' || label === 'collection') {
        notices.push(`collections: ${ddValues(el).join(', ').slice(0, 200)} (not imported)`)
      } else if (field === 'rating' || field === 'language') {
        meta[field] = clean(textContent(el))
      } else if (field) {
        meta[field] = ddValues(el)
      } else {
        unknownLabels.push(`${label}: ${clean(textContent(el)).slice(0, 80)}`)
        notices.push(`unknown metadata label "${label.slice(0, 40)}"`)
      }
      label = undefined
    }
  }

  const readMessage = (el: Element) => {
    const links = findAll((a) => a.name === 'a' && /^https?:/i.test(a.attribs.href ?? ''), el.children).map((a) => a.attribs.href!)
    const work = links.find((href) => /\/works\/\d+/.test(href)) ?? links[links.length - 1]
    const inText = /\bat\s+(https?:\/\/\S+?)\.?\s*$/i.exec(clean(textContent(el)))?.[1]
    sourceUrl ??= work ?? inText
  }

  const takeBlockquote = (el: Element) => {
    const blocks = nodesToStoryBlocks(el.children, keys)
    const slot = pendingLabel
    pendingLabel = undefined
    if (section === 'chapters' && chapters.length) {
      const chapter = current()
      if (slot === 'summary') chapter.summary = blocks.map(blockText).join('\n\n')
      else if (slot === 'notes') chapter.notes = blocks
      else if (slot === 'endNotes') chapter.endNotes = blocks
      else chapter.nodes.push(el)
      return
    }
    if (slot === 'summary') meta.summary = blocks.map(blockText).join('\n\n')
    else if (slot === 'notes') notes = blocks
    else if (slot === 'endNotes') endNotes = blocks
    else if (section === 'chapters') current().nodes.push(el)
  }

  const startChapter = (heading: string) => {
    section = 'chapters'
    chapters.push({title: heading || undefined, body: [], nodes: []})
  }

  const visit = (nodes: readonly ChildNode[]): void => {
    for (const node of nodes) {
      if (!isElement(node)) {
        if (node.type === 'text' && node.data.trim() && section === 'chapters') current().nodes.push(node)
        continue
      }
      const el = node
      const id = el.attribs.id ?? ''
      const text = () => clean(textContent(el))
      if (id === 'preface') section = 'preface'
      else if (id === 'afterword') section = 'afterword'
      else if (id === 'chapters') section = 'chapters'
      if (id === 'series' || (hasClass(el, 'series') && el.name !== 'dd')) {
        // The work page's series module ("Part 4 of <a>Name</a>"), outside the tag list.
        const labels = seriesLabels(el)
        if (!meta.series && labels.length) meta.series = labels
        continue
      }
      if (el.name === 'dl' && section !== 'afterword' && (hasClass(el, 'tags') || !sawTags)) {
        readTags(el)
        continue
      }
      if (/^h[1-6]$/.test(el.name)) {
        const heading = text()
        if (/^preface$/i.test(heading)) section = 'preface'
        else if (/^afterword$/i.test(heading)) section = 'afterword'
        else if (section === 'preface' && (el.name === 'h1' || (!title && sawTags))) title ??= heading
        else if (section === 'preface' && !sawTags && !title) title = heading
        else if (section !== 'afterword' && heading) startChapter(heading)
        continue
      }
      if (el.name === 'p' && (hasClass(el, 'message') || /\bposted originally on the\b/i.test(text()))) {
        if (/posted originally/i.test(text())) readMessage(el)
        continue
      }
      if (hasClass(el, 'endnote-link')) continue
      if (hasClass(el, 'byline')) {
        const authors = findAll((a) => a.name === 'a', el.children).map((a) => clean(textContent(a))).filter(Boolean)
        if (section === 'preface') {
          if (authors.length) meta.author = authors
          else if (text()) meta.author = text().replace(/^by\s+/i, '')
        }
        continue
      }
      if (el.name === 'blockquote') {
        takeBlockquote(el)
        continue
      }
      const short = el.name === 'p' || el.name === 'div' || /^h[1-6]$/.test(el.name) ? text() : ''
      const label = short.length <= 40 ? NOTE_LABELS[short.toLowerCase().replace(/:$/, '')] : undefined
      if (label) {
        // "Chapter Notes" stands over a blockquote, or only over the end-notes link when the
        // chapter has end notes alone: either way the label is never text.
        pendingLabel = nextElement(el)?.name === 'blockquote' ? (section === 'afterword' && label === 'notes' ? 'endNotes' : label) : undefined
        continue
      }
      if (short && SITE_NOISE.some((re) => re.test(short))) {
        if (/^posted originally/i.test(short)) readMessage(el)
        continue
      }
      if (section === 'preface' && el.name === 'ul') {
        for (const li of findAll((child) => child.name === 'li', el.children)) {
          const item = clean(textContent(li))
          if (/^(inspired by|translation of|translated into|a translation of)\b/i.test(item)) provenance.push(item)
        }
        continue
      }
      if (section === 'afterword') {
        if (el.name === 'dl') {
          const items = findAll((dd) => dd.name === 'dd', el.children).map((dd) => clean(textContent(dd)))
          if (items.length) provenance.push(...items.map((item) => `Inspired this work: ${item}`))
          continue
        }
        if (el.children.some(isElement)) visit(el.children)
        continue
      }
      if (el.name === 'div' && hasClass(el, 'userstuff') && !(id === 'chapters')) {
        if (section === 'preface' && sawTags) section = 'chapters'
        if (section === 'chapters') {
          current().nodes.push(...el.children)
          continue
        }
      }
      if (id === 'chapters' || el.name === 'div' || el.name === 'section' || el.name === 'body' || el.name === 'html' || el.name === 'article') {
        visit(el.children)
        continue
      }
      if (section === 'chapters') current().nodes.push(el)
      else if (section === 'preface' && sawTags && title !== undefined && el.name !== 'ul') {
        // A one-shot's text after the preface's meta, in an EPUB that lost the #chapters marker.
        section = 'chapters'
        current().nodes.push(el)
      }
    }
  }

  for (const nodes of documents) visit(nodes)
  const tidyKeys = counterKeys('t')
  const parsed: ParsedChapter[] = chapters
    .map(({nodes, ...chapter}) => ({...chapter, body: tidyStoryBlocks(nodesToStoryBlocks(nodes, keys), tidyKeys, isSceneBreakLine)}))
    .filter((chapter) => chapter.body.length || chapter.notes || chapter.endNotes || chapter.summary)
  // AO3 has no disclaimer field: writers put it in the work's or the chapters' notes, or atop the text.
  const fromNotes = notes ? takeNoteDisclaimer(notes) : undefined
  if (fromNotes) notes = fromNotes.rest.length ? fromNotes.rest : undefined
  let disclaimer = fromNotes?.text
  for (const chapter of parsed) {
    const taken = chapter.notes ? takeNoteDisclaimer(chapter.notes) : undefined
    if (!taken) continue
    disclaimer ??= taken.text
    chapter.notes = taken.rest.length ? taken.rest : undefined
  }
  disclaimer ??= takeChapterDisclaimers(parsed)
  if (disclaimer) meta.disclaimer = disclaimer
  return {
    format,
    source: 'ao3',
    title,
    meta,
    sourceUrl,
    originalPublication,
    updated,
    provenance: provenance.length ? provenance : undefined,
    notes,
    endNotes,
    chapters: parsed.length ? parsed : [{body: []}],
    notices,
    unknownLabels: unknownLabels.length ? unknownLabels : undefined,
  }
}
