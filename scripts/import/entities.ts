/**
 * Entity resolution: which author, fandom and series documents a parsed work points at, found in
 * the target dataset (by normalised name and aliases) or created once per run.
 */
import {createHash} from 'node:crypto'
import {type FandomRecord, nameIdPart, normaliseForKey, SLUG_MAX_LENGTH, slugFor} from '../../rules'
import {parseSeriesLabel} from './header'
import {FandomKnowledge, inferFandom, matchFandomName, newFandomDocument} from './fandoms'
import type {ParsedWork} from './work'

export type SanityDoc = {_id: string; _type: string} & Record<string, unknown>

/** An existing author/fandom in the target dataset, found by normalised name or alias. */
export interface KnownEntity {
  _id: string
  name: string
  aliases?: string[]
}

/** Authors and fandoms already in the dataset (or created earlier in this run), by normalised name. */
export class EntityDirectory {
  private readonly byName = new Map<string, KnownEntity>()
  /** The fandom catalogue merged with the dataset's own fandoms and rights holders. */
  readonly fandomKnowledge = new FandomKnowledge()

  add(entity: KnownEntity): void {
    for (const name of [entity.name, ...(entity.aliases ?? [])]) {
      const key = normaliseName(name)
      if (key && !this.byName.has(key)) this.byName.set(key, entity)
    }
  }

  find(name: string): KnownEntity | undefined {
    return this.byName.get(normaliseName(name))
  }

  /** Series live apart from authors/fandoms: a series is often named like its fandom. */
  private readonly seriesByName = new Map<string, KnownEntity>()

  addSeries(series: KnownEntity): void {
    const key = normaliseName(series.name)
    if (key && !this.seriesByName.has(key)) this.seriesByName.set(key, series)
  }

  findSeries(name: string): KnownEntity | undefined {
    return this.seriesByName.get(normaliseName(name))
  }

  private readonly slugOwners = new Map<string, string>()

  /** Records a slug already used by a story (from the dataset, or earlier in this run). */
  addStorySlug(slug: string, storyId: string): void {
    if (!this.slugOwners.has(slug)) this.slugOwners.set(slug, storyId.replace(/^drafts\./, ''))
  }

  /**
   * Story slugs must be unique (the Studio validates it). A title seen before gets a suffix from
   * the story's own id, so the result never depends on anything but the two stories involved.
   */
  claimStorySlug(base: string, storyId: string): string {
    const owner = this.slugOwners.get(base)
    const slug = owner === undefined || owner === storyId ? base : `${base}-${storyId.replace(/^story\./, '').slice(0, 8)}`
    this.addStorySlug(slug, storyId)
    return slug
  }
}

/** Case, accents, punctuation and spacing never distinguish two names. */
export function normaliseName(name: string): string {
  return normaliseForKey(name).replace(/ /g, '-')
}

/** `<prefix>.<part>`: the id rule of rules/slug.ts `nameIdPart`, which the fandom catalogue uses too. */
export function idSafe(name: string, prefix: string): string {
  return `${prefix}.${nameIdPart(name)}`
}

export function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex')
}

export function reference(id: string, key?: string, weak = false): Record<string, unknown> {
  const ref: Record<string, unknown> = {_type: 'reference', _ref: id}
  if (key) ref._key = key
  if (weak) {
    // Studio's own shape for a draft pointing at a not-yet-published document.
    ref._weak = true
    ref._strengthenOnPublish = {type: 'chapter'}
  }
  return ref
}

export interface ResolvedEntities {
  /** Array items for the story (`_key` a0/f0...). */
  refs: Record<string, unknown>[]
  entities: KnownEntity[]
}

function resolveByName(names: readonly string[], directory: EntityDirectory, created: SanityDoc[], make: (name: string, id: string) => SanityDoc, keyPrefix: string, idPrefix: string): ResolvedEntities {
  const refs: Record<string, unknown>[] = []
  const entities: KnownEntity[] = []
  const seen = new Set<string>()
  for (const name of names) {
    let entity = directory.find(name)
    if (!entity) {
      entity = {_id: idSafe(name, idPrefix), name}
      directory.add(entity)
      created.push(make(name, entity._id))
    }
    if (seen.has(entity._id)) continue
    seen.add(entity._id)
    entities.push(entity)
    refs.push(reference(entity._id, `${keyPrefix}${refs.length}`))
  }
  return {refs, entities}
}

/** Authors by name or pen-name alias; unknown names become new author documents. */
export function resolveAuthors(names: readonly string[], directory: EntityDirectory, created: SanityDoc[]): ResolvedEntities {
  return resolveByName(names, directory, created, (name, id) => ({_id: id, _type: 'author', name: name.slice(0, 120), slug: {_type: 'slug', current: slugFor(name)}}), 'a', 'author')
}

/** What a fandom resolver may use besides the names the file gave. */
export interface FandomContext {
  work: ParsedWork
  notices: string[]
}

/**
 * The fandoms a work belongs to. Each name the file gave is found in the dataset (by name or
 * alias), else matched to the fandom catalogue by title, alias or abbreviation (its documents are
 * written too when the dataset lacks them), else created as written. A file that names no fandom
 * gets the one its disclaimer, title, summary and header point at, when exactly one fits; the
 * report says what was inferred and from what (scripts/import/fandoms.ts).
 */
export function resolveFandoms(names: readonly string[], directory: EntityDirectory, created: SanityDoc[], context?: FandomContext): ResolvedEntities {
  const knowledge = directory.fandomKnowledge
  const refs: Record<string, unknown>[] = []
  const entities: KnownEntity[] = []
  const seen = new Set<string>()
  const use = (entity: KnownEntity) => {
    if (seen.has(entity._id)) return
    seen.add(entity._id)
    entities.push(entity)
    refs.push(reference(entity._id, `f${refs.length}`))
  }
  const fromCatalogue = (fandom: FandomRecord, asWritten?: string): KnownEntity => {
    const entity: KnownEntity = {_id: fandom._id, name: fandom.title, aliases: [...(fandom.aliases ?? []), ...(asWritten ? [asWritten] : [])]}
    created.push(...knowledge.documentsFor(fandom._id))
    directory.add(entity)
    return entity
  }
  for (const name of names) {
    let entity = directory.find(name)
    if (!entity) {
      const choice = matchFandomName(name, knowledge)
      if (choice.notice) context?.notices.push(choice.notice)
      if (choice.fandom) entity = fromCatalogue(choice.fandom, name)
      else {
        entity = {_id: idSafe(name, 'fandom'), name}
        directory.add(entity)
        knowledge.markPresent(entity._id)
        created.push(newFandomDocument(name, entity._id))
      }
    }
    use(entity)
  }
  if (names.length === 0 && context) {
    const choice = inferFandom(context.work, knowledge)
    if (choice.notice) context.notices.push(choice.notice)
    if (choice.fandom) use(directory.find(choice.fandom.title) ?? fromCatalogue(choice.fandom))
  }
  return {refs, entities}
}

/**
 * Series labels -> `seriesEntry` items. A series is found by normalised title or created with an
 * id made like a fandom's; its slug is the id's readable part, so two series never share a slug.
 * A label without a part number is only reported: the schema requires a position and guessing
 * "1" would put the work in the wrong place.
 */
export function resolveSeries(labels: readonly string[], directory: EntityDirectory, created: SanityDoc[], notices: string[]): Record<string, unknown>[] {
  const entries: Record<string, unknown>[] = []
  const seen = new Set<string>()
  for (const label of labels) {
    const parsed = parseSeriesLabel(label)
    if (!parsed) continue
    if (parsed.position === undefined) {
      notices.push(`series "${label.slice(0, 60)}" gives no part number, so it is not linked; add the story to it in the Studio`)
      continue
    }
    const name = parsed.name.slice(0, 255)
    let series = directory.findSeries(name)
    if (!series) {
      series = {_id: idSafe(name, 'series'), name}
      directory.addSeries(series)
      const slug = series._id.slice('series.'.length, 'series.'.length + SLUG_MAX_LENGTH).replace(/-+$/, '')
      created.push({_id: series._id, _type: 'series', title: name, slug: {_type: 'slug', current: slug}})
    }
    if (seen.has(series._id)) continue
    seen.add(series._id)
    entries.push({_type: 'seriesEntry', _key: `s${entries.length}`, series: reference(series._id), position: parsed.position})
  }
  return entries
}
