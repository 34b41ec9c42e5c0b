import {createHash} from 'node:crypto'
import {describe, expect, it} from 'vitest'
import {partialDateToDateTime} from '../../rules'
import {sha256Hex} from '../../rules/sha256'

describe('sha256Hex (the pure SHA-256 behind story ids)', () => {
  it.each([
    ['', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
    ['abc', 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'],
    ['abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq', '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1'],
  ])('the published vector for %j', (text, hex) => {
    expect(sha256Hex(text)).toBe(hex)
  })

  // Lengths around the 55/56/64-byte padding edges, and text outside ASCII (UTF-8 bytes).
  it.each(['a'.repeat(55), 'a'.repeat(56), 'a'.repeat(63), 'a'.repeat(64), 'a'.repeat(119), 'Война и мир', '進撃の巨人 🐺', 'x'.repeat(1000)])(
    'agrees with node:crypto for %j',
    (text) => {
      expect(sha256Hex(text)).toBe(createHash('sha256').update(text, 'utf8').digest('hex'))
    },
  )
})

describe('partialDateToDateTime', () => {
  it.each([
    [{year: 2005}, '2005-01-01T00:00:00Z'],
    [{year: 2005, month: 3}, '2005-03-01T00:00:00Z'],
    [{year: 2005, month: 11, day: 9}, '2005-11-09T00:00:00Z'],
    [{year: 999, month: 1, day: 1}, '0999-01-01T00:00:00Z'],
  ])('%j -> %s', (date, iso) => {
    expect(partialDateToDateTime(date)).toBe(iso)
  })
})
