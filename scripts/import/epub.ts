import {posix} from 'node:path'
import type {ChildNode, Document, Element} from 'domhandler'
import {DomUtils} from 'htmlparser2'
import {isAo3Layout, readAo3} from './ao3'
import {mapSubjects, readFanFicFareEpub, type SpineDoc} from './fanficfare'
import {countPortableTextWords} from '../../rules'
import {isSceneBreakLine} from './header'
import {decodeText, sniffDeclaredCharset} from './decode'
import {takeChapterDisclaimers} from './disclaimers'
import {BlankTextError, ImportError} from './errors'
import {parseGenericHtmlBlocks} from './html'
import {BlockBuilder} from './html-blocks'
import {limitedParser, parseDocumentLimited} from './markup-limits'
import {type BodyBlock, blockText, counterKeys, type TextBlock, tidyStoryBlocks} from './blocks'
import {type ParsedChapter, type ParsedWork, readDate} from './work'
import {DEFAULT_ZIP_LIMITS, openZip, type ZipLimits} from './zip'

const {findAll, findOne, textContent} = DomUtils

function localName(el: Element): string {
  const name = el.name.toLowerCase()
  const colon = name.indexOf(':')
  return colon >= 0 ? name.slice(colon + 1) : name
}

function xml(text: string): Document {
  return parseDocumentLimited(text, {xmlMode: true, decodeEntities: true})
}

function clean(text: string): string {
  return text.replace(/\s+/g, ' ').trim()
}

function resolveHref(base: string, href: string): string {
  const path = href.split('#')[0]!
  let decoded = path
  try {
    decoded = decodeURIComponent(path)
  } catch {
    // A malformed escape stays as written; the entry lookup then fails with a clear message.
  }
  return posix.normalize(posix.join(posix.dirname(base), decoded)).replace(/^\.\//, '')
}

interface ContentDoc {
  blocks: BodyBlock[]
  sourceTags: Map<TextBlock, string>
  title?: string
}

function convertXhtml(text: string): ContentDoc {
  const builder = new BlockBuilder(counterKeys())
  let title: string | undefined
  let inTitle = false
  const parser = limitedParser(
    {
      onopentag: (name, attrs) => {
        if (name === 'title') inTitle = true
        builder.onopentag(name, attrs)
      },
      ontext: (t) => {
        if (inTitle) title = (title ?? '') + t
        builder.ontext(t)
      },
      onclosetag: (name) => {
        if (name === 'title') inTitle = false
        builder.onclosetag(name)
      },
    },
    {decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true},
  )
  parser.end(text)
  return {blocks: builder.finish(), sourceTags: builder.sourceTags, title: title ? clean(title) || undefined : undefined}
}

/**
 * EPUB: container.xml -> OPF (Dublin Core metadata, spine order) -> XHTML chapters through the
 * HTML converter. A title page of `Label: value` rows (as download tools write) supplies the
 * header fields; ZIP reading is bounded against zip bombs.
 */
export function parseEpub(bytes: Buffer, file: string, limits: ZipLimits = DEFAULT_ZIP_LIMITS): ParsedWork {
  const zip = openZip(bytes, file, limits)
  const bad = (why: string) => new ImportError(file, `malformed EPUB: ${why}`)
  const readText = (name: string, blank?: 'skip'): string | undefined => {
    const data = zip.read(name)
    try {
      return decodeText(data, file, {encoding: sniffDeclaredCharset(data)}).text
    } catch (error) {
      if (blank === 'skip' && error instanceof BlankTextError) return undefined
      if (error instanceof ImportError) throw new ImportError(file, `archive entry "${name.slice(0, 80)}": ${error.reason}`)
      throw error
    }
  }
  const readRequired = (name: string): string => readText(name)!
  if (!zip.entries.has('META-INF/container.xml')) throw bad('no META-INF/container.xml')
  const container = xml(readRequired('META-INF/container.xml'))
  const rootfile = findOne((el) => localName(el) === 'rootfile', container.children)
  const opfPath = rootfile?.attribs['full-path']
  if (!opfPath) throw bad('container.xml names no rootfile')
  const opf = xml(readRequired(opfPath))
  const dc = (name: string) => findAll((el) => el.name.toLowerCase() === `dc:${name}` || localName(el) === name, opf.children)
  const first = (name: string) => {
    const el = dc(name)[0]
    const text = el ? clean(textContent(el)) : ''
    return text || undefined
  }
  /** dc:date by opf:event; calibre writes one undated dc:date ("0101-01-01" when it has none). */
  const opfDate = (event: 'publication' | 'modification'): string | undefined => {
    const dates = dc('date')
    const byEvent = dates.find((el) => (el.attribs['opf:event'] ?? el.attribs.event ?? '').toLowerCase() === event)
    const plain = event === 'publication' ? dates.find((el) => !(el.attribs['opf:event'] ?? el.attribs.event)) : undefined
    const el = byEvent ?? plain
    return el ? clean(textContent(el)) : undefined
  }
  const manifest = new Map<string, {href: string; mediaType: string; properties: string}>()
  for (const item of findAll((el) => localName(el) === 'item', opf.children)) {
    if (item.attribs.id && item.attribs.href) {
      manifest.set(item.attribs.id, {
        href: resolveHref(opfPath, item.attribs.href),
        mediaType: item.attribs['media-type'] ?? '',
        properties: item.attribs.properties ?? '',
      })
    }
  }
  const spine = findAll((el) => localName(el) === 'itemref', opf.children)
    .map((ref) => manifest.get(ref.attribs.idref ?? ''))
    .filter((item): item is NonNullable<typeof item> => item !== undefined && !item.properties.includes('nav'))
  if (!spine.length) throw bad('the OPF spine lists no readable documents')

  const meta: ParsedWork['meta'] = {}
  const creators = dc('creator').map((el) => clean(textContent(el))).filter(Boolean)
  if (creators.length) meta.author = creators
  const subjects = dc('subject').map((el) => clean(textContent(el))).filter(Boolean)
  const description = first('description')
  // Download tools escape HTML into dc:description.
  if (description) meta.summary = clean(description.replace(/<[^>]*>/g, ' '))
  const language = first('language')
  if (language) meta.language = language
  // calibre (and download tools writing for it) keep the series in OPF meta; the index is a
  // float there ("3.0"), so only a whole number becomes a part number.
  const opfMeta = (name: string) => clean(findOne((el) => localName(el) === 'meta' && el.attribs.name === name, opf.children)?.attribs.content ?? '')
  const seriesName = opfMeta('calibre:series')
  if (seriesName) {
    const index = Number(opfMeta('calibre:series_index'))
    meta.series = Number.isInteger(index) && index >= 1 ? `${seriesName} [${index}]` : seriesName
  }

  // AO3's EPUB is calibre's conversion of its HTML download: read with the same walker.
  const identifiers = [...dc('identifier'), ...dc('source')].map((el) => clean(textContent(el)))
  const fromAo3 = /archive of our own/i.test(first('publisher') ?? '') || identifiers.some((id) => /archiveofourown\.org/i.test(id))
  let parsedSpine: SpineDoc[] | undefined
  const spineDocs = (): SpineDoc[] =>
    (parsedSpine ??= spine.flatMap((item) => {
      const text = readText(item.href, 'skip')
      if (text === undefined) return []
      const doc = parseDocumentLimited(text, {decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true})
      const body = findOne((el) => el.name === 'body', doc.children)
      return [{href: item.href, nodes: body ? body.children : doc.children}]
    }))
  /** OPF metadata a tool's reader did not find in the book's own pages. */
  const withOpf = (work: ParsedWork): ParsedWork => {
    work.title ??= first('title')
    for (const [field, value] of Object.entries(meta)) (work.meta as Record<string, unknown>)[field] ??= value
    if (!work.chapters.some((chapter) => chapter.body.length)) throw bad('no chapter text found in the spine')
    return work
  }
  if (fromAo3 || spine.slice(0, 2).some((item) => /posted originally on the|<dl[\s>]/i.test(readText(item.href, 'skip') ?? ''))) {
    const docs = spineDocs()
    // The OPF's subjects repeat the preface's tags (plus "Fanworks"); the preface is the source.
    if (fromAo3 || docs.some((doc) => isAo3Layout(doc.nodes))) return withOpf(readAo3(docs.map((doc) => doc.nodes), 'epub'))
  }
  const opfText = textContent(opf)
  const fromFanFicFare = /FanFicFare|fanficdownloader/i.test(opfText) || spine.slice(0, 3).some((item) => /\bfff_(titlepage|chapter)\b/.test(readText(item.href, 'skip') ?? ''))
  if (fromFanFicFare) {
    const work = readFanFicFareEpub(spineDocs(), {
      subjects: dc('subject').map((el) => clean(textContent(el))),
      source: first('source'),
      published: opfDate('publication'),
      updated: opfDate('modification'),
    })
    return withOpf(work)
  }

  const chapters: ParsedChapter[] = []
  const tidyKeys = counterKeys('t')
  let rawHeader: string | undefined
  let pageFacts: ParsedWork | undefined
  const notices: string[] = []
  // Short text on a header page is usually a title page's leftovers, unless the book has no other text (a drabble).
  const shortHeaderChapters: ParsedChapter[] = []
  spine.forEach((item, index) => {
    // Tools leave blank entries in spines; one must not cost the whole book.
    const text = readText(item.href, 'skip')
    if (text === undefined) return
    const content = convertXhtml(text)
    if (!content.blocks.length) return
    if (/(^|\/)(toc|nav)[^/]*$/i.test(item.href) && chapters.length === 0) return
    // A table of contents page: a "Contents" heading over a list of chapter names.
    if (content.blocks[0]?._type === 'block' && /^(table of )?contents$/i.test(clean(blockText(content.blocks[0]))) && content.blocks.length <= 200) return
    if (index < 3 && chapters.length === 0) {
      const page = parseGenericHtmlBlocks(content.blocks, content.sourceTags, undefined, 'epub')
      const labelled = Object.keys(page.meta).length
      if (labelled >= 2) {
        for (const [field, value] of Object.entries(page.meta)) {
          ;(meta as Record<string, unknown>)[field] ??= value
        }
        rawHeader = page.rawHeader
        pageFacts = page
        notices.push(...page.notices)
        // A first chapter that opens with a header keeps its text; a bare title page has none.
        // The page's chapters already had their disclaimers taken out, so the count stays true.
        for (const chapter of page.chapters) {
          const words = countPortableTextWords(chapter.body)
          const counted = {...chapter, title: chapter.title ?? content.title, words}
          if (words >= 50) chapters.push(counted)
          else if (words > 0) shortHeaderChapters.push(counted)
        }
        return
      }
    }
    let blocks = content.blocks
    let title: string | undefined
    const head = blocks[0]
    if (head?._type === 'block' && /^h[1-4]$/.test(content.sourceTags.get(head) ?? '')) {
      title = clean(blockText(head))
      blocks = blocks.slice(1)
    }
    chapters.push({title: title ?? content.title, body: tidyStoryBlocks(blocks, tidyKeys, isSceneBreakLine)})
  })
  if (!chapters.length) chapters.push(...shortHeaderChapters)
  if (!chapters.length) throw bad('no chapter text found in the spine')
  const disclaimer = takeChapterDisclaimers(chapters.filter((chapter) => chapter.words === undefined))
  if (disclaimer && !meta.disclaimer) meta.disclaimer = disclaimer
  const work: ParsedWork = {format: 'epub', source: pageFacts ? 'generic' : 'calibre', title: first('title'), meta, rawHeader, chapters, notices}
  work.originalPublication = pageFacts?.originalPublication ?? readDate(opfDate('publication'))
  work.updated = pageFacts?.updated ?? readDate(opfDate('modification'))
  work.sourceUrl = pageFacts?.sourceUrl ?? [first('source'), ...identifiers].find((id) => id && /^https?:\/\//i.test(id))
  if (pageFacts?.unknownLabels) work.unknownLabels = pageFacts.unknownLabels
  // Subjects repeat the header's fandom, genre, characters and status as tags; each goes where it belongs.
  mapSubjects(subjects, work)
  return work
}
