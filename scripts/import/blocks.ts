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
