import {PortableText, type PortableTextComponents} from '@portabletext/react'
import type {ReactNode} from 'react'
import {isSafeLinkHref} from '../rules'

/** Any Portable Text array as stored: blocks plus custom objects (sceneBreak, authorsNote). */
export type PortableTextValue = ReadonlyArray<{_type: string; _key?: string; [field: string]: unknown}>

interface Footnote {
  number: number
  text: string
}

interface NumberedFootnoteDef {
  _type: 'footnote'
  _key: string
  number: number
  text: string
}

/**
 * Footnote marks are keyed per block, but readers need one running number across the whole
 * text. Numbers are assigned in reading order by rewriting each footnote markDef to a
 * globally unique key that carries its number, so the mark component needs no shared state.
 */
export function numberFootnotes(value: PortableTextValue | null | undefined): {
  blocks: PortableTextValue
  footnotes: Footnote[]
} {
  const footnotes: Footnote[] = []
  if (!Array.isArray(value)) return {blocks: [], footnotes}
  const blocks = value.map((block) => {
    if (block._type !== 'block' || !Array.isArray(block.markDefs) || !Array.isArray(block.children)) return block
    const defs = block.markDefs as Array<{_key?: string; _type?: string; text?: unknown}>
    const footnoteDefs = new Map(defs.filter((d) => d?._type === 'footnote' && d._key).map((d) => [d._key!, d]))
    if (footnoteDefs.size === 0) return block
    const renamed = new Map<string, NumberedFootnoteDef>()
    const children = (block.children as Array<{marks?: unknown}>).map((child) => {
      if (!Array.isArray(child?.marks)) return child
      const marks = (child.marks as unknown[]).map((mark) => {
        if (typeof mark !== 'string') return mark
        const def = footnoteDefs.get(mark)
        if (!def) return mark
        let numbered = renamed.get(mark)
        if (!numbered) {
          const number = footnotes.length + 1
          const text = typeof def.text === 'string' ? def.text : ''
          numbered = {_type: 'footnote', _key: `footnote-${number}`, number, text}
          renamed.set(mark, numbered)
          footnotes.push({number, text})
        }
        return numbered._key
      })
      return {...child, marks}
    })
    const otherDefs = defs.filter((d) => !(d?._type === 'footnote' && d._key && renamed.has(d._key)))
    return {...block, children, markDefs: [...otherDefs, ...renamed.values()]}
  })
  return {blocks, footnotes}
}

function paragraphs(text: unknown): ReactNode {
  if (typeof text !== 'string' || !text.trim()) return null
  return text
    .split(/\n\s*\n/)
    .filter((p) => p.trim())
    .map((p, i) => <p key={i}>{p.trim()}</p>)
}

function storyComponents(idPrefix: string): PortableTextComponents {
  return {
    block: {
      normal: ({children}) => <p>{children}</p>,
      h2: ({children}) => <h2>{children}</h2>,
      h3: ({children}) => <h3>{children}</h3>,
      blockquote: ({children}) => <blockquote>{children}</blockquote>,
      centered: ({children}) => <p className="centered">{children}</p>,
    },
    list: {
      bullet: ({children}) => <ul>{children}</ul>,
      number: ({children}) => <ol>{children}</ol>,
    },
    listItem: ({children}) => <li>{children}</li>,
    marks: {
      em: ({children}) => <em>{children}</em>,
      strong: ({children}) => <strong>{children}</strong>,
      'strike-through': ({children}) => <s>{children}</s>,
      underline: ({children}) => <u>{children}</u>,
      link: ({children, value}) => {
        // Same rule as the Studio's link validation, so imported or hand-edited data that
        // slipped past it still never becomes a clickable javascript:/data: link.
        const href = (value as {href?: unknown} | undefined)?.href
        if (!isSafeLinkHref(href)) return <>{children}</>
        return (
          <a href={href} rel="noopener noreferrer">
            {children}
          </a>
        )
      },
      footnote: ({children, value}) => {
        const number = (value as Partial<NumberedFootnoteDef> | undefined)?.number
        if (typeof number !== 'number') return <>{children}</>
        return (
          <>
            {children}
            <sup className="footnote-ref">
              <a href={`#${idPrefix}fn-${number}`} id={`${idPrefix}fnref-${number}`} aria-label={`Footnote ${number}`}>
                {number}
              </a>
            </sup>
          </>
        )
      },
    },
    types: {
      sceneBreak: ({value}) => {
        const style = (value as {style?: unknown}).style
        const variant = style === 'rule' || style === 'space' ? style : 'asterisks'
        return <hr className={`scene-break scene-break-${variant}`} aria-label="Scene break" />
      },
      authorsNote: ({value}) => (
        <aside className="authors-note" aria-label="Author's note">
          <p className="authors-note-label">Author&rsquo;s note</p>
          {paragraphs((value as {text?: unknown}).text)}
        </aside>
      ),
    },
    // Unknown content must never break a page or leak raw data; its text (if any) still shows.
    unknownType: () => null,
    unknownMark: ({children}) => <>{children}</>,
    unknownBlockStyle: ({children}) => <p>{children}</p>,
    unknownList: ({children}) => <ul>{children}</ul>,
    unknownListItem: ({children}) => <li>{children}</li>,
  }
}

/**
 * Renders a storyBody or storyNotes array. Footnotes, when present, are listed after the
 * text with links both ways; `idPrefix` keeps anchors unique when several texts share a page.
 */
export function StoryText({value, idPrefix = ''}: {value: PortableTextValue | null | undefined; idPrefix?: string}) {
  const {blocks, footnotes} = numberFootnotes(value)
  if (blocks.length === 0) return null
  return (
    <>
      <PortableText
        value={blocks as unknown as Parameters<typeof PortableText>[0]['value']}
        components={storyComponents(idPrefix)}
        onMissingComponent={false}
      />
      {footnotes.length > 0 && (
        <section className="footnotes" aria-labelledby={`${idPrefix}footnotes-heading`}>
          <h2 id={`${idPrefix}footnotes-heading`} className="footnotes-heading">
            Footnotes
          </h2>
          <ol>
            {footnotes.map((f) => (
              <li key={f.number} id={`${idPrefix}fn-${f.number}`}>
                {f.text}{' '}
                <a href={`#${idPrefix}fnref-${f.number}`} aria-label={`Back to footnote reference ${f.number}`}>
                  ↩
                </a>
              </li>
            ))}
          </ol>
        </section>
      )}
    </>
  )
}
