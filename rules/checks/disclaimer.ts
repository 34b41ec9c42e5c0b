/**
 * Disclaimer checks. Fan fiction borrows someone else's characters, so the archive requires a
 * disclaimer that (a) disclaims ownership and (b) names who does own each borrowed work.
 * Original works (every fandom marked isOriginalWork) need neither.
 */
import {HEADER_LABELS} from '../labels'
import {applyLevels, finding, resolveCheckOptions} from './options'
import {compilePhrases, findPhrase, nameKey, phraseKey} from './phrases'
import type {FandomCatalogue} from '../fandoms'
import type {CheckOptions, FandomForChecks, Finding, RightsHolderForChecks} from './types'

/** Phrases that say "this is not mine". */
const OWNERSHIP_PHRASES = compilePhrases([
  'not my own',
  'not mine',
  "aren't mine",
  "isn't mine",
  'are not mine',
  'is not mine',
  'none of it is mine',
  'none of this is mine',
  'none of them are mine',
  'nothing is mine',
  'nothing here is mine',
  'is mine',
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

/** Phrases that say real-person fiction is made up and means no harm to the people in it. */
const FICTION_PHRASES = compilePhrases([
  'fiction',
  'fictional',
  'fictitious',
  'not real',
  'never happened',
  'did not happen',
  "didn't happen",
  'made up',
  'all made up',
  'no offence',
  'no offense',
  'no disrespect',
  'not affiliated',
  'do not know',
  "don't know",
  'not meant to imply',
  'no claim is made',
  'not true',
  'imagination',
])

function listNames(names: readonly string[], last = 'or'): string {
  if (names.length <= 1) return names.join('')
  return `${names.slice(0, -1).join(', ')} ${last} ${names[names.length - 1]}`
}

interface Owner {
  name: string
  /** Every name the owner is known by, its predecessors' and successors' too. */
  names: string[]
}

function holderOwner(holder: string | RightsHolderForChecks | null, catalogue: FandomCatalogue | undefined): Owner | null {
  if (typeof holder === 'string') {
    const name = holder.trim()
    return name ? {name, names: [name]} : null
  }
  if (!holder || typeof holder !== 'object') return null
  const name = typeof holder.name === 'string' ? holder.name.trim() : ''
  const names = [name, ...stringList(holder.aliases)]
  const id = typeof holder._id === 'string' ? holder._id.replace(/^drafts\./, '') : ''
  if (catalogue && id) {
    for (const related of catalogue.relatedHolders(id)) names.push(related.name, ...stringList(related.aliases))
  }
  const kept = [...new Set(names.map((n) => n.trim()).filter(Boolean))]
  return kept.length ? {name: name || kept[0]!, names: kept} : null
}

/** A fandom's owners: its own rights holders, or its parent franchise's when it lists none. */
function ownersOf(fandom: FandomForChecks, catalogue: FandomCatalogue | undefined): Owner[] {
  const own = Array.isArray(fandom.rightsHolders) ? fandom.rightsHolders : []
  const parent = fandom.parent && Array.isArray(fandom.parent.rightsHolders) ? fandom.parent.rightsHolders : []
  const out: Owner[] = []
  for (const holder of [...own, ...parent]) {
    const owner = holderOwner(holder, catalogue)
    if (owner && !out.some((o) => o.name === owner.name)) out.push(owner)
  }
  return out
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

function namesAny(textNameKey: string, names: readonly string[]): boolean {
  for (const name of names) {
    const key = cachedNameKey(name)
    if (key && textNameKey.includes(` ${key} `)) return true
  }
  return false
}

function fandomNames(fandom: FandomForChecks): string[] {
  const names = [typeof fandom.title === 'string' ? fandom.title : '', ...stringList(fandom.aliases)]
  return names.map((n) => n.trim()).filter(Boolean)
}

const MAX_LISTED_FANDOMS = 2

/** "Joss Whedon (Buffy the Vampire Slayer)": a named holder and what it does own. */
function describeHolder(holder: {_id: string; name: string}, catalogue: FandomCatalogue): string {
  const owned = catalogue.fandomsOwnedBy(holder._id).map((f) => f.title)
  if (!owned.length) return holder.name
  const shown = owned.slice(0, MAX_LISTED_FANDOMS).join(', ')
  const more = owned.length - MAX_LISTED_FANDOMS
  return `${holder.name} (${shown}${more > 0 ? ` and ${more} more` : ''})`
}

/**
 * Checks a disclaimer against the story's fandoms. With a catalogue (every rights holder the
 * archive knows), a disclaimer naming some other fandom's owner and none of this story's is
 * an error that names the right owners; without one, only the story's own owners are known.
 */
export function checkDisclaimer(
  disclaimer: string | null | undefined,
  fandoms: readonly (FandomForChecks | null)[] | null | undefined,
  options?: Partial<CheckOptions>,
  catalogue?: FandomCatalogue,
): Finding[] {
  const resolved = resolveCheckOptions(options)
  const list = Array.isArray(fandoms) ? fandoms.filter((f): f is FandomForChecks => typeof f === 'object' && f !== null) : []
  const realPeople = list.filter((f) => !f.isOriginalWork && f.isRealPerson)
  const borrowed = list.filter((f) => !f.isOriginalWork && !f.isRealPerson)
  const allOriginal = list.length > 0 && borrowed.length === 0 && realPeople.length === 0
  const findings: Finding[] = []

  if (isBlank(disclaimer)) {
    if (!allOriginal) {
      const parts: string[] = []
      if (borrowed.length) parts.push(`fan fiction of ${borrowed.map(fandomTitle).join(' and ')}, so it must say the characters and world are not yours`)
      if (realPeople.length) parts.push(`about real people (${realPeople.map(fandomTitle).join(' and ')}), so it must say it is fiction and means no offence to them`)
      if (!parts.length) parts.push('not marked as an original work, so it must say the characters and world are not yours')
      findings.push(
        finding(
          'disclaimer.missing',
          'disclaimer',
          `Add a disclaimer: this story is ${parts.join('; and ')}.`,
          borrowed.length || !realPeople.length
            ? `For example: ${suggestion(borrowed, catalogue)}`
            : `For example: ${RPF_SUGGESTION}`,
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
        `Write the disclaimer, for example: ${suggestion(borrowed, catalogue)}`,
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

  if (realPeople.length && !findPhrase(key, FICTION_PHRASES)) {
    findings.push(
      finding(
        'disclaimer.rpf-not-fiction',
        'disclaimer',
        `This is real-person fiction (${realPeople.map(fandomTitle).join(' and ')}): the disclaimer must say the story is fiction and means no offence to the real people in it.`,
        `For example: ${RPF_SUGGESTION}`,
      ),
    )
  }
  if (!borrowed.length) return applyLevels(findings, resolved)

  if (!findPhrase(key, OWNERSHIP_PHRASES)) {
    const onlyProfit = findPhrase(key, NO_PROFIT_PHRASES)
    findings.push(
      finding(
        'disclaimer.no-ownership-disclaimed',
        'disclaimer',
        onlyProfit
          ? `The disclaimer says no money is made ("${onlyProfit}") but not that the characters belong to someone else.`
          : "The disclaimer doesn't say the characters and world belong to someone else.",
        `Say who owns them, for example: ${suggestion(borrowed, catalogue)}`,
      ),
    )
  }

  const textNameKey = ` ${nameKey(text)} `
  const owners = borrowed.map((fandom) => ownersOf(fandom, catalogue))
  const storyOwnerNamed = owners.some((list) => list.some((owner) => namesAny(textNameKey, owner.names)))
  // Holders the catalogue knows that this text names and that own none of this story's fandoms.
  const storyOwnerKeys = new Set(owners.flat().flatMap((owner) => owner.names.map(cachedNameKey)))
  const strangers =
    catalogue && !storyOwnerNamed
      ? catalogue
          .holdersNamedIn(textNameKey, true)
          .map(({holder}) => holder)
          .filter((holder) => ![holder.name, ...stringList(holder.aliases)].some((name) => storyOwnerKeys.has(cachedNameKey(name))))
      : []

  borrowed.forEach((fandom, index) => {
    const mine = owners[index]!
    const title = fandomTitle(fandom)
    if (!mine.length) {
      findings.push(
        finding(
          'disclaimer.rights-holders-unknown',
          'disclaimer',
          `No rights holders are recorded for ${title}, so the disclaimer can't be checked against them.`,
          `An editor should add ${title}'s rights holders (creator, publisher, studio) to the fandom.`,
        ),
      )
      return
    }
    if (mine.some((owner) => namesAny(textNameKey, owner.names))) return
    const ownerList = mine.map((owner) => owner.name)
    const hint = `Name them, for example: "${title} belongs to ${listNames(ownerList, 'and')}."`
    if (strangers.length) {
      findings.push(
        finding(
          'disclaimer.wrong-rights-holder',
          'disclaimer',
          `The disclaimer names ${listNames(strangers.map((holder) => describeHolder(holder, catalogue!)), 'and')}, not a rights holder of ${title} (${ownerList.join(', ')}).`,
          hint,
        ),
      )
    } else if (namesAny(textNameKey, fandomNames(fandom))) {
      findings.push(
        finding(
          'disclaimer.only-fandom-named',
          'disclaimer',
          `The disclaimer names ${title} but not who owns it (${ownerList.join(', ')}).`,
          hint,
        ),
      )
    } else {
      findings.push(
        finding(
          'disclaimer.rights-holder-not-named',
          'disclaimer',
          `The disclaimer doesn't name who owns ${title} (${ownerList.join(', ')}).`,
          hint,
        ),
      )
    }
  })
  return applyLevels(findings, resolved)
}

const RPF_SUGGESTION = '"This is a work of fiction. The real people in it are not like this, and no offence is meant to them."'

function suggestion(borrowed: readonly FandomForChecks[], catalogue: FandomCatalogue | undefined): string {
  const [first] = borrowed
  const owners = first ? ownersOf(first, catalogue).map((o) => o.name) : []
  if (!first || !owners.length) return SUGGESTION
  return `"${fandomTitle(first)} and its characters belong to ${listNames(owners, 'and')}. I own nothing; no infringement intended."`
}
