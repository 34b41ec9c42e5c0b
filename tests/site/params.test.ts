import {describe, expect, it} from 'vitest'
import {hasPassedGate, safeReturnPath} from '../../site/gate'
import {decodeCursor, encodeCursor, listSearch, parseListRequest, searchTerms} from '../../site/listParams'
import {metaDescription} from '../../site/pages/Layout'

describe('list parameters from the query string', () => {
  it.each([
    ['', {rating: null, excludeWarnings: null, minWords: null}, 'published'],
    ['rating=mature&sort=words', {rating: 'mature'}, 'words'],
    ['rating=nc-17&sort=random', {rating: null}, 'published'],
    ['exclude=major-character-death&exclude=bogus', {excludeWarnings: ['major-character-death']}, 'published'],
    ['min=1000&max=5000', {minWords: 1000, maxWords: 5000}, 'published'],
    ['min=-5&max=1e9', {minWords: null, maxWords: null}, 'published'],
    ['language=xx&status=complete&category=f-f', {language: null, status: 'complete', category: 'f-f'}, 'published'],
  ])('%j', (query, filters, sort) => {
    const request = parseListRequest(new URLSearchParams(query))
    expect(request.filters).toMatchObject(filters)
    expect(request.sort).toBe(sort)
  })

  it('round-trips filters, sort and cursor through a next-page link', () => {
    const request = parseListRequest(new URLSearchParams('sort=updated&rating=teen&exclude=underage&min=100'))
    const cursor = {value: '2026-01-01T00:00:00Z', id: 'story.x'}
    const again = parseListRequest(new URLSearchParams(listSearch(request, cursor).slice(1)))
    expect(again).toEqual({...request, cursor})
  })

  it.each([
    ['number value', {value: 1200, id: 'story.a'}],
    ['string value', {value: '2026-01-01T00:00:00.000Z', id: 'story.b'}],
  ])('cursor round-trips a %s', (_, cursor) => {
    expect(decodeCursor(encodeCursor(cursor))).toEqual(cursor)
  })

  it.each(['', 'not-base64!', Buffer.from('{"a":1}').toString('base64url'), Buffer.from('[null,"x"]').toString('base64url'), Buffer.from('[1,""]').toString('base64url'), 'x'.repeat(600)])(
    'a malformed cursor %j reads as the first page',
    (raw) => {
      expect(decodeCursor(raw)).toBeNull()
    },
  )

  it.each([
    ['dragon', ['dragon*']],
    ["Keeper's Ledger", ['keeper*', 'ledger*']],
    ['Ilsa/Corwin', ['ilsa*', 'corwin*']],
    ['"*" OR 1==1', ['or*']],
    ['   ', []],
    ['a', ['a*']],
  ])('search terms for %j', (input, terms) => {
    expect(searchTerms(input)).toEqual(terms)
  })
})

describe('content gate helpers', () => {
  it.each([
    [undefined, false],
    ['', false],
    ['gate=1', true],
    ['theme=dark; gate=1', true],
    ['gate=0', false],
    ['nogate=1', false],
    ['gate=1x', false],
  ])('cookie %j passed: %s', (cookie, passed) => {
    expect(hasPassedGate(cookie)).toBe(passed)
  })

  it.each([
    ['/stories/x', '/stories/x'],
    ['/stories/x/chapters/2', '/stories/x/chapters/2'],
    ['https://evil.example', '/'],
    ['//evil.example', '/'],
    ['/\\evil.example', '/'],
    ['/x\r\nSet-Cookie: a=b', '/'],
    ['javascript:alert(1)', '/'],
    [42, '/'],
  ])('return path %j -> %j', (raw, safe) => {
    expect(safeReturnPath(raw)).toBe(safe)
  })
})

describe('meta description', () => {
  it.each([
    [null, undefined],
    ['  ', undefined],
    ['Short  and\nsweet.', 'Short and sweet.'],
  ])('%j -> %j', (input, output) => {
    expect(metaDescription(input)).toBe(output)
  })

  it('cuts a long summary at a word boundary within 160 characters', () => {
    const text = 'word '.repeat(100)
    const desc = metaDescription(text)!
    expect(desc.length).toBeLessThanOrEqual(160)
    expect(desc.endsWith('word…')).toBe(true)
  })
})
