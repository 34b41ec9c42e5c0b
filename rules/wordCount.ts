/**
 * Word counting by the archive convention: a word is a run of letters/digits; an apostrophe or
 * hyphen between two letters/digits joins them ("don't", "arm-rest"); "--" and en/em dashes
 * separate; every Han, Hiragana, Katakana or Thai character counts as a word on its own, because
 * those scripts do not put spaces between words. Digit groups ("1,000", "3.14") count once.
 *
 * It runs over 100,000-word bodies on every keystroke-driven validation, so it is one pass over
 * char codes with a lookup table for the Basic Multilingual Plane, filled in page by page.
 */

const OTHER = 0
const WORD = 1
/** Counted as a word by itself (Han, kana, Thai). */
const STANDALONE = 2
/** Combining mark: continues whatever came before. */
const MARK = 3

const LETTER_OR_DIGIT = /^[\p{L}\p{N}]$/u
const COMBINING_MARK = /^\p{M}$/u
const STANDALONE_SCRIPT = /^[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}]$/u

function classifyCodePoint(cp: number): number {
  const ch = String.fromCodePoint(cp)
  if (COMBINING_MARK.test(ch)) return MARK
  // The prolonged sound mark (ー) is script Common but behaves as part of katakana.
  if (cp === 0x30fc) return STANDALONE
  if (LETTER_OR_DIGIT.test(ch)) return STANDALONE_SCRIPT.test(ch) ? STANDALONE : WORD
  return OTHER
}

const bmpTable = new Uint8Array(0x10000)
/** Which 256-code-point pages of bmpTable are filled in: a text only pays for the scripts it uses. */
const bmpPageReady = new Uint8Array(0x100)

function bmpClass(code: number): number {
  const page = code >> 8
  if (bmpPageReady[page] === 0) {
    const start = page << 8
    for (let cp = start; cp < start + 0x100; cp++) {
      bmpTable[cp] = cp >= 0xd800 && cp <= 0xdfff ? OTHER : classifyCodePoint(cp)
    }
    bmpPageReady[page] = 1
  }
  return bmpTable[code]
}

function isJoiner(code: number): boolean {
  // ' ’ - ‐ ‑ (apostrophes and hyphens; not dashes)
  return code === 0x27 || code === 0x2019 || code === 0x2d || code === 0x2010 || code === 0x2011
}

function isDigitSeparator(code: number): boolean {
  return code === 0x2c || code === 0x2e // , .
}

function isAsciiDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39
}

function classAt(text: string, i: number): number {
  const code = text.charCodeAt(i)
  if (code < 0x80) {
    return (code >= 0x61 && code <= 0x7a) || (code >= 0x41 && code <= 0x5a) || (code >= 0x30 && code <= 0x39)
      ? WORD
      : OTHER
  }
  if (code >= 0xd800 && code <= 0xdbff) {
    const cp = text.codePointAt(i)
    return cp === undefined || cp === code ? OTHER : classifyCodePoint(cp)
  }
  if (code >= 0xdc00 && code <= 0xdfff) return MARK // trailing half of a pair already classified
  return bmpClass(code)
}

export function countWords(text: string): number {
  if (typeof text !== 'string' || text.length === 0) return 0
  let count = 0
  let inWord = false
  let afterStandalone = false
  const length = text.length
  for (let i = 0; i < length; i++) {
    const code = text.charCodeAt(i)
    const cls = classAt(text, i)
    if (code >= 0xd800 && code <= 0xdbff && i + 1 < length) {
      // Classify the pair once and skip its trailing half.
      const next = text.charCodeAt(i + 1)
      if (next >= 0xdc00 && next <= 0xdfff) i++
    }
    if (cls === WORD) {
      if (!inWord) {
        count++
        inWord = true
      }
      afterStandalone = false
    } else if (cls === STANDALONE) {
      count++
      inWord = false
      afterStandalone = true
    } else if (cls === MARK) {
      if (!inWord && !afterStandalone) {
        count++
        inWord = true
      }
    } else if (inWord && i + 1 < length && classAt(text, i + 1) === WORD) {
      if (isJoiner(code)) continue
      if (isDigitSeparator(code) && isAsciiDigit(text.charCodeAt(i - 1)) && isAsciiDigit(text.charCodeAt(i + 1))) continue
      inWord = false
      afterStandalone = false
    } else {
      inWord = false
      afterStandalone = false
    }
  }
  return count
}
