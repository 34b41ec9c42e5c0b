/**
 * The fandom catalogue (rules/fandoms.ts compiled from scripts/seed) and the disclaimer and
 * summary rules that use it: each case with its code and level.
 */
import {readFileSync} from 'node:fs'
import {describe, expect, it} from 'vitest'
import {
  ARCHIVE_CHECK_OPTIONS,
  checkDisclaimer,
  checkSummary,
  compileFandomCatalogue,
  fandomKey,
  type FandomForChecks,
  type FindingCode,
  type FindingLevel,
} from '../../rules'
import {catalogueDocuments, catalogueRecords, shippedCatalogue} from '../../scripts/seed/fandom-catalogue'
import {CATALOGUE_NDJSON, catalogueNdjson} from '../../scripts/seed/catalogue-ndjson'

const catalogue = shippedCatalogue()
const fandom = (id: string): FandomForChecks => {
  const record = catalogue.fandoms.get(id)
  if (!record) throw new Error(`no ${id} in the catalogue`)
  return catalogue.forChecks(record)
}
const SPN = fandom('fandom.supernatural')
const SVU = fandom('fandom.law-and-order-special-victims-unit')
const GOOD_OMENS = fandom('fandom.good-omens')
const TNG = fandom('fandom.star-trek-the-next-generation')
const NARUTO = fandom('fandom.naruto')
const ONE_DIRECTION = fandom('fandom.one-direction-band')
const ORIGINAL = fandom('fandom.original-work')
const HP = fandom('fandom.harry-potter')
const UNKNOWN: FandomForChecks = {title: 'Brand New Show', rightsHolders: []}

type Found = [FindingCode, FindingLevel]
const found = (findings: Array<{code: FindingCode; level: FindingLevel}>): Found[] => findings.map((f) => [f.code, f.level])

describe('the shipped catalogue', () => {
  const docs = catalogueDocuments()
  const fandoms = docs.filter((d) => d._type === 'fandom')
  const ids = new Set(docs.map((d) => d._id))

  it('has at least 300 fandoms across every kind of source, original work and real-person fiction', () => {
    expect(fandoms.length).toBeGreaterThanOrEqual(300)
    const media = new Set(fandoms.map((f) => f.mediaType))
    for (const kind of ['book', 'tv', 'film', 'anime', 'game', 'comics', 'cartoon', 'theatre', 'radio', 'celebrity', 'original']) expect(media).toContain(kind)
    expect(fandoms.filter((f) => f.isOriginalWork).map((f) => f.title)).toEqual(['Original Work'])
    expect(fandoms.filter((f) => f.isRealPerson).length).toBeGreaterThan(10)
  })

  it('has unique ids, resolvable references, parents written before children, and owners for every borrowed fandom', () => {
    expect(ids.size).toBe(docs.length)
    const seen = new Set<string>()
    for (const doc of docs) {
      const refs = [
        ...((doc.rightsHolders as Array<{_ref: string}> | undefined) ?? []),
        ...((doc.successors as Array<{_ref: string}> | undefined) ?? []),
        ...(doc.parent ? [doc.parent as {_ref: string}] : []),
      ]
      for (const ref of refs) expect(seen.has(ref._ref) || (doc._type === 'rightsHolder' && ids.has(ref._ref)), `${doc._id} -> ${ref._ref}`).toBe(true)
      seen.add(doc._id)
    }
    for (const f of fandoms) {
      if (f.isOriginalWork || f.isRealPerson) continue
      expect(catalogue.holdersOf(catalogue.fandoms.get(f._id)!).length, f._id).toBeGreaterThan(0)
    }
  })

  it('ships the same documents as the committed NDJSON (npm run catalogue rewrites it)', () => {
    expect(readFileSync(CATALOGUE_NDJSON, 'utf8')).toBe(catalogueNdjson())
  })

  it.each([
    ['SVU', 'Law & Order: Special Victims Unit'],
    ['L&O: SVU', 'Law & Order: Special Victims Unit'],
    ['law and order svu', 'Law & Order: Special Victims Unit'],
    ['HP', 'Harry Potter'],
    ['Harry Potter - J. K. Rowling', 'Harry Potter'],
    ['SPN', 'Supernatural'],
    ['Supernatural (TV 2005)', 'Supernatural'],
    ['BtVS', 'Buffy the Vampire Slayer'],
    ['TNG', 'Star Trek: The Next Generation'],
    ['Star Trek', 'Star Trek'],
    ['MCU', 'Marvel Cinematic Universe'],
    ['The Avengers (Marvel Movies)', 'Marvel Cinematic Universe'],
    ['BNHA', 'My Hero Academia'],
    ['HxH', 'Hunter x Hunter'],
    ['ATLA', 'Avatar: The Last Airbender'],
    ['Avatar (TV)', 'Avatar: The Last Airbender'],
    ['Attack on Titan', 'Shingeki no Kyojin | Attack on Titan'],
    ['The Lord of the Rings', 'The Lord of the Rings'],
    ['Lord of the Rings', 'The Lord of the Rings'],
    ['Doctor Who (2005)', 'Doctor Who'],
    ['Original Fiction', 'Original Work'],
    ['original work', 'Original Work'],
  ])('matches %s to %s', (name, title) => {
    expect(catalogue.match(name).fandom?.title).toBe(title)
  })

  it('keys ignore case, punctuation, a leading "The" and qualifiers', () => {
    expect(fandomKey('The X-Files (TV)')).toBe(fandomKey('x files'))
    expect(fandomKey('Sherlock (2010)')).toBe(fandomKey('Sherlock'))
    expect(fandomKey('Les Misérables - All Media Types')).toBe(fandomKey('les miserables'))
    expect(catalogue.match('Some Show Nobody Has Heard Of')).toEqual({candidates: []})
  })

  it('knows one owner by every name: Wolf Films = Wolf Entertainment = Wolf Productions = Dick Wolf', () => {
    const named = (text: string) => catalogue.holdersNamedIn(text).map((h) => h.holder.name)
    for (const alias of ['Wolf Films', 'Wolf Entertainment', 'Wolf Productions', 'Dick Wolf']) expect(named(`property of ${alias}`)).toEqual(['Wolf Entertainment'])
    expect(named('NBC Universal')).toEqual(['NBCUniversal'])
    expect(named('Warner Bros. Entertainment Inc.')).toEqual(['Warner Bros. Entertainment'])
  })
})

describe('inferring a fandom', () => {
  it('infers the seed fic as SVU from its disclaimer and summary, with the evidence', () => {
    const result = catalogue.infer({
      disclaimer: 'The characters in this story are not my own but are the property of Wolf Productions and NBC.',
      summary: 'My first shot at SVU fanfiction',
    })
    expect(result.fandom?.title).toBe('Law & Order: Special Victims Unit')
    expect(result.evidence).toEqual(['Wolf Productions', 'NBC', 'SVU'])
  })

  it('leaves it open when owners fit several fandoms and nothing else decides', () => {
    const result = catalogue.infer({disclaimer: 'Not mine, all property of Wolf Films and NBC.'})
    expect(result.fandom).toBeUndefined()
    expect(result.candidates.map((f) => f.title)).toEqual(expect.arrayContaining(['Law & Order', 'Law & Order: Special Victims Unit', 'Chicago Fire']))
  })

  it('does not read everyday words as fandoms', () => {
    expect(catalogue.infer({summary: 'Two friends get lost in the dark house of supernatural bones.'}).evidence).toEqual([])
  })

  it('finds nothing in a file that names nothing known', () => {
    expect(catalogue.infer({title: 'A quiet afternoon', summary: 'Tea, rain and a long letter.'})).toEqual({evidence: [], candidates: []})
  })

  it('works on a small catalogue of an archive\'s own making', () => {
    const small = compileFandomCatalogue({
      rightsHolders: [{_id: 'h.press', name: 'Greywater Press'}],
      fandoms: [
        {_id: 'f.salt', title: 'The Saltmarsh Chronicles', aliases: ['TSC'], rightsHolders: ['h.press']},
        {_id: 'f.tides', title: 'Tides of Saltmarsh', rightsHolders: ['h.press']},
      ],
    })
    expect(small.infer({disclaimer: 'Belongs to Greywater Press.'}).candidates).toHaveLength(2)
    expect(small.infer({disclaimer: 'Belongs to Greywater Press.', title: 'A TSC story'}).fandom?._id).toBe('f.salt')
  })
})

const disclaimerCases: Array<[string, string, FandomForChecks[], Found[]]> = [
  ['the right owners', 'Supernatural belongs to Eric Kripke, Warner Bros. Television and the CW. I own nothing.', [SPN], []],
  ['both authors of a co-written book', 'Good Omens belongs to Neil Gaiman and Terry Pratchett. No infringement intended.', [GOOD_OMENS], []],
  ['an alias of an owner (Wolf Productions = Wolf Entertainment; NBC = NBCUniversal)', 'The characters in this story are not my own but are the property of Wolf Productions and NBC.', [SVU], []],
  ['a predecessor of an owner is the same owner', 'Nothing here is mine: it all belongs to Dick Wolf.', [SVU], []],
  ['the owner of the parent franchise', 'I do not own Star Trek; it belongs to Gene Roddenberry and Paramount.', [TNG], []],
  ['a wrong owner, from another fandom', 'Supernatural belongs to Joss Whedon. I own nothing.', [SPN], [['disclaimer.wrong-rights-holder', 'error']]],
  ['only the fandom named', "I don't own Naruto.", [NARUTO], [['disclaimer.only-fandom-named', 'warning']]],
  ['no owner and no fandom named', 'Standard disclaimers apply.', [HP], [['disclaimer.rights-holder-not-named', 'warning']]],
  ['no ownership disclaimed', 'Harry Potter, J.K. Rowling, enjoy!', [HP], [['disclaimer.no-ownership-disclaimed', 'error']]],
  ['a fandom with no known rights holders', 'None of this is mine.', [UNKNOWN], [['disclaimer.rights-holders-unknown', 'info']]],
  ['real-person fiction that says it is fiction', 'This is a work of fiction; no offence meant to the real people.', [ONE_DIRECTION], []],
  ['real-person fiction with an ownership disclaimer only', "I don't own One Direction.", [ONE_DIRECTION], [['disclaimer.rpf-not-fiction', 'error']]],
  ['original work, no disclaimer needed', 'All mine.', [ORIGINAL], []],
  ['crossover: one owner named, the other fandom not', 'Harry Potter belongs to J.K. Rowling; I own nothing.', [HP, SPN], [['disclaimer.rights-holder-not-named', 'warning']]],
]

describe('checkDisclaimer with the catalogue', () => {
  it.each(disclaimerCases)('%s', (_name, disclaimer, fandoms, expected) => {
    expect(found(checkDisclaimer(disclaimer, fandoms, ARCHIVE_CHECK_OPTIONS, catalogue))).toEqual(expected)
  })

  it('names the wrong owner with its fandom and the right owners', () => {
    const [f] = checkDisclaimer('Supernatural belongs to Joss Whedon. I own nothing.', [SPN], ARCHIVE_CHECK_OPTIONS, catalogue)
    expect(f!.message).toContain('names Joss Whedon (Buffy the Vampire Slayer), not a rights holder of Supernatural (Eric Kripke, Warner Bros. Television, The CW)')
    expect(f!.hint).toContain('Supernatural belongs to Eric Kripke, Warner Bros. Television and The CW')
  })

  it('gives the known owners in the hint when only the fandom is named', () => {
    const [f] = checkDisclaimer("I don't own Naruto.", [NARUTO], ARCHIVE_CHECK_OPTIONS, catalogue)
    expect(f!.hint).toContain('Masashi Kishimoto')
    expect(f!.hint).toContain('Shueisha')
  })

  it('lets the archive policy decide whether naming only the fandom is enough', () => {
    expect(ARCHIVE_CHECK_OPTIONS.levels?.['disclaimer.only-fandom-named']).toBe('warning')
    const strict = {levels: {'disclaimer.only-fandom-named': 'error' as const}}
    expect(found(checkDisclaimer("I don't own Naruto.", [NARUTO], strict, catalogue))).toEqual([['disclaimer.only-fandom-named', 'error']])
    const lax = {levels: {'disclaimer.only-fandom-named': 'off' as const}}
    expect(found(checkDisclaimer("I don't own Naruto.", [NARUTO], lax, catalogue))).toEqual([])
  })

  it('without the catalogue, a wrong owner is only "not named"', () => {
    expect(found(checkDisclaimer('Supernatural belongs to Joss Whedon. I own nothing.', [SPN]))).toEqual([['disclaimer.only-fandom-named', 'warning']])
  })

  it('asks real-person fiction with no disclaimer for the fiction statement', () => {
    const [f] = checkDisclaimer('', [ONE_DIRECTION], ARCHIVE_CHECK_OPTIONS, catalogue)
    expect(f!.code).toBe('disclaimer.missing')
    expect(f!.message).toMatch(/real people/)
  })
})

const summaryCases: Array<[string, Found[]]> = [
  ['[insert summary here]', [['summary.placeholder', 'error']]],
  ['none', [['summary.placeholder', 'error']]],
  ['None.', [['summary.placeholder', 'error']]],
  ['no summary', [['summary.placeholder', 'error']]],
  ['n/a', [['summary.placeholder', 'error']]],
  ['N/A', [['summary.placeholder', 'error']]],
  ['TBD', [['summary.placeholder', 'error']]],
  ['summary to come', [['summary.placeholder', 'error']]],
  ['...', [['summary.placeholder', 'error']]],
  ['I suck at summaries, just read it', [['summary.apology', 'warning']]],
  ["I'm bad at summaries. Harry finds a diary and writes back to it.", [['summary.apology', 'warning']]],
  ['None of them knew the storm would last a week.', []],
]

describe('summary placeholders and apologies', () => {
  it.each(summaryCases)('%s', (summary, expected) => {
    expect(found(checkSummary(summary, {}, ARCHIVE_CHECK_OPTIONS))).toEqual(expected)
  })
})

describe('catalogue records', () => {
  it('builds from the seed rows', () => {
    const {rightsHolders, fandoms} = catalogueRecords()
    expect(rightsHolders.find((h) => h.name === 'Wolf Entertainment')?.aliases).toContain('Dick Wolf')
    expect(fandoms.find((f) => f.title === 'Law & Order: Special Victims Unit')?.parent).toBe('fandom.law-and-order')
  })
})
