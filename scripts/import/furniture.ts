/**
 * Site furniture: the navigation, mail links and journal footers that old fansite pages and
 * journal posts put around a story ("Back to my fics | E-mail me!", "Current Mood: tired",
 * "Leave a comment"). It is never story text.
 */
import {type BodyBlock, blockText} from './blocks'
import {matchExtraLabel} from './header'

const NAV_WORDS =
  /\b(?:back to (?:my |the )?(?:fics?|stories|fanfic(?:tion)?|index|main|home|top|archive)|return to|(?:main|home|index|fic|story) page|e-?mail me|mail me|feedback (?:to|is|welcome)|send feedback|guestbook|sign my|next part|previous part|next chapter|previous chapter|table of contents|leave a comment|add to memories|comments?\s*\(\d+\)|\d+ comments?|link\s*\|\s*reply|share this|tell a friend)\b/i
const JOURNAL_FOOTER = /^(?:current\s+)?(?:mood|music|location)\s*:|^(?:tags|filed under|posted (?:by|in|on))\s*:/i

/** A short line or paragraph that is navigation or a journal's footer, not the story. */
export function isFurniture(text: string): boolean {
  const line = text.replace(/\s+/g, ' ').trim()
  if (!line || line.length > 160) return false
  if (NAV_WORDS.test(line)) return true
  if (JOURNAL_FOOTER.test(line)) return true
  const extra = matchExtraLabel(line)
  return extra?.field === 'noise'
}

/** Furniture blocks at the start and end of a page's text, taken off; the rest untouched. */
export function trimFurniture(blocks: BodyBlock[]): {blocks: BodyBlock[]; dropped: string[]} {
  const dropped: string[] = []
  const isNoise = (block: BodyBlock) => block._type === 'sceneBreak' || (block._type === 'block' && isFurniture(blockText(block)))
  let start = 0
  let end = blocks.length
  while (end > start && isNoise(blocks[end - 1]!)) {
    const block = blocks[--end]!
    if (block._type === 'block') dropped.unshift(blockText(block).trim())
  }
  while (start < end && blocks[start]!._type === 'block' && isFurniture(blockText(blocks[start]!))) dropped.push(blockText(blocks[start++]!).trim())
  return {blocks: start === 0 && end === blocks.length ? blocks : blocks.slice(start, end), dropped}
}
