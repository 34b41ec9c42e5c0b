import {writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it, vi} from 'vitest'
import {buildStoryDocuments} from '../../scripts/import/documents'
import {EntityDirectory} from '../../scripts/import/entities'
import {parsePlainText} from '../../scripts/import/plaintext'
import {importToNdjson, tempDir} from './helpers'

// An archive whose policy accepts short summaries: the importer must judge by it, as the Studio does.
vi.mock('../../rules/policy', () => ({ARCHIVE_CHECK_OPTIONS: Object.freeze({levels: Object.freeze({'summary.too-short': 'off'})})}))

const TEXT = 'Author: Wren\nFandom: Glass Couriers\nSummary: Lanterns.\nDisclaimer: Glass Couriers belongs to Marrow Books. Not mine.\n\nThe lantern guttered.'

describe("the archive's check policy", () => {
  it('is what buildStoryDocuments checks against by default', () => {
    const docs = buildStoryDocuments(parsePlainText(TEXT), {fileName: 'fic.txt', format: 'text', checksum: 'ab'.repeat(32), directory: new EntityDirectory()})
    expect(docs.findings.map((f) => f.code)).not.toContain('summary.too-short')
    expect(docs.isDraft).toBe(false)
  })

  it('can still be overridden by a caller', () => {
    const docs = buildStoryDocuments(parsePlainText(TEXT), {fileName: 'fic.txt', format: 'text', checksum: 'ab'.repeat(32), directory: new EntityDirectory(), checkOptions: {}})
    expect(docs.findings.map((f) => f.code)).toContain('summary.too-short')
    expect(docs.isDraft).toBe(true)
  })

  it('decides published vs draft in a whole import run', async () => {
    const dir = tempDir('import-policy-')
    try {
      writeFileSync(join(dir.path, 'short.txt'), TEXT)
      const {report} = await importToNdjson([join(dir.path, 'short.txt')], join(dir.path, 'out.ndjson'), {cwd: dir.path})
      expect(report.totals).toMatchObject({imported: 1, drafts: 0})
    } finally {
      dir.cleanup()
    }
  })
})
