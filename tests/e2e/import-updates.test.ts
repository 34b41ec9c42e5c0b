/**
 * One work, one story, against a real lake: a newer download updates the story it came from
 * (keeping what an editor changed since), the same work as HTML and EPUB is one story, and
 * importing the same folder again writes nothing.
 */
import {mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import type {SanityClient} from '@sanity/client'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {localLakeClient} from '../../lake/connection'
import {type RunningLake, startLake} from '../../lake/server'
import {runImportCli} from './importCli'
import {buildEpub} from '../import/helpers'


let work: string
let lake: RunningLake
let client: SanityClient

const importIntoLake = (args: string[], port = lake.port) => runImportCli(args, {port, work})

const progressOnly = (stderr: string) => stderr.split('\n').filter((line) => line && !/^\d+\/\d+ files, \d+ stories, [\d.]+ MB\/s$/.test(line))

async function everything(): Promise<Array<Record<string, unknown>>> {
  return client.fetch('*[_type in ["story", "chapter", "author", "fandom", "series", "rating"]] | order(_id asc)', {}, {perspective: 'raw'})
}

/** A download tool's text file of the work at some point of its life. */
function download(options: {summary: string; chapters: string[]; url?: string}): string {
  const header = [
    'Title: The Salt Ledger',
    'Author: Maren Voss',
    'Fandom: Canal Town',
    'Rating: T',
    `Summary: ${options.summary}`,
    'Disclaimer: Canal Town belongs to Lockgate Media. Not mine.',
    ...(options.url ? [`Source: ${options.url}`] : []),
  ]
  return `${header.join('\n')}\n\n${options.chapters.map((text, n) => `Chapter ${n + 1}\n\n${text}`).join('\n\n')}\n`
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'import-updates-e2e-'))
  lake = await startLake({dataDir: join(work, 'lake'), port: 0})
  client = localLakeClient({httpUrl: lake.httpUrl, token: lake.token})
})

afterAll(async () => {
  await lake?.close()
  rmSync(work, {recursive: true, force: true})
})

describe('a newer download of a work already in the dataset', () => {
  const chapterOne = 'The ledger listed every barrel of salt that left the quay.'
  const chapterTwo = 'Nobody had checked the ledger against the barrels in years.'

  it('adds the new chapter, refreshes changed text, keeps the editor\'s summary and reports the conflict', async () => {
    mkdirSync(join(work, 'v1'))
    mkdirSync(join(work, 'v2'))
    writeFileSync(
      join(work, 'v1', 'salt-ledger.txt'),
      download({summary: 'A clerk finds the salt ledger does not add up, and asks why.', chapters: [chapterOne, chapterTwo], url: 'http://www.archiveofourown.org/works/4242/chapters/9001'}),
    )
    const first = await importIntoLake(['v1'])
    expect(progressOnly(first.stderr)).toEqual([])
    expect(first.stdout).toContain('1 file: 1 story published, 0 drafts, 0 rejected')
    const [story] = await client.fetch<Array<{_id: string; source: {url: string; fileName: string}}>>('*[_type == "story"]', {}, {perspective: 'raw'})
    expect(story!.source.url).toBe('https://archiveofourown.org/works/4242')
    expect(story!.source.fileName).toBe('salt-ledger.txt')

    // An editor rewrites the summary in the Studio.
    const edited = 'The salt ledger hides a missing ship, and one clerk means to find it.'
    await client.patch(story!._id).set({summary: edited}).commit({visibility: 'sync'})

    // A year later: one more chapter, chapter 1 revised, and the author's summary changed too.
    writeFileSync(
      join(work, 'v2', 'the-salt-ledger (2).txt'),
      download({
        summary: 'A clerk finds the salt ledger does not add up, and will not let it go.',
        chapters: [`${chapterOne} Every single one, she said.`, chapterTwo, 'The missing barrels turned up in the harbourmaster\'s cellar.'],
        url: 'https://archiveofourown.org/works/4242',
      }),
    )
    const second = await importIntoLake(['v2', '--report', 'report.json'])
    expect(progressOnly(second.stderr)).toEqual([])
    expect(second.code).toBe(0)
    expect(second.stdout).toContain('1 file: 1 story published, 0 drafts, 0 rejected (1 updated from a newer download)')
    expect(second.stdout).toContain('Kept as edited in the Studio (the new file changes these too):\n  v2/the-salt-ledger (2).txt: summary')

    const stories = await client.fetch<Array<Record<string, any>>>('*[_type == "story"]{..., "chapterText": chapters[]->{title, "text": pt::text(body)}}', {}, {perspective: 'raw'})
    expect(stories).toHaveLength(1)
    expect(stories[0]!._id).toBe(story!._id)
    expect(stories[0]!.summary).toBe(edited)
    expect(stories[0]!.chapterText.map((c: {text: string}) => c.text)).toEqual([
      `${chapterOne} Every single one, she said.`,
      chapterTwo,
      "The missing barrels turned up in the harbourmaster's cellar.",
    ])
    expect(stories[0]!.source.fileName).toBe('the-salt-ledger (2).txt')

    const report = JSON.parse(readFileSync(join(work, 'report.json'), 'utf8'))
    expect(report.files[0].update).toEqual({kind: 'updated', updated: expect.arrayContaining(['ch1.body']), addedChapters: 1, conflicts: ['summary']})
    expect(report.files[0].findings).toContainEqual(
      expect.objectContaining({code: 'import.edited-in-studio', title: 'Changed in the Studio and in the file', field: 'summary', hint: expect.stringMatching(/\w/)}),
    )
  })

  it('writes nothing when the same folder is imported again', async () => {
    const before = await everything()
    const again = await importIntoLake(['v2'])
    expect(again.code).toBe(0)
    expect(again.stdout).toContain('1 file: 1 story published, 0 drafts, 0 rejected (1 already in the dataset unchanged)')
    expect(await everything()).toEqual(before)
  })
})

describe('the same work in two formats', () => {
  const chapters = [{title: 'Chapter 1', paragraphs: ['She lit the last lamp on the hill and waited for the ferry.']}]
  const epub = () =>
    buildEpub({title: 'Lamplight', author: 'Ro Vance', titlePage: {Fandom: 'Lamps', Rating: 'G', Summary: 'A lamp lighter on her final round of the city.', Disclaimer: 'Lamps belongs to Wick & Co. Not mine.'}, chapters})
  // FanFicFare's layout: the title links to the work; the EPUB of the same work names no URL.
  const html = `<?xml version="1.0" encoding="UTF-8"?>
<html xmlns="http://www.w3.org/1999/xhtml"><head><title>Lamplight by Ro Vance</title></head><body>
<h3><a href="https://archiveofourown.org/works/77">Lamplight</a> by <a href="https://archiveofourown.org/users/ro">Ro Vance</a></h3>
<div><b>Category:</b> Lamps<br /><b>Rating:</b> G<br /><b>Summary:</b> A lamp lighter on her final round of the city.<br /><b>Disclaimer:</b> Lamps belongs to Wick &amp; Co. Not mine.<br /></div>
<h2>Chapter 1</h2><p>She lit the last lamp on the hill and waited for the ferry.</p></body></html>`

  it('is one story, imported together or one after the other', async () => {
    mkdirSync(join(work, 'both'))
    writeFileSync(join(work, 'both', 'lamplight.epub'), epub())
    writeFileSync(join(work, 'both', 'lamplight.html'), html)
    const together = await importIntoLake(['both'])
    expect(progressOnly(together.stderr)).toEqual([])
    expect(together.stdout).toContain('2 files: 1 story published, 0 drafts, 0 rejected (1 file was the same work as another file)')
    expect(await client.fetch('count(*[_type == "story" && title == "Lamplight"])')).toBe(1)

    // The HTML alone later (it names the work's URL; the EPUB did not): still the same story.
    mkdirSync(join(work, 'html-only'))
    writeFileSync(join(work, 'html-only', 'lamplight.html'), html)
    const later = await importIntoLake(['html-only'])
    expect(later.code).toBe(0)
    const lamplight = await client.fetch<Array<{source: {url?: string}}>>('*[_type == "story" && title == "Lamplight"]{source}', {}, {perspective: 'raw'})
    expect(lamplight).toHaveLength(1)
    expect(lamplight[0]!.source.url).toBe('https://archiveofourown.org/works/77')
  })
})
