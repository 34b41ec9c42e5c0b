import {writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {parseSeriesLabel} from '../../scripts/import/header'
import {DatasetSink, loadDirectory} from '../../scripts/import/dataset-sink'
import {buildStoryDocuments} from '../../scripts/import/documents'
import {EntityDirectory} from '../../scripts/import/entities'
import {parseHtml} from '../../scripts/import/html'
import {importFiles} from '../../scripts/import/run'
import {startLake, type TestLake} from '../lake/helpers'
import {parseBytes} from '../../scripts/import/read-file'
import {buildEpub, buildZip, importToNdjson, tempDir} from './helpers'

type Doc = Record<string, any> & {_id: string; _type: string}

describe('parseSeriesLabel', () => {
  it.each([
    ['Orchard Saga, Part 2', 'Orchard Saga', 2],
    ['Orchard Saga (2)', 'Orchard Saga', 2],
    ['Part 2 of Orchard Saga', 'Orchard Saga', 2],
    ['Part 3 of the Orchard Saga series', 'Orchard Saga', 3],
    ['Orchard Saga [2]', 'Orchard Saga', 2],
    ['Orchard Saga #2', 'Orchard Saga', 2],
    ['Orchard Saga - Book 2', 'Orchard Saga', 2],
    ['Orchard Saga – Book Two', 'Orchard Saga', 2],
    ['Orchard Saga: Part II', 'Orchard Saga', 2],
    ['Orchard Saga (Part 12)', 'Orchard Saga', 12],
    ['Orchard Saga [Book 4]', 'Orchard Saga', 4],
    ['"Orchard Saga", Part 2.', 'Orchard Saga', 2],
    ['The 100 Days, Part 5', 'The 100 Days', 5],
    // No usable number: the name alone, never linked.
    ['Orchard Saga', 'Orchard Saga', undefined],
    ["Blake's 7", "Blake's 7", undefined],
    ['Orchard Saga [2.5]', 'Orchard Saga [2.5]', undefined],
    ['Orchard Saga (0)', 'Orchard Saga (0)', undefined],
    ['Part 2', 'Part 2', undefined],
  ])('%j -> %j part %j', (label, name, position) => {
    expect(parseSeriesLabel(label)).toEqual(position === undefined ? {name} : {name, position})
  })

  it('gives nothing for an empty label', () => {
    expect(parseSeriesLabel('  ')).toBeUndefined()
  })
})

describe('series labels in the archive HTML', () => {
  const page = (series: string) =>
    `<html><body><div id="preface"><div class="meta"><dl class="tags"><dt>Fandom:</dt><dd><a>Orchard Saga</a></dd>${series}</dl><h1>Windfall</h1></div></div><div id="chapters"><div class="userstuff"><p>Apples.</p></div></div></body></html>`

  it.each([
    ['the download dl', page('<dt>Series:</dt><dd>Part 2 of <a href="/series/1">Orchard Years</a></dd>'), ['Part 2 of Orchard Years']],
    ['two series in one dd', page('<dt>Series:</dt><dd>Part 2 of <a>Orchard Years</a>, Part 1 of <a>Apples, Pears</a></dd>'), ['Part 2 of Orchard Years', 'Part 1 of Apples, Pears']],
    [
      'the work page dd with previous/next links',
      page('<dt>Series:</dt><dd class="series"><span class="series"><a class="previous">← Previous Work</a><span class="position">Part 3 of the <a>Orchard Years</a> series</span><a class="next">Next Work →</a></span></dd>'),
      ['Part 3 of the Orchard Years series'],
    ],
    [
      'a series block after the text',
      page('').replace('</body>', '<div id="series" class="series module"><h3>Series:</h3><ul><li>Part 4 of <a>Orchard Years</a></li></ul></div></body>'),
      ['Part 4 of Orchard Years'],
    ],
  ])('%s', (_, html, labels) => {
    expect(parseHtml(html).meta.series).toEqual(labels)
  })
})

/** An EPUB whose OPF carries calibre's series metadata (what calibre and download tools write). */
function calibreEpub(series: string, index: string): Buffer {
  const chapter = '<?xml version="1.0" encoding="utf-8"?><html xmlns="http://www.w3.org/1999/xhtml"><head><title>One</title></head><body><h2>One</h2><p>The bells rang twice.</p></body></html>'
  const opf = `<?xml version="1.0" encoding="utf-8"?><package version="2.0" xmlns="http://www.idpf.org/2007/opf"><metadata xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>Bells</dc:title><dc:creator>Marit Osk</dc:creator><meta name="calibre:series" content="${series}"/><meta name="calibre:series_index" content="${index}"/></metadata><manifest><item id="c1" href="c1.xhtml" media-type="application/xhtml+xml"/></manifest><spine><itemref idref="c1"/></spine></package>`
  return buildZip([
    {name: 'mimetype', data: 'application/epub+zip', store: true},
    {name: 'META-INF/container.xml', data: '<?xml version="1.0"?><container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles><rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/></rootfiles></container>'},
    {name: 'OEBPS/content.opf', data: opf},
    {name: 'OEBPS/c1.xhtml', data: chapter},
  ])
}

describe('series labels in every format reach the story', () => {
  const directory = () => new EntityDirectory()
  it.each([
    ['a plain-text header', 'a.txt', Buffer.from('Title: Bells\nAuthor: Marit Osk\nFandom: Bellringers\nSeries: Winter Bells, Part 2\n\nThe bells rang twice.\n'), 'Winter Bells', 2],
    ['download-tool HTML rows', 'a.html', Buffer.from('<html><head><title>Bells by Marit Osk</title></head><body><h3>Bells by Marit Osk</h3><div><b>Category:</b> Bellringers<br/><b>Series:</b> Winter Bells [3]<br/></div><h2>Chapter 1</h2><p>The bells rang.</p><h2>Chapter 2</h2><p>Twice.</p></body></html>'), 'Winter Bells', 3],
    ['an EPUB title page', 'a.epub', buildEpub({title: 'Bells', author: 'Marit Osk', titlePage: {Category: 'Bellringers', Series: 'Winter Bells [4]'}, chapters: [{title: 'One', paragraphs: ['The bells rang twice.']}]}), 'Winter Bells', 4],
    ["calibre's OPF series", 'a.epub', calibreEpub('Winter Bells', '5.0'), 'Winter Bells', 5],
    ["calibre's OPF series with a fractional index (not linked)", 'a.epub', calibreEpub('Winter Bells', '1.5'), 'Winter Bells', undefined],
    ['a Markdown header', 'a.md', Buffer.from('# Bells\n\nAuthor: Marit Osk\nFandom: Bellringers\nSeries: Part 6 of Winter Bells\n\nThe bells rang twice.\n'), 'Winter Bells', 6],
  ])('%s', (_, name, bytes, title, position) => {
    const read = parseBytes(bytes, name)
    const docs = buildStoryDocuments(read.work, {fileName: name, format: read.format, checksum: 'c'.repeat(64), directory: directory()})
    if (position === undefined) {
      expect(docs.story.series).toBeUndefined()
      expect(docs.notices).toContainEqual(expect.stringContaining(`series "${title}" gives no part number`))
    } else {
      expect(docs.created.filter((doc) => doc._type === 'series').map((doc) => doc.title)).toEqual([title])
      expect(docs.story.series).toMatchObject([{series: {_ref: 'series.winter-bells'}, position}])
    }
  })
})

const story = (title: string, series: string) =>
  `Title: ${title}\nAuthor: Wren Halloway\nFandom: The Glass Couriers\nRating: G\n${series}\nSummary: Ilsa and Corwin walk the lantern road for one more night.\nDisclaimer: The Glass Couriers belong to Marrow Books. Not mine.\n\n${title}: the lantern guttered twice.\n`

describe('series in the imported documents', () => {
  let dir: {path: string; cleanup: () => void}
  beforeAll(() => {
    dir = tempDir('import-series-')
    writeFileSync(join(dir.path, 'a.txt'), story('First Lantern', 'Series: Lantern Road, Part 1'))
    writeFileSync(join(dir.path, 'b.txt'), story('Second Lantern', 'Series: Lantern Road [2]'))
    // The same series written differently, plus a second series and a label without a number.
    writeFileSync(join(dir.path, 'c.html'), `<html><head><title>Third Lantern by Wren Halloway</title></head><body><h1>Third Lantern</h1><p>Author: Wren Halloway</p><p>Fandom: The Glass Couriers</p><p>Rating: G</p><p>Series: Part 3 of the lantern-road series; Couriers #7; Sequel to: Second Lantern</p><p>Summary: Ilsa and Corwin walk the lantern road for one more night.</p><p>Disclaimer: The Glass Couriers belong to Marrow Books. Not mine.</p><p>The lantern went out.</p></body></html>`)
  })
  afterAll(() => dir.cleanup())

  it('NDJSON holds each series once, stories point at it with their part numbers, and runs are byte-identical', async () => {
    const first = await importToNdjson([dir.path], join(dir.path, 'out1.ndjson'), {cwd: dir.path})
    const second = await importToNdjson([dir.path], join(dir.path, 'out2.ndjson'), {cwd: dir.path})
    expect(second.ndjson).toBe(first.ndjson)
    const series = first.docs.filter((doc) => doc._type === 'series')
    expect(series).toEqual([
      {_id: 'series.lantern-road', _type: 'series', title: 'Lantern Road', slug: {_type: 'slug', current: 'lantern-road'}},
      {_id: 'series.couriers', _type: 'series', title: 'Couriers', slug: {_type: 'slug', current: 'couriers'}},
    ])
    const stories = first.docs.filter((doc): doc is Doc => doc._type === 'story')
    expect(stories.map((doc) => [doc.title, doc.series])).toEqual([
      ['First Lantern', [{_type: 'seriesEntry', _key: 's0', series: {_type: 'reference', _ref: 'series.lantern-road'}, position: 1}]],
      ['Second Lantern', [{_type: 'seriesEntry', _key: 's0', series: {_type: 'reference', _ref: 'series.lantern-road'}, position: 2}]],
      [
        'Third Lantern',
        [
          {_type: 'seriesEntry', _key: 's0', series: {_type: 'reference', _ref: 'series.lantern-road'}, position: 3},
          {_type: 'seriesEntry', _key: 's1', series: {_type: 'reference', _ref: 'series.couriers'}, position: 7},
        ],
      ],
    ])
    // Each series document comes before the first story that references it.
    const ids = first.docs.map((doc) => doc._id)
    expect(ids.indexOf('series.lantern-road')).toBeLessThan(ids.indexOf(stories[0]!._id))
    const third = first.report.files.find((f) => f.file === 'c.html')!
    expect(third.notices).toEqual([expect.stringMatching(/^series "Sequel to: Second Lantern" gives no part number, so it is not linked/)])
    expect(first.report.files.find((f) => f.file === 'a.txt')!.notices.filter((n) => n.startsWith('series'))).toEqual([])
  })

  it('every imported story and series passes the Studio schema validation', async () => {
    const run = await importToNdjson([dir.path], join(dir.path, 'out3.ndjson'), {cwd: dir.path})
    const {validateAsStudio, pathOf} = await import('../helpers/validateAsStudio')
    const failures: string[] = []
    for (const doc of run.docs.filter((d) => d._type === 'series' || d._type === 'story')) {
      const markers = await validateAsStudio(doc, {documents: run.docs})
      for (const marker of markers.filter((m) => m.level === 'error')) failures.push(`${doc._id} ${pathOf(marker)}: ${marker.message}`)
    }
    expect(failures).toEqual([])
  })

  it('a series is never matched to an author or fandom of the same name, and two non-Latin series get distinct slugs', () => {
    const directory = new EntityDirectory()
    const build = (text: string, checksum: string) =>
      buildStoryDocuments(
        {format: 'text', meta: {author: 'Wren', fandom: 'Glass Couriers', series: text}, chapters: [{body: []}], notices: []},
        {fileName: 'x.txt', format: 'text', checksum, directory},
      )
    const a = build('Glass Couriers, Part 1\nЛампа, Part 2', 'a'.repeat(64))
    const b = build('Фонарь, Part 3', 'b'.repeat(64))
    const series = [...a.created, ...b.created].filter((doc) => doc._type === 'series')
    expect(series.map((doc) => doc.title)).toEqual(['Glass Couriers', 'Лампа', 'Фонарь'])
    const slugs = series.map((doc) => (doc.slug as {current: string}).current)
    expect(new Set(slugs).size).toBe(3)
    expect(a.story.series).toMatchObject([{series: {_ref: 'series.glass-couriers'}, position: 1}, {series: {_ref: series[1]!._id}, position: 2}])
  })
})

describe('series in a dataset', () => {
  let lake: TestLake
  let dir: {path: string; cleanup: () => void}
  beforeAll(async () => {
    lake = await startLake()
    dir = tempDir('import-series-lake-')
    writeFileSync(join(dir.path, 'a.txt'), story('First Lantern', 'Series: Lantern Road (1)'))
    writeFileSync(join(dir.path, 'b.txt'), story('Second Lantern', 'Series: Part 2 of Lantern Road'))
    writeFileSync(join(dir.path, 'c.txt'), story('Old Road', 'Series: The Old Road - Book 4'))
    // An editor already made this series, under an id of their own.
    await lake.client.create({_id: 'series-made-by-hand', _type: 'series', title: 'The Old Road', slug: {_type: 'slug', current: 'old-road'}})
  })
  afterAll(async () => {
    await lake.close()
    dir.cleanup()
  })

  it('creates a new series once, reuses an existing one by title, and a second import changes nothing', async () => {
    const importOnce = async () => {
      const directory = new EntityDirectory()
      await loadDirectory(lake.client, directory)
      return importFiles([dir.path], new DatasetSink(lake.client), {cwd: dir.path, directory, importedAt: '2026-01-01T00:00:00Z'})
    }
    const report = await importOnce()
    expect(report.totals).toMatchObject({imported: 3, rejected: 0})
    const query = '{"series": *[_type == "series"] | order(_id) {_id, title}, "stories": *[_type == "story"] | order(title) {title, "series": series[]{position, "title": series->title, "id": series._ref}}}'
    const before = await lake.client.fetch(query, {}, {perspective: 'raw'})
    expect(before).toEqual({
      series: [
        {_id: 'series-made-by-hand', title: 'The Old Road'},
        {_id: 'series.lantern-road', title: 'Lantern Road'},
      ],
      stories: [
        {title: 'First Lantern', series: [{position: 1, title: 'Lantern Road', id: 'series.lantern-road'}]},
        {title: 'Old Road', series: [{position: 4, title: 'The Old Road', id: 'series-made-by-hand'}]},
        {title: 'Second Lantern', series: [{position: 2, title: 'Lantern Road', id: 'series.lantern-road'}]},
      ],
    })
    await importOnce()
    expect(await lake.client.fetch(query, {}, {perspective: 'raw'})).toEqual(before)
  })
})
