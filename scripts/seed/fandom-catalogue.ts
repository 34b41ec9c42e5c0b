/**
 * The shipped fandom catalogue as Sanity documents (`rightsHolder` and `fandom`) and as the
 * records `rules/fandoms.ts` compiles. Seeded into an empty local lake with the sample archive,
 * written as NDJSON for hosted datasets (`npm run catalogue`), and used by the importer to
 * recognise fandoms a dataset does not have yet. Once in a dataset the entries are the
 * editors': nothing here overwrites a document that already exists.
 */
import {compileFandomCatalogue, type FandomCatalogue, type FandomRecord, nameIdPart, type RightsHolderRecord} from '../../rules'
import {FANDOM_ROWS} from './catalogue-fandoms'
import {HOLDER_ROWS, type HolderKind} from './catalogue-holders'

export interface CatalogueDocument {
  _id: string
  _type: 'rightsHolder' | 'fandom'
  [field: string]: unknown
}

/** The id part (and slug) of a catalogue name: the importer's rule too (rules/slug.ts `nameIdPart`). */
export function catalogueSlug(name: string): string {
  return nameIdPart(name)
}

const split = (list: string | undefined, separator: string): string[] =>
  (list ?? '')
    .split(separator)
    .map((item) => item.trim())
    .filter(Boolean)

interface Built {
  holders: Array<RightsHolderRecord & {kind?: HolderKind}>
  fandoms: Array<FandomRecord & {slug: string}>
}

let built: Built | undefined

function build(): Built {
  if (built) return built
  const holders = new Map<string, RightsHolderRecord & {kind?: HolderKind}>()
  const keyIds = new Map<string, string>()
  for (const [key, [name]] of Object.entries(HOLDER_ROWS)) keyIds.set(key, `rightsHolder.${catalogueSlug(name)}`)
  for (const [key, [name, kind, aliases, successors]] of Object.entries(HOLDER_ROWS)) {
    const id = keyIds.get(key)!
    holders.set(id, {
      _id: id,
      name,
      kind,
      aliases: split(aliases, '|'),
      successors: split(successors, '|').map((successor) => {
        const target = keyIds.get(successor)
        if (!target) throw new Error(`catalogue: holder ${key} names unknown successor "${successor}"`)
        return target
      }),
    })
  }
  const holderId = (ref: string): string => {
    const keyed = keyIds.get(ref)
    if (keyed) return keyed
    const id = `rightsHolder.${catalogueSlug(ref)}`
    if (!holders.has(id)) holders.set(id, {_id: id, name: ref, aliases: [], successors: []})
    return id
  }
  const fandomIds = new Map<string, string>()
  for (const [title] of FANDOM_ROWS) {
    const id = `fandom.${catalogueSlug(title)}`
    if ([...fandomIds.values()].includes(id)) throw new Error(`catalogue: two fandoms share the id ${id}`)
    fandomIds.set(title, id)
  }
  const fandoms = FANDOM_ROWS.map(([title, media, aliases, holderRefs, parent, flag]) => {
    const parentId = parent ? fandomIds.get(parent) : undefined
    if (parent && !parentId) throw new Error(`catalogue: ${title} names unknown parent "${parent}"`)
    const id = fandomIds.get(title)!
    return {
      _id: id,
      slug: id.slice('fandom.'.length),
      title,
      mediaType: media,
      aliases: split(aliases, '|'),
      rightsHolders: split(holderRefs, ';').map(holderId),
      parent: parentId ?? null,
      isOriginalWork: flag === 'original',
      isRealPerson: flag === 'rpf',
    }
  })
  built = {holders: [...holders.values()], fandoms}
  return built
}

/** Rights holders first (fandoms reference them), then fandoms, parents before children. */
export function catalogueDocuments(): CatalogueDocument[] {
  const {holders, fandoms} = build()
  const holderDocs: CatalogueDocument[] = holders.map((holder) => ({
    _id: holder._id,
    _type: 'rightsHolder',
    name: holder.name,
    ...(holder.kind ? {kind: holder.kind} : {}),
    aliases: [...(holder.aliases ?? [])],
    successors: (holder.successors ?? []).map((id, n) => ({_type: 'reference', _ref: id, _key: `s${n}`})),
  }))
  const ordered: typeof fandoms = []
  const placed = new Set<string>()
  const place = (fandom: (typeof fandoms)[number]) => {
    if (placed.has(fandom._id)) return
    placed.add(fandom._id)
    const parent = fandom.parent ? fandoms.find((f) => f._id === fandom.parent) : undefined
    if (parent) place(parent)
    ordered.push(fandom)
  }
  fandoms.forEach(place)
  const fandomDocs: CatalogueDocument[] = ordered.map((fandom) => ({
    _id: fandom._id,
    _type: 'fandom',
    title: fandom.title,
    slug: {_type: 'slug', current: fandom.slug},
    aliases: [...(fandom.aliases ?? [])],
    mediaType: fandom.mediaType,
    rightsHolders: (fandom.rightsHolders ?? []).map((id, n) => ({_type: 'reference', _ref: id, _key: `h${n}`})),
    ...(fandom.parent ? {parent: {_type: 'reference', _ref: fandom.parent}} : {}),
    isOriginalWork: Boolean(fandom.isOriginalWork),
    isRealPerson: Boolean(fandom.isRealPerson),
  }))
  return [...holderDocs, ...fandomDocs]
}

/** The shipped records, for compiling a catalogue or picking documents by id. */
export function catalogueRecords(): {rightsHolders: RightsHolderRecord[]; fandoms: FandomRecord[]} {
  const {holders, fandoms} = build()
  return {rightsHolders: holders, fandoms}
}

let compiled: FandomCatalogue | undefined

/** The shipped catalogue, compiled once. */
export function shippedCatalogue(): FandomCatalogue {
  compiled ??= compileFandomCatalogue(catalogueRecords())
  return compiled
}
