import getSlug from 'speakingurl'
import {sha256Hex} from './sha256'
import {SLUG_MAX_LENGTH} from './taxonomy'
import {normaliseForKey} from './workKey'

/**
 * FNV-1a over UTF-16 code units, run twice with different offsets: a stable, dependency-free
 * fingerprint (not a security hash) for text that has no Latin reading.
 */
function fingerprint(text: string): string {
  let a = 0x811c9dc5
  let b = 0x01000193 ^ 0x5bd1e995
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    a = Math.imul(a ^ c, 0x01000193) >>> 0
    b = Math.imul(b ^ c, 0x01000193 + 0x2a) >>> 0
  }
  return a.toString(16).padStart(8, '0') + b.toString(16).padStart(8, '0')
}

/**
 * The slug of a title or name: the Studio's own algorithm (speakingurl with symbols, as Sanity's
 * slug button runs it), so "Война и мир" -> "voina-i-mir". Text speakingurl cannot transliterate
 * (Japanese, Chinese, Korean, only symbols) gets a fingerprint of the text, never a shared word
 * like "untitled" that two stories would fight over.
 */
export function slugFor(text: string, maxLength: number = SLUG_MAX_LENGTH): string {
  const source = typeof text === 'string' ? text.normalize('NFC').trim() : ''
  const slug = source ? getSlug(source, {truncate: maxLength, symbols: true}) : ''
  if (slug) return slug
  return `x-${fingerprint(source.toLowerCase())}`.slice(0, maxLength)
}

/**
 * The part of a document id made from a name (`fandom.<part>`, `rightsHolder.<part>`,
 * `author.<part>`, `series.<part>`): the catalogue and the importer make ids with this one rule,
 * so the same name gives the same document. Lower-case ASCII words joined by hyphens; when
 * letters outside a-z were dropped ("Фандом 1", "名探偵コナン") a hash of the whole normalised
 * name follows, so two such names never share an id. A name with no ASCII part is `x<hash>`.
 */
export function nameIdPart(name: string): string {
  const normalised = normaliseForKey(typeof name === 'string' ? name : '').replace(/ /g, '-')
  const ascii = normalised.replace(/[^a-z0-9-]+/g, '').replace(/-+/g, '-').replace(/^-|-$/g, '').slice(0, 80)
  if (!ascii) return `x${sha256Hex(normalised || String(name ?? '')).slice(0, 16)}`
  return /[^a-z0-9-]/.test(normalised) ? `${ascii}-${sha256Hex(normalised).slice(0, 10)}` : ascii
}
