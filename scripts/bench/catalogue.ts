/**
 * Benchmark: the publishing checks on a 100,000-word story with the whole fandom catalogue
 * loaded (every rights holder the archive knows, so a wrong owner is caught), beside the same
 * check knowing only the story's own fandom and its owners, measured in the same run.
 * The catalogue scan follows the disclaimer's length, not the catalogue's size: target under
 * 1 ms and within 2x of the baseline.
 */
import {ARCHIVE_CHECK_OPTIONS, checkStory, compileFandomCatalogue, type FandomCatalogue} from '../../rules'
import {shippedCatalogue} from '../seed/fandom-catalogue'

const scale = Number(process.env.BENCH_SCALE ?? 1) || 1
const WORDS = Math.max(1000, Math.round(100_000 * scale))
const CALLS = 2000

const WORDLIST = 'the rain had not stopped for three days when she found the letter under door and read it twice before kettle boiled'.split(' ')
function makeBody(words: number) {
  const blocks: unknown[] = []
  for (let written = 0, n = 0; written < words; written += 100, n++) {
    const text = Array.from({length: Math.min(100, words - written)}, (_, i) => WORDLIST[(i * 7 + n) % WORDLIST.length]).join(' ')
    blocks.push({_type: 'block', _key: `b${n}`, style: 'normal', markDefs: [], children: [{_type: 'span', _key: `b${n}s`, text, marks: []}]})
  }
  return blocks
}

const catalogue = shippedCatalogue()
const record = catalogue.fandoms.get('fandom.supernatural')!
const spn = catalogue.forChecks(record)
const ownOnly: FandomCatalogue = compileFandomCatalogue({
  rightsHolders: catalogue.holdersOf(record),
  fandoms: [record],
})
const body = makeBody(WORDS)
const stories = {
  'right owners': {disclaimer: 'Supernatural belongs to Eric Kripke, Warner Bros. Television and the CW. I own nothing; no infringement intended.', summary: 'Two brothers, one car and a very long drive north through the snow.', body},
  'wrong owner': {disclaimer: 'Supernatural belongs to Joss Whedon and Mutant Enemy. I own nothing; no infringement intended.', summary: 'Two brothers, one car and a very long drive north through the snow.', body},
}

function median(fn: () => void): number {
  const samples: number[] = []
  for (let i = 0; i < CALLS; i++) {
    const start = performance.now()
    fn()
    samples.push(performance.now() - start)
  }
  samples.sort((a, b) => a - b)
  return samples[samples.length >> 1]! * 1000
}

console.log(`catalogue bench: ${WORDS.toLocaleString('en-US')}-word story in Supernatural; catalogue of ${catalogue.fandoms.size} fandoms, ${catalogue.holders.size} rights holders (scale ${scale})`)
for (const [name, story] of Object.entries(stories)) {
  const full = () => checkStory(story, [spn], ARCHIVE_CHECK_OPTIONS, catalogue)
  const own = () => checkStory(story, [spn], ARCHIVE_CHECK_OPTIONS, ownOnly)
  for (let i = 0; i < 200; i++) {
    full()
    own()
  }
  const fullMicros = median(full)
  const ownMicros = median(own)
  const codes = full().map((f) => f.code).join(', ') || 'passes'
  console.log(`checkStory, ${name} (${codes}), median of ${CALLS}`)
  console.log(`  whole catalogue loaded        ${fullMicros.toFixed(2)} µs   ${fullMicros < 1000 ? 'under 1 ms' : 'OVER 1 ms'}`)
  console.log(`  baseline: own fandom only     ${ownMicros.toFixed(2)} µs   -> ${(fullMicros / ownMicros).toFixed(2)}x the baseline's time`)
}
