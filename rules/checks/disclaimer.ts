/**
 * Disclaimer checks. Fan fiction borrows someone else's characters, so the archive requires a
 * disclaimer that (a) disclaims ownership and (b) names who does own each borrowed work.
 * Original works (every fandom marked isOriginalWork) need neither.
 */
import {HEADER_LABELS} from '../labels'
import {applyLevels, finding, resolveCheckOptions} from './options'
import {compilePhrases, findPhrase, nameKey, phraseKey} from './phrases'
import type {CheckOptions, FandomForChecks, Finding} from './types'

/** Phrases that say "this is not mine". */
const OWNERSHIP_PHRASES = compilePhrases([
  'not my own',
  'not mine',
  "aren't mine",
  "isn't mine",
  'are not mine',
  'is not mine',
  'none of it is mine',
  "don't own",
  'do not own',
  "doesn't own",
  'does not own',
  'never owned',
  'own nothing',
  'own none',
  'belong to',
  'belongs to',
  'belonged to',
  'belonging to',
  'owned by',
  'property of',
  'properties of',
  'all rights reserved to',
  'rights belong',
  'copyright of',
  'copyrighted by',
  'no infringement intended',
  'no copyright infringement',
  'no infringement is intended',
  'standard disclaimers apply',
  'standard disclaimer applies',
  'usual disclaimers apply',
  'no claim',
  'make no claim',
  'do not claim',
  "don't claim",
  'not claiming',
  'if i owned',
  'wish i owned',
])

/**
 * "No money is being made" says nothing about who owns the characters, so on its own it is not a
 * disclaimer; it is only recognised to give a more precise message.
 */
const NO_PROFIT_PHRASES = compilePhrases([
  'not making any money',
  'not making money',
  'no money is being made',
  'no money is made',
  'making no money',
  'no profit',
  'not for profit',
  'no money',
])

/** Text that stands in for a disclaimer not written yet. */
const PLACEHOLDER_PHRASES = compilePhrases([
  'insert disclaimer here',
  'insert disclaimer',
  'disclaimer goes here',
  'add disclaimer',
  'disclaimer tbd',
  'tbd',
  'tba',
  'todo',
  'lorem ipsum',
])
const BRACKETED_PLACEHOLDER = /[[{<(]\s*(?:disclaimer|insert[^\]}>)]*)\s*[\]}>)]/i

/** A "Disclaimer:" header label left inside the value. */
const LABEL_RESIDUE = new RegExp(
  `(?:^|[\\s*~_\\[(])(?:${HEADER_LABELS.disclaimer.map((l) => l.replace(/[()]/g, '\\$&')).join('|')})[\\s*~_\\])]*(?::|[-–—]+(?=\\s|$))`,
  'iu',
)

const SUGGESTION = '"[Fandom] and its characters belong to [rights holder]. I own nothing; no infringement intended."'

function isBlank(value: unknown): boolean {
  return typeof value !== 'string' || value.trim() === ''
}

// Fandoms arrive straight from GROQ projections, where absent fields are null, not undefined.
function fandomTitle(fandom: FandomForChecks): string {
  return (typeof fandom.title === 'string' && fandom.title.trim()) || 'this fandom'
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []
}

function listNames(names: string[]): string {
  const quoted = names.map((n) => `"${n}"`)
  if (quoted.length <= 1) return quoted.join('')
  return `${quoted.slice(0, -1).join(', ')} or ${quoted[quoted.length - 1]}`
}

function acceptableNames(fandom: FandomForChecks): string[] {
  const names: string[] = []
  for (const name of [...stringList(fandom.rightsHolders), fandom.title, ...stringList(fandom.aliases)]) {
    const trimmed = typeof name === 'string' ? name.trim() : ''
    if (trimmed && !names.includes(trimmed)) names.push(trimmed)
  }
  return names
}

// Fandom names repeat across every check of every story; their keys are worth remembering.
const nameKeyCache = new Map<string, string>()

function cachedNameKey(name: string): string {
  let key = nameKeyCache.get(name)
  if (key === undefined) {
    if (nameKeyCache.size >= 5000) nameKeyCache.clear()
    key = nameKey(name)
    nameKeyCache.set(name, key)
  }
  return key
}

function namesFandom(textNameKey: string, fandom: FandomForChecks): boolean {
  for (const name of acceptableNames(fandom)) {
    const key = cachedNameKey(name)
    if (key && textNameKey.includes(` ${key} `)) return true
  }
  return false
}

export function checkDisclaimer(
  disclaimer: string | null | undefined,
  fandoms: FandomForChecks[] | null | undefined,
  options?: Partial<CheckOptions>,
): Finding[] {
  const resolved = resolveCheckOptions(options)
  const list = Array.isArray(fandoms) ? fandoms.filter((f): f is FandomForChecks => typeof f === 'object' && f !== null) : []
  const borrowed = list.filter((f) => !f.isOriginalWork)
  const allOriginal = list.length > 0 && borrowed.length === 0
  const findings: Finding[] = []

  if (isBlank(disclaimer)) {
    if (!allOriginal) {
      const what = borrowed.length ? `fan fiction of ${borrowed.map(fandomTitle).join(' and ')}` : 'not marked as an original work'
      findings.push(
        finding(
          'disclaimer.missing',
          'disclaimer',
          `Add a disclaimer: this story is ${what}, so it must say the characters and world are not yours.`,
          `For example: ${SUGGESTION}`,
        ),
      )
    }
    return applyLevels(findings, resolved)
  }

  const text = (disclaimer as string).trim()
  const key = phraseKey(text)

  const placeholder = findPhrase(key, PLACEHOLDER_PHRASES) ?? BRACKETED_PLACEHOLDER.exec(text)?.[0]
  // Not written yet: saying what the missing text should also contain would only add noise.
  // (If a project turns placeholder findings off, the remaining checks still judge the text.)
  if (placeholder && resolved.levels['disclaimer.placeholder'] !== 'off') {
    findings.push(
      finding(
        'disclaimer.placeholder',
        'disclaimer',
        `The disclaimer is a placeholder ("${placeholder}"); replace it with the real disclaimer.`,
        `Write the disclaimer, for example: ${SUGGESTION}`,
      ),
    )
    return applyLevels(findings, resolved)
  }

  const residue = LABEL_RESIDUE.exec(text)
  if (residue) {
    const fixed = text.replace(LABEL_RESIDUE, (m) => m.match(/^[\s*~_\[(]/)?.[0] ?? '').trim()
    findings.push(
      finding(
        'disclaimer.placeholder',
        'disclaimer',
        `The disclaimer still contains the header label "${residue[0].trim()}"; the field is already labelled, remove it.`,
        `Change it to: "${fixed}"`,
      ),
    )
  }

  if (allOriginal) return applyLevels(findings, resolved)

  if (!findPhrase(key, OWNERSHIP_PHRASES)) {
    const onlyProfit = findPhrase(key, NO_PROFIT_PHRASES)
    findings.push(
      finding(
        'disclaimer.no-ownership-disclaimed',
        'disclaimer',
        onlyProfit
          ? `The disclaimer says no money is made ("${onlyProfit}") but not that the characters belong to someone else.`
          : "The disclaimer doesn't say the characters and world belong to someone else.",
        `Say who owns them, for example: ${SUGGESTION}`,
      ),
    )
  }

  const textNameKey = ` ${nameKey(text)} `
  for (const fandom of borrowed) {
    if (namesFandom(textNameKey, fandom)) continue
    const names = acceptableNames(fandom)
    findings.push(
      finding(
        'disclaimer.rights-holder-not-named',
        'disclaimer',
        `The disclaimer doesn't name who owns ${fandomTitle(fandom)}.` +
          (names.length ? ` Name ${listNames(names)}.` : ''),
        stringList(fandom.rightsHolders)[0]
          ? `Add, for example: "${fandomTitle(fandom)} belongs to ${stringList(fandom.rightsHolders)[0]}."`
          : `Name ${fandomTitle(fandom)} or its creator in the disclaimer.`,
      ),
    )
  }
  return applyLevels(findings, resolved)
}
