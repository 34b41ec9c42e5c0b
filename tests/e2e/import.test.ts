import {copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {createServer, type Server} from 'node:http'
import type {AddressInfo} from 'node:net'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import type {SanityClient} from '@sanity/client'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {localLakeClient} from '../../lake/connection'
import {type RunningLake, startLake} from '../../lake/server'
import {runImportCli} from './importCli'

const ROOT = join(import.meta.dirname, '..', '..')
const FIXTURES = join(ROOT, 'tests', 'import', 'fixtures')

let work: string
let lake: RunningLake
let client: SanityClient

const importIntoLake = (args: string[], port = lake.port) => runImportCli(args, {port, work})

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
    expect(stdout).toContain('6 files: 5 stories published, 1 draft, 0 rejected')
    const docs = await snapshot()
    const lantern = docs.find((d) => d._type === 'story' && d.title === 'The Lantern Road') as Record<string, any>
    expect(lantern.authors).toEqual([{_type: 'reference', _ref: 'author.wren', _key: 'a0'}])
    expect(lantern.fandoms).toEqual([{_type: 'reference', _ref: 'fandom.glass', _key: 'f0'}])
    expect(lantern.source.importedAt).toEqual(expect.any(String))
    // Reader lists need publishedAt: the file's date when it has one, else the time of the import.
    const published = docs.filter((d) => d._type === 'story' && !String(d._id).startsWith('drafts.'))
    expect(published).toHaveLength(5)
    for (const story of published) expect(Date.parse(String(story.publishedAt))).not.toBeNaN()
    expect(await client.fetch('count(*[_type == "story" && !(_id in path("drafts.**")) && defined(publishedAt)])')).toBe(5)
    expect(docs.some((d) => d._id === 'author.wren-halloway' || d._id === 'fandom.the-glass-couriers')).toBe(false)
    const draft = docs.find((d) => d.title === 'Loose Ends')!
    expect(String(draft._id)).toMatch(/^drafts\.story\./)
    const orchard = docs.find((d) => d.title === 'The Quiet Orchard') as Record<string, any>
    expect(docs.filter((d) => String(d._id).startsWith(`${orchard._id}.ch`))).toHaveLength(2)
    const viaGroq = await client.fetch('*[_id == $id][0]{title, "chapters": chapters[]->title, "rating": rating->code}', {id: orchard._id})
    expect(viaGroq).toEqual({title: 'The Quiet Orchard', chapters: ['Chapter 1: Windfall', 'Chapter 2: Graft'], rating: 'mature'})
  })

  it('re-importing the same files creates no duplicates and changes nothing', async () => {
    // An editor fixed and published the imported draft: re-importing must not bring the draft back.
    const draft = (await snapshot()).find((d) => d.title === 'Loose Ends')!
    const publishedId = String(draft._id).replace(/^drafts\./, '')
    const {_rev, _createdAt, _updatedAt, ...content} = draft as Record<string, unknown>
    void _rev, void _createdAt, void _updatedAt
    await client.transaction().create({...content, _id: publishedId, _type: 'story', disclaimer: 'Canal Town belongs to Lockgate Media. Not mine.'}).delete(String(draft._id)).commit({visibility: 'sync'})
    const before = await snapshot()
    const {code, stdout} = await importIntoLake(['fics'])
    expect(code).toBe(0)
    expect(stdout).toContain('6 files: 5 stories published, 1 draft, 0 rejected (6 already in the dataset unchanged)')
    const after = await snapshot()
    expect(after).toEqual(before)
    expect(after.filter((d) => d._type === 'story')).toHaveLength(6)
  })
})

describe('writing through a flaky, size-limited API', () => {
  let proxy: Server
  const mutateBodies: number[] = []
  let failuresLeft = 0

  beforeAll(async () => {
    // A real HTTP hop in front of the lake that answers the first mutations with 429/503.
    proxy = createServer(async (req, res) => {
      const chunks: Buffer[] = []
      for await (const chunk of req) chunks.push(chunk as Buffer)
      const body = Buffer.concat(chunks)
      if (req.url?.includes('/data/mutate/')) {
        mutateBodies.push(body.length)
        if (failuresLeft > 0) {
          failuresLeft--
          res.writeHead(failuresLeft % 2 ? 429 : 503, {'content-type': 'application/json'})
          res.end('{"error":{"description":"try again later"}}')
          return
        }
      }
      const headers: Record<string, string> = {}
      for (const name of ['authorization', 'content-type', 'accept']) if (req.headers[name]) headers[name] = String(req.headers[name])
      const upstream = await fetch(`${lake.httpUrl}${req.url}`, {method: req.method, headers, body: req.method === 'GET' || req.method === 'HEAD' ? undefined : body})
      res.writeHead(upstream.status, {'content-type': upstream.headers.get('content-type') ?? 'application/json'})
      res.end(Buffer.from(await upstream.arrayBuffer()))
    })
    await new Promise<void>((done) => proxy.listen(0, '127.0.0.1', done))
  })
  afterAll(() => new Promise<void>((done) => proxy.close(() => done())))

  it('retries 429/5xx with backoff and keeps every transaction under 4 MB', async () => {
    mkdirSync(join(work, 'big'))
    const paragraph = 'The caravan moved on through the salt flats, and nobody spoke of the night before. '.repeat(8)
    const chapters = Array.from({length: 120}, (_, n) => `Chapter ${n + 1}\n\n${Array.from({length: 90}, () => paragraph).join('\n\n')}`)
    const text = `Title: The Long Caravan\nAuthor: Sefa Lind\nFandom: Salt Roads\nRating: T\nSummary: One hundred and twenty days across the salt, told one day at a time.\nDisclaimer: Salt Roads belongs to Dunmore Press. Not mine.\n\n${chapters.join('\n\n')}\n`
    expect(text.length).toBeGreaterThan(6 * 1024 * 1024)
    writeFileSync(join(work, 'big', 'caravan.txt'), text)
    failuresLeft = 3
    const port = (proxy.address() as AddressInfo).port
    const {code, stdout, stderr} = await importIntoLake(['big'], port)
    expect(stderr.split('\n').filter((line) => line && !/^\d+\/\d+ files, \d+ stories, [\d.]+ MB\/s$/.test(line))).toEqual([])
    expect(code).toBe(0)
    expect(stdout).toContain('1 file: 1 story published, 0 drafts, 0 rejected')
    expect(failuresLeft).toBe(0)
    expect(mutateBodies.length).toBeGreaterThanOrEqual(3 + 3)
    expect(Math.max(...mutateBodies)).toBeLessThan(4 * 1024 * 1024)
    const story = await client.fetch('*[_type == "story" && title == "The Long Caravan"][0]{_id, "chapters": count(chapters[]->_id)}')
    expect(story.chapters).toBe(120)
  })
})
