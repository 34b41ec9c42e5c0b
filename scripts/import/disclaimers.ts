import {matchHeaderLabel, mayStartWithLabel} from '../../rules'
import {type BodyBlock, blockText} from './blocks'

function disclaimerOf(block: BodyBlock): string | undefined {
  const text = block._type === 'block' ? blockText(block) : block._type === 'authorsNote' ? block.text : ''
  if (!text) return undefined
  const label = mayStartWithLabel('disclaimer', text) ? matchHeaderLabel(text) : null
  return label?.field === 'disclaimer' ? label.value : undefined
}

/**
 * Disclaimer paragraphs repeated at chapter starts: taken out of the text, the first one kept.
 * A scene break left at the text's edge by the lifting separates nothing and goes too.
 */
export function takeDisclaimers(blocks: BodyBlock[]): {blocks: BodyBlock[]; disclaimer?: string} {
  let disclaimer: string | undefined
  const kept = blocks.filter((block) => {
    if (block._type !== 'block') return true
    const found = disclaimerOf(block)
    if (found === undefined) return true
    disclaimer ??= found
    return false
  })
  if (kept.length !== blocks.length) {
    while (kept[0]?._type === 'sceneBreak') kept.shift()
    while (kept[kept.length - 1]?._type === 'sceneBreak') kept.pop()
  }
  return {blocks: kept, disclaimer}
}

/** A "Disclaimer: ..." paragraph in notes (AO3 has no disclaimer field): taken out, the rest kept. */
export function takeNoteDisclaimer(blocks: BodyBlock[]): {text: string; rest: BodyBlock[]} | undefined {
  for (let i = 0; i < blocks.length; i++) {
    const text = disclaimerOf(blocks[i]!)
    if (text !== undefined) return {text, rest: blocks.filter((_, j) => j !== i)}
  }
  return undefined
}

/** Takes disclaimers out of every chapter's text; the first one found is returned. */
export function takeChapterDisclaimers(chapters: Array<{body: BodyBlock[]}>): string | undefined {
  let disclaimer: string | undefined
  for (const chapter of chapters) {
    const taken = takeDisclaimers(chapter.body)
    chapter.body = taken.blocks
    disclaimer ??= taken.disclaimer
  }
  return disclaimer
}
