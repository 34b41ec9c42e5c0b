import {describe, expect, it} from 'vitest'
import {mapRating, RATING_SEED} from '../../rules'

const cases: [string, string, boolean, 'exact' | 'word' | 'none'][] = [
  ['Mature', 'mature', true, 'exact'],
  ['mature', 'mature', true, 'exact'],
  ['Explicit', 'explicit', true, 'exact'],
  ['General Audiences', 'general', true, 'exact'],
  ['Teen And Up Audiences', 'teen', true, 'exact'],
  ['Teen And Up', 'teen', true, 'exact'],
  ['Not Rated', 'not-rated', true, 'exact'],
  ['Fiction K+', 'general', true, 'exact'],
  ['Rated: Fiction K+', 'general', true, 'word'],
  ['Rated: Fiction T', 'teen', true, 'word'],
  ['K', 'general', true, 'exact'],
  ['K+', 'general', true, 'exact'],
  ['K +', 'general', true, 'exact'],
  ['T', 'teen', true, 'exact'],
  ['G', 'general', true, 'exact'],
  ['PG', 'general', true, 'exact'],
  ['PG-13', 'teen', true, 'exact'],
  ['PG13', 'teen', true, 'exact'],
  ['pg 13', 'teen', true, 'exact'],
  ['Rated PG-13 for language', 'teen', true, 'word'],
  ['R', 'mature', true, 'exact'],
  ['R (for violence)', 'mature', true, 'word'],
  ['Rated R for violence', 'mature', true, 'word'],
  ['M', 'mature', true, 'exact'],
  ['Rated M for language', 'mature', true, 'word'],
  ['MA', 'explicit', true, 'exact'],
  ['Fiction MA', 'explicit', true, 'exact'],
  ['NC-17', 'explicit', true, 'exact'],
  ['NC17', 'explicit', true, 'exact'],
  ['nc-17 (sexual content)', 'explicit', true, 'word'],
  ['X', 'explicit', true, 'exact'],
  ['Adult', 'explicit', true, 'exact'],
  ['Gen', 'general', true, 'exact'],
  ['Teen', 'teen', true, 'exact'],
  ['Young Adult', 'teen', true, 'exact'],
  ['E', 'explicit', true, 'exact'],
  ['Rated E', 'explicit', true, 'word'],
  ['**Rating:** T', 'teen', true, 'word'],
  // The rating leads; later words only explain it.
  ['PG (nothing Mature, just kissing)', 'general', true, 'word'],
  ['G, some teen angst', 'general', true, 'word'],
  ['T (Mature themes later)', 'teen', true, 'word'],
  ['Rated M, not explicit', 'mature', true, 'word'],
  ['PG-13 (Mature in later chapters)', 'teen', true, 'word'],
  ["I'm not sure yet", 'not-rated', false, 'none'],
  ['Maybe later', 'not-rated', false, 'none'],
  ['Mat', 'not-rated', false, 'none'],
  ['Matures', 'not-rated', false, 'none'],
  ['banana', 'not-rated', false, 'none'],
  ['', 'not-rated', false, 'none'],
  ['   ', 'not-rated', false, 'none'],
]

describe('mapRating', () => {
  it.each(cases)('%j -> %s', (value, code, matched, via) => {
    expect(mapRating(value)).toEqual({id: `rating.${code}`, code, matched, via})
  })

  it('tolerates non-strings', () => {
    expect(mapRating(null as unknown as string)).toMatchObject({code: 'not-rated', matched: false})
  })
})

describe('RATING_SEED', () => {
  it.each([
    ['rating.general', 'General Audiences', 0, 1, false],
    ['rating.teen', 'Teen And Up Audiences', 13, 2, false],
    ['rating.mature', 'Mature', 17, 3, true],
    ['rating.explicit', 'Explicit', 18, 4, true],
    ['rating.not-rated', 'Not Rated', 18, 5, true],
  ])('%s', (id, title, minimumAge, sortOrder, gate) => {
    const seed = RATING_SEED.find((r) => r._id === id)
    expect(seed).toMatchObject({_type: 'rating', code: id.slice('rating.'.length), title, minimumAge, sortOrder, requiresContentGate: gate})
    expect(seed?.description.length).toBeGreaterThan(0)
  })

  it('every alias maps back to its own rating and to no other', () => {
    const owner = new Map<string, string>()
    for (const seed of RATING_SEED) {
      for (const alias of seed.aliases) {
        expect(mapRating(alias), alias).toMatchObject({code: seed.code, via: 'exact'})
        const key = alias.toLowerCase().replace(/[^a-z0-9+]/g, '')
        expect(owner.get(key) ?? seed.code, alias).toBe(seed.code)
        owner.set(key, seed.code)
      }
    }
  })
})
