import {matchHeaderLabel, mayStartWithLabel} from '../../rules'
import {type BodyBlock, blockText, type KeyGenerator, textBlock} from './blocks'

/** "Please R&R!", "Read and review!", "Reviews make me write faster": a plea, not story text. */
const REVIEW_PLEA = /\b(?:r\s*&\s*r|r\s+and\s+r|read\s+(?:and|&|n)\s+review|please\s+review|review\s+please|reviews?\s+(?:are|is|make|keep|feed)|leave\s+(?:a|me\s+a)\s+review|drop\s+(?:a|me\s+a)\s+review|press\s+(?:the|that)\s+(?:little\s+)?(?:\w+\s+)?(?:button|review)|click\s+(?:the|that)\s+(?:little\s+)?(?:\w+\s+)?button)\b/i

export function isReviewPlea(text: string): boolean {
  return text.length <= 400 && REVIEW_PLEA.test(text)
}

const INLINE_DISCLAIMER = /(?:^|[\s.!?)\]])(?:disclaimer|disclamer)s?\s*[:\-–—]\s*/i

/**
 * An author's note that carries a disclaimer inside it ("A/N: First fic! Disclaimer: I don't own
 * Naruto."): the note and the disclaimer apart.
 */
export function splitInlineDisclaimer(text: string): {note: string; disclaimer?: string} {
  const match = INLINE_DISCLAIMER.exec(text)
  if (!match) return {note: text}
  const start = match.index + (match[0].length - match[0].trimStart().length)
  const disclaimer = text.slice(match.index + match[0].length).trim()
  return {note: text.slice(0, start).trim(), disclaimer: disclaimer || undefined}
}

function noteText(block: BodyBlock): string | undefined {
  if (block._type === 'authorsNote') return block.text
  if (block._type !== 'block') return undefined
  const text = blockText(block)
  const label = mayStartWithLabel('authorsNote', text) ? matchHeaderLabel(text) : null
  return label?.field === 'authorsNote' ? label.value : undefined
}

export interface LiftedNotes {
  body: BodyBlock[]
  notes: BodyBlock[]
  endNotes: BodyBlock[]
  disclaimer?: string
}

/**
 * Author's notes at a chapter's start go to its notes, those at its end (and a closing plea for
 * reviews) to its end notes; a disclaimer inside a note is lifted out. The story text keeps only
 * the story, so its word count does too.
 */
export function liftChapterNotes(blocks: readonly BodyBlock[], keys: KeyGenerator): LiftedNotes {
  let disclaimer: string | undefined
  const asNote = (text: string): BodyBlock | undefined => {
    const split = splitInlineDisclaimer(text)
    if (split.disclaimer) disclaimer ??= split.disclaimer
    return split.note ? textBlock(keys, split.note) : undefined
  }
  let start = 0
  const notes: BodyBlock[] = []
  while (start < blocks.length) {
    const block = blocks[start]!
    const text = noteText(block)
    if (text === undefined) break
    const note = asNote(text)
    if (note) notes.push(note)
    start++
  }
  let end = blocks.length
  const endNotes: BodyBlock[] = []
  while (end > start) {
    const block = blocks[end - 1]!
    if (block._type === 'sceneBreak') {
      end--
      continue
    }
    const text = noteText(block) ?? (block._type === 'block' && isReviewPlea(blockText(block)) ? blockText(block) : undefined)
    if (text === undefined) break
    const note = asNote(text)
    if (note) endNotes.unshift(note)
    end--
  }
  const body = blocks.slice(start, end)
  while (body[0]?._type === 'sceneBreak') body.shift()
  while (body[body.length - 1]?._type === 'sceneBreak') body.pop()
  return {body, notes, endNotes, disclaimer}
}
