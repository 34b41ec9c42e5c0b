import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import {countPortableTextWords, countWords, openingText, toPlainText} from '../../rules'
import {para} from './fixtures'

const cases: [string, string, number][] = [
  ['empty', '', 0],
  ['whitespace only', ' \n\t  \u00a0 ', 0],
  ['simple sentence', 'The quick brown fox jumps.', 5],
  ['straight apostrophe joins', "don't you dare", 3],
  ['curly apostrophe joins', 'don’t you dare', 3],
  ['possessive', "Harry's wand", 2],
  ['leading/trailing quote marks are not words', "'Hello,' she said. 'Bye.'", 4],
  ['hyphen joins', 'an arm-rest and a well-known mother-in-law', 6],
  ['double hyphen separates', 'wait--what', 2],
  ['spaced double hyphen is not a word', 'wait -- what', 2],
  ['em dash separates', 'wait—what', 2],
  ['en dash separates', 'pages 10–12', 3],
  ['dangling hyphen', 'pre- and post-war', 3],
  ['numbers', 'In 1998 there were 3 of them', 7],
  ['digit groups count once', 'It cost 1,000 galleons, or 3.14 times more.', 8],
  ['sentence-ending period between words', 'End.Start', 2],
  ['ellipsis', 'Well...fine', 2],
  ['punctuation only', '... !!! ?? -- —', 0],
  ['Chinese: one word per character', '我爱你', 3],
  ['Chinese with punctuation', '你好，世界。', 4],
  ['Japanese hiragana', 'ありがとう', 5],
  ['Japanese katakana with long mark', 'コーヒー', 4],
  ['Japanese mixed kanji/kana', '東京へ行く', 5],
  ['Thai', 'สวัสดี', 4],
  ['mixed Latin and Han', 'Hello世界', 3],
  ['mixed scripts with spaces', 'Harry 和 Draco', 3],
  ['Cyrillic', 'Привет, как дела?', 3],
  ['Greek with accents', 'Καλημέρα κόσμε', 2],
  ['Latin with combining accents', 'cafe\u0301 na\u0308ive', 2],
  ['Korean words are space-separated', '안녕하세요 세계', 2],
  ['Arabic', 'مرحبا بالعالم', 2],
  ['emoji are not words', 'hi 🌊 there 😀', 2],
  ['astral Han (CJK Ext B)', '𠀀𠀁', 2],
  ['underscores separate', 'snake_case_name', 3],
  ['newlines separate', 'one\ntwo\r\nthree', 3],
]

describe('countWords', () => {
  it.each(cases)('%s', (_name, text, expected) => {
    expect(countWords(text)).toBe(expected)
  })

  it('tolerates non-strings', () => {
    expect(countWords(undefined as unknown as string)).toBe(0)
    expect(countWords(42 as unknown as string)).toBe(0)
  })

  it('is additive over space-joined texts', () => {
    fc.assert(
      fc.property(fc.string({unit: 'grapheme'}), fc.string({unit: 'grapheme'}), (a, b) => {
        expect(countWords(`${a} ${b}`)).toBe(countWords(a) + countWords(b))
      }),
      {numRuns: 300},
    )
  })

  it('agrees with whitespace splitting on plain ASCII words', () => {
    fc.assert(
      fc.property(fc.array(fc.stringMatching(/^[a-z0-9]{1,8}$/), {maxLength: 30}), (words) => {
        expect(countWords(words.join(' '))).toBe(words.length)
      }),
      {numRuns: 200},
    )
  })
})

const scene = {_type: 'sceneBreak', _key: 'sb'}
const note = {_type: 'authorsNote', _key: 'an', text: 'Not counted in plain text'}
const splitWord = {
  _type: 'block',
  _key: 'sw',
  style: 'normal',
  markDefs: [],
  children: [
    {_type: 'span', _key: 'a', text: 'Hel', marks: []},
    {_type: 'span', _key: 'b', text: 'lo there', marks: ['strong']},
  ],
}

describe('Portable Text helpers', () => {
  const blocks = [para('First paragraph here.'), scene, note, splitWord, para('第三')]

  it('toPlainText joins text blocks with blank lines and skips other blocks', () => {
    expect(toPlainText(blocks)).toBe('First paragraph here.\n\nHello there\n\n第三')
  })

  it('countPortableTextWords counts a word split across spans once', () => {
    expect(countPortableTextWords(blocks)).toBe(3 + 2 + 2)
  })

  it('countPortableTextWords equals countWords of the plain text', () => {
    fc.assert(
      fc.property(fc.array(fc.string({unit: 'grapheme'}), {maxLength: 8}), (texts) => {
        const pt = texts.map((t, i) => para(t, `k${i}`))
        expect(countPortableTextWords(pt)).toBe(countWords(toPlainText(pt)))
      }),
      {numRuns: 200},
    )
  })

  it.each([
    ['null', null],
    ['undefined', undefined],
    ['a string', 'just text'],
    ['a number', 7],
    ['garbage members', [null, 3, 'x', {_type: 'block'}, {_type: 'block', children: [null, {text: 5}, {_type: 'span'}]}]],
  ])('tolerates %s', (_name, input) => {
    expect(toPlainText(input)).toBe('')
    expect(countPortableTextWords(input)).toBe(0)
    expect(openingText(input, 100)).toBe('')
  })

  it('accepts a single block object', () => {
    expect(toPlainText(para('Alone'))).toBe('Alone')
  })

  it.each([
    [5, 'First'],
    [21, 'First paragraph here.'],
    [24, 'First paragraph here.\n\nH'],
    [1000, 'First paragraph here.\n\nHello there\n\n第三'],
    [0, ''],
  ])('openingText(blocks, %i)', (max, expected) => {
    expect(openingText(blocks, max)).toBe(expected)
  })

  it('openingText stops reading once it has enough', () => {
    let reads = 0
    const many = Array.from({length: 10_000}, (_, i) => para(`Block ${i}.`))
    const counted = new Proxy(many, {
      get(target, prop, receiver) {
        if (typeof prop === 'string' && /^\d+$/.test(prop)) reads++
        return Reflect.get(target, prop, receiver)
      },
    })
    expect(openingText(counted, 30)).toBe('Block 0.\n\nBlock 1.\n\nBlock 2.\n\n')
    expect(reads).toBeLessThan(6)
  })
})
