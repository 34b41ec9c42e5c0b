import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {authorQuery, fandomQuery, homeQuery, seriesQuery} from '../../queries'
import {startSeededLake, type SeededLake} from './archiveFixture'

let lake: SeededLake

const tidewater = {_type: 'reference', _ref: 'fandom.tidewater'}
const fandom = (_id: string, title: string, slug: string) => ({_id, _type: 'fandom', title, slug: {_type: 'slug', current: slug}, parent: tidewater})

beforeAll(async () => {
  lake = await startSeededLake(60)
  await lake.rawClient
    .transaction()
    .createOrReplace(fandom('fandom.undertow', 'Undertow', 'undertow'))
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

  it("the home page's fandom list leaves out draft and release-only fandoms", async () => {
    const home = await lake.rawClient.fetch(homeQuery)
    const titles = home.fandoms.map((f) => f.title)
    expect(titles).toContain('Undertow')
    expect(titles.filter((t) => t?.includes('('))).toEqual([])
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
