/**
 * Benchmark for the shared story rules: the publishing guard's checkStory on a 100,000-word story
 * and the Portable Text word count, each against a naive baseline measured in the same run.
 *
 *   tsx scripts/bench/rules.ts            (full size, ~5 s)
 *   RULES_BENCH_SCALE=0.1 tsx scripts/bench/rules.ts
 */
import {performance} from 'node:perf_hooks'
import {checkStory, countPortableTextWords, countWords, type FandomForChecks, toPlainText} from '../../rules'

const scale = Math.max(0.001, Number(process.env.RULES_BENCH_SCALE ?? process.env.BENCH_SCALE ?? '1') || 1)
const WORDS = Math.round(100_000 * scale)
const CHECK_CALLS = Math.max(50, Math.round(1000 * Math.min(1, scale * 10)))
const COUNT_RUNS = Math.max(3, Math.round(15 * Math.min(1, scale * 10)))

const VOCAB = (
  "the rain had not stopped for three days when Ilsa found the letter under door she didn't open it until " +
  "kettle boiled Corwin's boat was late again and harbour-master said nothing — nothing at all -- which meant trouble " +
  'naïve café 東京 ありがとう'
).split(' ')

/** Deterministic pseudo-random story text, ~100 words per paragraph, some bold spans. */
function makeBody(words: number) {
  let seed = 42
  const next = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff)
  const blocks: unknown[] = []
  let written = 0
  while (written < words) {
    const n = Math.min(100, words - written)
    const parts: string[] = []
    for (let i = 0; i < n; i++) parts.push(VOCAB[next() % VOCAB.length])
    const text = parts.join(' ') + '.'
    const cut = text.indexOf(' ', text.length >> 1)
    const key = `b${blocks.length}`
    blocks.push({
      _type: 'block',
      _key: key,
      style: 'normal',
      markDefs: [],
      children: [
        {_type: 'span', _key: `${key}a`, text: text.slice(0, cut), marks: []},
        {_type: 'span', _key: `${key}b`, text: text.slice(cut), marks: ['strong']},
      ],
    })
    if (blocks.length % 20 === 0) blocks.push({_type: 'sceneBreak', _key: `s${blocks.length}`})
    written += n
  }
  return blocks
}

function median(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b)
  return sorted[sorted.length >> 1]
}

function timeEach(runs: number, fn: () => void): number[] {
  const samples: number[] = []
  for (let i = 0; i < runs; i++) {
    const start = performance.now()
    fn()
    samples.push(performance.now() - start)
  }
  return samples
}

// First non-ASCII character builds the word-class lookup table: a one-off cost per process/page.
const tableStart = performance.now()
countWords('é')
const tableBuildMs = performance.now() - tableStart

const body = makeBody(WORDS)
const plain = toPlainText(body)
const megabytes = Buffer.byteLength(plain, 'utf8') / 1e6
const fandoms: FandomForChecks[] = [
  {title: 'Harry Potter', aliases: ['HP'], rightsHolders: ['J.K. Rowling', 'Warner Bros. Entertainment Inc.']},
  {title: 'Buffy the Vampire Slayer', aliases: ['BtVS'], rightsHolders: ['Joss Whedon', 'Mutant Enemy']},
]
const story = {
  disclaimer: "I don't own Harry Potter (J.K. Rowling's) or BtVS (Mutant Enemy & 20th Century Fox). No infringement intended.",
  summary: plain.slice(0, 160),
  body,
}
const options = {}

/** What a guard would do without openingText: flatten the whole body, then check. */
function naiveCheckStory() {
  const full = toPlainText(story.body)
  return checkStory({disclaimer: story.disclaimer, summary: story.summary, openingText: full}, fandoms, options)
}

// Warm up both paths (JIT, the word-count lookup table) before measuring.
for (let i = 0; i < 20; i++) {
  checkStory(story, fandoms, options)
  naiveCheckStory()
}
countPortableTextWords(body)

const checkMicros = median(timeEach(CHECK_CALLS, () => checkStory(story, fandoms, options))) * 1000
const naiveCheckMicros = median(timeEach(Math.max(10, CHECK_CALLS / 20), naiveCheckStory)) * 1000

let counted = 0
const countMs = median(timeEach(COUNT_RUNS, () => (counted = countPortableTextWords(body))))
let naiveCounted = 0
const naiveCountMs = median(timeEach(COUNT_RUNS, () => (naiveCounted = toPlainText(body).split(/\s+/).filter(Boolean).length)))


const fmt = (n: number, digits = 1) => n.toFixed(digits)
console.log(`rules bench: ${WORDS.toLocaleString('en-US')} words, ${body.length} blocks, ${fmt(megabytes, 2)} MB of text (scale ${scale})`)
console.log(`checkStory (median of ${CHECK_CALLS})           ${fmt(checkMicros, 2)} µs`)
console.log(`  baseline: flatten body first             ${fmt(naiveCheckMicros, 2)} µs   -> ${fmt(naiveCheckMicros / checkMicros)}x faster`)
console.log(`countPortableTextWords (median of ${COUNT_RUNS})     ${fmt(countMs, 2)} ms = ${fmt(megabytes / (countMs / 1000))} MB/s (${counted} words)`)
console.log(
  `  baseline: toPlainText + split(/\\s+/)      ${fmt(naiveCountMs, 2)} ms = ${fmt(megabytes / (naiveCountMs / 1000))} MB/s (${naiveCounted} tokens)  -> ratio ${fmt(countMs / naiveCountMs, 2)}x the baseline's time`,
)
console.log(`one-off lookup table build (first non-ASCII) ${fmt(tableBuildMs, 2)} ms`)
