/**
 * Whole-phrase matching that ignores case, punctuation, accents and apostrophe style. Text and
 * phrases are reduced to " word word " form, so a phrase matches only on word boundaries and
 * "R&R" (" r and r ") never fires on "R&D".
 */

const APOSTROPHES = /['’‘`´ʼ]/g
const COMBINING_MARKS = /\p{M}+/gu
const NON_WORD = /[^\p{L}\p{N}]+/gu

export function phraseKey(text: string): string {
  const words = text
    .normalize('NFKD')
    .replace(COMBINING_MARKS, '')
    .toLowerCase()
    .replace(APOSTROPHES, '')
    .replace(/&/g, ' and ')
    .replace(NON_WORD, ' ')
    .trim()
  return words ? ` ${words} ` : ' '
}

/** Phrases pre-reduced once; matching is then plain substring search. */
export function compilePhrases(phrases: readonly string[]): string[] {
  const keys: string[] = []
  for (const phrase of phrases) {
    const key = phraseKey(phrase)
    if (key.trim()) keys.push(key)
  }
  return keys
}

/** The first phrase found in the reduced text, or undefined. */
export function findPhrase(textKey: string, phraseKeys: readonly string[]): string | undefined {
  for (const key of phraseKeys) if (textKey.includes(key)) return key.trim()
  return undefined
}

const POSSESSIVE = /(\p{L})['’]s\b/gu

const CORPORATE_SUFFIXES = new Set(['inc', 'incorporated', 'ltd', 'limited', 'llc', 'co', 'corp', 'corporation', 'plc', 'gmbh', 'llp', 'lp'])

/**
 * Key for matching a name inside a disclaimer: "J.K. Rowling's" = "JK Rowling" = "J. K. Rowling";
 * "Warner Bros. Entertainment Inc." = "Warner Bros Entertainment"; "&" = "and". Applied to both
 * the name and the disclaimer, so the name matches when its key is a run of the text's words.
 */
export function nameKey(text: string): string {
  const words = phraseKey(text.replace(POSSESSIVE, '$1').replace(/\./g, ' ')).trim().split(' ').filter(Boolean)
  const merged: string[] = []
  let inInitials = false
  for (const word of words) {
    const initial = word.length === 1 && /\p{L}/u.test(word)
    if (initial && inInitials) merged[merged.length - 1] += word
    else merged.push(word)
    inInitials = initial
  }
  const kept = merged.filter((word, index) => !CORPORATE_SUFFIXES.has(word) && !(index === 0 && word === 'the'))
  return (kept.length > 0 ? kept : merged).join(' ')
}
