import {readdirSync, readFileSync, statSync} from 'node:fs'
import {join, relative} from 'node:path'
import {toPlainText} from '../../rules'
import {buildStoryDocuments} from '../../scripts/import/documents'
import {EntityDirectory, sha256} from '../../scripts/import/entities'
import {parseBytes} from '../../scripts/import/read-file'
import {buildZip} from './helpers'

type Doc = Record<string, any>

/** An EPUB fixture kept unpacked (readable, diffable) and zipped the way EPUB wants: mimetype first, stored. */
export function zipFolder(dir: string): Buffer {
  const files: string[] = []
  const walk = (at: string) => {
    for (const name of readdirSync(at).sort()) {
      const path = join(at, name)
      if (statSync(path).isDirectory()) walk(path)
      else files.push(relative(dir, path).split('\\').join('/'))
    }
  }
  walk(dir)
  const ordered = ['mimetype', ...files.filter((name) => name !== 'mimetype')]
  return buildZip(ordered.map((name) => ({name, data: readFileSync(join(dir, name)), store: name === 'mimetype'})))
}

export interface ChapterReading {
  title?: string
  paragraphs: number
  summary?: string
  notes?: string
  endNotes?: string
}

/** Everything an editor would check after importing a file, in one plain object. */
export interface Reading {
  title: string
  authors: string[]
  fandoms: string[]
  rating: string
  warnings: string[]
  categories?: string[]
  relationships?: string[]
  characters?: string[]
  tags?: string[]
  summary?: string
  disclaimer?: string
  notes?: string
  endNotes?: string
  chapters: ChapterReading[]
  published?: string
  updated?: string
  status?: string
  words: number
  sourceUrl?: string
  series?: string[]
}

function paragraphs(body: Doc[] | undefined): number {
  return (body ?? []).filter((block) => block._type === 'block').length
}

function dateText(date: {year: number; month?: number; day?: number} | undefined): string | undefined {
  if (!date) return undefined
  return [String(date.year).padStart(4, '0'), date.month && String(date.month).padStart(2, '0'), date.day && String(date.day).padStart(2, '0')].filter(Boolean).join('-')
}

/** Reads one file's bytes through the importer and states the whole reading. */
export function readingOf(bytes: Buffer, fileName: string): Reading & {text: string[]} {
  const read = parseBytes(bytes, fileName)
  const directory = new EntityDirectory()
  const docs = buildStoryDocuments(read.work, {fileName, format: read.format, checksum: sha256(bytes), directory})
  const byId = new Map(docs.created.map((doc) => [doc._id, doc as Doc]))
  const story = docs.story as Doc
  const names = (refs: Doc[] | undefined) => (refs ?? []).map((ref) => byId.get(ref._ref)?.name ?? byId.get(ref._ref)?.title ?? ref._ref)
  const chapterDocs: Doc[] = docs.chapters.length ? docs.chapters : [{title: undefined, body: story.body}]
  const plain = (blocks: Doc[] | undefined) => (blocks && blocks.length ? toPlainText(blocks as never) : undefined)
  return {
    title: story.title,
    authors: names(story.authors),
    fandoms: names(story.fandoms),
    rating: story.rating._ref,
    warnings: story.warnings,
    categories: story.categories,
    relationships: story.relationships,
    characters: story.characters,
    tags: story.tags,
    summary: story.summary,
    disclaimer: story.disclaimer,
    notes: plain(story.notes),
    endNotes: plain(story.endNotes),
    chapters: chapterDocs.map((chapter) => {
      const out: ChapterReading = {title: chapter.title, paragraphs: paragraphs(chapter.body)}
      if (chapter.summary) out.summary = chapter.summary
      if (chapter.notes) out.notes = plain(chapter.notes)
      if (chapter.endNotes) out.endNotes = plain(chapter.endNotes)
      return out
    }),
    published: dateText(story.originalPublication),
    updated: story.updatedAt?.slice(0, 10),
    status: story.status,
    words: story.wordCount,
    sourceUrl: read.work.sourceUrl,
    series: (story.series ?? []).map((entry: Doc) => `${byId.get(entry.series._ref)?.title ?? entry.series._ref} #${entry.position}`),
    text: chapterDocs.map((chapter) => toPlainText(chapter.body ?? [])),
  }
}
