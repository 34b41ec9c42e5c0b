/**
 * What a newcomer reads first: dates show only what is known ("2005-01", never a made-up
 * "2005-01-01"), and the browse filters are folded so stories fill a phone's first screen.
 */
import {JSDOM} from 'jsdom'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {displayDate, formatPartialDate} from '../../rules'
import {startSite, type RunningSite} from '../../site/server'
import {startSeededLake, type SeededLake} from './archiveFixture'

let lake: SeededLake
let site: RunningSite

const SLUG = 'known-only-by-month'

beforeAll(async () => {
  lake = await startSeededLake(60)
  // As the importer stores a story whose file says only "January 2005".
  const template = lake.archive.published.find((s) => !lake.archive.failing.has(s._id) && !s.chapters?.length && s.rating._ref === 'rating.general')!
  await lake.rawClient.createOrReplace({
    ...template,
    _id: `story.${SLUG}`,
    title: 'Known Only by Month',
    slug: {_type: 'slug', current: SLUG},
    series: undefined,
    tags: ['Known Month'],
    publishedAt: '2005-01-01T00:00:00Z',
    updatedAt: '2005-01-01T00:00:00Z',
    originalPublication: {_type: 'partialDate', year: 2005, month: 1},
  })
  await lake.rawClient.createOrReplace({
    ...template,
    _id: `story.${SLUG}-reposted`,
    title: 'Known Only by Month, Reposted',
    slug: {_type: 'slug', current: `${SLUG}-reposted`},
    series: undefined,
    publishedAt: '2026-03-02T18:00:00Z',
    updatedAt: '2026-03-02T18:00:00Z',
    originalPublication: {_type: 'partialDate', year: 2005, month: 1},
  })
  // As the importer stores a one-shot whose file never says whether it is finished.
  await lake.rawClient.createOrReplace({
    ...template,
    _id: 'story.status-unknown',
    title: 'Status Unknown',
    slug: {_type: 'slug', current: 'status-unknown'},
    series: undefined,
    tags: ['Unknown Status'],
    status: undefined,
  })
  site = await startSite({client: lake.client, port: 0})
})
afterAll(async () => {
  await site?.close()
  await lake?.close()
})

async function get(path: string) {
  const res = await fetch(site.url + path)
  const html = await res.text()
  return {res, html, doc: new JSDOM(html).window.document}
}

describe('partial dates', () => {
  it('show only the known parts', () => {
    expect(formatPartialDate({year: 2005})).toBe('2005')
    expect(formatPartialDate({year: 2005, month: 1})).toBe('2005-01')
    expect(formatPartialDate({year: 2005, month: 1, day: 3})).toBe('2005-01-03')
    expect(displayDate('2005-01-01T00:00:00Z', {year: 2005, month: 1})).toBe('2005-01')
    expect(displayDate('2005-01-01T00:00:00Z', {year: 2005})).toBe('2005')
    // A real day stays a day, even with a partial original date beside it.
    expect(displayDate('2026-03-02T18:00:00Z', {year: 2005, month: 1})).toBe('2026-03-02')
    expect(displayDate('2026-03-02T18:00:00Z')).toBe('2026-03-02')
    expect(displayDate(null)).toBe('')
  })

  it('the story page says 2005-01 and never 2005-01-01', async () => {
    const {res, html, doc} = await get(`/stories/${SLUG}`)
    expect(res.status).toBe(200)
    expect(html).not.toContain('2005-01-01')
    const meta = [...doc.querySelectorAll('dt')].map((dt) => [dt.textContent, dt.nextElementSibling?.textContent])
    expect(meta).toContainEqual(['Published', '2005-01'])
    // The same date twice would only puzzle a reader.
    expect(meta.map(([term]) => term)).not.toContain('First published')
    expect(meta.map(([term]) => term)).not.toContain('Updated')
  })

  it('a story first published elsewhere and posted here later shows both dates', async () => {
    const {doc} = await get(`/stories/${SLUG}-reposted`)
    const meta = [...doc.querySelectorAll('dt')].map((dt) => [dt.textContent, dt.nextElementSibling?.textContent])
    expect(meta).toContainEqual(['Published', '2026-03-02'])
    expect(meta).toContainEqual(['First published', '2005-01'])
  })

  it('a list card says 2005-01 too', async () => {
    const {html, doc} = await get('/tags/Known%20Month')
    const card = [...doc.querySelectorAll('.story-card')].find((c) => c.textContent?.includes('Known Only by Month'))
    expect(card).toBeDefined()
    expect(card!.querySelector('time')?.textContent).toBe('2005-01')
    expect(card!.querySelector('time')?.getAttribute('datetime')).toBe('2005-01')
    expect(html).not.toContain('>2005-01-01<')
  })
})

describe('a story whose status is not known', () => {
  it('has no empty Status row and no empty "· ·" on its card', async () => {
    const page = await get('/stories/status-unknown')
    expect([...page.doc.querySelectorAll('dt')].map((dt) => dt.textContent)).not.toContain('Status')
    const list = await get('/tags/Unknown%20Status')
    const card = list.doc.querySelector('.story-card')!
    expect(card.textContent).toContain('Status Unknown')
    expect(card.textContent).not.toMatch(/·\s*·/)
    expect(card.textContent).not.toMatch(/·\s*$/m)
  })
})

describe('the browse filters', () => {
  it('are folded under a summary when no filter applies', async () => {
    const {doc} = await get('/stories')
    const details = doc.querySelector('details.filters-box')
    expect(details).not.toBeNull()
    expect(details!.hasAttribute('open')).toBe(false)
    expect(details!.querySelector('summary')?.textContent).toBe('Filter and sort')
    expect(details!.querySelector('form.filters')).not.toBeNull()
  })

  it('are open, with the count, while filters apply', async () => {
    const {doc} = await get('/stories?rating=teen&sort=words')
    const details = doc.querySelector('details.filters-box')
    expect(details!.hasAttribute('open')).toBe(true)
    expect(details!.querySelector('summary')?.textContent).toBe('Filter and sort (2 applied)')
  })

  it('offer a way back to every story while filters apply, and only then', async () => {
    const clear = (doc: Document) => [...doc.querySelectorAll('form.filters a')].find((a) => a.textContent === 'Clear filters')
    expect(clear((await get('/stories?rating=teen')).doc)?.getAttribute('href')).toBe('/stories')
    expect(clear((await get('/fandoms/glasshouse?min=100')).doc)?.getAttribute('href')).toBe('/fandoms/glasshouse')
    expect(clear((await get('/stories')).doc)).toBeUndefined()
  })
})
