import type {ChildNode} from 'domhandler'
import {limitedParser} from './markup-limits'
import {isSafeLinkHref} from '../../rules/links'
import {type BodyBlock, counterKeys, type KeyGenerator, type LinkDef, type Span, type TextBlock} from './blocks'

/**
 * A streaming HTML -> Portable Text converter. It follows what `@portabletext/block-tools`
 * produces for the `storyBody` type (tests compare the two), at a fraction of the cost: no DOM,
 * one pass over SAX events. Sanitising is structural: only text and a fixed set of marks and
 * styles are ever copied, so attributes, event handlers, scripts and styles cannot survive.
 */

const SKIP_CONTENT = new Set([
  'script', 'style', 'head', 'title', 'noscript', 'template', 'iframe', 'object', 'embed', 'svg', 'math',
  'textarea', 'select', 'button', 'canvas', 'audio', 'video',
])

const BLOCK_TAGS = new Set([
  'p', 'div', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'blockquote', 'li', 'pre', 'center', 'td', 'th', 'tr',
  'table', 'tbody', 'thead', 'tfoot', 'caption', 'section', 'article', 'header', 'footer',
  'main', 'nav', 'aside', 'address', 'figure', 'figcaption', 'body', 'html', 'ul', 'ol', 'form',
  'fieldset', 'details', 'summary', 'hgroup',
])

const DECORATORS: Record<string, string> = {
  em: 'em',
  i: 'em',
  strong: 'strong',
  b: 'strong',
  u: 'underline',
  s: 'strike-through',
  strike: 'strike-through',
  del: 'strike-through',
}

const STYLE_OF_TAG: Record<string, string> = {h2: 'h2', h3: 'h3', blockquote: 'blockquote', center: 'centered'}

interface BlockContext {
  tag: string
  style?: string
  listItem?: 'bullet' | 'number'
  level?: number
  effectiveStyle?: string
  effectiveList?: BlockContext
}

interface InlineMark {
  tag: string
  decorator?: string
  href?: string
  /** markDef key of this link in the block currently open, if any text used it yet. */
  linkKey?: string
  linkBlock?: TextBlock
}

/** Anything but single ASCII spaces needs collapsing; most text chunks need none. */
const WHITESPACE_TO_COLLAPSE = /[^\S ]| {2}/

function isCentered(attrs: Record<string, string>): boolean {
  return attrs.align?.toLowerCase() === 'center' || /text-align\s*:\s*center/i.test(attrs.style ?? '')
}

export class BlockBuilder {
  readonly blocks: BodyBlock[] = []
  /** The element each text block came from (h1..h6, td, ...), for callers that split on headings. */
  readonly sourceTags = new Map<TextBlock, string>()
  private readonly keys: KeyGenerator
  private skipDepth = 0
  private readonly contexts: BlockContext[] = []
  private readonly lists: Array<'bullet' | 'number'> = []
  private readonly marks: InlineMark[] = []
  private block: TextBlock | null = null
  private hasText = false
  /** Whitespace seen but not yet written: block-tools keeps the last of a run, so we defer it. */
  private afterNewline = false
  private pendingNewline = false

  constructor(keys: KeyGenerator = counterKeys()) {
    this.keys = keys
  }

  /** Counts kept incrementally: hostile files nest thousands deep, so no walks over the stack. */
  private quoteDepth = 0

  private inBlockquote(): boolean {
    return this.quoteDepth > 0
  }

  private pushContext(context: BlockContext): void {
    const parent = this.contexts[this.contexts.length - 1]
    // Each context carries the effective style and list item of everything around it.
    context.effectiveStyle = context.style ?? parent?.effectiveStyle
    context.effectiveList = context.listItem ? context : parent?.effectiveList
    if (context.tag === 'blockquote') this.quoteDepth++
    this.contexts.push(context)
  }

  private currentStyle(): {style: string; listItem?: 'bullet' | 'number'; level?: number} {
    const top = this.contexts[this.contexts.length - 1]
    const style = top?.effectiveStyle ?? 'normal'
    const list = top?.effectiveList
    return list ? {style, listItem: list.listItem, level: list.level} : {style}
  }

  private openBlock(): TextBlock {
    const {style, listItem, level} = this.currentStyle()
    const block: TextBlock = {_type: 'block', _key: this.keys(), style, children: [], markDefs: []}
    if (listItem) {
      block.listItem = listItem
      block.level = level
    }
    this.block = block
    this.sourceTags.set(block, this.contexts[this.contexts.length - 1]?.tag ?? '')
    this.hasText = false
    this.afterNewline = true
    this.pendingNewline = false
    return block
  }

  private flush(): void {
    const block = this.block
    this.block = null
    this.pendingNewline = false
    if (!block || !this.hasText) return
    const last = block.children[block.children.length - 1]
    if (last && last.text.endsWith(' ')) {
      last.text = last.text.slice(0, -1)
      if (last.text === '') block.children.pop()
    }
    this.blocks.push(block)
  }

  /** Marks of the innermost text, recomputed only when the mark stack or the block changes. */
  private marksCache: string[] | null = null
  private marksCacheBlock: TextBlock | null = null

  private currentMarks(block: TextBlock): string[] {
    if (this.marksCache && this.marksCacheBlock === block) return this.marksCache
    const marks: string[] = []
    for (const mark of this.marks) {
      let name = mark.decorator
      if (mark.href !== undefined) {
        if (mark.linkBlock !== block) {
          const def: LinkDef = {_type: 'link', _key: this.keys(), href: mark.href}
          block.markDefs.push(def)
          mark.linkBlock = block
          mark.linkKey = def._key
        }
        name = mark.linkKey
      }
      if (name && !marks.includes(name)) marks.push(name)
    }
    this.marksCache = marks
    this.marksCacheBlock = block
    return marks
  }

  private append(text: string): void {
    const block = this.block ?? this.openBlock()
    const marks = this.currentMarks(block)
    const last = block.children[block.children.length - 1]
    if (last && last.marks.length === marks.length && last.marks.every((mark, i) => mark === marks[i])) {
      last.text += text
    } else {
      // Each span gets its own array: the cache is shared and must never be mutated through a span.
      const span: Span = {_type: 'span', _key: this.keys(), text, marks: marks.length ? [...marks] : []}
      block.children.push(span)
    }
  }

  private trimTrailingSpace(): void {
    const last = this.block?.children[this.block.children.length - 1]
    if (last && last.text.endsWith(' ')) {
      last.text = last.text.slice(0, -1)
      if (last.text === '' && this.block) this.block.children.pop()
    }
  }

  onopentag(name: string, attrs: Record<string, string>): void {
    if (this.skipDepth > 0 || SKIP_CONTENT.has(name)) {
      if (!VOID_TAGS.has(name)) this.skipDepth++
      return
    }
    if (name === 'br') {
      if (!this.block) this.openBlock()
      this.trimTrailingSpace()
      this.append('\n')
      this.hasText = true
      this.afterNewline = true
      return
    }
    if (name === 'hr') {
      this.flush()
      this.blocks.push({_type: 'sceneBreak', _key: this.keys(), style: 'rule'})
      return
    }
    const decorator = DECORATORS[name]
    if (decorator) {
      this.marks.push({tag: name, decorator})
      this.marksCache = null
      return
    }
    if (name === 'a') {
      const href = attrs.href?.trim()
      this.marks.push(href && isSafeLinkHref(href) ? {tag: name, href} : {tag: name})
      this.marksCache = null
      return
    }
    if (name === 'ul' || name === 'ol') {
      this.flush()
      this.lists.push(name === 'ol' ? 'number' : 'bullet')
      this.pushContext({tag: name})
      return
    }
    if (!BLOCK_TAGS.has(name)) return
    if (this.inBlockquote() && name !== 'blockquote') {
      // Inside a quote block-tools keeps one block and separates paragraphs with newlines.
      if (this.hasText) this.pendingNewline = true
      this.pushContext({tag: name})
      return
    }
    this.flush()
    const context: BlockContext = {tag: name}
    if (name === 'li') {
      context.listItem = this.lists[this.lists.length - 1] ?? 'bullet'
      context.level = Math.max(1, this.lists.length)
    } else if (STYLE_OF_TAG[name]) {
      context.style = STYLE_OF_TAG[name]
    } else if ((name === 'p' || name === 'div') && isCentered(attrs)) {
      context.style = 'centered'
    } else if (/^h[1-6]$/.test(name)) {
      context.style = 'normal'
    }
    this.pushContext(context)
  }

  ontext(raw: string): void {
    if (this.skipDepth > 0) return
    let text = WHITESPACE_TO_COLLAPSE.test(raw) ? raw.replace(/\s+/g, ' ') : raw
    if (text === ' ' || text === '') {
      if (this.block && this.hasText && !this.afterNewline) {
        const last = this.block.children[this.block.children.length - 1]
        if (last && !last.text.endsWith(' ')) this.append(' ')
      }
      return
    }
    if (text.startsWith(' ')) {
      if (!this.block || !this.hasText || this.afterNewline) text = text.slice(1)
      else this.trimTrailingSpace()
    }
    if (!this.block) this.openBlock()
    if (this.pendingNewline) {
      this.trimTrailingSpace()
      this.append('\n')
      this.pendingNewline = false
    }
    this.append(text)
    this.hasText = true
    this.afterNewline = false
  }

  onclosetag(name: string): void {
    if (this.skipDepth > 0) {
      if (!VOID_TAGS.has(name)) this.skipDepth--
      return
    }
    if (DECORATORS[name] || name === 'a') {
      for (let i = this.marks.length - 1; i >= 0; i--) {
        if (this.marks[i]!.tag === name) {
          this.marks.splice(i, 1)
          this.marksCache = null
          break
        }
      }
      return
    }
    if (!BLOCK_TAGS.has(name)) return
    let at = -1
    for (let i = this.contexts.length - 1; i >= 0; i--) {
      if (this.contexts[i]!.tag === name) {
        at = i
        break
      }
    }
    if (at < 0) return
    const closing = this.contexts.splice(at)
    for (const context of closing) if (context.tag === 'blockquote') this.quoteDepth--
    if (name === 'ul' || name === 'ol') {
      this.flush()
      this.lists.pop()
      return
    }
    if (this.inBlockquote()) {
      if (this.hasText) this.pendingNewline = true
      return
    }
    this.flush()
  }

  finish(): BodyBlock[] {
    this.flush()
    return this.blocks
  }
}

const VOID_TAGS = new Set(['br', 'hr', 'img', 'input', 'meta', 'link', 'area', 'base', 'col', 'embed', 'source', 'track', 'wbr', 'param'])

/** Converts an HTML fragment or document into `storyBody` blocks in one streaming pass. */
export function htmlToStoryBlocks(html: string, keys: KeyGenerator = counterKeys()): BodyBlock[] {
  const builder = new BlockBuilder(keys)
  const parser = limitedParser(builder, {decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true})
  parser.end(html)
  return builder.finish()
}

/** Feeds an already parsed subtree (from `parseDocument`) through a builder as SAX events. */
export function feedNodes(builder: BlockBuilder, nodes: readonly ChildNode[]): void {
  for (const node of nodes) {
    if (node.type === 'text') builder.ontext(node.data)
    else if (node.type === 'tag' || node.type === 'script' || node.type === 'style') {
      builder.onopentag(node.name, node.attribs)
      feedNodes(builder, node.children)
      builder.onclosetag(node.name)
    }
  }
}

export function nodesToStoryBlocks(nodes: readonly ChildNode[], keys: KeyGenerator = counterKeys()): BodyBlock[] {
  const builder = new BlockBuilder(keys)
  feedNodes(builder, nodes)
  return builder.finish()
}
