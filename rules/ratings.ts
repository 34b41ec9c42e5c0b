/**
 * The five standard ratings (seed documents) and the mapping from whatever an old header said
 * ("Rated: Fiction K+", "PG-13", "R (for violence)") to one of them.
 */

export type RatingCode = 'general' | 'teen' | 'mature' | 'explicit' | 'not-rated'

export interface RatingSeed {
  _id: `rating.${RatingCode}`
  _type: 'rating'
  code: RatingCode
  title: string
  description: string
  minimumAge: number
  sortOrder: number
  requiresContentGate: boolean
  aliases: string[]
}

export const RATING_SEED: RatingSeed[] = [
  {
    _id: 'rating.general',
    _type: 'rating',
    code: 'general',
    title: 'General Audiences',
    description: 'Suitable for all readers.',
    minimumAge: 0,
    sortOrder: 1,
    requiresContentGate: false,
    aliases: ['General Audiences', 'General', 'Gen', 'G', 'PG', 'K', 'K+', 'Fiction K', 'Fiction K+', 'All Ages', 'Everyone'],
  },
  {
    _id: 'rating.teen',
    _type: 'rating',
    code: 'teen',
    title: 'Teen And Up Audiences',
    description: 'May be unsuitable for readers under 13.',
    minimumAge: 13,
    sortOrder: 2,
    requiresContentGate: false,
    aliases: ['Teen And Up Audiences', 'Teen And Up', 'Teen', 'Teens', 'T', 'Young Adult', 'YA', 'Fiction T', 'PG-13', 'PG13', '12A', '13+', 'PG-15', 'PG15'],
  },
  {
    _id: 'rating.mature',
    _type: 'rating',
    code: 'mature',
    title: 'Mature',
    description: 'Adult themes (sex, violence, etc.) that are less graphic than Explicit.',
    minimumAge: 17,
    sortOrder: 3,
    requiresContentGate: true,
    aliases: ['Mature', 'M', 'Fiction M', 'R', 'R15', 'R-15', 'M15+', '15+', '16+', '17+'],
  },
  {
    _id: 'rating.explicit',
    _type: 'rating',
    code: 'explicit',
    title: 'Explicit',
    description: 'Sexually explicit or very graphic content; adults only.',
    minimumAge: 18,
    sortOrder: 4,
    requiresContentGate: true,
    aliases: ['Explicit', 'E', 'E18', 'MA', 'Fiction MA', 'NC-17', 'NC17', 'NC 17', 'Adult', 'Adults Only', 'X', 'XXX', 'R18', 'R-18', '18+', 'Smut', 'Lemon'],
  },
  {
    _id: 'rating.not-rated',
    _type: 'rating',
    code: 'not-rated',
    title: 'Not Rated',
    description: 'The author has not chosen a rating; treated as possibly explicit.',
    minimumAge: 18,
    sortOrder: 5,
    requiresContentGate: true,
    aliases: ['Not Rated', 'Unrated', 'No Rating', 'NR', 'N/A'],
  },
]

export interface RatingMatch {
  id: string
  code: string
  matched: boolean
  via: 'exact' | 'word' | 'none'
}

const NOT_RATED_ID = 'rating.not-rated'

/** Tokens of lower-case letters/digits/"+"; apostrophes vanish so "I'm" can't read as "M". */
function tokens(value: string): string[] {
  return value
    .normalize('NFKC')
    .toLowerCase()
    .replace(/['’‘`´]/g, '')
    .split(/[^\p{L}\p{N}+]+/u)
    .filter(Boolean)
}

/** Joined key: spacing and punctuation between tokens never matters ("PG-13" = "PG13" = "pg 13"). */
function joinedKey(value: string): string {
  return tokens(value).join('')
}

interface AliasEntry {
  seed: RatingSeed
  key: string
}

// "YA" and "E" are too common inside sentences (initials, other languages) to trust on their own:
// inside a longer value they count only right after "Rated"/"Rating" ("Rated E").
const NEEDS_RATED_BEFORE = new Set(['ya', 'e'])
const RATED_WORDS = new Set(['rated', 'rating'])

const ALIAS_INDEX = new Map<string, AliasEntry>()
let MAX_ALIAS_TOKENS = 1
for (const seed of RATING_SEED) {
  for (const alias of [seed.title, seed.code, ...seed.aliases]) {
    const key = joinedKey(alias)
    if (!ALIAS_INDEX.has(key)) ALIAS_INDEX.set(key, {seed, key})
    MAX_ALIAS_TOKENS = Math.max(MAX_ALIAS_TOKENS, tokens(alias).length + 1)
  }
}

function result(seed: RatingSeed, via: 'exact' | 'word'): RatingMatch {
  return {id: seed._id, code: seed.code, matched: true, via}
}

/**
 * Exact (normalised) alias first; then the alias found as whole words earliest in the value, the
 * longest one when several start at the same word ("PG-13 ..." is teen, not PG). The earliest,
 * because a header leads with its rating and explains after: "PG (nothing Mature, just kissing)".
 * Never by prefix: "Mature" is Mature, not "M" plus noise.
 */
export function mapRating(value: string): RatingMatch {
  const none: RatingMatch = {id: NOT_RATED_ID, code: 'not-rated', matched: false, via: 'none'}
  if (typeof value !== 'string') return none
  const words = tokens(value)
  if (words.length === 0) return none
  const exact = ALIAS_INDEX.get(words.join(''))
  if (exact) return result(exact.seed, 'exact')

  for (let start = 0; start < words.length; start++) {
    let best: AliasEntry | undefined
    let key = ''
    for (let n = 0; n < MAX_ALIAS_TOKENS && start + n < words.length; n++) {
      key += words[start + n]
      const entry = ALIAS_INDEX.get(key)
      if (!entry) continue
      if (NEEDS_RATED_BEFORE.has(entry.key) && !(start > 0 && RATED_WORDS.has(words[start - 1]))) continue
      best = entry // keys only grow with n, so the last hit at this start is the longest
    }
    if (best) return result(best.seed, 'word')
  }
  return none
}
