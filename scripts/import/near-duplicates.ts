import type {BodyBlock} from './blocks'

/**
 * Near-duplicate works: reposts and retitled copies come in under another URL or title, so their
 * keys differ, but their texts are nearly the same. Texts are compared as sets of word 3-grams
 * (shingles): two works are near-duplicates when the Jaccard similarity of their shingle sets is at
 * least 0.9. Each work is reduced to a 256-value MinHash signature by one-permutation hashing (one
 * hash per shingle, so the cost is one pass over the text), and candidate pairs come from
 * locality-sensitive hashing over 32 bands of 8 values: a pair at 0.9 shares a band with
 * probability 1 - (1 - 0.9^8)^32 > 0.99999998, while unrelated texts share none. A candidate is
 * kept when its signatures agree in at least 90% of positions. Everything is deterministic (fixed
 * seeds, no randomness), so the same corpus always gives the same pairs.
 */

export const NEAR_DUPLICATE_THRESHOLD = 0.9
const BINS = 256
const BANDS = 32
const ROWS = BINS / BANDS
const SHINGLE = 3
const EMPTY = 0xffffffff

/** murmur3's finaliser: a cheap, well-mixed 32-bit hash of a 32-bit value. */
function fmix(h: number): number {
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b)
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35)
  h ^= h >>> 16
  return h >>> 0
}

/** ASCII: 0 separates words, else the (lower-cased) code unit to hash; apostrophes are skipped (255). */
const ASCII = new Uint8Array(128)
for (let c = 0; c < 128; c++) {
  if ((c >= 97 && c <= 122) || (c >= 48 && c <= 57)) ASCII[c] = c
  else if (c >= 65 && c <= 90) ASCII[c] = c | 0x20
  else if (c === 39) ASCII[c] = 255
}

/** Outside ASCII: general punctuation, spaces and the replacement character separate; other text is words. */
function separatesWords(c: number): boolean {
  return c === 0xa0 || (c >= 0x2000 && c <= 0x206f) || c === 0x3000 || c === 0xfffd
}

/** Builds a signature from text fed in pieces (spans); a piece boundary is not a word boundary. */
export class SignatureBuilder {
  readonly signature = new Uint32Array(BINS).fill(EMPTY)
  private word = 0x811c9dc5
  private inWord = false
  private w1 = 0
  private w2 = 0
  private words = 0
  shingles = 0

  /** One finished word: the shingle of it and the two before goes into its bin. */
  private push(wordHash: number): void {
    const w = fmix(wordHash)
    this.words++
    if (this.words >= SHINGLE) {
      const h = fmix((Math.imul(this.w1, 0x9e3779b1) ^ Math.imul(this.w2, 0x85ebca77) ^ w) >>> 0)
      const bin = h & (BINS - 1)
      const value = fmix(h ^ 0x27d4eb2f)
      if (value < this.signature[bin]!) this.signature[bin] = value
      this.shingles++
    }
    this.w1 = this.w2
    this.w2 = w
  }

  private endWord(): void {
    if (!this.inWord) return
    this.push(this.word)
    this.word = 0x811c9dc5
    this.inWord = false
  }

  feed(text: string): void {
    let word = this.word
    let inWord = this.inWord
    for (let i = 0; i < text.length; i++) {
      let c = text.charCodeAt(i)
      if (c < 128) {
        c = ASCII[c]!
        if (c === 255) continue
      } else if (c === 0x2019) {
        // Apostrophes join a word ("don't"), straight or curly, so a repost that changed quotes still matches.
        continue
      } else if (separatesWords(c)) c = 0
      if (c !== 0) {
        // FNV-1a over UTF-16 code units.
        word = Math.imul(word ^ c, 0x01000193)
        inWord = true
      } else if (inWord) {
        this.push(word)
        word = 0x811c9dc5
        inWord = false
      }
    }
    this.word = word
    this.inWord = inWord
  }

  /** Ends the current word (between blocks). */
  boundary(): void {
    this.endWord()
  }

  /**
   * The finished signature. Bins no shingle fell into (short texts) borrow from the next filled bin,
   * offset by the distance, so two texts with the same shingles still agree everywhere.
   */
  finish(): Uint32Array | undefined {
    this.endWord()
    if (this.shingles === 0) return undefined
    const sig = this.signature
    const out = new Uint32Array(BINS)
    for (let i = 0; i < BINS; i++) {
      if (sig[i] !== EMPTY) {
        out[i] = sig[i]!
        continue
      }
      let j = 1
      while (sig[(i + j) % BINS] === EMPTY) j++
      out[i] = fmix(sig[(i + j) % BINS]! ^ Math.imul(j, 0x9e3779b1))
    }
    return out
  }
}

/** The signature of a work's story text (all chapters' bodies; notes and summaries differ between reposts). */
export function workSignature(chapters: ReadonlyArray<{body: readonly BodyBlock[]}>): Uint32Array | undefined {
  const builder = new SignatureBuilder()
  for (const chapter of chapters) {
    for (const block of chapter.body) {
      if (block._type === 'block') for (const span of block.children) builder.feed(span.text)
      else if (block._type === 'authorsNote') continue
      builder.boundary()
    }
  }
  return builder.finish()
}

export function similarity(a: Uint32Array, b: Uint32Array): number {
  let same = 0
  for (let i = 0; i < BINS; i++) if (a[i] === b[i]) same++
  return same / BINS
}

export interface NearDuplicatePair {
  /** The work seen first, and the later one that is nearly the same text. */
  first: {storyId: string; file: string}
  second: {storyId: string; file: string}
  /** Estimated share of 3-word shingles the two texts have in common (Jaccard), 0.9 to 1. */
  similarity: number
}

/** Works seen so far, by LSH band; `add` answers which of them a new work nearly duplicates. */
export class NearDuplicateIndex {
  private readonly bands: Array<Map<number, number[]>> = Array.from({length: BANDS}, () => new Map())
  private readonly works: Array<{storyId: string; file: string; signature: Uint32Array}> = []
  readonly pairs: NearDuplicatePair[] = []

  add(storyId: string, file: string, signature: Uint32Array | undefined): NearDuplicatePair[] {
    if (!signature) return []
    const index = this.works.length
    this.works.push({storyId, file, signature})
    const candidates = new Set<number>()
    const keys = new Array<number>(BANDS)
    for (let band = 0; band < BANDS; band++) {
      let h = band
      for (let r = 0; r < ROWS; r++) h = fmix((Math.imul(h, 0x9e3779b1) ^ signature[band * ROWS + r]!) >>> 0)
      keys[band] = h
      const bucket = this.bands[band]!.get(h)
      if (bucket) for (const other of bucket) candidates.add(other)
    }
    const found: NearDuplicatePair[] = []
    const paired = new Set<string>([storyId])
    for (const other of [...candidates].sort((a, b) => a - b)) {
      const work = this.works[other]!
      // The same story (HTML and EPUB of one work, or a work already merged) is no duplicate; one pair per story.
      if (paired.has(work.storyId)) continue
      const score = similarity(work.signature, signature)
      if (score < NEAR_DUPLICATE_THRESHOLD) continue
      paired.add(work.storyId)
      found.push({first: {storyId: work.storyId, file: work.file}, second: {storyId, file}, similarity: Math.round(score * 1000) / 1000})
    }
    for (let band = 0; band < BANDS; band++) {
      const map = this.bands[band]!
      const bucket = map.get(keys[band]!)
      if (bucket) bucket.push(index)
      else map.set(keys[band]!, [index])
    }
    this.pairs.push(...found)
    return found
  }
}
