import getSlug from 'speakingurl'
import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import {SLUG_MAX_LENGTH, slugFor} from '../../rules'

describe('slugFor: the Studio and the importer slug titles alike', () => {
  it.each([
    ['The Long Road', 'the-long-road'],
    ['Hermione G. & Ron', 'hermione-g-and-ron'],
    ['Война и мир', 'voina-i-mir'],
    ['Αστέρια', 'asteria'],
    ['Ünïcödé Title!', 'uenicoede-title'],
    ['Hurt/Comfort', 'hurt-comfort'],
  ])('%j -> %j (transliterated, as the slug button does)', (title, slug) => {
    expect(slugFor(title)).toBe(slug)
    // The Studio's default slugifier is speakingurl with symbols; a Latin-readable title must agree with it.
    expect(slugFor(title)).toBe(getSlug(title, {truncate: SLUG_MAX_LENGTH, symbols: true}))
  })

  it.each(['東京の夜', '中文标题', '사랑', '***', ''])('%j has no Latin reading: a fingerprint, never "untitled"', (title) => {
    const slug = slugFor(title)
    expect(slug).toMatch(/^x-[0-9a-f]{16}$/)
    expect(slug).not.toContain('untitled')
  })

  it('different untransliterable titles get different slugs; the same title the same one', () => {
    expect(slugFor('東京の夜')).not.toBe(slugFor('京都の朝'))
    expect(slugFor('東京の夜')).toBe(slugFor('東京の夜'))
  })

  it('is always a non-empty URL-safe slug within the limit', () => {
    fc.assert(
      fc.property(fc.string({maxLength: 300}), (text) => {
        const slug = slugFor(text)
        expect(slug.length).toBeGreaterThan(0)
        expect(slug.length).toBeLessThanOrEqual(SLUG_MAX_LENGTH)
        expect(slug).toMatch(/^[a-z0-9_~.-]+$/)
      }),
    )
  })
})
