/**
 * FanFiction.net pages, copied as text from a browser or saved as HTML. The page reads, top down:
 *
 *   Anime/Manga » Naruto                     (breadcrumb: category » fandom)
 *   Follow/Fav                               (buttons)
 *   Shadows Over the Leaf                    (title)
 *   By: Ink-Brush                            (author)
 *   Sakura and Shikamaru are paired...       (summary)
 *   Rated: Fiction T - English - Friendship/Adventure - [Sakura H., Shikamaru N.] Naruto U. -
 *     Chapters: 3 - Words: 2,145 - Reviews: 12 - Favs: 4 - Follows: 7 - Updated: 3/4/2009 -
 *     Published: 2/2/2009 - Status: Complete - id: 4821337
 *   < Prev  Chapter 1: The Assignment  Next >
 *   A/N ... Disclaimer: ...                  (the chapter's notes)
 *   ...the story...
 *   Please R&R!                              (the chapter's end notes)
 *
 * Saved HTML keeps the same parts in `#pre_story_links`, `#profile_top` (b, a[href^=/u/],
 * div summary, span.xgray) and `#storytext`.
 */
import type {ChildNode, Element} from 'domhandler'
import {DomUtils} from 'htmlparser2'
import {matchLanguage, splitGenres} from '../../rules'
import {type BodyBlock, counterKeys, type KeyGenerator, tidyStoryBlocks} from './blocks'
import {takeDisclaimers} from './disclaimers'
import {isChapterHeading, isSceneBreakLine} from './header'
import {nodesToStoryBlocks} from './html-blocks'
import {liftChapterNotes} from './notes'
import {linesToBlocks} from './plaintext'
import {type ImportFormat, type ParsedChapter, type ParsedWork, readDate} from './work'

const {findOne, findAll, textContent} = DomUtils

const clean = (text: string) => text.replace(/\s+/g, ' ').trim()

/** The story's info line: "Rated: Fiction T - English - ... - id: 4821337". */
const RATED_LINE = /^\s*Rated:\s*(?:Fiction\s+)?(K\+?|T|M|MA)\s+-\s+/i

export interface FfnInfo {
  rating?: string
  language?: string
  genres: string[]
  characters: string[]
  pairings: string[]
  chapters?: number
  words?: number
  published?: string
  updated?: string
  complete: boolean
  id?: string
  /** Parts of the line this reader does not know, as written. */
  unknown: string[]
}

/** "[Sakura H., Shikamaru N.] Naruto U." -> characters, and each bracket group as one pairing. */
function readCharacters(segment: string): {characters: string[]; pairings: string[]} {
  const characters: string[] = []
  const pairings: string[] = []
  const rest = segment.replace(/\[([^\]]+)\]/g, (_, group: string) => {
    const names = group.split(/\s*,\s*/).map(clean).filter(Boolean)
    if (names.length > 1) pairings.push(names.join('/'))
    characters.push(...names)
    return ','
  })
  characters.push(...rest.split(/\s*,\s*/).map(clean).filter(Boolean))
  return {characters: [...new Set(characters)], pairings}
}

export function parseFfnInfoLine(line: string): FfnInfo | undefined {
  const rated = RATED_LINE.exec(line)
  if (!rated) return undefined
  const info: FfnInfo = {rating: rated[1]!.toUpperCase(), genres: [], characters: [], pairings: [], complete: false, unknown: []}
  const segments = line.slice(rated[0].length).split(/\s+-\s+/).map(clean).filter(Boolean)
  for (const segment of segments) {
    const labelled = /^([A-Za-z]+):\s*(.*)$/.exec(segment)
    if (labelled) {
      const [, label, value] = labelled as unknown as [string, string, string]
      const number = Number(value.replace(/[,.\s]/g, ''))
      switch (label.toLowerCase()) {
        case 'chapters':
          info.chapters = number
          break
        case 'words':
          info.words = number
          break
        case 'updated':
          info.updated = value
          break
        case 'published':
          info.published = value
          break
        case 'status':
          info.complete = /complete/i.test(value)
          break
        case 'id':
          info.id = value.replace(/\D/g, '') || undefined
          break
        case 'reviews':
        case 'favs':
        case 'follows':
          break
        default:
          info.unknown.push(segment)
      }
      continue
    }
    if (!info.language && !info.genres.length && !info.characters.length && matchLanguage(segment)) info.language = segment
    else if (!info.genres.length && !info.characters.length && splitGenres(segment)) info.genres = splitGenres(segment)!
    else if (!info.characters.length) Object.assign(info, readCharacters(segment))
    else info.unknown.push(segment)
  }
  return info
}

/** Buttons, navigation and site furniture a copy of the page picks up. */
const NOISE_LINE =
  /^(?:follow\/fav|follow|fav|favorite|\+|just in|community|forums?|more|topics|search|log ?in|sign ?up|fanfiction|fictionpress|stories|crossovers?|home|help|reviews?|review this (?:story|chapter)|pm|report abuse|share|tweet|back to top|top|privacy|terms of service|<\s*prev|prev|next\s*>|next|<|>|go|\d+:\d+\s*(?:am|pm)?|author|story|chapter|post review as \w+)$/i

function isNoise(line: string): boolean {
  const text = clean(line)
  return text === '' || NOISE_LINE.test(text) || /^(?:help|privacy|terms)\b.*[·|]/i.test(text) || /^(?:©|copyright)\s*\d{0,4}\s*fanfiction/i.test(text)
}

/** The breadcrumb's last part is the fandom; a crossover names two ("A + B Crossover"). */
function fandomsOf(breadcrumb: string): string[] {
  const last = breadcrumb.split(/\s*(?:»|>>|›)\s*/).pop() ?? ''
  const crossover = /^(.+?)\s+(?:\+|&|and|x)\s+(.+?)\s+crossover$/i.exec(last.trim())
  if (crossover) return [clean(crossover[1]!), clean(crossover[2]!)]
  return last.trim() ? [clean(last)] : []
}

const OPTION_LINE = /^\d{1,4}\.\s+\S/

function withInfo(meta: ParsedWork['meta'], info: FfnInfo): void {
  meta.rating = info.rating
  if (info.language) meta.language = info.language
  if (info.genres.length) meta.genre = info.genres
  if (info.characters.length) meta.characters = info.characters
  if (info.pairings.length) meta.pairing = info.pairings
  // The site shows "Status: Complete" on finished stories; many authors never mark one, so a line
  // without it leaves the status unknown rather than guessing "in progress".
  if (info.complete) meta.status = 'complete'
}

function finishWork(work: ParsedWork, info: FfnInfo, keys: KeyGenerator): ParsedWork {
  let disclaimer: string | undefined
  const tidyKeys = counterKeys('f')
  for (const chapter of work.chapters) {
    const tidy = tidyStoryBlocks(chapter.body, tidyKeys, isSceneBreakLine)
    const taken = takeDisclaimers(tidy)
    disclaimer ??= taken.disclaimer
    const lifted = liftChapterNotes(taken.blocks, keys)
    disclaimer ??= lifted.disclaimer
    chapter.body = lifted.body
    if (lifted.notes.length) chapter.notes = [...(chapter.notes ?? []), ...lifted.notes]
    if (lifted.endNotes.length) chapter.endNotes = [...(chapter.endNotes ?? []), ...lifted.endNotes]
  }
  if (disclaimer) work.meta.disclaimer ??= disclaimer
  work.originalPublication = readDate(info.published)
  work.updated = readDate(info.updated)
  if (info.id) work.sourceUrl ??= `https://www.fanfiction.net/s/${info.id}/1/`
  if (info.unknown.length) work.unknownLabels = info.unknown
  return work
}

/** Finds the info line in the top of a text; undefined when the text isn't an FFN page copy. */
export function findFfnInfoLine(lines: readonly string[]): number | undefined {
  const limit = Math.min(lines.length, 120)
  for (let i = 0; i < limit; i++) if (RATED_LINE.test(lines[i]!) && /\s-\s(?:Chapters|Words):/i.test(lines[i]!)) return i
  return undefined
}

/** A FanFiction.net page copied as text. */
export function readFfnText(text: string, format: ImportFormat = 'text'): ParsedWork | undefined {
  const lines = text.split('\n')
  const infoAt = findFfnInfoLine(lines)
  if (infoAt === undefined) return undefined
  const info = parseFfnInfoLine(lines[infoAt]!)!
  const meta: ParsedWork['meta'] = {}
  const skipped: string[] = []
  // Above the info line: breadcrumb, buttons, title, "By: author", summary.
  const top = lines.slice(0, infoAt)
  const crumbAt = top.findIndex((line) => /\S\s*(?:»|>>|›)\s*\S/.test(line))
  if (crumbAt >= 0) meta.fandom = fandomsOf(top[crumbAt]!)
  const byAt = top.findIndex((line, i) => i > crumbAt && /^\s*(?:By|Author):\s*\S/i.test(line))
  let title: string | undefined
  if (byAt >= 0) {
    meta.author = clean(top[byAt]!.replace(/^\s*(?:By|Author):\s*/i, ''))
    for (let i = byAt - 1; i > crumbAt; i--) {
      if (isNoise(top[i]!)) continue
      // Copied as text, the Follow/Fav button often lands on the title's own line.
      title = clean(top[i]!.replace(/^\s*Follow\/Fav\b\s*/i, '')) || undefined
      break
    }
    const summary = top.slice(byAt + 1).filter((line) => !isNoise(line)).map(clean)
    if (summary.length) meta.summary = summary.join(' ')
  }
  for (const line of top) if (line.trim() && isNoise(line)) skipped.push(clean(line))
  withInfo(meta, info)

  // Below: the chapters, between navigation lines.
  const body = lines.slice(infoAt + 1)
  let end = body.length
  while (end > 0 && (isNoise(body[end - 1]!) || OPTION_LINE.test(clean(body[end - 1]!)))) end--
  const keys = counterKeys()
  const chapters: ParsedChapter[] = []
  let chapterLines: string[] = []
  let chapterTitle: string | undefined
  const flush = () => {
    const blocks = linesToBlocks(chapterLines, keys)
    if (blocks.length) chapters.push({title: chapterTitle, body: blocks})
    chapterLines = []
  }
  for (let i = 0; i < end; i++) {
    const line = body[i]!
    const text = clean(line)
    if (text && isNoise(text)) continue
    // The chapter menu copies as "1. Name" lines next to the navigation.
    if (OPTION_LINE.test(text) && !chapterLines.some((l) => l.trim())) continue
    if (isChapterHeading(text) && text.length <= 120) {
      if (text === chapterTitle && !chapterLines.some((l) => l.trim())) continue
      if (chapterLines.some((l) => l.trim()) || chapterTitle !== undefined) flush()
      chapterTitle = text
      continue
    }
    chapterLines.push(line)
  }
  flush()
  if (!chapters.length) return undefined
  const work: ParsedWork = {format, source: 'ffn', title, meta, rawHeader: lines.slice(0, infoAt + 1).join('\n').trim(), chapters, notices: [], skipped: skipped.length ? skipped : undefined}
  return finishWork(work, info, keys)
}

/** A FanFiction.net chapter page saved as HTML. */
export function isFfnPage(nodes: ChildNode[]): boolean {
  return findOne((el) => el.attribs.id === 'profile_top', nodes) !== null && findOne((el) => el.attribs.id === 'storytext', nodes) !== null
}

export function readFfnHtml(nodes: ChildNode[], format: ImportFormat = 'html'): ParsedWork {
  const profile = findOne((el) => el.attribs.id === 'profile_top', nodes)!
  const storytext = findOne((el) => el.attribs.id === 'storytext', nodes)!
  const meta: ParsedWork['meta'] = {}
  const crumbs = findOne((el) => el.attribs.id === 'pre_story_links', nodes)
  if (crumbs) {
    const links = findAll((el) => el.name === 'a', crumbs.children).map((a) => clean(textContent(a)))
    const last = links[links.length - 1]
    if (last) meta.fandom = fandomsOf(last)
  }
  const title = findOne((el) => el.name === 'b', profile.children)
  const author = findOne((el) => el.name === 'a' && /^\/u\/\d+/.test(el.attribs.href ?? '') || /fanfiction\.net\/u\/\d+/.test(el.attribs.href ?? ''), profile.children)
  if (author) meta.author = clean(textContent(author))
  const infoEl = findOne((el) => el.name === 'span' && RATED_LINE.test(textContent(el)), profile.children)
  const info = (infoEl && parseFfnInfoLine(clean(textContent(infoEl)))) || {genres: [], characters: [], pairings: [], complete: false, unknown: []}
  const summary = profile.children.find((node): node is Element => node.type === 'tag' && node.name === 'div' && clean(textContent(node)) !== '' && !RATED_LINE.test(textContent(node)) && !findOne((el) => el.name === 'button' || el.name === 'span', node.children))
  if (summary) meta.summary = clean(textContent(summary))
  withInfo(meta, info as FfnInfo)
  const selected = findOne((el) => el.name === 'option' && el.attribs.selected !== undefined, nodes)
  const chapterTitle = selected ? clean(textContent(selected)).replace(/^(\d+)\.\s*/, 'Chapter $1: ') : undefined
  const keys = counterKeys()
  const body: BodyBlock[] = nodesToStoryBlocks(storytext.children, keys)
  const work: ParsedWork = {format, source: 'ffn', title: title ? clean(textContent(title)) : undefined, meta, chapters: [{title: chapterTitle, body}], notices: []}
  return finishWork(work, info as FfnInfo, keys)
}
