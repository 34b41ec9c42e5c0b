/** The Portable Text shapes the importer writes (a subset of `storyBody` / `storyNotes`). */

export interface Span {
  _type: 'span'
  _key: string
  text: string
  marks: string[]
}

export interface LinkDef {
  _type: 'link'
  _key: string
  href: string
}

export interface TextBlock {
  _type: 'block'
  _key: string
  style: string
  children: Span[]
  markDefs: LinkDef[]
  listItem?: 'bullet' | 'number'
  level?: number
}

export interface SceneBreak {
  _type: 'sceneBreak'
  _key: string
  style: 'rule' | 'asterisks'
}

export interface AuthorsNote {
  _type: 'authorsNote'
  _key: string
  text: string
}

export type BodyBlock = TextBlock | SceneBreak | AuthorsNote

/** Deterministic keys: re-importing a file must yield byte-identical documents. */
export type KeyGenerator = () => string

export function counterKeys(prefix = 'k'): KeyGenerator {
  let n = 0
  return () => `${prefix}${(n++).toString(36)}`
}

export function isTextBlock(block: BodyBlock): block is TextBlock {
  return block._type === 'block'
}

export function blockText(block: BodyBlock): string {
  return isTextBlock(block) ? block.children.map((child) => child.text).join('') : ''
}

export function textBlock(keys: KeyGenerator, text: string, style = 'normal', marks: string[] = []): TextBlock {
  return {_type: 'block', _key: keys(), style, children: [{_type: 'span', _key: keys(), text, marks}], markDefs: []}
}

/** Re-keys blocks in document order so keys depend only on content, never on how they were built. */
export function rekeyBlocks<T extends BodyBlock>(blocks: T[], keys: KeyGenerator): T[] {
  return blocks.map((block) => {
    if (!isTextBlock(block)) return {...block, _key: keys()}
    const blockKey = keys()
    const renamed = new Map<string, string>()
    const markDefs = block.markDefs.map((def) => {
      const key = keys()
      renamed.set(def._key, key)
      return {...def, _key: key}
    })
    const children = block.children.map((span) => ({
      ...span,
      _key: keys(),
      marks: span.marks.map((mark) => renamed.get(mark) ?? mark),
    }))
    return {...block, _key: blockKey, children, markDefs}
  }) as T[]
}

/**
 * Tidies converted HTML the way a reader expects a story to look: paragraphs that old pages
 * separated with `<br><br>` become blocks of their own, a paragraph that is only `* * *` or
 * `o0o` becomes a scene break, empty paragraphs go, and breaks at either end are dropped.
 */
export function tidyStoryBlocks(blocks: readonly BodyBlock[], keys: KeyGenerator, isSceneBreak: (text: string) => boolean): BodyBlock[] {
  const out: BodyBlock[] = []
  for (const block of blocks) {
    if (!isTextBlock(block)) {
      out.push(block)
      continue
    }
    for (const part of splitOnBlankLines(block, keys)) {
      const text = blockText(part)
      if (text.trim() === '') continue
      if (!part.listItem && isSceneBreak(text)) out.push({_type: 'sceneBreak', _key: keys(), style: 'asterisks'})
      else out.push(part)
    }
  }
  while (out[0]?._type === 'sceneBreak') out.shift()
  while (out[out.length - 1]?._type === 'sceneBreak') out.pop()
  return out
}

/** A block whose text holds blank lines (`<br><br>` paragraphs) as one block per paragraph. */
export function splitOnBlankLines(block: TextBlock, keys: KeyGenerator): TextBlock[] {
  if (!block.children.some((span) => /\n\s*\n/.test(span.text))) return [block]
  const parts: TextBlock[] = []
  let children: Span[] = []
  const finish = () => {
    if (children.length) {
      children[0]!.text = children[0]!.text.replace(/^\s+/, '')
      const last = children[children.length - 1]!
      last.text = last.text.replace(/\s+$/, '')
      const used = new Set(children.flatMap((span) => span.marks))
      parts.push({...block, _key: parts.length ? keys() : block._key, children: children.filter((s) => s.text !== ''), markDefs: block.markDefs.filter((def) => used.has(def._key))})
    }
    children = []
  }
  for (const span of block.children) {
    const pieces = span.text.split(/\n\s*\n/)
    pieces.forEach((piece, i) => {
      if (i > 0) finish()
      if (piece !== '') children.push({...span, _key: children.length || i ? keys() : span._key, text: piece})
    })
  }
  finish()
  return parts.filter((part) => part.children.length > 0)
}
