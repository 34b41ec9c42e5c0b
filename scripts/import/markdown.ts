import {markdownToPortableText} from '@portabletext/markdown'
import {isSafeLinkHref} from '../../rules'
import {readFrontMatter} from './front-matter'
import {parseStoryHeader, type UnknownHeaderLabel} from './header'
import {type BodyBlock, counterKeys, type KeyGenerator, type LinkDef, type Span, type TextBlock} from './blocks'
import {applyHeaderExtras, type ParsedChapter, type ParsedWork} from './work'

const DECORATORS = new Set(['em', 'strong', 'strike-through', 'underline'])

interface LooseBlock {
  _type: string
  style?: string
  listItem?: string
  level?: number
  children?: Array<{_type: string; text?: string; marks?: string[]}>
  markDefs?: Array<{_type: string; _key: string; href?: string}>
  code?: string
}

/** Maps the converter's output onto `storyBody`: h2/h3 only, rules become scene breaks, unsafe links go. */
function toStoryBlocks(raw: LooseBlock[], keys: KeyGenerator): BodyBlock[] {
  const out: BodyBlock[] = []
  for (const block of raw) {
    if (block._type === 'horizontal-rule') {
      out.push({_type: 'sceneBreak', _key: keys(), style: 'rule'})
      continue
    }
    if (block._type !== 'block') {
      const text = typeof block.code === 'string' ? block.code : ''
      if (text.trim()) out.push({_type: 'block', _key: keys(), style: 'normal', children: [{_type: 'span', _key: keys(), text, marks: []}], markDefs: []})
      continue
    }
    const links = new Map<string, LinkDef>()
    for (const def of block.markDefs ?? []) {
      if (def._type === 'link' && isSafeLinkHref(def.href)) links.set(def._key, {_type: 'link', _key: def._key, href: def.href})
    }
    const children: Span[] = (block.children ?? [])
      .filter((child) => child._type === 'span')
      .map((child) => ({
        _type: 'span' as const,
        _key: keys(),
        text: child.text ?? '',
        marks: (child.marks ?? []).filter((mark) => DECORATORS.has(mark) || links.has(mark)),
      }))
    const style = block.style === 'h1' || block.style === 'h2' ? 'h2' : /^h[3-6]$/.test(block.style ?? '') ? 'h3' : block.style === 'blockquote' ? 'blockquote' : 'normal'
    const text: TextBlock = {_type: 'block', _key: keys(), style, children, markDefs: [...links.values()]}
    if (block.listItem === 'bullet' || block.listItem === 'number') {
      text.listItem = block.listItem
      text.level = block.level ?? 1
    }
    out.push(text)
  }
  return out
}

export function parseMarkdown(text: string): ParsedWork {
  const keys = counterKeys()
  const front = readFrontMatter(text)
  let body = front ? front.body : text
  const meta: ParsedWork['meta'] = {...front?.meta}
  let rawHeader = front?.raw
  const notices: string[] = front?.error ? [front.error] : []
  let extras = front?.extras ?? {}
  let unknown: UnknownHeaderLabel[] = front?.unknown.map((row) => ({label: row.split(':')[0]!, value: row.slice(row.indexOf(':') + 1).trim(), line: 0})) ?? []
  if (!front) {
    const header = parseStoryHeader(body)
    if (Object.keys(header.fields).length) {
      Object.assign(meta, header.fields)
      rawHeader = header.rawHeader
      body = body.split('\n').slice(header.bodyStartLine).join('\n')
      notices.push(...header.unknownLabels.map((u) => `unknown header label "${u.label}" on line ${u.line}`))
      extras = header.extras
      unknown = header.unknownLabels
    }
  }
  if (front?.title) meta.title = front.title
  let title = typeof meta.title === 'string' ? meta.title : undefined
  const heading = /^\s*#\s+(.+)\n/.exec(body)
  if (heading) {
    title ??= heading[1]!.trim()
    body = body.slice(heading[0].length)
  }
  // "## Chapter" headings split a work when there are at least two of them.
  const parts = body.split(/^##[ \t]+(.+)$/m)
  const chapters: ParsedChapter[] = []
  const convert = (md: string) => toStoryBlocks(markdownToPortableText(md, {keyGenerator: keys}) as LooseBlock[], keys)
  if (parts.length >= 5) {
    if (parts[0]!.trim()) chapters.push({body: convert(parts[0]!)})
    for (let i = 1; i < parts.length; i += 2) chapters.push({title: parts[i]!.trim(), body: convert(parts[i + 1] ?? '')})
  } else {
    chapters.push({body: convert(body)})
  }
  const work: ParsedWork = {format: 'markdown', source: 'markdown', title, meta, rawHeader, chapters, notices}
  applyHeaderExtras(work, extras, unknown)
  return work
}
