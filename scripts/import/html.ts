import {matchHeaderLabel} from '../../rules'
import {isAo3Layout, readAo3} from './ao3'
import {type BodyBlock, blockText, counterKeys, splitOnBlankLines, type TextBlock, tidyStoryBlocks} from './blocks'
import {takeChapterDisclaimers} from './disclaimers'
import {isFanFicFareHtml, readFanFicFareHtml} from './fanficfare'
import {isFfnPage, readFfnHtml} from './ffn'
import {findJournalEntry, readJournalEntry} from './journal'
import {trimFurniture} from './furniture'
import {isChapterHeading, isSceneBreakLine, parseStoryHeader} from './header'
import {BlockBuilder} from './html-blocks'
import {limitedParser, parseDocumentLimited} from './markup-limits'
import {applyHeaderExtras, type ImportFormat, type ParsedChapter, type ParsedWork} from './work'

function cleanText(text: string): string {
  return text.replace(/\s+/g, ' ').trim()
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
  // Word's "Save as Web Page" fills <title> from the first line ("Title: Gate Fever").
  const labelledDocTitle = documentTitle ? matchHeaderLabel(documentTitle) : null
  let title = labelledDocTitle ? (labelledDocTitle.field === 'title' && labelledDocTitle.value ? labelledDocTitle.value : undefined) : documentTitle
  // Pages that write paragraphs as `text<br><br>text` in one element: one block per paragraph, so
  // the header's rows and the story's first paragraph are told apart.
  if (blocks.some((block) => block._type === 'block' && block.children.some((span) => span.text.includes('\n\n')))) {
    const splitKeys = counterKeys('p')
    blocks = blocks.flatMap((block): BodyBlock[] => {
      if (block._type !== 'block') return [block]
      const parts = splitOnBlankLines(block, splitKeys)
      const tag = sourceTags.get(block)
      if (tag) for (const part of parts) sourceTags.set(part, tag)
      return parts
    })
  }
  const furniture = trimFurniture(blocks)
  blocks = furniture.blocks
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
  // A "Title:" label in the page beats the <title> a tool or an editor filled in.
  if (header.title && (title === undefined || title === documentTitle || labelledDocTitle)) title = header.title
  const meta: ParsedWork['meta'] = {...header.fields}
  // Download tools title the page (`<title>`) "Title by Author"; a heading alone ("Stand by Me")
  // is never split. A found author wins: the byline is then dropped only if it names that author.
  const byline = documentTitle ? /^(.+?)\s+by\s+([^,]{1,60})$/.exec(documentTitle) : null
  if (byline && (meta.author === undefined || meta.author === byline[2])) {
    if (title === documentTitle) title = byline[1]
    meta.author ??= byline[2]
  }
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
  } else if (headingAt.length === 1 && headingAt[0] === 0 && isChapterHeading(blockText(body[0]!))) {
    // One chapter heading right under the header names the first chapter; it is not story text.
    chapters.push({title: cleanText(blockText(body[0]!)), body: body.slice(1)})
  } else {
    chapters.push({body})
  }
  const tidyKeys = counterKeys('t')
  for (const chapter of chapters) chapter.body = tidyStoryBlocks(chapter.body, tidyKeys, isSceneBreakLine)
  const disclaimer = takeChapterDisclaimers(chapters)
  if (disclaimer && !meta.disclaimer) meta.disclaimer = disclaimer
  const notices = header.unknownLabels.map((u) => `unknown header label "${u.label}"`)
  if (furniture.dropped.length) notices.push(`site navigation left out of the text: ${furniture.dropped.map((text) => `"${text.slice(0, 40)}"`).join(', ')}`)
  const work: ParsedWork = {format, title, meta, rawHeader: header.rawHeader || undefined, chapters, notices}
  if (furniture.dropped.length) work.skipped = furniture.dropped
  applyHeaderExtras(work, header.extras, header.unknownLabels)
  return work
}

/** Parses an HTML file (any of the three layouts) into a work. */
export function parseHtml(html: string, format: ImportFormat = 'html'): ParsedWork {
  // Cheap check first: most files are not AO3 downloads and go through the streaming path only.
  if (/<dl[\s>]|posted originally on the/i.test(html)) {
    const doc = parseDocumentLimited(html, {decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true})
    if (isAo3Layout(doc.children)) return readAo3([doc.children], format)
  }
  if (/id\s*=\s*["']?profile_top\b/i.test(html)) {
    const doc = parseDocumentLimited(html, {decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true})
    if (isFfnPage(doc.children)) return readFfnHtml(doc.children, format)
  }
  if (/class\s*=\s*["'][^"']*\b(?:entry-content|entry_text|entry-text|asset-body)\b/i.test(html)) {
    const doc = parseDocumentLimited(html, {decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true})
    const entry = findJournalEntry(doc.children)
    if (entry) return readJournalEntry(doc.children, entry, format)
  }
  if (/name\s*=\s*["']?(?:section\d|TOCTOP)|class\s*=\s*["']?full\b/i.test(html)) {
    const doc = parseDocumentLimited(html, {decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true})
    if (isFanFicFareHtml(doc.children)) return readFanFicFareHtml(doc.children, format)
  }
  const builder = new BlockBuilder(counterKeys())
  let title: string | undefined
  let inTitle = false
  const parser = limitedParser(
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
