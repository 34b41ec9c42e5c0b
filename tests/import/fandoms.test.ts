/**
 * The importer and the fandom catalogue: fandoms matched by abbreviation, inferred from a
 * disclaimer, left open when the evidence is ambiguous, original fiction, and the seed fic.
 */
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {buildStoryDocuments} from '../../scripts/import/documents'
import {EntityDirectory} from '../../scripts/import/entities'
import {parsePlainText} from '../../scripts/import/plaintext'
import {FIXTURES, importToNdjson, tempDir} from './helpers'

const BODY = '\n\nThe lantern guttered twice before anyone noticed the wind had changed.\n'

function build(header: string, directory = new EntityDirectory()) {
  return buildStoryDocuments(parsePlainText(`${header}${BODY}`), {fileName: 'fic.txt', format: 'text', checksum: 'cd'.repeat(32), directory})
}

const fandomIds = (docs: ReturnType<typeof build>) => (docs.story.fandoms as Array<{_ref: string}>).map((ref) => ref._ref)
const codes = (docs: ReturnType<typeof build>) => docs.findings.map((f) => f.code)

describe('importing with the fandom catalogue', () => {
  it('matches a fandom given by its abbreviation and writes it with its rights holders', () => {
    const docs = build('Author: Wren\nFandom: SPN\nSummary: Two brothers, one car, and a very long drive north.\nDisclaimer: Supernatural belongs to Eric Kripke and the CW. I own nothing.')
    expect(fandomIds(docs)).toEqual(['fandom.supernatural'])
    expect(docs.isDraft).toBe(false)
    const created = docs.created.map((d) => d._id)
    expect(created).toEqual(expect.arrayContaining(['fandom.supernatural', 'rightsHolder.eric-kripke', 'rightsHolder.the-cw']))
    // Strong references need their targets first: owners before the fandom that names them.
    expect(created.indexOf('rightsHolder.eric-kripke')).toBeLessThan(created.indexOf('fandom.supernatural'))
  })

  it('writes each catalogue document once per run', () => {
    const directory = new EntityDirectory()
    const header = 'Author: Wren\nFandom: Supernatural (TV 2005)\nSummary: Two brothers, one car, and a very long drive north.\nDisclaimer: Supernatural belongs to Eric Kripke. I own nothing.'
    expect(build(header, directory).created.some((d) => d._id === 'fandom.supernatural')).toBe(true)
    const second = build(header, directory)
    expect(fandomIds(second)).toEqual(['fandom.supernatural'])
    expect(second.created.filter((d) => d._type !== 'author')).toEqual([])
  })

  it('infers the fandom from the disclaimer when the file names none, and says so', () => {
    const docs = build('Author: Wren\nSummary: A boy with a fox inside him wants to be the strongest ninja of his village.\nDisclaimer: All characters belong to Masashi Kishimoto. I own nothing.')
    expect(fandomIds(docs)).toEqual(['fandom.naruto'])
    expect(docs.notices).toContain("inferred Naruto from 'Masashi Kishimoto'")
    expect(docs.isDraft).toBe(false)
  })

  it('leaves the fandom empty and lists the candidates when owners fit several fandoms', () => {
    const docs = build('Author: Wren\nSummary: A detective works one last case before the precinct closes.\nDisclaimer: Not mine; all property of Wolf Films and NBC.')
    expect(fandomIds(docs)).toEqual([])
    expect(codes(docs)).toContain('import.no-fandom')
    expect(docs.isDraft).toBe(true)
    const notice = docs.notices.find((n) => n.startsWith('no fandom inferred'))
    expect(notice).toContain("'Wolf Films', 'NBC'")
    expect(notice).toContain('Law & Order: Special Victims Unit')
    expect(notice).toContain('Chicago Fire')
  })

  it('publishes original fiction without a disclaimer', () => {
    const docs = build('Author: Wren\nFandom: Original Fiction\nSummary: Three sisters meet in their grandmother’s orchard to decide its fate.')
    expect(fandomIds(docs)).toEqual(['fandom.original-work'])
    expect(docs.isDraft).toBe(false)
    expect(codes(docs).filter((c) => c.startsWith('disclaimer.'))).toEqual([])
  })

  it('drafts a story whose disclaimer names another fandom\'s owner', () => {
    const docs = build('Author: Wren\nFandom: Supernatural\nSummary: Two brothers, one car, and a very long drive north.\nDisclaimer: Supernatural belongs to Joss Whedon. I own nothing.')
    expect(docs.isDraft).toBe(true)
    const finding = docs.findings.find((f) => f.code === 'disclaimer.wrong-rights-holder')
    expect(finding?.message).toContain('names Joss Whedon (Buffy the Vampire Slayer), not a rights holder of Supernatural (Eric Kripke, Warner Bros. Television, The CW)')
  })

  it('prefers a fandom the dataset already has, and its owners', () => {
    const directory = new EntityDirectory()
    directory.add({_id: 'fandom.spn-local', name: 'Supernatural', aliases: ['SPN']})
    directory.fandomKnowledge.addDataset({
      rightsHolders: [{_id: 'rightsHolder.local', name: 'Local Owner'}],
      fandoms: [{_id: 'fandom.spn-local', title: 'Supernatural', aliases: ['SPN'], rightsHolders: ['rightsHolder.local']}],
    })
    const docs = build('Author: Wren\nFandom: SPN\nSummary: Two brothers, one car, and a very long drive north.\nDisclaimer: Belongs to Local Owner, not me.', directory)
    expect(fandomIds(docs)).toEqual(['fandom.spn-local'])
    expect(docs.created.filter((d) => d._type !== 'author')).toEqual([])
    expect(docs.isDraft).toBe(false)
  })

  it('gives a fandom nobody knows an info note asking for its owners, not a warning about the author', () => {
    const docs = build('Author: Wren\nFandom: The Glass Couriers\nSummary: Two couriers share one road and one lantern.\nDisclaimer: Not mine; it belongs to Marrow Books.')
    expect(docs.findings.filter((f) => f.code.startsWith('disclaimer.')).map((f) => [f.code, f.level])).toEqual([['disclaimer.rights-holders-unknown', 'info']])
    expect(docs.isDraft).toBe(false)
  })
})

describe('the seed fic', () => {
  it('imports as one published story in Law & Order: Special Victims Unit, with the inference in the report', async () => {
    const dir = tempDir()
    try {
      const out = join(dir.path, 'out.ndjson')
      const {report} = await importToNdjson([join(FIXTURES, 'svu-seed.txt')], out, {publishedAt: '2005-01-01'})
      expect(report.totals).toMatchObject({files: 1, imported: 1, drafts: 0, rejected: 0})
      const [file] = report.files
      expect(file!.notices).toContain("inferred Law & Order: Special Victims Unit from 'Wolf Productions', 'NBC', 'SVU'")
      expect(file!.findings.filter((f) => f.code.startsWith('disclaimer.'))).toEqual([])
      const docs = readFileSync(out, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as {_id: string; _type: string; fandoms?: Array<{_ref: string}>})
      const stories = docs.filter((d) => d._type === 'story')
      expect(stories.map((s) => s._id.startsWith('drafts.'))).toEqual([false])
      expect(stories[0]!.fandoms!.map((f) => f._ref)).toEqual(['fandom.law-and-order-special-victims-unit'])
      const ids = docs.map((d) => d._id)
      for (const id of ['rightsHolder.wolf-entertainment', 'rightsHolder.nbcuniversal', 'fandom.law-and-order', 'fandom.law-and-order-special-victims-unit']) expect(ids).toContain(id)
    } finally {
      dir.cleanup()
    }
  })
})
