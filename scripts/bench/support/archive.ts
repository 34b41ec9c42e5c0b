/**
 * A generated fanfiction archive for benchmarks and conformance tests: stories with 2-5 KB of
 * Portable Text, authors, fandoms, series, chapters, drafts and release versions, shaped like
 * the content model (`schemas/`) and the importer's output. Deterministic for a given seed.
 * `messy` adds what real data has and indexes must survive: missing fields, nulls and values of
 * the wrong type.
 */
import {CATEGORIES, countPortableTextWords, LANGUAGES, RATING_SEED, WARNINGS} from '../../../rules'
import type {Store} from '../../../lake/store'

export interface ArchiveDocument {
  _id: string
  _type: string
  [field: string]: unknown
}

export interface ArchiveOptions {
  stories: number
  seed?: number
  /** Missing fields, nulls and mixed types, for conformance tests. */
  messy?: boolean
  /** Text per story body in bytes (default 2,000-5,000). */
  bodyBytes?: [number, number]
}

/** How many documents of each kind an archive of `stories` stories has. */
export function archiveShape(stories: number) {
  return {
    stories,
    fandoms: Math.max(20, Math.round(stories / 1000)),
    authors: Math.max(30, Math.round(stories / 8)),
    series: Math.max(5, Math.round(stories / 60)),
  }
}

const SYLLABLES = ['ka', 'lo', 'mi', 'ren', 'sa', 'tor', 'vel', 'an', 'dra', 'el', 'fin', 'gar', 'hol', 'is', 'jun', 'mar', 'nor', 'ost', 'pel', 'qua', 'ri', 'sel', 'tam', 'ur', 'wyn', 'yl', 'zor', 'bel', 'cor', 'del']
const COMMON = ['the', 'and', 'she', 'he', 'they', 'was', 'had', 'said', 'night', 'light', 'sea', 'house', 'letter', 'winter', 'road', 'river', 'storm', 'quiet', 'silver', 'ember', 'harbour', 'garden', 'window', 'door', 'hand', 'voice', 'morning', 'never', 'again', 'before', 'after', 'under', 'over', 'into', 'through', 'don\'t', 'couldn\'t', 'half-light', 'well-kept']
const TITLE_WORDS = ['Moonlit', 'Ash', 'Silver', 'Quiet', 'Harbour', 'Ember', 'Road', 'Letters', 'Winter', 'Orchard', 'Lighthouse', 'Tide', 'Crown', 'Cinders', 'Station', 'Orbit', 'Dusk', 'Crosswinds', 'Salt', 'Ledger', 'Glass', 'Feather', 'Iron', 'Lantern', 'Meridian', 'Hollow', 'Thorn', 'Vesper', 'Cartographer', 'Archive']
const TAGS = Array.from({length: 400}, (_, i) => `${TITLE_WORDS[i % TITLE_WORDS.length].toLowerCase()} ${['au', 'angst', 'fluff', 'hurt/comfort', 'slow burn', 'found family', 'fix-it', 'canon divergence'][i % 8]}${i >= 240 ? ` ${i}` : ''}`)

function rng(seed: number) {
  let state = seed >>> 0
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0
    return state / 4294967296
  }
}

export function* generateArchive(options: ArchiveOptions): Generator<ArchiveDocument> {
  const random = rng(options.seed ?? 7)
  const int = (n: number) => Math.floor(random() * n)
  const pick = <T>(list: readonly T[]): T => list[int(list.length)]
  const chance = (p: number) => random() < p
  const messy = options.messy ?? false
  const [minBytes, maxBytes] = options.bodyBytes ?? [2000, 5000]
  const shape = archiveShape(options.stories)
  const ref = (id: string, key?: string) => ({_type: 'reference', _ref: id, ...(key ? {_key: key} : {})})
  const slug = (current: string) => ({_type: 'slug', current})
  const name = () => {
    const n = 2 + int(2)
    let word = ''
    for (let i = 0; i < n; i++) word += pick(SYLLABLES)
    return word[0].toUpperCase() + word.slice(1)
  }
  const sentence = () => {
    const n = 6 + int(14)
    const words: string[] = []
    for (let i = 0; i < n; i++) words.push(chance(0.7) ? pick(COMMON) : name().toLowerCase())
    const text = words.join(' ')
    return text[0].toUpperCase() + text.slice(1) + pick(['.', '.', '.', '!', '?'])
  }
  const paragraph = () => Array.from({length: 2 + int(5)}, sentence).join(' ')
  let keySeq = 0
  const key = () => (keySeq++).toString(36)
  const portableText = (bytes: number) => {
    const blocks: unknown[] = []
    let size = 0
    while (size < bytes) {
      if (blocks.length > 0 && chance(0.05)) {
        blocks.push({_type: 'sceneBreak', _key: key(), style: 'asterisks'})
        continue
      }
      const text = paragraph()
      size += text.length + 120
      const style = chance(0.05) ? 'blockquote' : 'normal'
      const marked = chance(0.15)
      blocks.push({
        _type: 'block',
        _key: key(),
        style,
        markDefs: [],
        children: marked
          ? [
              {_type: 'span', _key: key(), text: text.slice(0, 40), marks: ['em']},
              {_type: 'span', _key: key(), text: text.slice(40), marks: []},
            ]
          : [{_type: 'span', _key: key(), text, marks: []}],
      })
    }
    return blocks
  }
  const date = (from: number, to: number) => new Date(Date.UTC(from, 0, 1) + int((to - from) * 365 * 86_400_000)).toISOString()

  for (const rating of RATING_SEED) yield {...rating}
  const fandomTitles: string[] = []
  for (let i = 0; i < shape.fandoms; i++) {
    const title = `${pick(TITLE_WORDS)} ${name()} ${i}`
    fandomTitles.push(title)
    yield {
      _id: `fandom.${i}`,
      _type: 'fandom',
      title,
      slug: slug(`fandom-${i}`),
      aliases: chance(0.3) ? [`${name()} ${i}`] : [],
      mediaType: pick(['book', 'tv', 'film', 'game', 'anime', 'radio']),
      rightsHolders: [`${name()} Studios`],
      isOriginalWork: i === 0,
      ...(i > 10 && chance(0.2) ? {parent: ref(`fandom.${int(10)}`)} : {}),
    }
  }
  for (let i = 0; i < shape.authors; i++) {
    yield {
      _id: `author.${i}`,
      _type: 'author',
      name: `${name()} ${name()}`,
      slug: slug(`author-${i}`),
      aliases: chance(0.3) ? [name().toLowerCase()] : [],
      ...(chance(0.2) ? {bio: portableText(200)} : {}),
    }
  }
  for (let i = 0; i < shape.series; i++) {
    yield {_id: `series.${i}`, _type: 'series', title: `The ${pick(TITLE_WORDS)} Cycle ${i}`, slug: slug(`series-${i}`), complete: chance(0.5)}
  }
  yield {_id: '_.releases.rA', _type: 'system.release', name: 'rA', state: 'active', metadata: {title: 'Spring issue', releaseType: 'undecided'}}

  const seriesParts = new Map<number, number>()
  for (let i = 0; i < options.stories; i++) {
    const id = `story.${i}`
    const title = `${pick(TITLE_WORDS)} ${pick(TITLE_WORDS)} ${name()}`
    const chaptered = chance(0.05)
    const body = chaptered ? [] : portableText(minBytes + int(maxBytes - minBytes))
    const chapterIds: string[] = []
    if (chaptered) {
      const n = 2 + int(3)
      for (let c = 0; c < n; c++) {
        const chapterBody = portableText(minBytes / 2 + int(minBytes))
        const chapterId = `${id}.ch${c + 1}`
        chapterIds.push(chapterId)
        yield {_id: chapterId, _type: 'chapter', title: `Chapter ${c + 1}: ${pick(TITLE_WORDS)}`, body: chapterBody, wordCount: countPortableTextWords(chapterBody)}
      }
    }
    const fandomIndexes = [int(shape.fandoms), ...(chance(0.15) ? [int(shape.fandoms)] : [])]
    const publishedAt = date(2005, 2026)
    const story: ArchiveDocument = {
      _id: id,
      _type: 'story',
      title,
      slug: slug(`story-${i}`),
      authors: [ref(`author.${int(shape.authors)}`, 'a0'), ...(chance(0.05) ? [ref(`author.${int(shape.authors)}`, 'a1')] : [])],
      fandoms: fandomIndexes.map((f, k) => ref(`fandom.${f}`, `f${k}`)),
      rating: ref(pick(RATING_SEED)._id),
      warnings: chance(0.6) ? ['no-archive-warnings-apply'] : [pick(WARNINGS).value, ...(chance(0.3) ? [pick(WARNINGS).value] : [])],
      categories: [pick(CATEGORIES).value],
      characters: Array.from({length: int(4)}, () => `${name()} ${name()}`),
      relationships: chance(0.4) ? [`${name()}/${name()}`] : [],
      tags: Array.from({length: int(6)}, () => pick(TAGS)),
      language: chance(0.85) ? 'en' : pick(LANGUAGES).value,
      status: chance(0.7) ? 'complete' : 'in-progress',
      summary: `${sentence()} ${sentence()}`,
      disclaimer: `I don't own ${fandomTitles[fandomIndexes[0]]}; it belongs to its creators. No infringement intended.`,
      ...(chance(0.3) ? {notes: portableText(150)} : {}),
      body,
      ...(chaptered ? {chapters: chapterIds.map((c, k) => ref(c, `c${k}`))} : {}),
      wordCount: countPortableTextWords(body),
      publishedAt,
      ...(chance(0.4) ? {updatedAt: date(Number(publishedAt.slice(0, 4)), 2026)} : {}),
      ...(chance(0.2) ? {originalPublication: {_type: 'partialDate', year: 1998 + int(10), ...(chance(0.5) ? {month: 1 + int(12)} : {})}} : {}),
      _createdAt: publishedAt,
      _updatedAt: date(2024, 2026),
    }
    if (chance(0.1)) {
      const s = int(shape.series)
      const position = (seriesParts.get(s) ?? 0) + 1
      seriesParts.set(s, position)
      story.series = [{_type: 'seriesEntry', _key: 's0', series: ref(`series.${s}`), position}]
    }
    if (messy) {
      if (chance(0.08)) delete story.publishedAt
      if (chance(0.03)) story.publishedAt = null
      if (chance(0.02)) story.wordCount = String(story.wordCount)
      if (chance(0.03)) delete story.wordCount
      if (chance(0.02)) story.title = null
      if (chance(0.02)) story.tags = 'angst'
      if (chance(0.02)) delete story.slug
      if (chance(0.03)) story.updatedAt = null
      if (chance(0.02)) delete story.warnings
      if (chance(0.01)) story.status = 3
    }
    const unpublished = chance(0.01)
    if (!unpublished) yield story
    if (unpublished || chance(0.03)) {
      yield {...story, _id: `drafts.${id}`, title: `${title}${unpublished ? '' : ' (revised)'}`, summary: `${sentence()} ${story.summary as string}`, _updatedAt: date(2025, 2026)}
    }
    if (chance(0.003)) yield {...story, _id: `versions.rA.${id}`, title: `${title} (spring issue)`}
  }
}

/**
 * Stores a generated archive in `dataset` through the store's streaming import (as
 * `npm run lake -- import` does), keeping the documents' own timestamps; `each` sees every
 * document on its way. Returns how many documents were stored.
 */
export function importArchive(store: Pick<Store, 'importNdjson'>, dataset: string, options: ArchiveOptions, each?: (doc: ArchiveDocument) => void): number {
  let count = 0
  function* lines() {
    for (const doc of generateArchive(options)) {
      count++
      each?.(doc)
      yield JSON.stringify(doc)
    }
  }
  store.importNdjson(dataset, lines(), {keepTimestamps: true})
  return count
}
