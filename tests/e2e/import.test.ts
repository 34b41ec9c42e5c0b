import {spawn} from 'node:child_process'
import {copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import type {SanityClient} from '@sanity/client'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {localLakeClient} from '../../lake/connection'
import {type RunningLake, startLake} from '../../lake/server'

const ROOT = join(import.meta.dirname, '..', '..')
const FIXTURES = join(ROOT, 'tests', 'import', 'fixtures')

let work: string
let lake: RunningLake
let client: SanityClient

/**
 * The real CLI in a child process, pointed at this test's own lake through the environment.
 * Asynchronous: the lake runs in this process and must keep answering while the CLI waits.
 */
function importIntoLake(args: string[]): Promise<{code: number | null; stdout: string; stderr: string}> {
  const env: Record<string, string | undefined> = {...process.env, LAKE_PORT: String(lake.port), LAKE_DATA_DIR: join(work, 'lake')}
  delete env.SANITY_STUDIO_PROJECT_ID
  delete env.SANITY_API_TOKEN
  delete env.SANITY_STUDIO_DATASET
  const child = spawn(join(ROOT, 'node_modules', '.bin', 'tsx'), [join(ROOT, 'scripts', 'import', 'cli.ts'), ...args], {cwd: work, env, timeout: 120_000})
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk) => (stdout += chunk))
  child.stderr.on('data', (chunk) => (stderr += chunk))
  return new Promise((resolve, reject) => {
    child.on('error', reject)
    child.on('close', (code) => resolve({code, stdout, stderr}))
  })
}

async function snapshot(): Promise<Array<Record<string, unknown>>> {
  return client.fetch('*[_type in ["story", "chapter", "author", "fandom", "rating"]] | order(_id asc)', {}, {perspective: 'raw'})
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'import-e2e-'))
  lake = await startLake({dataDir: join(work, 'lake'), port: 0})
  client = localLakeClient({httpUrl: lake.httpUrl, token: lake.token})
  mkdirSync(join(work, 'fics'))
  for (const name of ['classic-header.txt', 'multi-chapter.html', 'ao3-download.html', 'fanficfare.html', 'plain.md']) {
    copyFileSync(join(FIXTURES, name), join(work, 'fics', name))
  }
  writeFileSync(join(work, 'fics', 'no-disclaimer.txt'), 'Title: Loose Ends\nAuthor: Pim\nFandom: Canal Town\nRating: G\nSummary: A short story with a summary but no disclaimer at all, sadly.\n\nPim tied the boat.\n')
  // Already in the archive under another spelling: the importer must reuse these, not duplicate them.
  await client
    .transaction()
    .create({_id: 'author.wren', _type: 'author', name: 'W. Halloway', aliases: ['Wren Halloway']})
    .create({_id: 'fandom.glass', _type: 'fandom', title: 'Glass Couriers', aliases: ['The Glass Couriers'], rightsHolders: ['Marrow Books']})
    .commit({visibility: 'sync'})
})

afterAll(async () => {
  await lake?.close()
  rmSync(work, {recursive: true, force: true})
})

describe('importing into a running lake', () => {
  it('writes stories, chapters, drafts and reuses existing authors and fandoms', async () => {
    const {code, stdout, stderr} = await importIntoLake(['fics'])
    expect(stderr).not.toMatch(/error/i)
    expect(code).toBe(0)
    expect(stdout).toContain('Imported 5 stories, 1 as drafts, 0 rejected (6 files')
    const docs = await snapshot()
    const lantern = docs.find((d) => d._type === 'story' && d.title === 'The Lantern Road') as Record<string, any>
    expect(lantern.authors).toEqual([{_type: 'reference', _ref: 'author.wren', _key: 'a0'}])
    expect(lantern.fandoms).toEqual([{_type: 'reference', _ref: 'fandom.glass', _key: 'f0'}])
    expect(lantern.source.importedAt).toEqual(expect.any(String))
    expect(docs.some((d) => d._id === 'author.wren-halloway' || d._id === 'fandom.the-glass-couriers')).toBe(false)
    const draft = docs.find((d) => d.title === 'Loose Ends')!
    expect(String(draft._id)).toMatch(/^drafts\.story\./)
    const orchard = docs.find((d) => d.title === 'The Quiet Orchard') as Record<string, any>
    expect(docs.filter((d) => String(d._id).startsWith(`${orchard._id}.ch`))).toHaveLength(2)
    const viaGroq = await client.fetch('*[_id == $id][0]{title, "chapters": chapters[]->title, "rating": rating->code}', {id: orchard._id})
    expect(viaGroq).toEqual({title: 'The Quiet Orchard', chapters: ['Chapter 1: Windfall', 'Chapter 2: Graft'], rating: 'mature'})
  })

  it('re-importing the same files creates no duplicates and changes nothing', async () => {
    const before = await snapshot()
    const {code, stdout} = await importIntoLake(['fics'])
    expect(code).toBe(0)
    expect(stdout).toContain('Imported 5 stories, 1 as drafts')
    const after = await snapshot()
    expect(after).toEqual(before)
    expect(after.filter((d) => d._type === 'story')).toHaveLength(6)
  })
})
