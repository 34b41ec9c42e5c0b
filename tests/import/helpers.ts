import {mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {deflateRawSync} from 'node:zlib'
import {EntityDirectory} from '../../scripts/import/entities'
import {NdjsonSink} from '../../scripts/import/ndjson-sink'
import {type ImportOptions, type ImportReport, importFiles} from '../../scripts/import/run'

export const FIXTURES = join(import.meta.dirname, 'fixtures')

export function fixture(name: string): Buffer {
  return readFileSync(join(FIXTURES, name))
}

const CRC_TABLE = (() => {
  const table = new Uint32Array(256)
  for (let n = 0; n < 256; n++) {
    let c = n
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
    table[n] = c >>> 0
  }
  return table
})()

function crc32(data: Uint8Array): number {
  let crc = 0xffffffff
  for (const byte of data) crc = CRC_TABLE[(crc ^ byte) & 0xff]! ^ (crc >>> 8)
  return (crc ^ 0xffffffff) >>> 0
}

export interface ZipInput {
  name: string
  data: string | Buffer
  /** Store uncompressed (EPUB's mimetype entry must be). */
  store?: boolean
  /** Lie about the uncompressed size in the headers (zip bomb tests). */
  declaredSize?: number
}

/** A minimal ZIP writer for tests: local headers, data, central directory, end record. */
export function buildZip(entries: ZipInput[]): Buffer {
  const locals: Buffer[] = []
  const centrals: Buffer[] = []
  let offset = 0
  for (const entry of entries) {
    const raw = typeof entry.data === 'string' ? Buffer.from(entry.data, 'utf8') : entry.data
    const data = entry.store ? raw : deflateRawSync(raw)
    const name = Buffer.from(entry.name, 'utf8')
    const crc = crc32(raw)
    const size = entry.declaredSize ?? raw.length
    const local = Buffer.alloc(30)
    local.writeUInt32LE(0x04034b50, 0)
    local.writeUInt16LE(20, 4)
    local.writeUInt16LE(entry.store ? 0 : 8, 8)
    local.writeUInt32LE(crc, 14)
    local.writeUInt32LE(data.length, 18)
    local.writeUInt32LE(size, 22)
    local.writeUInt16LE(name.length, 26)
    const central = Buffer.alloc(46)
    central.writeUInt32LE(0x02014b50, 0)
    central.writeUInt16LE(20, 4)
    central.writeUInt16LE(20, 6)
    central.writeUInt16LE(entry.store ? 0 : 8, 10)
    central.writeUInt32LE(crc, 16)
    central.writeUInt32LE(data.length, 20)
    central.writeUInt32LE(size, 24)
    central.writeUInt16LE(name.length, 28)
    central.writeUInt32LE(offset, 42)
    locals.push(local, name, data)
    centrals.push(central, name)
    offset += local.length + name.length + data.length
  }
  const cd = Buffer.concat(centrals)
  const end = Buffer.alloc(22)
  end.writeUInt32LE(0x06054b50, 0)
  end.writeUInt16LE(entries.length, 8)
  end.writeUInt16LE(entries.length, 10)
  end.writeUInt32LE(cd.length, 12)
  end.writeUInt32LE(offset, 16)
  return Buffer.concat([...locals, cd, end])
}

export interface EpubChapter {
  title: string
  paragraphs: string[]
}

/** An EPUB the way download tools write one: title page of `Label: value` rows, then chapters. */
export function buildEpub(options: {title: string; author: string; subjects?: string[]; description?: string; titlePage?: Record<string, string>; chapters: EpubChapter[]}): Buffer {
  const xhtml = (title: string, body: string) =>
    `<?xml version="1.0" encoding="utf-8"?>\n<html xmlns="http://www.w3.org/1999/xhtml"><head><title>${title}</title></head><body>${body}</body></html>`
  const titlePage = options.titlePage
    ? xhtml(options.title, `<h3>${options.title} by ${options.author}</h3><div>${Object.entries(options.titlePage).map(([label, value]) => `<b>${label}:</b> ${value}<br />`).join('\n')}</div>`)
    : undefined
  const chapters = options.chapters.map((chapter) => xhtml(chapter.title, `<h2>${chapter.title}</h2>${chapter.paragraphs.map((p) => `<p>${p}</p>`).join('')}`))
  const items = [
    ...(titlePage ? [{id: 'title_page', href: 'OEBPS/title_page.xhtml', body: titlePage}] : []),
    ...chapters.map((body, i) => ({id: `file${i + 1}`, href: `OEBPS/file${i + 1}.xhtml`, body})),
  ]
  const opf = `<?xml version="1.0" encoding="utf-8"?>
<package version="2.0" xmlns="http://www.idpf.org/2007/opf" unique-identifier="id">
<metadata xmlns:dc="http://purl.org/dc/elements/1.1/">
<dc:title>${options.title}</dc:title>
<dc:creator opf:role="aut">${options.author}</dc:creator>
${(options.subjects ?? []).map((s) => `<dc:subject>${s}</dc:subject>`).join('\n')}
${options.description ? `<dc:description>${options.description}</dc:description>` : ''}
<dc:language>en</dc:language>
</metadata>
<manifest>${items.map((item) => `<item id="${item.id}" href="${item.href.replace('OEBPS/', '')}" media-type="application/xhtml+xml"/>`).join('')}</manifest>
<spine>${items.map((item) => `<itemref idref="${item.id}"/>`).join('')}</spine>
</package>`
  return buildZip([
    {name: 'mimetype', data: 'application/epub+zip', store: true},
    {name: 'META-INF/container.xml', data: '<?xml version="1.0"?><container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles><rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/></rootfiles></container>'},
    {name: 'OEBPS/content.opf', data: opf},
    ...items.map((item) => ({name: item.href, data: item.body})),
  ])
}

export function tempDir(prefix = 'import-test-'): {path: string; cleanup: () => void} {
  const path = mkdtempSync(join(tmpdir(), prefix))
  return {path, cleanup: () => rmSync(path, {recursive: true, force: true})}
}

export interface NdjsonRun {
  report: ImportReport
  ndjson: string
  docs: Array<Record<string, unknown> & {_id: string; _type: string}>
}

/** Imports inputs to an NDJSON file and returns the parsed documents. */
export async function importToNdjson(inputs: string[], out: string, options: ImportOptions = {}): Promise<NdjsonRun> {
  const report = await importFiles(inputs, new NdjsonSink(out), {directory: new EntityDirectory(), ...options})
  const ndjson = readFileSync(out, 'utf8')
  const docs = ndjson.trim().split('\n').filter(Boolean).map((line) => JSON.parse(line))
  return {report, ndjson, docs}
}
