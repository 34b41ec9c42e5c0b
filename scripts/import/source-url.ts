import {normaliseWorkUrl} from '../../rules'
import {blockText} from './blocks'
import type {ParsedWork} from './work'

const URL_PATTERN = /https?:\/\/[^\s"'<>()[\]{}|\\^`]+/gi
/** Paths that name one work on the archives and download tools we know of. */
const WORK_PATH = /\/works\/\d+|\/s\/\d+|viewstory\.php\?(?:[^#\s]*&)?sid=\d+|\/story\/\d+|\/fiction\/\d+|\/stories\/\d+/i
/** A URL right after a label that says it is the work's own address. */
const LABELLED = /(?:^|[\s>])(?:source|url|story url|story link|link|original(?:ly)? (?:posted|published)(?: (?:at|on))?|posted originally on [^:\n]{0,60}? at)\s*:?\s*(?:<a[^>]*href=["']?)?(https?:\/\/[^\s"'<>]+)/i

function trimUrl(url: string): string {
  // Sentence punctuation after a URL in running text is not part of it.
  return url.replace(/&amp;/g, '&').replace(/[.,;:!?]+$/, '')
}

/** The work's URL in a file's opening text (raw HTML or plain text), if it gives one. */
export function findWorkUrl(head: string): string | undefined {
  for (const match of head.matchAll(URL_PATTERN)) {
    const url = trimUrl(match[0])
    if (WORK_PATH.test(url) && normaliseWorkUrl(url)) return url
  }
  const labelled = LABELLED.exec(head)?.[1]
  return labelled && normaliseWorkUrl(trimUrl(labelled)) ? trimUrl(labelled) : undefined
}

/** Where a reader left no URL: looks in the header and the work's first blocks (links and text). */
export function workUrlOf(work: ParsedWork): string | undefined {
  if (work.sourceUrl) return work.sourceUrl
  const parts: string[] = []
  if (work.rawHeader) parts.push(work.rawHeader)
  for (const value of Object.values(work.meta)) parts.push(Array.isArray(value) ? value.join('\n') : (value ?? ''))
  for (const block of [...(work.notes ?? []), ...(work.chapters[0]?.body.slice(0, 20) ?? [])]) {
    if (block._type === 'block') for (const def of block.markDefs) parts.push(def.href)
    parts.push(blockText(block))
  }
  return findWorkUrl(parts.join('\n'))
}
