import {describe, expect, it} from 'vitest'
import {decodeText} from '../../scripts/import/decode'
import {ImportError} from '../../scripts/import/errors'

const utf16le = (text: string, bom = true) => Buffer.concat([bom ? Buffer.from([0xff, 0xfe]) : Buffer.alloc(0), Buffer.from(text, 'utf16le')])
const utf16be = (text: string, bom = true) => {
  const le = Buffer.from(text, 'utf16le')
  for (let i = 0; i < le.length; i += 2) [le[i], le[i + 1]] = [le[i + 1]!, le[i]!]
  return Buffer.concat([bom ? Buffer.from([0xfe, 0xff]) : Buffer.alloc(0), le])
}

describe('decodeText', () => {
  it.each([
    ['UTF-8', Buffer.from('Café “quoted” — yes\n', 'utf8'), 'utf-8'],
    ['UTF-8 with BOM', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('Café “quoted” — yes\n')]), 'utf-8'],
    ['UTF-16 LE with BOM', utf16le('Café “quoted” — yes\n'), 'utf-16le'],
    ['UTF-16 BE with BOM', utf16be('Café “quoted” — yes\n'), 'utf-16be'],
    ['UTF-16 LE without BOM', utf16le('Café “quoted” — yes\n', false), 'utf-16le'],
    ['UTF-16 BE without BOM', utf16be('Café “quoted” — yes\n', false), 'utf-16be'],
    ['Windows-1252', Buffer.from([0x43, 0x61, 0x66, 0xe9, 0x20, 0x93, 0x71, 0x75, 0x6f, 0x74, 0x65, 0x64, 0x94, 0x20, 0x97, 0x20, 0x79, 0x65, 0x73, 0x0a]), 'windows-1252'],
  ])('%s', (_, bytes, encoding) => {
    const decoded = decodeText(bytes, 'story.txt')
    expect(decoded.text).toBe('Café “quoted” — yes\n')
    expect(decoded.encoding).toBe(encoding)
  })

  it('normalises CRLF and lone CR line endings', () => {
    expect(decodeText(Buffer.from('a\r\nb\rc\n'), 'x.txt').text).toBe('a\nb\nc\n')
  })

  it.each([
    ['empty', Buffer.alloc(0), /x\.txt: file is empty/],
    ['whitespace only', Buffer.from('  \n\t\n'), /x\.txt: file has no text/],
    ['binary with NULs', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x00, 0x01, 0x02, 0x03, 0x00, 0xff, 0x00, 0x10]), /x\.txt: binary data/],
    ['control characters', Buffer.from(Array.from({length: 200}, (_, i) => (i % 3 === 0 ? 0x01 : 0x41))), /x\.txt: binary data/],
  ])('refuses %s with a one-line error naming the file', (_, bytes, message) => {
    let error: unknown
    try {
      decodeText(bytes, 'x.txt')
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(ImportError)
    expect((error as Error).message).toMatch(message)
    expect((error as Error).message).not.toContain('\n')
  })

  it('refuses an unknown declared encoding, naming it', () => {
    expect(() => decodeText(Buffer.from('hi'), 'x.html', {encoding: 'x-klingon-8'})).toThrow(/x\.html: unknown or unsupported text encoding "x-klingon-8"/)
  })

  it.each([
    ['a UTF-8 BOM over a declared windows-1252', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('Café “quoted”\n')]), 'windows-1252', 'utf-8'],
    ['a UTF-16 LE BOM over a declared utf-8', utf16le('Café “quoted”\n'), 'utf-8', 'utf-16le'],
    ['a UTF-16 BE BOM over a declared iso-8859-1', utf16be('Café “quoted”\n'), 'iso-8859-1', 'utf-16be'],
    ['a declared utf-16 in an 8-bit file (read as UTF-8)', Buffer.from('Café “quoted”\n', 'utf8'), 'utf-16', 'utf-8'],
    ['a declared utf-16le in an 8-bit file (read as UTF-8)', Buffer.from('Café “quoted”\n', 'utf8'), 'UTF-16LE', 'utf-8'],
    ['a declared utf-16le in a BOM-less UTF-16 file', utf16le('Café “quoted”\n', false), 'utf-16le', 'utf-16le'],
  ])('%s', (_, bytes, declared, encoding) => {
    const decoded = decodeText(bytes, 'story.html', {encoding: declared})
    expect(decoded).toEqual({text: 'Café “quoted”\n', encoding})
  })
})
