/**
 * Fandom knowledge: which fandoms exist, what fans call them, and who owns them. One compiled
 * catalogue answers three questions for the importer, the guard and the Studio alike:
 * - which fandom does a name ("SVU", "Supernatural (TV 2005)", "The Avengers") mean;
 * - which rights holders does a text name ("Wolf Productions" = Wolf Entertainment);
 * - which single fandom do a file's disclaimer, title and summary point at, if any.
 * Pure: the records come from the dataset (Studio), the shipped seed (importer) or a test.
 */
import {nameKey} from './checks/phrases'
import type {FandomForChecks} from './checks/types'

export interface RightsHolderRecord {
  _id: string
  name: string
  aliases?: readonly string[] | null
  /** Owners that took over this one's rights (renamed, merged, bought): names of either count. */
  successors?: readonly string[] | null
}

export interface FandomRecord {
  _id: string
  title: string
  aliases?: readonly string[] | null
  /** Rights holder ids. */
  rightsHolders?: readonly string[] | null
  /** Parent franchise's fandom id. */
  parent?: string | null
  isOriginalWork?: boolean | null
  isRealPerson?: boolean | null
  mediaType?: string | null
}

/** Bracketed qualifiers fans and archives add to a fandom name: "(TV)", "(2004)", "(Anime & Manga)". */
const QUALIFIER_WORDS =
  /^(?:tv|tv series|tv show|series|show|movie|movies|film|films|cartoon|animated series|animation|anime|manga|anime and manga|anime & manga|comics?|comic books?|books?|novels?|novel series|video games?|games?|webcomic|podcast|musical|play|radio|us|uk|all media types|live action|\d{4}(?:\s*-\s*\d{2,4})?|(?:tv|film|movie|anime|cartoon|comics?)\s+\d{4}(?:\s*-\s*\d{2,4})?)$/i

/**
 * The key two fandom names share when they mean the same fandom: case, accents, punctuation,
 * spacing, a leading "The" and qualifiers such as "(TV)", "(2004)" or " - All Media Types" are
 * ignored. "Supernatural (TV 2005)" = "supernatural"; "L&O: SVU" = "L & O SVU".
 */
export function fandomKey(name: string): string {
  let text = name.normalize('NFKD').replace(/\p{M}+/gu, '').trim()
  // Trailing qualifiers, possibly several: "Avatar (TV) (2005)".
  for (;;) {
    const bracketed = /\s*[([]([^()[\]]*)[)\]]\s*$/.exec(text)
    if (bracketed && text.length > bracketed[0].length && QUALIFIER_WORDS.test(bracketed[1]!.trim())) {
      text = text.slice(0, bracketed.index)
      continue
    }
    const dashed = /\s+[-–—]\s+(all media types|tv|movies?|films?|anime|manga|comics?|books?|games?)\s*$/i.exec(text)
    if (dashed && text.length > dashed[0].length) {
      text = text.slice(0, dashed.index)
      continue
    }
    const year = /\s+\d{4}\s*$/.exec(text)
    if (year && text.length > year[0].length + 1 && /\p{L}/u.test(text.slice(0, year.index))) {
      text = text.slice(0, year.index)
      continue
    }
    break
  }
  return exactKey(text)
}

function exactKey(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/^\s*the\s+/, '')
    .replace(/[^\p{L}\p{N}]+/gu, '')
}

/** "Shingeki no Kyojin | Attack on Titan", "Harry Potter - J. K. Rowling": the parts a name may be known by. */
function nameVariants(name: string): string[] {
  const variants = [name]
  for (const part of name.split(/\s+\|\s+/)) if (part !== name) variants.push(part)
  const dash = /^(.+?)\s+[-–—]\s+(.+)$/.exec(name)
  if (dash) variants.push(dash[1]!)
  return variants
}

export interface NamedHolder {
  holder: RightsHolderRecord
  /** The name or alias that was found, as the catalogue spells it. */
  as: string
}

export interface NamedFandom {
  fandom: FandomRecord
  as: string
}

export interface FandomMatch {
  fandom?: FandomRecord
  /** When the name fits several fandoms (a shared abbreviation), each of them. */
  candidates: FandomRecord[]
}

export interface InferenceInput {
  disclaimer?: string | null
  title?: string | null
  summary?: string | null
  /** Header lines, notes: any other text around the story (not the story itself). */
  header?: string | null
}

export interface FandomInference {
  /** Set only when exactly one fandom fits every piece of evidence best. */
  fandom?: FandomRecord
  /** What was found, as quoted in the report: "'Wolf Productions', 'NBC', 'SVU'". */
  evidence: string[]
  /** Fandoms tied for best when no single one fits; empty when nothing was found. */
  candidates: FandomRecord[]
}

const MAX_NAME_WORDS = 8

/** Words of a text in nameKey form, so names can be looked up run by run. */
function keyWords(text: string): string[] {
  const key = nameKey(text)
  return key ? key.split(' ') : []
}

/**
 * One-word names ("Supernatural", "SVU", "HP") are evidence only written as the catalogue writes
 * them, so "supernatural powers" or "hp bars" are not fandoms; names that are everyday words
 * ("Friends", "Lost", "Dark") are never evidence on their own.
 */
function exactCase(name: string): boolean {
  return !/\s/.test(name.trim())
}

const EVERYDAY_WORDS = new Set(
  ('friends dark lost bones castle house heroes community suits psych wicked rent cats glee it fringe arrow alien halo ' +
    'portal destiny celeste fate given saga free homecoming malevolent primal frozen tangled trolls angel avatar hades ' +
    'persona warriors twilight invincible legacies elementary smash magi ori marvel disney avengers bond trek holmes ' +
    'mario zelda kirby wednesday lucifer dexter coco moana mulan hercules aladdin shrek transformers ghostbusters ' +
    'mission dune tron cabin archers succession severance yellowjackets euphoria bear broadchurch luther hornblower ' +
    'charmed leverage heathers six starkid shakespeare hamlet macbeth sherwood gotham batman superman spiderman ' +
    'dracula redwall hellboy watchmen tintin nimona berserk noragami trigun given hellsing kakegurui fallout overwatch ' +
    'warcraft diablo valorant minecraft uncharted tekken metroid splatoon genshin layton stardew cyberpunk bloodborne ' +
    'among arknights warhammer bioshock dimension mafia survivor')
    .split(' '),
)

export class FandomCatalogue {
  readonly holders: ReadonlyMap<string, RightsHolderRecord>
  readonly fandoms: ReadonlyMap<string, FandomRecord>
  private readonly byKey = new Map<string, FandomRecord[]>()
  /** Names as written (case and punctuation aside): "Star Trek" is not "Star Trek (2009)". */
  private readonly byExactKey = new Map<string, FandomRecord[]>()
  /** nameKey(name or alias) -> holders. */
  private readonly holderNames = new Map<string, NamedHolder[]>()
  private readonly holderNameWords: number
  /** nameKey(title or alias) -> fandoms, for finding fandom names inside a text. */
  private readonly fandomNames = new Map<string, Array<NamedFandom & {caseSensitive: boolean}>>()
  private readonly fandomNameWords: number
  private readonly ownedBy = new Map<string, FandomRecord[]>()
  private readonly related = new Map<string, string[]>()
  private readonly children = new Map<string, FandomRecord[]>()

  constructor(holders: readonly RightsHolderRecord[], fandoms: readonly FandomRecord[]) {
    this.holders = new Map(holders.filter((h) => h && h._id && h.name).map((h) => [h._id, h]))
    this.fandoms = new Map(fandoms.filter((f) => f && f._id && f.title).map((f) => [f._id, f]))
    let holderWords = 1
    for (const holder of this.holders.values()) {
      for (const name of [holder.name, ...(holder.aliases ?? [])]) {
        if (typeof name !== 'string') continue
        const key = nameKey(name)
        if (!key) continue
        const list = this.holderNames.get(key) ?? []
        if (!list.some((entry) => entry.holder === holder)) list.push({holder, as: name})
        this.holderNames.set(key, list)
        holderWords = Math.max(holderWords, key.split(' ').length)
      }
    }
    this.holderNameWords = Math.min(holderWords, MAX_NAME_WORDS)
    let fandomWords = 1
    for (const fandom of this.fandoms.values()) {
      for (const name of [fandom.title, ...(fandom.aliases ?? [])]) {
        if (typeof name !== 'string') continue
        const exact = exactKey(name)
        if (exact) {
          const list = this.byExactKey.get(exact) ?? []
          if (!list.includes(fandom)) list.push(fandom)
          this.byExactKey.set(exact, list)
        }
        for (const variant of nameVariants(name)) {
          const key = fandomKey(variant)
          if (!key) continue
          const list = this.byKey.get(key) ?? []
          if (!list.includes(fandom)) list.push(fandom)
          this.byKey.set(key, list)
        }
        const words = nameKey(name)
        if (words) {
          const list = this.fandomNames.get(words) ?? []
          if (words.includes(' ') || !EVERYDAY_WORDS.has(words)) {
            if (!list.some((entry) => entry.fandom === fandom)) list.push({fandom, as: name, caseSensitive: exactCase(name)})
          }
          this.fandomNames.set(words, list)
          fandomWords = Math.max(fandomWords, words.split(' ').length)
        }
      }
      for (const id of fandom.rightsHolders ?? []) {
        const list = this.ownedBy.get(id) ?? []
        list.push(fandom)
        this.ownedBy.set(id, list)
      }
      if (fandom.parent) {
        const list = this.children.get(fandom.parent) ?? []
        list.push(fandom)
        this.children.set(fandom.parent, list)
      }
    }
    this.fandomNameWords = Math.min(fandomWords, MAX_NAME_WORDS)
    // Successors both ways, transitively: Wolf Films -> Wolf Entertainment, George Lucas -> Lucasfilm -> Disney.
    const links = new Map<string, Set<string>>()
    const link = (a: string, b: string) => {
      if (!this.holders.has(a) || !this.holders.has(b)) return
      if (!links.has(a)) links.set(a, new Set())
      links.get(a)!.add(b)
    }
    for (const holder of this.holders.values()) {
      for (const successor of holder.successors ?? []) {
        link(holder._id, successor)
        link(successor, holder._id)
      }
    }
    for (const id of this.holders.keys()) {
      const seen = new Set([id])
      const queue = [id]
      while (queue.length) {
        for (const next of links.get(queue.shift()!) ?? []) {
          if (!seen.has(next)) {
            seen.add(next)
            queue.push(next)
          }
        }
      }
      this.related.set(id, [...seen])
    }
  }

  /** The fandom a name means, by title or alias; a name several fandoms share gives candidates instead. */
  match(name: string | null | undefined): FandomMatch {
    if (typeof name !== 'string' || !name.trim()) return {candidates: []}
    const exact = this.byExactKey.get(exactKey(name))
    if (exact?.length === 1) return {fandom: exact[0], candidates: exact}
    for (const variant of nameVariants(name.trim())) {
      const found = this.byKey.get(fandomKey(variant))
      if (!found?.length) continue
      return found.length === 1 ? {fandom: found[0], candidates: found} : {candidates: [...found]}
    }
    return {candidates: []}
  }

  /** A catalogue fandom as the publishing checks read it (FandomForChecks). */
  forChecks(fandom: FandomRecord): FandomForChecks {
    const holders = (ids: readonly string[] | null | undefined) =>
      (ids ?? []).flatMap((id) => {
        const holder = this.holders.get(id)
        return holder ? [{_id: holder._id, name: holder.name, aliases: holder.aliases ?? []}] : []
      })
    const parent = fandom.parent ? this.fandoms.get(fandom.parent) : undefined
    return {
      _id: fandom._id,
      title: fandom.title,
      aliases: fandom.aliases ?? [],
      rightsHolders: holders(fandom.rightsHolders),
      parent: parent ? {title: parent.title, rightsHolders: holders(parent.rightsHolders)} : null,
      isOriginalWork: Boolean(fandom.isOriginalWork),
      isRealPerson: Boolean(fandom.isRealPerson),
    }
  }

  holder(id: string): RightsHolderRecord | undefined {
    return this.holders.get(id)
  }

  /** The holder itself and every predecessor or successor of it. */
  relatedHolders(id: string): RightsHolderRecord[] {
    return (this.related.get(id) ?? [id]).flatMap((other) => this.holders.get(other) ?? [])
  }

  /** Fandoms that list the holder, without the ones whose parent franchise already does. */
  fandomsOwnedBy(id: string): FandomRecord[] {
    const owned = this.ownedBy.get(id) ?? []
    const ids = new Set(owned.map((f) => f._id))
    return owned.filter((f) => !(f.parent && ids.has(f.parent)))
  }

  /** Every fandom the holder (or a predecessor or successor) owns, including children of those. */
  fandomsOwnedWithRelated(id: string): Set<FandomRecord> {
    const out = new Set<FandomRecord>()
    for (const holder of this.related.get(id) ?? [id]) {
      for (const fandom of this.ownedBy.get(holder) ?? []) this.addWithChildren(fandom, out)
    }
    return out
  }

  private addWithChildren(fandom: FandomRecord, out: Set<FandomRecord>): void {
    if (out.has(fandom)) return
    out.add(fandom)
    for (const child of this.children.get(fandom._id) ?? []) this.addWithChildren(child, out)
  }

  /** The rights holders of a fandom; a fandom that lists none inherits its parent franchise's. */
  holdersOf(fandom: FandomRecord): RightsHolderRecord[] {
    const seen = new Set<string>()
    let current: FandomRecord | undefined = fandom
    while (current && !seen.has(current._id)) {
      seen.add(current._id)
      const holders = (current.rightsHolders ?? []).flatMap((id) => this.holders.get(id) ?? [])
      if (holders.length) return holders
      current = current.parent ? this.fandoms.get(current.parent) : undefined
    }
    return []
  }

  /**
   * The rights holders a text names, each once, in the order they appear. `textNameKey` is the
   * text in nameKey form (as the disclaimer check already has it); runs of up to a few words are
   * looked up, so the cost follows the text's length, not the catalogue's size.
   */
  holdersNamedIn(text: string, alreadyKeyed = false): NamedHolder[] {
    const words = alreadyKeyed ? text.trim().split(' ').filter(Boolean) : keyWords(text)
    const found: NamedHolder[] = []
    const seen = new Set<string>()
    for (let start = 0; start < words.length; start++) {
      let run = ''
      // Longest first would need the runs anyway; keep every match, the longest at a position wins.
      let best: NamedHolder[] | undefined
      let bestLength = 0
      for (let length = 1; length <= this.holderNameWords && start + length <= words.length; length++) {
        run = length === 1 ? words[start]! : `${run} ${words[start + length - 1]}`
        const hit = this.holderNames.get(run)
        if (hit) {
          best = hit
          bestLength = length
        }
      }
      if (!best) continue
      for (const entry of best) {
        if (seen.has(entry.holder._id)) continue
        seen.add(entry.holder._id)
        found.push(entry)
      }
      start += bestLength - 1
    }
    return found
  }

  /**
   * Fandom titles and aliases a text names. Short abbreviations count only in capitals as the
   * catalogue writes them ("SVU", not "svu" inside a sentence about something else).
   */
  fandomsNamedIn(text: string): NamedFandom[] {
    if (!text) return []
    const words = keyWords(text)
    const found: NamedFandom[] = []
    const seen = new Set<string>()
    for (let start = 0; start < words.length; start++) {
      let run = ''
      let best: Array<NamedFandom & {caseSensitive: boolean}> | undefined
      let bestLength = 0
      for (let length = 1; length <= this.fandomNameWords && start + length <= words.length; length++) {
        run = length === 1 ? words[start]! : `${run} ${words[start + length - 1]}`
        const hit = this.fandomNames.get(run)
        if (hit) {
          best = hit
          bestLength = length
        }
      }
      if (!best) continue
      for (const entry of best) {
        if (seen.has(entry.fandom._id)) continue
        if (entry.caseSensitive && !containsExact(text, entry.as)) continue
        seen.add(entry.fandom._id)
        found.push({fandom: entry.fandom, as: entry.as})
      }
      start += bestLength - 1
    }
    return found
  }

  /**
   * Which fandom a story is in when its file names none: each rights holder named in the
   * disclaimer and each fandom name in the title, summary, header or disclaimer is a piece of
   * evidence; a fandom scores one per piece it fits (a holder fits the fandoms it owns, with
   * their children; a name fits its fandom). Only a single best-scoring fandom is inferred; a
   * tie gives the candidates and no fandom.
   */
  infer(input: InferenceInput): FandomInference {
    const evidence: string[] = []
    const scores = new Map<FandomRecord, number>()
    const score = (fandoms: Iterable<FandomRecord>) => {
      for (const fandom of fandoms) scores.set(fandom, (scores.get(fandom) ?? 0) + 1)
    }
    for (const {holder, as} of input.disclaimer ? this.holdersNamedIn(input.disclaimer) : []) {
      const owned = this.fandomsOwnedWithRelated(holder._id)
      if (!owned.size) continue
      evidence.push(as)
      score(owned)
    }
    const texts = [input.title, input.summary, input.header, input.disclaimer].filter((t): t is string => typeof t === 'string' && t.trim() !== '')
    const named = new Map<string, NamedFandom[]>()
    for (const text of texts) {
      for (const hit of this.fandomsNamedIn(text)) {
        const key = nameKey(hit.as)
        const list = named.get(key) ?? []
        if (!list.some((h) => h.fandom === hit.fandom)) list.push(hit)
        named.set(key, list)
      }
    }
    for (const hits of named.values()) {
      evidence.push(hits[0]!.as)
      score(hits.map((hit) => hit.fandom))
    }
    const real = [...scores.entries()].filter(([fandom]) => !fandom.isOriginalWork)
    if (!real.length) return {evidence, candidates: []}
    const top = Math.max(...real.map(([, n]) => n))
    const best = real.filter(([, n]) => n === top).map(([fandom]) => fandom)
    if (best.length === 1) return {fandom: best[0], evidence, candidates: best}
    // A franchise and its own parts tie when only the franchise's owner is named ("belongs to
    // Masashi Kishimoto": Naruto and Boruto): the franchise is the one that fits.
    const root = best.find((candidate) => best.every((other) => other === candidate || this.isAncestor(candidate, other)))
    return root ? {fandom: root, evidence, candidates: [root]} : {evidence, candidates: best}
  }

  private isAncestor(ancestor: FandomRecord, fandom: FandomRecord): boolean {
    const seen = new Set<string>()
    let current = fandom.parent ? this.fandoms.get(fandom.parent) : undefined
    while (current && !seen.has(current._id)) {
      if (current === ancestor) return true
      seen.add(current._id)
      current = current.parent ? this.fandoms.get(current.parent) : undefined
    }
    return false
  }
}

function containsExact(text: string, name: string): boolean {
  for (let index = text.indexOf(name); index !== -1; index = text.indexOf(name, index + 1)) {
    const before = index === 0 ? '' : text[index - 1]!
    const after = text[index + name.length] ?? ''
    if (!/[\p{L}\p{N}]/u.test(before) && !/[\p{L}\p{N}]/u.test(after)) return true
  }
  return false
}

/**
 * Catalogue rows as a dataset answers them (queries/catalogue.ts `catalogueQuery`: references as
 * ids). Anything may be null or of the wrong type in stored data.
 */
export interface CatalogueRows {
  rightsHolders?: ReadonlyArray<Partial<Record<keyof RightsHolderRecord, unknown>> | null> | null
  fandoms?: ReadonlyArray<Partial<Record<keyof FandomRecord, unknown>> | null> | null
}

const stringsIn = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [])

/**
 * Dataset rows as catalogue records, the one mapping the guard, the importer and the site use:
 * rows without an id or a name are dropped, lists keep their strings, the flags default to false.
 */
export function recordsFromRows(rows: CatalogueRows | null | undefined): {rightsHolders: RightsHolderRecord[]; fandoms: FandomRecord[]} {
  const rightsHolders: RightsHolderRecord[] = (rows?.rightsHolders ?? []).flatMap((row) =>
    row && typeof row._id === 'string' && typeof row.name === 'string' && row.name
      ? [{_id: row._id, name: row.name, aliases: stringsIn(row.aliases), successors: stringsIn(row.successors)}]
      : [],
  )
  const fandoms: FandomRecord[] = (rows?.fandoms ?? []).flatMap((row) =>
    row && typeof row._id === 'string' && typeof row.title === 'string' && row.title
      ? [
          {
            _id: row._id,
            title: row.title,
            aliases: stringsIn(row.aliases),
            rightsHolders: stringsIn(row.rightsHolders),
            parent: typeof row.parent === 'string' ? row.parent : null,
            isOriginalWork: row.isOriginalWork === true,
            isRealPerson: row.isRealPerson === true,
            ...(typeof row.mediaType === 'string' ? {mediaType: row.mediaType} : {}),
          },
        ]
      : [],
  )
  return {rightsHolders, fandoms}
}

/** The compiled catalogue of a dataset's rows (see recordsFromRows). */
export function catalogueFromRows(rows: CatalogueRows | null | undefined): FandomCatalogue {
  return compileFandomCatalogue(recordsFromRows(rows))
}

/** Compiles a catalogue; compile once and share it, lookups are then cheap. */
export function compileFandomCatalogue(input: {rightsHolders: readonly RightsHolderRecord[]; fandoms: readonly FandomRecord[]}): FandomCatalogue {
  return new FandomCatalogue(input.rightsHolders ?? [], input.fandoms ?? [])
}
