/**
 * Plain-text views of Portable Text (storyBody / storyNotes). Input comes from documents that
 * editors, importers and old revisions produced, so anything that is not the expected shape is
 * skipped instead of thrown on.
 */
import {countWords} from './wordCount'

type UnknownRecord = Record<string, unknown>

function isRecord(value: unknown): value is UnknownRecord {
  return typeof value === 'object' && value !== null
}

/** Text of one text block's spans, or undefined for non-text blocks (scene breaks, notes...). */
function blockText(block: unknown): string | undefined {
  if (!isRecord(block) || block._type !== 'block' || !Array.isArray(block.children)) return undefined
  let text = ''
  for (const child of block.children) {
    if (isRecord(child) && typeof child.text === 'string' && (child._type === 'span' || child._type === undefined)) {
      text += child.text
    }
  }
  return text
}

function asBlocks(blocks: unknown): unknown[] {
  if (Array.isArray(blocks)) return blocks
  // A single block is a common slip (e.g. a field typed as block instead of array).
  if (isRecord(blocks) && blocks._type === 'block') return [blocks]
  return []
}

export function toPlainText(blocks: unknown): string {
  const parts: string[] = []
  for (const block of asBlocks(blocks)) {
    const text = blockText(block)
    if (text !== undefined) parts.push(text)
  }
  return parts.join('\n\n')
}

/** Counts per block, so a word split across spans ("hel" + bold "lo") counts once. */
export function countPortableTextWords(blocks: unknown): number {
  let total = 0
  for (const block of asBlocks(blocks)) {
    const text = blockText(block)
    if (text) total += countWords(text)
  }
  return total
}

/** Plain text of the first text blocks, at most maxChars long; never reads past what it needs. */
export function openingText(blocks: unknown, maxChars: number): string {
  if (!(maxChars > 0)) return ''
  let text = ''
  for (const block of asBlocks(blocks)) {
    const part = blockText(block)
    if (part === undefined) continue
    text = text ? `${text}\n\n${part}` : part
    if (text.length >= maxChars) return text.slice(0, maxChars)
  }
  return text
}
