/**
 * Fandom resolution with the archive's fandom knowledge: the shipped catalogue
 * (scripts/seed/fandom-catalogue.ts) merged with the fandoms and rights holders already in the
 * target dataset (the dataset's own entries win, they are the editors'). Names are matched by
 * title, alias or abbreviation (rules/fandoms.ts); a file that names no fandom gets one inferred
 * from its disclaimer, title, summary and header when exactly one fits.
 */
import {
  compileFandomCatalogue,
  type FandomCatalogue,
  type FandomForChecks,
  type FandomRecord,
  type RightsHolderRecord,
  slugFor,
} from '../../rules'
import {catalogueDocuments, catalogueRecords, shippedCatalogue} from '../seed/fandom-catalogue'
import type {SanityDoc} from './entities'
import {type ParsedWork, textOf} from './work'

const MAX_CANDIDATES_REPORTED = 6

let shippedDocs: Map<string, SanityDoc> | undefined
function shippedDocuments(): Map<string, SanityDoc> {
  shippedDocs ??= new Map(catalogueDocuments().map((doc) => [doc._id, doc as SanityDoc]))
  return shippedDocs
}

/** The catalogue the importer matches against, and which of its documents the target already has. */
export class FandomKnowledge {
  /** Only what the dataset adds; the shipped catalogue is shared by every run in the process. */
  private readonly holders = new Map<string, RightsHolderRecord>()
  private readonly fandoms = new Map<string, FandomRecord>()
  /** Ids the target dataset holds, or this run has already written. */
  private readonly present = new Set<string>()
  private compiled: FandomCatalogue | undefined

  /** Entries the target dataset already has; they replace the shipped ones with the same id. */
  addDataset(input: {rightsHolders?: readonly RightsHolderRecord[]; fandoms?: readonly FandomRecord[]}): void {
    for (const holder of input.rightsHolders ?? []) {
      this.holders.set(holder._id, holder)
      this.present.add(holder._id)
    }
    for (const fandom of input.fandoms ?? []) {
      this.fandoms.set(fandom._id, fandom)
      this.present.add(fandom._id)
    }
    this.compiled = undefined
  }

  get catalogue(): FandomCatalogue {
    if (this.holders.size === 0 && this.fandoms.size === 0) return shippedCatalogue()
    if (!this.compiled) {
      const shipped = catalogueRecords()
      const holders = new Map(shipped.rightsHolders.map((h) => [h._id, h]))
      const fandoms = new Map(shipped.fandoms.map((f) => [f._id, f]))
      for (const [id, holder] of this.holders) holders.set(id, holder)
      for (const [id, fandom] of this.fandoms) fandoms.set(id, fandom)
      this.compiled = compileFandomCatalogue({rightsHolders: [...holders.values()], fandoms: [...fandoms.values()]})
    }
    return this.compiled
  }

  /** The checks' view of a known fandom, or undefined for one the knowledge has never seen. */
  forChecks(id: string): FandomForChecks | undefined {
    const record = this.catalogue.fandoms.get(id)
    return record ? this.catalogue.forChecks(record) : undefined
  }

  /**
   * The shipped documents a reference to this fandom needs in the target (its rights holders,
   * its parent franchise and theirs, then the fandom), each once per run and never one the
   * target already has.
   */
  documentsFor(id: string): SanityDoc[] {
    const out: SanityDoc[] = []
    const visit = (fandomId: string) => {
      if (this.present.has(fandomId)) return
      const doc = shippedDocuments().get(fandomId)
      if (!doc) return
      this.present.add(fandomId)
      const parent = (doc.parent as {_ref?: string} | undefined)?._ref
      if (parent) visit(parent)
      for (const ref of (doc.rightsHolders as Array<{_ref: string}> | undefined) ?? []) this.holderDocs(ref._ref, out)
      out.push({...doc})
    }
    visit(id)
    return out
  }

  private holderDocs(id: string, out: SanityDoc[]): void {
    if (this.present.has(id)) return
    const doc = shippedDocuments().get(id)
    if (!doc) return
    this.present.add(id)
    // Successors are strong references too: they go first.
    for (const ref of (doc.successors as Array<{_ref: string}> | undefined) ?? []) this.holderDocs(ref._ref, out)
    out.push({...doc})
  }

  /** A fandom created by this run (a name nobody knows): present from now on. */
  markPresent(id: string): void {
    this.present.add(id)
  }
}

/** The text around a story that may name its fandom or owners (never the story itself). */
export function inferenceInput(work: ParsedWork): {disclaimer?: string; title?: string; summary?: string; header?: string} {
  const header = [work.rawHeader, textOf(work.meta.authorsNote), textOf(work.meta.notes)].filter(Boolean).join('\n')
  return {
    disclaimer: textOf(work.meta.disclaimer),
    title: work.title ?? textOf(work.meta.title),
    summary: textOf(work.meta.summary),
    header: header || undefined,
  }
}

const quote = (items: readonly string[]) => items.map((item) => `'${item}'`).join(', ')

export interface FandomChoice {
  /** The fandom a name or the evidence points at, or undefined. */
  fandom?: FandomRecord
  /** For the report: what was inferred and from what, or why nothing was. */
  notice?: string
}

/** A name from the file, matched to a known fandom by title, alias or abbreviation. */
export function matchFandomName(name: string, knowledge: FandomKnowledge): FandomChoice {
  const match = knowledge.catalogue.match(name)
  if (match.fandom) return {fandom: match.fandom}
  if (match.candidates.length > 1) {
    const titles = match.candidates.slice(0, MAX_CANDIDATES_REPORTED).map((f) => f.title)
    return {notice: `fandom "${name.slice(0, 60)}" could mean ${titles.join(' or ')}; created as written, merge it in the Studio`}
  }
  return {}
}

/** The fandom a file that names none is in, when exactly one fits the evidence. */
export function inferFandom(work: ParsedWork, knowledge: FandomKnowledge): FandomChoice {
  const result = knowledge.catalogue.infer(inferenceInput(work))
  if (result.fandom) return {fandom: result.fandom, notice: `inferred ${result.fandom.title} from ${quote(result.evidence)}`}
  if (result.candidates.length > 1) {
    const titles = result.candidates.slice(0, MAX_CANDIDATES_REPORTED).map((f) => f.title)
    const more = result.candidates.length - titles.length
    return {
      notice: `no fandom inferred: ${quote(result.evidence)} fit ${titles.join(', ')}${more > 0 ? ` and ${more} more` : ''} equally; pick the fandom in the Studio`,
    }
  }
  return {}
}

/** A fandom document for a name nobody knows: an editor refines the media type and owners later. */
export function newFandomDocument(name: string, id: string): SanityDoc {
  return {_id: id, _type: 'fandom', title: name.slice(0, 255), slug: {_type: 'slug', current: slugFor(name)}, mediaType: 'other', isOriginalWork: false}
}
