import type {BodyBlock} from './blocks'

/**
 * Near-duplicate works: reposts and retitled copies come in under another URL or title, so their
 * keys differ, but their texts are nearly the same. Texts are compared as sets of word 3-grams
 * (shingles): two works are near-duplicates when the Jaccard similarity of their shingle sets is at
 * least 0.9 (estimated on a quarter of the paragraphs of texts over 20,000 characters). Each work is reduced to a 256-value MinHash signature by one-permutation hashing (one
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
  /** Ready for the next text, without allocating (the import signs thousands of works). */
  reset(): void {
    this.signature.fill(EMPTY)
    this.word = 0x811c9dc5
    this.inWord = false
    this.w1 = 0
    this.w2 = 0
    this.words = 0
    this.shingles = 0
  }

  finish(out: Uint32Array = new Uint32Array(BINS)): Uint32Array | undefined {
    this.endWord()
    if (this.shingles === 0) return undefined
    const sig = this.signature
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

/** Texts longer than this are sampled: a quarter of their paragraphs, chosen by their opening words. */
export const SAMPLE_ABOVE_CHARS = 20_000

/**
 * Whether a paragraph of a long text is shingled: when its first 16 letters and digits (case,
 * quotes and punctuation aside) hash to 0 mod 4. The choice depends on the paragraph alone, so two
 * copies of a text sample the same paragraphs and their similarity is estimated on a quarter of the
 * text at a quarter of the cost. (An edit within a paragraph's first words can flip its choice.)
 */
function sampled(text: string): boolean {
  let h = 0x811c9dc5
  let taken = 0
  for (let i = 0; i < text.length && taken < 16; i++) {
    let c = text.charCodeAt(i)
    if (c < 128) {
      c = ASCII[c]!
      if (c === 0 || c === 255) continue
    } else if (c === 0x2019 || separatesWords(c)) continue
    h = Math.imul(h ^ c, 0x01000193)
    taken++
  }
  return (fmix(h) & 3) === 0
}

function blockChars(block: BodyBlock): number {
  if (block._type !== 'block') return 0
  let chars = 0
  for (const span of block.children) chars += span.text.length
  return chars
}

/**
 * The signature of a work's story text (all chapters' bodies; notes and summaries differ between
 * reposts). A long text is sampled by paragraph, unless its paragraphs are so few or so uneven
 * that the sample would miss most of it.
 */
export function workSignature(chapters: ReadonlyArray<{body: readonly BodyBlock[]}>, out: Uint32Array = new Uint32Array(BINS)): Uint32Array | undefined {
  let chars = 0
  let sampledChars = 0
  for (const chapter of chapters) {
    for (const block of chapter.body) {
      const n = blockChars(block)
      chars += n
      if (n && sampled((block as {children: Array<{text: string}>}).children[0]!.text)) sampledChars += n
    }
  }
  const sample = chars > SAMPLE_ABOVE_CHARS && sampledChars * 8 >= chars
  const builder = scratch.builder
  builder.reset()
  for (const chapter of chapters) {
    for (const block of chapter.body) {
      if (block._type !== 'block') continue
      if (sample && !sampled(block.children[0]?.text ?? '')) continue
      for (const span of block.children) builder.feed(span.text)
      builder.boundary()
    }
  }
  return builder.finish(out)
}

// Reused between works: allocating here would start garbage collections (of the whole parsed work
// still alive around it) inside the check, and charge their cost to it.
const scratch = {builder: new SignatureBuilder()}

export const SIGNATURE_SIZE = BINS

/** A signature as stored in `source.textSignature`: 256 little-endian 32-bit values, base64. */
export function encodeSignature(signature: Uint32Array): string {
  const bytes = Buffer.alloc(BINS * 4)
  for (let i = 0; i < BINS; i++) bytes.writeUInt32LE(signature[i]!, i * 4)
  return bytes.toString('base64')
}

export function decodeSignature(text: unknown): Uint32Array | undefined {
  if (typeof text !== 'string') return undefined
  const bytes = Buffer.from(text, 'base64')
  if (bytes.length !== BINS * 4) return undefined
  const out = new Uint32Array(BINS)
  for (let i = 0; i < BINS; i++) out[i] = bytes.readUInt32LE(i * 4)
  return out
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
  /** Signatures live in shared 1 MB pages: one allocation per 1,024 works. */
  private page = new Uint32Array(0)
  private pageUsed = 0
  private readonly keys = new Array<number>(BANDS)

  private store(signature: Uint32Array): Uint32Array {
    if (this.pageUsed + BINS > this.page.length) {
      this.page = new Uint32Array(BINS * 1024)
      this.pageUsed = 0
    }
    const slot = this.page.subarray(this.pageUsed, this.pageUsed + BINS)
    slot.set(signature)
    this.pageUsed += BINS
    return slot
  }
  readonly pairs: NearDuplicatePair[] = []

  /** A story already in the dataset: later works are checked against it; it is not checked itself. */
  addKnown(storyId: string, label: string, signature: Uint32Array): void {
    this.works.push({storyId, file: label, signature: this.store(signature)})
    this.bandKeys(signature)
    this.index(this.works.length - 1)
  }

  private bandKeys(signature: Uint32Array): void {
    for (let band = 0; band < BANDS; band++) {
      let h = band
      for (let r = 0; r < ROWS; r++) h = fmix((Math.imul(h, 0x9e3779b1) ^ signature[band * ROWS + r]!) >>> 0)
      this.keys[band] = h
    }
  }

  add(storyId: string, file: string, signature: Uint32Array | undefined): NearDuplicatePair[] {
    if (!signature) return []
    const index = this.works.length
    signature = this.store(signature)
    this.works.push({storyId, file, signature})
    let candidates: Set<number> | undefined
    this.bandKeys(signature)
    for (let band = 0; band < BANDS; band++) {
      const bucket = this.bands[band]!.get(this.keys[band]!)
      if (bucket) for (const other of bucket) (candidates ??= new Set()).add(other)
    }
    const found: NearDuplicatePair[] = []
    if (!candidates) {
      this.index(index)
      return found
    }
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
    this.index(index)
    this.pairs.push(...found)
    return found
  }

  private index(work: number): void {
    for (let band = 0; band < BANDS; band++) {
      const map = this.bands[band]!
      const bucket = map.get(this.keys[band]!)
      if (bucket) bucket.push(work)
      else map.set(this.keys[band]!, [work])
    }
  }
}
