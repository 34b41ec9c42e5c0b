/**
 * A LiveJournal or Dreamwidth entry page saved from the browser: the post sits in
 * `.entry-content` (Dreamwidth, LJ's newer styles) or `.entry_text` / `.entry-text` / `.asset-body`
 * (older styles), its subject in `.entry-title` / `.subject`, its date in `.datetime` or `<time>`.
 * Everything around it (site menus, the journal's sidebar, comments) is not the story.
 */
import type {ChildNode, Element} from 'domhandler'
import {DomUtils} from 'htmlparser2'
import {counterKeys} from './blocks'
import {BlockBuilder, feedNodes} from './html-blocks'
import {parseGenericHtmlBlocks} from './html'
import {type ImportFormat, type ParsedWork, readDate} from './work'

const {findOne, textContent} = DomUtils

const hasClass = (el: Element, names: RegExp) => names.test(el.attribs.class ?? '')
const ENTRY = /(?:^|\s)(?:entry-content|entry_text|entry-text|asset-body)(?:\s|$)/
const SUBJECT = /(?:^|\s)(?:entry-title|subject|asset-name)(?:\s|$)/
const DATE = /(?:^|\s)(?:datetime|entry-date|date)(?:\s|$)/

export function findJournalEntry(nodes: ChildNode[]): Element | null {
  return findOne((el) => hasClass(el, ENTRY), nodes)
}

export function readJournalEntry(nodes: ChildNode[], entry: Element, format: ImportFormat): ParsedWork {
  const builder = new BlockBuilder(counterKeys())
  feedNodes(builder, entry.children)
  const blocks = builder.finish()
  const subject = findOne((el) => hasClass(el, SUBJECT), nodes)
  const subjectText = subject ? textContent(subject).replace(/\s+/g, ' ').trim() : undefined
  const work = parseGenericHtmlBlocks(blocks, builder.sourceTags, subjectText?.replace(/^\[?fic\]?\s*[:\-–]?\s*/i, '') || undefined, format)
  work.source = 'livejournal'
  const time = findOne((el) => el.name === 'time' || hasClass(el, DATE), nodes)
  const stamp = time ? (time.attribs.datetime ?? time.attribs.title ?? textContent(time)) : undefined
  work.originalPublication ??= readDate(stamp?.replace(/\s+/g, ' ').trim())
  return work
}
