import {matchHeaderLabel, mayStartWithLabel} from '../../rules'
import {type BodyBlock, blockText} from './blocks'

/** Disclaimer paragraphs repeated at chapter starts: taken out of the text, the first one kept. */
export function takeDisclaimers(blocks: BodyBlock[]): {blocks: BodyBlock[]; disclaimer?: string} {
  let disclaimer: string | undefined
  const kept = blocks.filter((block) => {
    if (block._type !== 'block') return true
    const text = blockText(block)
    const label = mayStartWithLabel('disclaimer', text) ? matchHeaderLabel(text) : null
    if (label?.field !== 'disclaimer') return true
    disclaimer ??= label.value
    return false
  })
  return {blocks: kept, disclaimer}
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
