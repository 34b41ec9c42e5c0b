import {mkdirSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {EntityDirectory} from '../../scripts/import/entities'
import {decodeSignature, NearDuplicateIndex, SAMPLE_ABOVE_CHARS, SignatureBuilder, similarity, workSignature} from '../../scripts/import/near-duplicates'
import {NdjsonSink} from '../../scripts/import/ndjson-sink'
import {type ImportReport, importFiles} from '../../scripts/import/run'
import {WorkIndex} from '../../scripts/import/work-identity'
import {importToNdjson, tempDir} from './helpers'

// A seeded corpus: the same works every run.
let seed = 0x9e3779b9
function random(): number {
  seed ^= seed << 13
  seed ^= seed >>> 17
  seed ^= seed << 5
  return (seed >>> 0) / 0x100000000
}
const SYLLABLES = ['ka', 'lo', 'mi', 're', 'tan', 'vel', 'or', 'is', 'ban', 'du', 'fe', 'gri', 'hal', 'jo', 'quin', 'sar', 'te', 'um', 'wy', 'zel']
const VOCABULARY = Array.from({length: 6000}, (_, i) => `${SYLLABLES[i % 20]}${SYLLABLES[Math.floor(i / 20) % 20]}${i >= 400 ? SYLLABLES[Math.floor(i / 400) % 20] : ''}`)
const word = () => VOCABULARY[Math.floor(random() * VOCABULARY.length)]!
const words = (n: number) => Array.from({length: n}, word)

interface Work {
  name: string
  title: string
  author: string
  text: string[]
}

const asFile = (w: Work) =>
  `Title: ${w.title}\nAuthor: ${w.author}\nFandom: Canal Town\nRating: G\nSummary: A story about the canal and the people on it.\nDisclaimer: Canal Town belongs to Lockgate Media. Not mine.\n\n${paragraphs(w.text).join('\n\n')}\n`

function paragraphs(text: string[]): string[] {
  const out: string[] = []
  for (let i = 0; i < text.length; i += 60) out.push(`${text.slice(i, i + 60).join(' ')}.`)
  return out
}

const ORIGINALS = 1700
const NEAR = 200
const HARD_NEGATIVES = 100

let dir: {path: string; cleanup: () => void}
let report: ImportReport
const expected = new Set<string>()

beforeAll(async () => {
  dir = tempDir('near-duplicates-')
  const works: Work[] = []
  for (let i = 0; i < ORIGINALS; i++) works.push({name: `o${String(i).padStart(4, '0')}`, title: `Work ${i}`, author: `Author ${i % 97}`, text: words(300 + Math.floor(random() * 500))})
  // Near-duplicates under another key: retitled, reposted under another name, a few typos, a note added.
  for (let i = 0; i < NEAR; i++) {
    const original = works[i * 8]!
    const text = [...original.text]
    const kind = i % 4
    if (kind === 2) for (let k = 0; k < Math.max(1, Math.floor(text.length / 200)); k++) text[Math.floor(random() * text.length)] = word()
    if (kind === 3) text.unshift(...words(12))
    const near = {name: `n${String(i).padStart(4, '0')}`, title: kind === 1 ? original.title : `Retitled ${i}`, author: kind === 1 ? `Reposter ${i}` : original.author, text}
    works.push(near)
    expected.add(`${near.name}.txt ~ ${original.name}.txt`)
    expected.add(`${original.name}.txt ~ ${near.name}.txt`)
  }
  // Alike but not 90%: a sequel that reuses a third of a work, and a heavy rewrite (about 80%).
  for (let i = 0; i < HARD_NEGATIVES; i++) {
    const original = works[i * 8 + 4]!
    const text = i % 2 ? [...original.text.slice(0, Math.floor(original.text.length / 3)), ...words(original.text.length)] : original.text.map((w, k) => (k % 9 === 4 ? word() : w))
    works.push({name: `h${String(i).padStart(4, '0')}`, title: `Other ${i}`, author: original.author, text})
  }
  mkdirSync(join(dir.path, 'fics'))
  for (const w of works) writeFileSync(join(dir.path, 'fics', `${w.name}.txt`), asFile(w))
  report = await importFiles([join(dir.path, 'fics')], new NdjsonSink(join(dir.path, 'out.ndjson')), {cwd: join(dir.path, 'fics'), directory: new EntityDirectory()})
}, 300_000)
afterAll(() => dir?.cleanup())

describe('near-duplicates among 2,000 works', () => {
  it('imports every work as its own story', () => {
    expect(report.totals.files).toBe(ORIGINALS + NEAR + HARD_NEGATIVES)
    expect(report.totals.rejected).toBe(0)
    expect(report.totals.sameWork).toBe(0)
  })

  it('finds all 200 near-duplicate pairs and no other pair', () => {
    // Files are read in sorted order, so a copy may come before its original: pairs are unordered.
    const found = report.nearDuplicates!.map((pair) => `${pair.second.file} ~ ${pair.first.file}`)
    expect(found).toHaveLength(NEAR)
    expect(found.filter((pair) => !expected.has(pair))).toEqual([])
    expect(new Set(found.map((pair) => pair.split(' ~ ').sort().join(' ~ '))).size).toBe(NEAR)
  })

  it('names the pair on the later file', () => {
    const result = report.files.find((f) => f.file === 'o0000.txt')!
    expect(result.notices).toContainEqual(expect.stringMatching(/^nearly the same text as n0000\.txt \(100% of 3-word runs shared\), filed as a different work/))
  })
})

describe('against stories already in the dataset', () => {
  it('finds a repost imported later by the signature kept with the story', async () => {
    const later = tempDir('near-duplicates-later-')
    try {
      const text = words(500)
      writeFileSync(join(later.path, 'first.txt'), asFile({name: 'first', title: 'The Ferry Road', author: 'Ilsa', text}))
      const first = await importToNdjson([join(later.path, 'first.txt')], join(later.path, 'first.ndjson'))
      const stored = first.docs.find((d) => d._type === 'story') as unknown as {_id: string; title: string; source: {textSignature: string}}
      expect(stored.source.textSignature).toMatch(/^[A-Za-z0-9+/]{1366}==$/)
      // The next import knows the dataset's stories (as loadWorkIndex gives them).
      const works = new WorkIndex()
      works.signatures.push({storyId: stored._id, label: `"${stored.title}" (${stored._id}, already in the dataset)`, signature: decodeSignature(stored.source.textSignature)!})
      writeFileSync(join(later.path, 'repost.txt'), asFile({name: 'repost', title: 'Ferry Road (repost)', author: 'Someone Else', text}))
      const second = await importToNdjson([join(later.path, 'repost.txt')], join(later.path, 'second.ndjson'), {works})
      expect(second.report.nearDuplicates).toEqual([
        {first: {storyId: stored._id, file: `"The Ferry Road" (${stored._id}, already in the dataset)`}, second: {storyId: expect.stringMatching(/^story\./), file: expect.stringContaining('repost.txt')}, similarity: 1},
      ])
    } finally {
      later.cleanup()
    }
  })
})

describe('signatures', () => {
  const signature = (text: string) => {
    const builder = new SignatureBuilder()
    builder.feed(text)
    return builder.finish()!
  }

  it('ignore case, punctuation, apostrophes and how text is split into spans', () => {
    const a = signature("Don't look back, she said. The ferry left at dawn and nobody waved.")
    const builder = new SignatureBuilder()
    for (const piece of ['DON’T LOOK BA', 'CK — she said!', ' The ferry left at dawn and nobody waved']) builder.feed(piece)
    expect(similarity(a, builder.finish()!)).toBe(1)
  })

  it('are deterministic and keep unrelated texts apart', () => {
    const text = words(400).join(' ')
    expect(signature(text)).toEqual(signature(text))
    expect(similarity(signature(text), signature(words(400).join(' ')))).toBeLessThan(0.05)
  })

  it('sample long texts by paragraph, the same paragraphs in both copies', () => {
    const blocks = (paras: string[]) => [{body: paras.map((text, n) => ({_type: 'block' as const, _key: `k${n}`, style: 'normal', markDefs: [], children: [{_type: 'span' as const, _key: `s${n}`, text, marks: []}]}))}]
    const long = Array.from({length: 80}, () => `${words(70).join(' ')}.`)
    expect(long.join(' ').length).toBeGreaterThan(SAMPLE_ABOVE_CHARS)
    // A repost: typo fixes here and there, curly quotes and capitals at paragraph starts.
    const edited = long.map((p, n) => {
      const w = p.split(' ')
      if (n % 10 === 3) w[10 + (n % 40)] = 'changed'
      return n % 3 ? w.join(' ') : `“${w.join(' ').replace(/^./, (c) => c.toUpperCase())}”`
    })
    const original = workSignature(blocks(long))!
    expect(similarity(original, workSignature(blocks(edited))!)).toBeGreaterThanOrEqual(0.9)
    expect(similarity(original, workSignature(blocks([...long.slice(0, 30), ...Array.from({length: 50}, () => `${words(70).join(' ')}.`)]))!)).toBeLessThan(0.6)
  })

  it('never pair a work with itself (the same story in two files)', () => {
    const index = new NearDuplicateIndex()
    const sig = signature(words(300).join(' '))
    index.add('story.a', 'a.html', sig)
    expect(index.add('story.a', 'a.epub', sig)).toEqual([])
    expect(index.add('story.b', 'b.txt', sig)).toEqual([{first: {storyId: 'story.a', file: 'a.html'}, second: {storyId: 'story.b', file: 'b.txt'}, similarity: 1}])
  })
})
