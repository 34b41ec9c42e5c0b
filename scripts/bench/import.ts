/**
 * Importer throughput: generates a mixed corpus (plain text, HTML, some EPUB) in a temp folder,
 * imports each format to NDJSON one file at a time and prints MB/s and stories/s per format,
 * beside the baseline (the same HTML through @portabletext/block-tools + jsdom, on a sample).
 * Peak memory (VmHWM) is measured in fresh processes importing a third of the corpus and all of
 * it: files are processed one at a time and NDJSON is written as it goes, so the live heap stays
 * flat. BENCH_SCALE scales the corpus (default 1 = 10,000 stories, ~250 MB).
 */
import {spawnSync} from 'node:child_process'
import {mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {buildEpub} from '../../tests/import/helpers'
import {EntityDirectory} from '../import/entities'
import {htmlToStoryBlocks} from '../import/html-blocks'
import {NdjsonSink} from '../import/ndjson-sink'
import type {Progress} from '../import/progress'
import {importFiles} from '../import/run'

const SCALE = Number(process.env.BENCH_SCALE ?? '1')
if (!(SCALE > 0)) throw new Error(`BENCH_SCALE must be a positive number, got "${process.env.BENCH_SCALE}"`)
const STORIES = Math.max(20, Math.round(10_000 * SCALE))
const TARGET_BYTES = 31 * 1024

// A small seeded PRNG so every run benchmarks the same corpus.
let seed = 0x2545f491
function random(): number {
  seed ^= seed << 13
  seed ^= seed >>> 17
  seed ^= seed << 5
  return (seed >>> 0) / 0xffffffff
}
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!

const WORDS = 'the a lantern road courier river night salt signal orchard ferry she he they walked said nothing because morning found them at quiet letter storm keeper bells winter forge fire promise kept broke again under over through before after never always hand door window stair lamp tower field'.split(' ')
const NAMES = ['Ilsa', 'Corwin', 'Maren', 'Tobiah', 'Agnes', 'Bryn', 'Odile', 'Pim', 'Saskia', 'Wren']
const FANDOMS = ['Glass Couriers', 'Lighthouse Keepers', 'Orchard Saga', 'Hearthkeepers', 'Canal Town', 'Bellringers']
const RATINGS = ['PG-13', 'Teen', 'Mature', 'G', 'Fiction K+', 'R', 'Explicit', 'NC-17']

function sentence(): string {
  const n = 6 + Math.floor(random() * 14)
  const words = Array.from({length: n}, () => pick(WORDS))
  if (random() < 0.2) words[Math.floor(random() * n)] = pick(NAMES)
  const text = words.join(' ')
  return `${text[0]!.toUpperCase()}${text.slice(1)}.`
}

function paragraph(): string {
  return Array.from({length: 3 + Math.floor(random() * 5)}, sentence).join(' ')
}

interface Story {
  title: string
  author: string
  fandom: string
  rating: string
  chapters: string[][]
}

function story(i: number): Story {
  const chapterCount = random() < 0.3 ? 2 + Math.floor(random() * 6) : 1
  const perChapter = Math.ceil(TARGET_BYTES * (0.5 + random()) / chapterCount / 450)
  return {
    title: `${pick(WORDS)} ${pick(WORDS)} ${i}`,
    author: `${pick(NAMES)} ${pick(NAMES)}son`,
    fandom: pick(FANDOMS),
    rating: pick(RATINGS),
    chapters: Array.from({length: chapterCount}, () => Array.from({length: perChapter}, paragraph)),
  }
}

const header = (s: Story) => ({
  Title: s.title,
  Author: s.author,
  Fandom: s.fandom,
  Rated: s.rating,
  Summery: `${sentence()} ${sentence()}`,
  Disclaimer: `${s.fandom} belongs to its creators. I own nothing and make no money.`,
})

function asText(s: Story): string {
  const lines = Object.entries(header(s)).map(([label, value]) => `${label}: ${value}`)
  const body = s.chapters.map((paras, n) => `${s.chapters.length > 1 ? `Chapter ${n + 1}\n\n` : ''}${paras.map((p, k) => (k && k % 7 === 0 ? `* * *\n\n${p}` : p)).join('\n\n')}`)
  return `${lines.join('\n')}\n\n${body.join('\n\n')}\n`
}

function htmlParagraph(p: string): string {
  const words = p.split(' ')
  const at = Math.floor(random() * words.length)
  words[at] = `<em>${words[at]}</em>`
  if (random() < 0.1) words[0] = `<a href="https://example.org/${at}">${words[0]}</a>`
  return `<p>${words.join(' ')}</p>`
}

function asHtml(s: Story): string {
  const rows = Object.entries(header(s)).map(([label, value]) => `<p>${label}: ${value}</p>`)
  const body = s.chapters.map((paras, n) => `${s.chapters.length > 1 ? `<h2>Chapter ${n + 1}</h2>\n` : ''}${paras.map(htmlParagraph).join('\n')}`)
  return `<!DOCTYPE html><html><head><meta charset="utf-8"><title>${s.title}</title></head><body>\n<h1>${s.title}</h1>\n${rows.join('\n')}\n${body.join('\n<hr>\n')}\n</body></html>\n`
}

function asEpub(s: Story): Buffer {
  const {Title, Author, ...rows} = header(s)
  return buildEpub({
    title: Title,
    author: Author,
    titlePage: rows,
    chapters: s.chapters.map((paras, n) => ({title: `Chapter ${n + 1}`, paragraphs: paras})),
  })
}

function generate(root: string): Record<'text' | 'html' | 'epub', {dir: string; files: number; bytes: number}> {
  const out = {
    text: {dir: join(root, 'text'), files: 0, bytes: 0},
    html: {dir: join(root, 'html'), files: 0, bytes: 0},
    epub: {dir: join(root, 'epub'), files: 0, bytes: 0},
  }
  const made = new Set<string>()
  for (let i = 0; i < STORIES; i++) {
    const s = story(i)
    const roll = i % 10
    const [format, bytes]: ['text' | 'html' | 'epub', Buffer] =
      roll < 6 ? ['text', Buffer.from(asText(s))] : roll < 9 ? ['html', Buffer.from(asHtml(s))] : ['epub', asEpub(s)]
    const target = out[format]
    // Two-level folders, as real archives are laid out (and so no folder holds 10,000 files).
    const sub = join(target.dir, String(Math.floor(i / 500)).padStart(3, '0'))
    if (!made.has(sub)) {
      mkdirSync(sub, {recursive: true})
      made.add(sub)
    }
    const ext = format === 'text' ? 'txt' : format
    writeFileSync(join(sub, `story-${String(i).padStart(5, '0')}.${ext}`), bytes)
    target.files++
    target.bytes += bytes.length
  }
  return out
}

function peakRssMb(): number {
  const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))
  return match ? Number(match[1]) / 1024 : process.memoryUsage().rss / 1048576
}

class RssSampler implements Progress {
  peak = 0
  start(): void {}
  tick(): void {
    this.peak = Math.max(this.peak, process.memoryUsage().rss)
  }
  stop(): void {}
}

/** CPU seconds of this process: on a shared machine wall time mostly measures the neighbours. */
function cpuSeconds(): number {
  const {user, system} = process.cpuUsage()
  return (user + system) / 1e6
}

async function timeImport(
  inputs: string[],
  out: string,
): Promise<{seconds: number; cpu: number; stories: number; bytes: number; peakRss: number; rejected: number; files: number; cpuMs: number; nearDuplicateCpuMs: number; pairs: number}> {
  const sampler = new RssSampler()
  const started = performance.now()
  const cpuStarted = cpuSeconds()
  const report = await importFiles(inputs, new NdjsonSink(out), {directory: new EntityDirectory(), progress: sampler})
  const seconds = (performance.now() - started) / 1000
  const cpu = cpuSeconds() - cpuStarted
  rmSync(out, {force: true})
  return {
    seconds,
    cpu,
    stories: report.totals.imported + report.totals.drafts,
    bytes: report.totals.bytes,
    peakRss: sampler.peak,
    rejected: report.totals.rejected,
    files: report.totals.files,
    cpuMs: report.timings?.cpuMs ?? 0,
    nearDuplicateCpuMs: report.timings?.nearDuplicateCpuMs ?? 0,
    pairs: report.nearDuplicates?.length ?? 0,
  }
}

async function baselineHtml(files: string[]): Promise<{seconds: number; bytes: number; ourSeconds: number}> {
  // Loaded only now: the Studio schema and jsdom weigh hundreds of MB and would mask the importer's own memory.
  const [{htmlToBlocks}, {Schema}, {JSDOM}, {schemaTypes}] = await Promise.all([
    import('@portabletext/block-tools'),
    import('@sanity/schema'),
    import('jsdom'),
    import('../../schemas'),
  ])
  // Timed in CPU seconds, like the import runs, so the ratio is fair on a busy machine.
  const schema = Schema.compile({name: 'default', types: schemaTypes})
  const bodyType = schema.get('story').fields.find((field: {name: string}) => field.name === 'body').type
  let bytes = 0
  const started = cpuSeconds()
  for (const file of files) {
    const html = readFileSync(file, 'utf8')
    bytes += Buffer.byteLength(html)
    htmlToBlocks(html, bodyType, {parseHtml: (source) => new JSDOM(source).window.document})
  }
  const seconds = cpuSeconds() - started
  const ourStarted = cpuSeconds()
  for (let round = 0; round < 3; round++) for (const file of files) htmlToStoryBlocks(readFileSync(file, 'utf8'))
  return {seconds, bytes, ourSeconds: (cpuSeconds() - ourStarted) / 3}
}

function listFiles(dir: string, limit: number): string[] {
  const files: string[] = []
  for (const sub of readdirSync(dir).sort()) {
    for (const name of readdirSync(join(dir, sub)).sort()) {
      if (files.length >= limit) return files
      files.push(join(dir, sub, name))
    }
  }
  return files
}

async function main(): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'bench-import-'))
  const mb = (bytes: number) => bytes / 1048576
  try {
    const started = performance.now()
    const corpus = generate(root)
    const totalBytes = corpus.text.bytes + corpus.html.bytes + corpus.epub.bytes
    console.log(`corpus: ${STORIES} stories, ${mb(totalBytes).toFixed(1)} MB (text ${corpus.text.files}, html ${corpus.html.files}, epub ${corpus.epub.files}) generated in ${((performance.now() - started) / 1000).toFixed(1)} s (BENCH_SCALE=${SCALE})`)

    // Memory in fresh processes (this one holds the generator's garbage): part of the corpus, then all.
    const memory = (dirs: string[]) => {
      const child = spawnSync(process.execPath, [...process.execArgv, '--expose-gc', import.meta.filename, '--memory-child', join(root, 'mem.ndjson'), ...dirs], {encoding: 'utf8'})
      if (child.status !== 0) throw new Error(`memory child failed: ${child.stderr}`)
      return JSON.parse(child.stdout) as {peakMb: number; baseMb: number; liveMb: number; bytes: number}
    }
    const memPart = memory([corpus.html.dir])
    const memAll = memory([corpus.text.dir, corpus.html.dir, corpus.epub.dir])
    const all = await timeImport([corpus.text.dir, corpus.html.dir, corpus.epub.dir], join(root, 'all.ndjson'))

    const results: Record<string, Awaited<ReturnType<typeof timeImport>>> = {}
    for (const format of ['text', 'html', 'epub'] as const) results[format] = await timeImport([corpus[format].dir], join(root, `${format}.ndjson`))

    const sample = listFiles(corpus.html.dir, Math.max(5, Math.round(40 * Math.min(1, SCALE * 4))))
    const baseline = await baselineHtml(sample)
    const baselineRate = mb(baseline.bytes) / baseline.seconds
    const converterRate = mb(baseline.bytes) / baseline.ourSeconds
    console.log(`baseline (block-tools + jsdom, ${sample.length} HTML files, ${mb(baseline.bytes).toFixed(2)} MB): ${baselineRate.toFixed(2)} MB/s`)
    console.log(`our HTML converter on the same sample: ${converterRate.toFixed(1)} MB/s (${(converterRate / baselineRate).toFixed(0)}x block-tools)`)


    console.log('full import pipeline (read, decode, parse, convert, check, build, write NDJSON), one core:')
    console.log('  format  stories      MB   wall s  wall MB/s   CPU s  MB/CPU-s  stories/CPU-s')
    for (const [format, r] of Object.entries(results)) {
      const perCpu = mb(r.bytes) / r.cpu
      console.log(
        `  ${format.padEnd(6)} ${String(r.stories).padStart(8)} ${mb(r.bytes).toFixed(1).padStart(7)} ${r.seconds.toFixed(1).padStart(8)} ${(mb(r.bytes) / r.seconds).toFixed(1).padStart(10)} ${r.cpu.toFixed(1).padStart(7)} ${perCpu.toFixed(1).padStart(9)} ${(r.stories / r.cpu).toFixed(0).padStart(14)}` +
          (format === 'html' ? `   (${(perCpu / baselineRate).toFixed(0)}x the block-tools baseline)` : '') +
          (r.rejected ? `  REJECTED ${r.rejected}` : ''),
      )
    }

    console.log(`mixed corpus in one run: ${mb(all.bytes).toFixed(1)} MB, ${all.seconds.toFixed(1)} s wall (${(mb(all.bytes) / all.seconds).toFixed(1)} MB/s), ${all.cpu.toFixed(1)} CPU s (${(mb(all.bytes) / all.cpu).toFixed(1)} MB/CPU-s, ${(all.stories / all.cpu).toFixed(0)} stories/CPU-s)`)
    // The near-duplicate check runs inside every import above; its share is timed in the same runs.
    const perWork = (ms: number, files: number) => (ms * 1000) / Math.max(1, files)
    const share = (r: Awaited<ReturnType<typeof timeImport>>) =>
      `${perWork(r.nearDuplicateCpuMs, r.files).toFixed(0)} CPU µs of the import's ${perWork(r.cpuMs, r.files).toFixed(0)} CPU µs per work on the main thread (${((r.nearDuplicateCpuMs / Math.max(1, r.cpuMs)) * 100).toFixed(1)}%)`
    console.log(`near-duplicate check (3-word shingles, 256-value one-permutation MinHash, 32x8 LSH bands), timed inside the same import runs:`)
    for (const [format, r] of [['mixed', all], ...Object.entries(results)] as const) console.log(`  ${format.padEnd(6)} ${share(r)}, ${r.pairs} pairs among ${r.files} works`)
    console.log(
      `peak memory (VmHWM of a fresh importer process; ${memAll.baseMb.toFixed(0)} MB of it is Node + modules before the first file): ` +
        `${mb(memPart.bytes).toFixed(0)} MB of input -> ${memPart.peakMb.toFixed(0)} MB, ${mb(memAll.bytes).toFixed(0)} MB of input -> ${memAll.peakMb.toFixed(0)} MB`,
    )
    // RSS follows how lazily V8 collects; the live heap after a full GC shows what is actually retained.
    console.log(`live heap after a full GC at the end: ${memPart.liveMb.toFixed(1)} MB vs ${memAll.liveMb.toFixed(1)} MB (per-file report entries only)`)
  } finally {
    rmSync(root, {recursive: true, force: true})
  }
}

async function memoryChild(out: string, dirs: string[]): Promise<void> {
  const baseMb = peakRssMb()
  const report = await importFiles(dirs, new NdjsonSink(out), {directory: new EntityDirectory()})
  rmSync(out, {force: true})
  const gc = (globalThis as {gc?: () => void}).gc
  gc?.()
  const liveMb = process.memoryUsage().heapUsed / 1048576
  process.stdout.write(JSON.stringify({peakMb: peakRssMb(), baseMb, liveMb, bytes: report.totals.bytes}))
}

if (process.argv[2] === '--memory-child') await memoryChild(process.argv[3]!, process.argv.slice(4))
else await main()
