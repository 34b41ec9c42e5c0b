/**
 * The seed fic through the real import CLI into an empty local lake: one published story in
 * Law & Order: Special Victims Unit, its fandom and owners written from the shipped catalogue,
 * and the inference in the report.
 */
import {mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import type {SanityClient} from '@sanity/client'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {localLakeClient} from '../../lake/connection'
import {type RunningLake, startLake} from '../../lake/server'
import {runImportCli} from './importCli'
import {ARCHIVE_CHECK_OPTIONS, checkStory, type FandomForChecks, hasErrors} from '../../rules'

const ROOT = join(import.meta.dirname, '..', '..')

let work: string
let lake: RunningLake
let client: SanityClient

const importIntoLake = (args: string[], port = lake.port) => runImportCli(args, {port, work})

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'fandom-import-e2e-'))
  lake = await startLake({dataDir: join(work, 'lake'), port: 0})
  client = localLakeClient({httpUrl: lake.httpUrl, token: lake.token})
})

afterAll(async () => {
  await lake?.close()
  rmSync(work, {recursive: true, force: true})
})

describe('the seed fic into an empty lake', () => {
  it('is one published story in Law & Order: Special Victims Unit, with the inference in the report', async () => {
    expect(await client.fetch('count(*)', {}, {perspective: 'raw'})).toBe(0)
    const fic = join(ROOT, 'tests', 'import', 'fixtures', 'svu-seed.txt')
    const {code, stdout, stderr} = await importIntoLake([fic, '--report', 'report.json'])
    expect(stderr).toBe('')
    expect(code).toBe(0)
    expect(stdout).toMatch(/1 story/)

    const stories = await client.fetch<Array<{_id: string; disclaimer: string; summary: string; fandoms: Array<{_ref: string}>}>>(
      '*[_type == "story"]{_id, disclaimer, summary, fandoms}',
      {},
      {perspective: 'raw'},
    )
    expect(stories.map((s) => s._id.startsWith('drafts.'))).toEqual([false])
    expect(stories[0]!.fandoms.map((f) => f._ref)).toEqual(['fandom.law-and-order-special-victims-unit'])

    // Read back as the site and the Studio read it: the disclaimer passes against the stored owners.
    const fandoms = await client.fetch<FandomForChecks[]>(
      '*[_id == "fandom.law-and-order-special-victims-unit"]{title, aliases, isOriginalWork, isRealPerson, "rightsHolders": rightsHolders[]->{_id, name, aliases}, "parent": parent->{title, "rightsHolders": rightsHolders[]->{_id, name, aliases}}}',
    )
    expect(fandoms[0]!.title).toBe('Law & Order: Special Victims Unit')
    expect(fandoms[0]!.rightsHolders!.map((h) => (h as {name: string}).name)).toEqual(['Wolf Entertainment', 'NBCUniversal'])
    const findings = checkStory(stories[0], fandoms, ARCHIVE_CHECK_OPTIONS)
    expect(findings.filter((f) => f.field === 'disclaimer')).toEqual([])
    expect(hasErrors(findings)).toBe(false)

    const report = JSON.parse(readFileSync(join(work, 'report.json'), 'utf8')) as {files: Array<{status: string; notices: string[]}>}
    expect(report.files.map((f) => f.status)).toEqual(['imported'])
    expect(report.files[0]!.notices).toContain("inferred Law & Order: Special Victims Unit from 'Wolf Productions', 'NBC', 'SVU'")
  })
})
