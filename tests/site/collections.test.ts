import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {allFandomsQuery, authorQuery, fandomQuery, fandomsByIdQuery, HOME_FANDOM_WINDOW, homeQuery, seriesQuery} from '../../queries'
import {fetchHome} from '../../site/data'
import {startSeededLake, type SeededLake} from './archiveFixture'

let lake: SeededLake

const tidewater = {_type: 'reference', _ref: 'fandom.tidewater'}
const fandom = (_id: string, title: string, slug: string) => ({_id, _type: 'fandom', title, slug: {_type: 'slug', current: slug}, parent: tidewater})

beforeAll(async () => {
  lake = await startSeededLake(60)
  await lake.rawClient
    .transaction()
    .createOrReplace(fandom('fandom.undertow', 'Undertow', 'undertow'))
    // A story in Undertow that was never published: Undertow still has no stories for readers.
    .createOrReplace({
      _id: 'drafts.story.undertow-draft',
      _type: 'story',
      title: 'Undertow draft',
      slug: {_type: 'slug', current: 'undertow-draft'},
      publishedAt: '2025-06-01T00:00:00Z',
      fandoms: [{_type: 'reference', _ref: 'fandom.undertow', _key: 'f0'}],
    })
    // Exists only as a draft, and only in a release: neither may reach readers.
    .createOrReplace(fandom('drafts.fandom.shallows', 'Shallows (draft)', 'shallows'))
    .createOrReplace(fandom('versions.rSpring.fandom.riptide', 'Riptide (release)', 'riptide'))
    .createOrReplace({_id: 'versions.rSpring.author.eve', _type: 'author', name: 'Eve (release)', slug: {_type: 'slug', current: 'eve'}})
    .createOrReplace({_id: 'image-avatar1-96x96-png', _type: 'sanity.imageAsset', url: 'https://cdn.example.org/images/avatar1-96x96.png'})
    .createOrReplace({
      _id: 'author.ada',
      _type: 'author',
      name: 'Ada Writer',
      slug: {_type: 'slug', current: 'ada'},
      avatar: {_type: 'image', alt: 'Ada at her desk', asset: {_type: 'reference', _ref: 'image-avatar1-96x96-png'}},
    })
    .createOrReplace({_id: 'versions.rSpring.series.spring', _type: 'series', title: 'Spring (release)', slug: {_type: 'slug', current: 'spring'}})
    .commit({visibility: 'sync'})
})
afterAll(async () => {
  await lake?.close()
})

// The raw client sees drafts and versions: the queries themselves must leave them out.
describe('fandom, author and series queries show published documents only, through any client', () => {
  it("a fandom's children leave out draft and release-only child fandoms", async () => {
    const result = await lake.rawClient.fetch(fandomQuery, {slug: 'tidewater'})
    expect(result?.children.map((c) => c.title)).toEqual(['Undertow'])
  })

  it("the full fandom list (/fandoms) has every published fandom, stories or not, and leaves out draft and release-only ones", async () => {
    const titles = (await lake.rawClient.fetch(allFandomsQuery)).map((f) => f.title)
    expect(titles).toContain('Undertow')
    expect(titles).toContain('Tidewater')
    expect(titles.filter((t) => t?.includes('('))).toEqual([])
  })

  it('the home page lists only fandoms with published stories, with their counts; a fandom with none or with only a draft story is left out', async () => {
    const home = await fetchHome(lake.rawClient)
    const published = lake.archive.published
    const expected = ['Glasshouse', 'Original Work', 'Tidewater'].map((title) => {
      const id = {Glasshouse: 'fandom.glasshouse', 'Original Work': 'fandom.original', Tidewater: 'fandom.tidewater'}[title]!
      return {title, storyCount: published.filter((story) => story.fandoms.some((f) => f._ref === id)).length}
    })
    expect(home.fandoms.map((f) => ({title: f.title, storyCount: f.storyCount}))).toEqual(expected)
    // Undertow has only a draft story (below), Shallows and Riptide are not published at all.
    expect(home.fandomTotal).toBe(4)
  })

  it("draws the home page's fandoms from the newest HOME_FANDOM_WINDOW stories (the slice in the query is that number)", async () => {
    expect(homeQuery).toContain(`[0...${HOME_FANDOM_WINDOW}].fandoms`)
    const home = await lake.rawClient.fetch(homeQuery)
    // 60 published stories: all of them, so the counts above are totals.
    expect(home.recentFandoms).toHaveLength(lake.archive.published.length)
    expect((await fetchHome(lake.rawClient)).fandomsFromRecent).toBe(false)
  })

  it('the fandoms-by-id query drops draft and release ids even when asked for them', async () => {
    const rows = await lake.rawClient.fetch(fandomsByIdQuery, {ids: ['fandom.tidewater', 'drafts.fandom.shallows', 'versions.rSpring.fandom.riptide', 'fandom.missing']})
    expect(rows.map((f) => f.title)).toEqual(['Tidewater'])
  })

  it("gives an author's avatar as its asset's URL and alt text", async () => {
    expect((await lake.client.fetch(authorQuery, {slug: 'ada'}))?.avatar).toEqual({
      alt: 'Ada at her desk',
      url: 'https://cdn.example.org/images/avatar1-96x96.png',
    })
    expect((await lake.client.fetch(authorQuery, {slug: 'ash'}))?.avatar).toBeNull()
  })

  it.each([
    ['a draft fandom', fandomQuery, 'shallows'],
    ['a release-only fandom', fandomQuery, 'riptide'],
    ['a release-only author', authorQuery, 'eve'],
    ['a release-only series', seriesQuery, 'spring'],
  ])('%s has no page', async (_name, query, slug) => {
    expect(await lake.rawClient.fetch(query, {slug})).toBeNull()
  })
})
