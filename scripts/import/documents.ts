/**
 * Document assembly: a parsed work becomes the story, chapter and entity documents, with
 * deterministic ids and keys, the publishing checks run, and drafts decided.
 */
import {
  ARCHIVE_CHECK_OPTIONS,
  checkStory,
  type CheckOptions,
  countPortableTextWords,
  type FandomForChecks,
  type Finding,
  hasErrors,
  mapRating,
  matchCategory,
  splitGenres,
  matchLanguage,
  matchStatus,
  matchWarning,
  partialDateToDateTime,
  RATING_SEED,
  slugFor,
  STORY_TITLE_MAX,
  type StoryStatus,
} from '../../rules'
import {type BodyBlock, counterKeys, rekeyBlocks, type TextBlock} from './blocks'
import type {PartialDate} from './header'
import {type EntityDirectory, reference, resolveAuthors, resolveFandoms, resolveSeries, type SanityDoc} from './entities'
import {type ImportFormat, listOf, type ParsedWork, textOf} from './work'

/** Import-specific reasons a story can't be published as is (next to the rules' findings). */
export interface ImportFinding {
  code: string
  level: 'error' | 'warning'
  field: string
  message: string
  hint?: string
}

/** How co-authors are listed in one header field: "A, B & C", "A and B". */
export const AUTHOR_SEPARATORS = /\s*(?:[,;\n]|\s&\s|\band\b)\s*/

export interface StoryDocuments {
  storyId: string
  /** The story document (id `drafts.<storyId>` when it needs an editor first). */
  story: SanityDoc
  chapters: SanityDoc[]
  /** Authors, fandoms and series this story created (not those that already existed). */
  created: SanityDoc[]
  isDraft: boolean
  findings: Array<Finding | ImportFinding>
  notices: string[]
  title: string
  words: number
}

export interface BuildOptions {
  /** The work's id (work-identity.ts); without one, the file's bytes name the story. */
  storyId?: string
  /** The work's canonical URL, kept in `source.url`. */
  sourceUrl?: string
  fileName: string
  format: ImportFormat
  checksum: string
  /** Set only when writing to a dataset: NDJSON output stays byte-identical across runs. */
  importedAt?: string
  /** `publishedAt` for a story whose file gives no date (CLI --published-at); else importedAt. */
  publishedAt?: string
  directory: EntityDirectory
  /** Defaults to the archive's policy, ARCHIVE_CHECK_OPTIONS. */
  checkOptions?: Partial<CheckOptions>
}

const STORY_NOTE_STYLES = new Set(['normal', 'blockquote'])

/** `storyNotes` is simpler than `storyBody`: plain paragraphs and quotes, em/strong and links. */
export function toNoteBlocks(blocks: readonly BodyBlock[]): TextBlock[] {
  const out: TextBlock[] = []
  for (const block of blocks) {
    if (block._type === 'authorsNote') {
      out.push({_type: 'block', _key: block._key, style: 'normal', children: [{_type: 'span', _key: `${block._key}s`, text: block.text, marks: []}], markDefs: []})
      continue
    }
    if (block._type !== 'block') continue
    const links = new Set(block.markDefs.map((def) => def._key))
    out.push({
      _type: 'block',
      _key: block._key,
      style: STORY_NOTE_STYLES.has(block.style) ? block.style : 'normal',
      children: block.children.map((span) => ({...span, marks: span.marks.filter((mark) => mark === 'em' || mark === 'strong' || links.has(mark))})),
      markDefs: block.markDefs,
    })
  }
  return out
}

function textToNotes(text: string | undefined): TextBlock[] | undefined {
  if (!text) return undefined
  const keys = counterKeys('t')
  return text
    .split(/\n{2,}/)
    .map((para) => para.trim())
    .filter(Boolean)
    .map((para) => ({_type: 'block' as const, _key: keys(), style: 'normal', children: [{_type: 'span' as const, _key: keys(), text: para, marks: []}], markDefs: []}))
}

function withKeys<T extends BodyBlock>(blocks: T[] | undefined): T[] | undefined {
  return blocks && blocks.length ? rekeyBlocks(blocks, counterKeys()) : undefined
}

/** Status, Completed or "Chapters: 3/3" as the file gives them; nothing when it gives none. */
function statusOf(work: ParsedWork): StoryStatus | undefined {
  const said = matchStatus(textOf(work.meta.status) ?? '')
  if (said) return said
  const count = /^(\d+)\s*\/\s*(\d+|\?)$/.exec(textOf(work.meta.chapter) ?? '')
  if (count) return count[1] === count[2] ? 'complete' : 'in-progress'
  return undefined
}

function partialDate(date: PartialDate | undefined): PartialDate | undefined {
  if (!date) return undefined
  const out: PartialDate = {year: date.year}
  if (date.month) out.month = date.month
  if (date.day) out.day = date.day
  return out
}

/** The first moment of the known period: 2004 -> 2004-01-01, 2004-03 -> 2004-03-01 (UTC). */
export {partialDateToDateTime}

function dropUndefined(doc: Record<string, unknown>): Record<string, unknown> {
  for (const key of Object.keys(doc)) if (doc[key] === undefined) delete doc[key]
  return doc
}

/**
 * Turns a parsed work into Sanity documents with deterministic ids and keys, runs the publishing
 * checks, and decides published vs draft. Authors and fandoms are looked up (by normalised name
 * and aliases) before new ones are created.
 */
export function buildStoryDocuments(work: ParsedWork, options: BuildOptions): StoryDocuments {
  const storyId = options.storyId ?? `story.${options.checksum.slice(0, 20)}`
  const notices = [...work.notices]
  const findings: Array<Finding | ImportFinding> = []
  const created: SanityDoc[] = []
  const {directory} = options

  const fallbackTitle = options.fileName.replace(/^.*[\\/]/, '').replace(/\.[^.]+$/, '')
  const title = (work.title ?? textOf(work.meta.title) ?? fallbackTitle).replace(/\s+/g, ' ').trim().slice(0, STORY_TITLE_MAX) || fallbackTitle

  // "Category" holds AO3 categories (F/M), genre words (Angst, Romance: tags, never fandoms) or,
  // as download tools write it, the fandom itself.
  const categories: string[] = []
  const tags = listOf(work.meta.tags)
  const fandomNames = listOf(work.meta.fandom)
  const fandomGiven = fandomNames.length > 0
  for (const item of listOf(work.meta.category)) {
    const category = matchCategory(item)
    const genres = category ? null : splitGenres(item)
    if (category) {
      if (!categories.includes(category)) categories.push(category)
    } else if (genres) tags.push(...genres)
    else if (!fandomGiven) fandomNames.push(item)
    else tags.push(item)
  }
  const warnings: string[] = []
  for (const item of listOf(work.meta.warnings)) {
    const warning = matchWarning(item)
    if (warning) {
      if (!warnings.includes(warning)) warnings.push(warning)
    } else tags.push(item)
  }
  for (const item of listOf(work.meta.genre)) tags.push(...(splitGenres(item) ?? [item]))

  const authors = resolveAuthors(listOf(work.meta.author, AUTHOR_SEPARATORS), directory, created)
  const fandoms = resolveFandoms(fandomNames, directory, created, {work, notices})
  if (!authors.refs.length) findings.push({code: 'import.no-author', level: 'error', field: 'authors', message: 'No author found in the file', hint: 'Add an "Author:" line or pick the author in the Studio.'})
  if (!fandoms.refs.length) findings.push({code: 'import.no-fandom', level: 'error', field: 'fandoms', message: 'No fandom found in the file', hint: 'Add a "Fandom:" line or pick the fandom in the Studio.'})

  const ratingText = textOf(work.meta.rating)
  const rating = mapRating(ratingText ?? '')
  if (!rating.matched) {
    findings.push({
      code: 'import.rating-unmapped',
      level: 'warning',
      field: 'rating',
      message: ratingText ? `Rating "${ratingText.slice(0, 60)}" matches no rating; set to Not Rated` : 'No rating in the file; set to Not Rated',
    })
  }
  const ratingId = RATING_SEED.some((seed) => seed._id === rating.id) ? rating.id : 'rating.not-rated'

  const languageText = textOf(work.meta.language)
  const matchedLanguage = languageText ? matchLanguage(languageText) : null
  const language = matchedLanguage ?? 'en'
  if (languageText && !matchedLanguage) notices.push(`language "${languageText.slice(0, 40)}" is not in the archive's list; set to English`)
  const seriesEntries = resolveSeries(listOf(work.meta.series, /\s*[\n;]\s*/), directory, created, notices)
  const summary = textOf(work.meta.summary)
  const disclaimer = textOf(work.meta.disclaimer)
  const multiChapter = work.chapters.length > 1
  const chapterBodies = work.chapters.map((chapter) => withKeys(chapter.body) ?? [])
  // Counted once per chapter (readers that had to count already say so); the story sums them.
  const chapterWords = work.chapters.map((chapter, n) => chapter.words ?? countPortableTextWords(chapterBodies[n]!))
  const words = chapterWords.reduce((sum, count) => sum + count, 0)

  const ruleFindings = checkStory(
    {summary, disclaimer, body: chapterBodies[0] ?? []},
    fandoms.entities.map((entity): FandomForChecks => directory.fandomKnowledge.forChecks(entity._id) ?? {title: entity.name, aliases: entity.aliases, rightsHolders: []}),
    // The archive's policy unless a caller (a test, a bench) asks otherwise: the Studio guard judges
    // imported stories by the same standard.
    options.checkOptions ?? ARCHIVE_CHECK_OPTIONS,
    directory.fandomKnowledge.catalogue,
  )
  findings.unshift(...ruleFindings)
  const isDraft = hasErrors(ruleFindings) || findings.some((finding) => finding.level === 'error')
  const id = isDraft ? `drafts.${storyId}` : storyId

  const chapters: SanityDoc[] = multiChapter
    ? work.chapters.map((chapter, n) => {
        const chapterId = `${storyId}.ch${n + 1}`
        return dropUndefined({
          _id: isDraft ? `drafts.${chapterId}` : chapterId,
          _type: 'chapter',
          title: (chapter.title ?? `Chapter ${n + 1}`).slice(0, 255),
          summary: chapter.summary,
          notes: withKeys(chapter.notes ? toNoteBlocks(chapter.notes) : undefined),
          body: chapterBodies[n],
          endNotes: withKeys(chapter.endNotes ? toNoteBlocks(chapter.endNotes) : undefined),
          wordCount: chapterWords[n],
        }) as SanityDoc
      })
    : []

  // Reader lists show only stories with publishedAt. The file's own date wins; a draft gets no
  // other date, since the Studio sets publishedAt when an editor publishes it.
  const originalPublication = partialDate(work.originalPublication)
  const publishedAt = originalPublication ? partialDateToDateTime(originalPublication) : isDraft ? undefined : (options.publishedAt ?? options.importedAt)
  if (!isDraft && !publishedAt) {
    findings.push({
      code: 'import.no-publication-date',
      level: 'warning',
      field: 'publishedAt',
      message: 'No publication date in the file; the story has no publishedAt and stays out of reader lists',
      hint: 'Import again with --published-at <date>, or set "Published at" in the Studio.',
    })
  }

  const characters = listOf(work.meta.characters)
  const relationships = listOf(work.meta.pairing)
  // Header notes, spoiler warnings and (for a one-shot, which has no chapter documents) the
  // chapter's own notes all belong to the story's notes.
  const spoilers = textOf(work.meta.spoilers)
  const headerNotes = [spoilers && `Spoilers: ${spoilers}`, textOf(work.meta.authorsNote), textOf(work.meta.notes)].filter(Boolean).join('\n\n')
  const noteBlocks = [...(headerNotes ? textToNotes(headerNotes)! : []), ...(work.notes ? toNoteBlocks(work.notes) : []), ...(!multiChapter && work.chapters[0]?.notes ? toNoteBlocks(work.chapters[0].notes) : [])]
  const notes = noteBlocks.length ? noteBlocks : undefined
  const endNoteBlocks = [...(!multiChapter && work.chapters[0]?.endNotes ? toNoteBlocks(work.chapters[0].endNotes) : []), ...(work.endNotes ? toNoteBlocks(work.endNotes) : [])]
  const story = dropUndefined({
    _id: id,
    _type: 'story',
    title,
    slug: {_type: 'slug', current: directory.claimStorySlug(slugFor(title), storyId)},
    authors: authors.refs,
    fandoms: fandoms.refs,
    rating: reference(ratingId),
    // The archive requires a warning; a file that names none gets AO3's "choose not to use".
    warnings: warnings.length ? warnings : ['choose-not-to-use'],
    categories: categories.length ? categories : undefined,
    characters: characters.length ? characters : undefined,
    relationships: relationships.length ? relationships : undefined,
    tags: tags.length ? [...new Set(tags)] : undefined,
    language,
    // What the file says, or nothing: the number of chapters says nothing about whether more will come.
    status: statusOf(work),
    summary,
    disclaimer,
    notes: withKeys(notes),
    endNotes: withKeys(endNoteBlocks.length ? endNoteBlocks : undefined),
    body: multiChapter ? [] : chapterBodies[0] ?? [],
    chapters: multiChapter ? chapters.map((_, n) => reference(`${storyId}.ch${n + 1}`, `c${n + 1}`, isDraft)) : undefined,
    wordCount: words,
    publishedAt,
    updatedAt: work.updated ? partialDateToDateTime(work.updated) : undefined,
    originalPublication,
    series: seriesEntries.length ? seriesEntries : undefined,
    source: dropUndefined({
      url: options.sourceUrl,
      fileName: options.fileName,
      format: options.format,
      rawHeader: work.rawHeader,
      relatedWorks: work.provenance?.length ? work.provenance : undefined,
      importedAt: options.importedAt,
      checksum: options.checksum,
    }),
  }) as SanityDoc
  return {storyId, story, chapters, created, isDraft, findings, notices, title, words}
}
