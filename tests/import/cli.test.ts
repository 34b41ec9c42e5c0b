import {spawnSync} from 'node:child_process'
import {copyFileSync, existsSync, readdirSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {FIXTURES, tempDir} from './helpers'

const ROOT = join(import.meta.dirname, '..', '..')
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx')
const CLI = join(ROOT, 'scripts', 'import', 'cli.ts')

function runCli(args: string[], cwd: string) {
  const result = spawnSync(TSX, [CLI, ...args], {cwd, encoding: 'utf8', timeout: 60_000, env: {...process.env, PATH: `${join(ROOT, 'node_modules', '.bin')}:${process.env.PATH}`}})
  return {code: result.status, stdout: result.stdout, stderr: result.stderr}
}

let dir: {path: string; cleanup: () => void}
beforeAll(() => {
  dir = tempDir('import-cli-')
  copyFileSync(join(FIXTURES, 'classic-header.txt'), join(dir.path, 'classic-header.txt'))
  copyFileSync(join(FIXTURES, 'ao3-download.html'), join(dir.path, 'ao3-download.html'))
  writeFileSync(join(dir.path, 'no-disclaimer.txt'), 'Title: Loose Ends\nAuthor: Pim\nFandom: Canal Town\nRating: G\nSummary: A short story with a summary but no disclaimer at all, sadly.\n\nPim tied the boat.\n')
  writeFileSync(join(dir.path, 'broken.epub'), Buffer.from('PK\x03\x04 not really a zip'))
})
afterAll(() => dir.cleanup())

describe('npm run import', () => {
  it.each([
    [[], /error: no files or folders given/],
    [['--frobnicate', 'x.txt'], /error: Unknown option '--frobnicate'/],
    [['x.txt', '--max-file-mb', 'lots'], /error: --max-file-mb must be a positive number/],
    [['x.txt', '--published-at', 'last spring'], /error: --published-at must be an ISO 8601 date/],
    [['x.txt', '--published-at', '2004-13-45'], /error: --published-at must be an ISO 8601 date/],
  ])('exits 2 with the usage for bad usage %j', (args, message) => {
    const {code, stderr} = runCli(args, dir.path)
    expect(code).toBe(2)
    expect(stderr).toMatch(message)
    expect(stderr).toContain('Usage: npm run import')
  })

  it('exits 0 when every file was imported (drafts included), with NDJSON, report and summary', () => {
    const {code, stdout, stderr} = runCli(['classic-header.txt', 'ao3-download.html', 'no-disclaimer.txt', '--out', 'out/dataset.ndjson', '--report', 'out/report.json'], dir.path)
    // Only the periodic progress lines (every 5 s when not a TTY) may appear.
    expect(stderr.split('\n').filter((line) => line && !/^\d+\/\d+ files, \d+ stories, [\d.]+ MB\/s$/.test(line))).toEqual([])
    expect(code).toBe(0)
    expect(stdout).toMatch(/^3 files: 2 stories published, 1 draft, 0 rejected -> out\/dataset\.ndjson/)
    // Each code once, with the title and the hint the Studio shows.
    expect(stdout).toContain('  Needs disclaimer (disclaimer.missing): 1 story\n')
    expect(stdout).not.toMatch(/\b([a-z]+\.[a-z-]+) \(\1\)/)
    const report = JSON.parse(readFileSync(join(dir.path, 'out', 'report.json'), 'utf8'))
    expect(report.findingsByCode['disclaimer.missing'].files).toEqual(['no-disclaimer.txt'])
    const finding = report.files[2].findings.find((f: {code: string}) => f.code === 'disclaimer.missing')
    expect(finding).toMatchObject({title: 'Needs disclaimer', level: 'error', hint: expect.stringMatching(/\w/)})
    expect(report.files[2].account).toMatchObject({read: expect.arrayContaining(['title', 'author', 'fandom', 'rating', 'summary'])})
    expect(report.files[2].account.inferred).toContain('warnings: choose not to use (the file names none)')
    expect(report.files.map((f: {status: string}) => f.status)).toEqual(['imported', 'imported', 'draft'])
    const lines = readFileSync(join(dir.path, 'out', 'dataset.ndjson'), 'utf8').trim().split('\n')
    expect(lines.map((line) => JSON.parse(line)._id)).toContain(`drafts.${report.files[2].storyId}`)
    expect(readdirSync(join(dir.path, 'out')).sort()).toEqual(['dataset.ndjson', 'report.json'])
  })

  it('exits 1 when some files were rejected, naming them; --strict rejects drafts; --dry-run writes nothing', () => {
    const {code, stdout, stderr} = runCli(['.', '--strict', '--dry-run'], dir.path)
    expect(code).toBe(1)
    expect(stderr.trim().split('\n').filter((line) => !/^\d+\/\d+ files/.test(line))).toEqual(['broken.epub: malformed ZIP/EPUB archive: too short to be a ZIP file'])
    expect(stdout).toMatch(/^4 files: 2 stories published, 0 drafts, 2 rejected -> nothing \(dry run\)/)
    expect(stdout).toContain('1 x publishing checks failed (disclaimer.missing)')
    expect(existsSync(join(dir.path, 'dataset.ndjson'))).toBe(false)
  })
})
