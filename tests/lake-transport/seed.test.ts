/**
 * The sample archive's history, as the Studio's footer reads it: a published sample was
 * published (not "Draft created"), and a document written straight to its published id has no
 * draft history at all.
 */
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {localLakeClient, seedIfEmpty} from '../../lake/connection'
import {startLake, type RunningLake} from '../../lake/server'
import {sampleDocuments} from '../../scripts/seed/sample-content'

let dataDir: string
let lake: RunningLake

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'seed-history-'))
  lake = await startLake({dataDir, port: 0})
})
afterAll(async () => {
  await lake?.close()
  rmSync(dataDir, {recursive: true, force: true})
})

const client = () => localLakeClient({httpUrl: lake.httpUrl, token: lake.token})

async function events(id: string): Promise<Array<{type: string}>> {
  const response = await fetch(`${lake.httpUrl}/v2025-02-19/data/history/production/events/documents/${id}?limit=100`, {
    headers: {authorization: `Bearer ${lake.token}`},
  })
  return ((await response.json()) as {events: Record<string, Array<{type: string}>>}).events[id] ?? []
}

describe('seedIfEmpty', () => {
  it('publishes the published samples, so their latest event is a publish, and keeps drafts as drafts', async () => {
    const samples = sampleDocuments()
    expect(await seedIfEmpty(client(), samples)).toBe(samples.length)
    const ids = await client().fetch<string[]>('*[]._id', {}, {perspective: 'raw'})
    expect(ids.sort()).toEqual(samples.map((d) => d._id).sort())

    const published = samples.find((d) => d._type === 'story' && !d._id.startsWith('drafts.'))!
    const history = await events(`drafts.${published._id}`)
    expect(history[0]?.type).toBe('publishDocumentVersion')
    expect(history.map((e) => e.type)).toEqual(['publishDocumentVersion', 'createDocumentVersion'])

    expect(await seedIfEmpty(client(), samples)).toBe(0)
  })

  it('a document created straight as published has no draft events', async () => {
    await client().create({_id: 'story.straight-to-published', _type: 'story', title: 'Straight'})
    expect(await events('drafts.story.straight-to-published')).toEqual([])
    expect((await events('story.straight-to-published')).map((e) => e.type)).toEqual(['createDocumentVersion'])
  })
})
