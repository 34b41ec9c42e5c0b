import {matchHeaderLabel, mayStartWithLabel} from '../../rules'
import {isChapterHeading, isEndMarkerLine, isSceneBreakLine, parseSignature, parseStoryHeader} from './header'
import {type BodyBlock, blockText, counterKeys, type KeyGenerator, type Span, type TextBlock} from './blocks'
import {takeDisclaimers} from './disclaimers'
import {readFfnText} from './ffn'
import {isFurniture} from './furniture'
import {liftChapterNotes} from './notes'
import {applyHeaderExtras, type ImportFormat, type ParsedChapter, type ParsedWork} from './work'

/** `*word*` and `_word_` as emphasis, only around whole words so "2*3*4" and snake_case stay text. */
const EMPHASIS = /(^|[\s(["'“‘])([*_])(?=[^\s*_])([^*_\n]{1,200}?)(?<=[^\s*_])\2(?=$|[\s.,;:!?)\]"'”’—–-])/g

export function inlineSpans(text: string, keys: KeyGenerator): Span[] {
  const spans: Span[] = []
  let last = 0
  const push = (t: string, marks: string[]) => {
    if (t) spans.push({_type: 'span', _key: keys(), text: t, marks})
  }
  for (const match of text.matchAll(EMPHASIS)) {
    const start = match.index! + match[1]!.length
    push(text.slice(last, start), [])
    push(match[3]!, ['em'])
    last = start + match[2]!.length * 2 + match[3]!.length
  }
  push(text.slice(last), [])
  return spans.length ? spans : [{_type: 'span', _key: keys(), text: '', marks: []}]
}

function paragraphBlock(lines: string[], keys: KeyGenerator): BodyBlock {
  const trimmed = lines.map((line) => line.trim())
  // Short lines (verse, lyrics, letters' sign-offs) keep their breaks; hard-wrapped prose is joined.
  const keepBreaks = trimmed.length > 1 && trimmed.every((line) => line.length < 50)
  const text = trimmed.join(keepBreaks ? '\n' : ' ').replace(/[ \t]+/g, ' ')
  // The full label matcher is costly; only paragraphs that could open with an A/N label try it.
  const authorsNote = mayStartWithLabel('authorsNote', text) ? matchHeaderLabel(text) : null
  if (authorsNote?.field === 'authorsNote') return {_type: 'authorsNote', _key: keys(), text: authorsNote.value}
  const block: TextBlock = {_type: 'block', _key: keys(), style: 'normal', children: inlineSpans(text, keys), markDefs: []}
  return block
}

/** Splits body lines into paragraphs (blank lines, or indented first lines) and scene breaks. */
export function linesToBlocks(lines: readonly string[], keys: KeyGenerator = counterKeys()): BodyBlock[] {
  const blocks: BodyBlock[] = []
  let para: string[] = []
  const indentedStarts = lines.filter((line) => /^(\t| {2,})\S/.test(line)).length
  const splitOnIndent = indentedStarts >= 2 && indentedStarts < lines.filter((l) => l.trim()).length
  const flush = () => {
    if (para.length) blocks.push(paragraphBlock(para, keys))
    para = []
  }
  for (const line of lines) {
    if (line.trim() === '') {
      flush()
    } else if (isSceneBreakLine(line)) {
      flush()
      blocks.push({_type: 'sceneBreak', _key: keys(), style: 'asterisks'})
    } else {
      if (splitOnIndent && para.length && /^(\t| {2,})\S/.test(line)) flush()
      para.push(line)
    }
  }
  flush()
  // Breaks at the very start or end separate nothing.
  while (blocks[0]?._type === 'sceneBreak') blocks.shift()
  while (blocks[blocks.length - 1]?._type === 'sceneBreak') blocks.pop()
  return blocks
}

interface ChapterSlice {
  title?: string
  start: number
  end: number
}

/** "Chapter 1", "Part Two: The Ferry" on a line of their own split a work into chapters. */
function findChapters(lines: readonly string[], from: number, to: number): ChapterSlice[] {
  const headings: Array<{line: number; title: string}> = []
  for (let i = from; i < to; i++) {
    const line = lines[i]!
    const prevBlank = i === from || lines[i - 1]!.trim() === ''
    const nextBlank = i + 1 >= to || lines[i + 1]!.trim() === ''
    if (prevBlank && nextBlank && isChapterHeading(line)) headings.push({line: i, title: line.trim().replace(/^[-=~*#\s]+|[-=~*#\s]+$/g, '')})
  }
  if (headings.length < 2) return [{start: from, end: to}]
  const slices: ChapterSlice[] = []
  if (lines.slice(from, headings[0]!.line).some((line) => line.trim() && !isSceneBreakLine(line))) {
    slices.push({start: from, end: headings[0]!.line})
  }
  headings.forEach((heading, n) => slices.push({title: heading.title, start: heading.line + 1, end: headings[n + 1]?.line ?? to}))
  return slices
}

/** Parses a classic plain-text fic (header, title line, body, signature) into a work. */
export function parsePlainText(text: string, format: ImportFormat = 'text'): ParsedWork {
  const ffn = readFfnText(text, format)
  if (ffn) return ffn
  const header = parseStoryHeader(text)
  const lines = text.split('\n')
  // A journal post's footer (mood, music, tags) and site navigation after the story are not text.
  let end = lines.length
  const dropped: string[] = []
  for (let i = end - 1; i >= header.bodyStartLine; i--) {
    const line = lines[i]!
    if (line.trim() === '') continue
    if (!isFurniture(line)) break
    dropped.unshift(line.trim())
    end = i
  }
  const signature = parseSignature(end === lines.length ? lines : lines.slice(0, end))
  if (signature && signature.startLine >= header.bodyStartLine) end = signature.startLine
  const meta: ParsedWork['meta'] = {...header.fields}
  if (signature?.author && !meta.author) meta.author = signature.author
  const notices = header.unknownLabels.map((u) => `unknown header label "${u.label}" on line ${u.line} (kept in the raw header)`)
  const keys = counterKeys()
  const chapters: ParsedChapter[] = []
  let disclaimer: string | undefined
  for (const slice of findChapters(lines, header.bodyStartLine, end)) {
    const taken = takeDisclaimers(linesToBlocks(lines.slice(slice.start, slice.end), keys))
    disclaimer ??= taken.disclaimer
    // Notes before the story and after it (and a plea for reviews) are the chapter's notes.
    const lifted = liftChapterNotes(taken.blocks, keys)
    disclaimer ??= lifted.disclaimer
    const chapter: ParsedChapter = {title: slice.title, body: lifted.body}
    if (lifted.notes.length) chapter.notes = lifted.notes
    if (lifted.endNotes.length) chapter.endNotes = lifted.endNotes
    chapters.push(chapter)
  }
  if (disclaimer && !meta.disclaimer) meta.disclaimer = disclaimer
  // "THE END" closing the last chapter says what the story's status says: not part of the text.
  const last = chapters.at(-1)?.body
  while (last?.length && last.at(-1)!._type === 'block' && isEndMarkerLine(blockText(last.at(-1)!))) dropped.push(blockText(last.pop()!))
  const work: ParsedWork = {
    format,
    source: format === 'markdown' ? 'markdown' : 'plain',
    title: header.title,
    meta,
    rawHeader: header.rawHeader || undefined,
    chapters,
    notices,
  }
  applyHeaderExtras(work, header.extras, header.unknownLabels)
  work.originalPublication ??= signature?.date
  if (dropped.length) work.skipped = dropped
  return work
}
