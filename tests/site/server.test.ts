import {JSDOM} from 'jsdom'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {localLakeClient} from '../../lake/connection'
import {startSite, type RunningSite} from '../../site/server'
import {startSeededLake, type SeededLake} from './archiveFixture'

let lake: SeededLake
let site: RunningSite
const logged: string[] = []

beforeAll(async () => {
  lake = await startSeededLake(60)
  site = await startSite({client: lake.client, port: 0, log: (m) => logged.push(m)})
})
afterAll(async () => {
  await site?.close()
  await lake?.close()
})

async function get(path: string, init: RequestInit = {}) {
  const res = await fetch(site.url + path, {redirect: 'manual', ...init})
  const html = await res.text()
  return {res, html, doc: new JSDOM(html).window.document}
}

/** A story of the generated archive by rating code, that passes the publishing checks. */
function storyWith(rating: string, extra: (s: SeededLake['archive']['published'][number]) => boolean = () => true) {
  const story = lake.archive.published.find(
    (s) => s.rating._ref === `rating.${rating}` && !lake.archive.failing.has(s._id) && extra(s),
  )
  if (!story) throw new Error(`fixture has no ${rating} story`)
  return story
}

describe('pages', () => {
  it.each([
    ['/', 'Welcome to the Archive'],
    ['/stories', 'Browse stories'],
    ['/stories?sort=words&rating=teen', 'Browse stories'],
    ['/fandoms/glasshouse', 'Glasshouse'],
    ['/fandoms', 'All fandoms'],
    ['/authors/birch', 'Birch Writer'],
    ['/series/tides', 'Tides'],
    ['/tags/Fluff', 'Stories tagged “Fluff”'],
    ['/search?q=tale', 'Search'],
  ])('%s renders with landmarks, one h1 and a skip link', async (path, h1) => {
    const {res, doc} = await get(path)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8')
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'")
    expect(doc.querySelectorAll('h1')).toHaveLength(1)
    expect(doc.querySelector('h1')!.textContent).toBe(h1)
    for (const landmark of ['header', 'nav', 'main#main', 'footer']) expect(doc.querySelector(landmark)).not.toBeNull()
    expect(doc.querySelector('a.skip-link')!.getAttribute('href')).toBe('#main')
    expect(doc.querySelectorAll('script')).toHaveLength(0)
  })

  it.each([
    ['/', 1],
    ['/stories', 1],
    ['/search', 1],
    ['/search?q=tale', 1],
  ])('%s has %i search box (the search page drops the header one for its own)', async (path, boxes) => {
    const {doc} = await get(path)
    expect(doc.querySelectorAll('input[type="search"]')).toHaveLength(boxes)
    expect(doc.querySelectorAll('form[role="search"]')).toHaveLength(boxes)
  })

  it("shows an author's avatar on the author page, with the name as alt text when it has none", async () => {
    const birch = (await get('/authors/birch')).doc.querySelector('main img')
    expect(birch?.getAttribute('src')).toBe('https://cdn.example.org/images/birch-96x96.png')
    expect(birch?.getAttribute('alt')).toBe('Birch Writer')
    expect((await get('/authors/ash')).doc.querySelector('main img')).toBeNull()
  })

  it.each([
    '/nope',
    '/stories/no-such-story',
    '/stories/unpublished-0',
    '/stories/gen-50/chapters/4',
    '/stories/gen-50/chapters/0',
    '/stories/gen-50/chapters/abc',
    '/stories/gen-1/extra',
    '/fandoms/none',
    '/authors/none',
    '/series/none',
    '/tags/no-such-tag',
    '/stories/%E0%A4%A',
  ])('%s is a 404 page', async (path) => {
    const {res, doc} = await get(path, {headers: {cookie: 'gate=1'}})
    expect(res.status).toBe(404)
    expect(doc.querySelector('h1')!.textContent).toBe('Page not found')
  })

  it('refuses (404) a published story that fails the publishing checks, and leaves it out of lists', async () => {
    const failing = lake.archive.published.find((s) => lake.archive.failing.has(s._id))!
    const {res} = await get(`/stories/${failing.slug.current}`, {headers: {cookie: 'gate=1'}})
    expect(res.status).toBe(404)
    const fandom = failing.fandoms[0]._ref.replace('fandom.', '')
    const list = await get(`/fandoms/${fandom}`)
    expect(list.html).not.toContain(`/stories/${failing.slug.current}"`)
  })

  it('takes the title, description and language from the story', async () => {
    const story = storyWith('general', (s) => s.language !== 'en')
    const {doc} = await get(`/stories/${story.slug.current}`)
    expect(doc.title).toBe(`${story.title} · The Archive`)
    expect(doc.querySelector('meta[name="description"]')!.getAttribute('content')).toBe(story.summary)
    expect(doc.documentElement.getAttribute('lang')).toBe(story.language)
    expect(doc.querySelector('.story-text p')!.textContent).toContain('The text of story')
  })

  it('pages through chapters with previous / contents / next links', async () => {
    const story = lake.archive.published[50]
    const slug = story.slug.current
    const gate: Record<string, string> = {cookie: 'gate=1'}
    const contents = await get(`/stories/${slug}`, {headers: gate})
    expect([...contents.doc.querySelectorAll('#contents ol a')].map((a) => a.getAttribute('href'))).toEqual([
      `/stories/${slug}/chapters/1`,
      `/stories/${slug}/chapters/2`,
      `/stories/${slug}/chapters/3`,
    ])
    const second = await get(`/stories/${slug}/chapters/2`, {headers: gate})
    expect(second.doc.querySelector('h1')!.textContent).toBe('Chapter 2: Part 2')
    const nav = second.doc.querySelector('nav.chapter-nav')!
    expect(nav.querySelector('a[rel="prev"]')!.getAttribute('href')).toBe(`/stories/${slug}/chapters/1`)
    expect(nav.querySelector('a[rel="next"]')!.getAttribute('href')).toBe(`/stories/${slug}/chapters/3`)
    const last = await get(`/stories/${slug}/chapters/3`, {headers: gate})
    expect(last.doc.querySelector('nav.chapter-nav a[rel="next"]')).toBeNull()
  })

  it('answers HEAD without a body and other methods with 405', async () => {
    const head = await fetch(`${site.url}/`, {method: 'HEAD'})
    expect(head.status).toBe(200)
    expect(await head.text()).toBe('')
    const put = await fetch(`${site.url}/`, {method: 'PUT'})
    expect(put.status).toBe(405)
  })
})

describe('fandoms', () => {
  beforeAll(async () => {
    // A catalogue entry nobody has written for yet.
    await lake.rawClient.createOrReplace({_id: 'fandom.quiet-cove', _type: 'fandom', title: 'Quiet Cove', slug: {_type: 'slug', current: 'quiet-cove'}, mediaType: 'radio'})
  })

  it('the home page lists the fandoms with stories, each with its count, and links to the full list', async () => {
    const {doc} = await get('/')
    const items = [...doc.querySelectorAll('#fandoms-heading ~ ul li')].map((li) => li.textContent)
    const count = (id: string) => lake.archive.published.filter((s) => s.fandoms.some((f) => f._ref === id)).length
    expect(items).toEqual([`Glasshouse (${count('fandom.glasshouse')} stories)`, `Original Work (${count('fandom.original')} stories)`, `Tidewater (${count('fandom.tidewater')} stories)`])
    const all = [...doc.querySelectorAll('main a')].find((a) => a.getAttribute('href') === '/fandoms')
    expect(all?.textContent).toBe('All 4 fandoms, by media →')
  })

  it('/fandoms lists every fandom by media type, the ones without stories too', async () => {
    const {res, doc} = await get('/fandoms')
    expect(res.status).toBe(200)
    const radio = doc.querySelector('#media-radio')!
    expect(radio.textContent).toBe('Radio & Podcasts (1)')
    expect([...radio.parentElement!.querySelectorAll('li a')].map((a) => a.getAttribute('href'))).toEqual(['/fandoms/quiet-cove'])
    expect([...doc.querySelectorAll('main section li a')].map((a) => a.textContent).sort()).toEqual(['Glasshouse', 'Original Work', 'Quiet Cove', 'Tidewater'])
  })

  it('a fandom with no stories says so plainly, with no filter form', async () => {
    const {res, doc} = await get('/fandoms/quiet-cove')
    expect(res.status).toBe(200)
    expect(doc.querySelector('main')!.textContent).toContain('There are no stories in Quiet Cove yet.')
    expect(doc.querySelector('main')!.textContent).not.toContain('match')
    expect(doc.querySelector('form.filters')).toBeNull()
  })

  it('a fandom whose stories the filters leave out says the filters match nothing', async () => {
    const {doc} = await get('/fandoms/glasshouse?min=99999999')
    expect(doc.querySelector('main')!.textContent).toContain('No stories in this fandom match these filters.')
    expect(doc.querySelector('form.filters')).not.toBeNull()
  })
})

describe('publishing checks with the archive catalogue', () => {
  let fresh: RunningSite
  const owned = (id: string, title: string, slug: string, holder: string) => ({_id: id, _type: 'fandom', title, slug: {_type: 'slug', current: slug}, rightsHolders: [{_type: 'reference', _ref: holder, _key: 'h0'}]})
  beforeAll(async () => {
    const template = storyWith('general', (s) => !s.chapters?.length && !s.series?.length)
    await lake.rawClient
      .transaction()
      .createOrReplace({_id: 'rightsHolder.lantern-press', _type: 'rightsHolder', name: 'Lantern Press'})
      .createOrReplace({_id: 'rightsHolder.harbour-films', _type: 'rightsHolder', name: 'Harbour Films'})
      .createOrReplace(owned('fandom.harbour', 'Harbour Lights', 'harbour-lights', 'rightsHolder.harbour-films'))
      .createOrReplace(owned('fandom.lantern', 'Lantern Tales', 'lantern-tales', 'rightsHolder.lantern-press'))
      .createOrReplace({
        ...template,
        _id: 'story.wrong-owner',
        title: 'Wrong Owner',
        slug: {_type: 'slug', current: 'wrong-owner'},
        fandoms: [{_type: 'reference', _ref: 'fandom.harbour', _key: 'f0'}],
        disclaimer: 'All characters belong to Lantern Press. No money is made.',
      })
      .createOrReplace({
        ...template,
        _id: 'story.right-owner',
        title: 'Right Owner',
        slug: {_type: 'slug', current: 'right-owner'},
        fandoms: [{_type: 'reference', _ref: 'fandom.harbour', _key: 'f0'}],
        disclaimer: 'All characters belong to Harbour Films. No money is made.',
      })
      .commit({visibility: 'sync'})
    // A client of its own, so no catalogue read by the tests above is reused.
    fresh = await startSite({client: lake.client.withConfig({}), port: 0})
  })
  afterAll(async () => {
    await fresh?.close()
  })

  it("refuses (404) a story whose disclaimer names another fandom's owner, and leaves it out of its fandom's list", async () => {
    expect((await fetch(`${fresh.url}/stories/wrong-owner`)).status).toBe(404)
    expect((await fetch(`${fresh.url}/stories/right-owner`)).status).toBe(200)
    const list = new JSDOM(await (await fetch(`${fresh.url}/fandoms/harbour-lights`)).text()).window.document
    expect([...list.querySelectorAll('.story-card h3')].map((h) => h.textContent)).toEqual(['Right Owner'])
  })
})

describe('favicon', () => {
  it('serves a 16×16 icon at /favicon.ico instead of a 404', async () => {
    const res = await fetch(`${site.url}/favicon.ico`)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('image/x-icon')
    const bytes = Buffer.from(await res.arrayBuffer())
    // ICONDIR: reserved 0, type 1 (icon), one image of 16×16 at 32 bits per pixel.
    expect([bytes.readUInt16LE(0), bytes.readUInt16LE(2), bytes.readUInt16LE(4)]).toEqual([0, 1, 1])
    expect([bytes[6], bytes[7], bytes.readUInt16LE(12)]).toEqual([16, 16, 32])
    expect(bytes.readUInt32LE(18) + bytes.readUInt32LE(14)).toBe(bytes.length)
  })
})

describe('hostile content through the whole pipeline', () => {
  it('escapes markup in every field and drops unsafe links', async () => {
    const base = lake.archive.published.find((s) => s.rating._ref === 'rating.general' && !lake.archive.failing.has(s._id))!
    const evil = '<script>alert(1)</script><img src=x onerror=alert(2)>'
    await lake.rawClient.createOrReplace({
      ...base,
      _id: 'story.hostile',
      slug: {_type: 'slug', current: 'hostile'},
      title: `Title ${evil}`,
      summary: `A summary with "quotes" and ${evil}, long enough to pass the checks.`,
      tags: [evil],
      body: [
        {
          _type: 'block',
          _key: 'h',
          style: 'normal',
          markDefs: [
            {_type: 'link', _key: 'j', href: 'javascript:alert(3)'},
            {_type: 'link', _key: 'd', href: 'data:text/html,<script>alert(4)</script>'},
          ],
          children: [
            {_type: 'span', _key: 'a', text: `Body ${evil} `, marks: []},
            {_type: 'span', _key: 'b', text: 'js link', marks: ['j']},
            {_type: 'span', _key: 'c', text: ' data link', marks: ['d']},
          ],
        },
      ],
    })
    const {res, doc, html} = await get('/stories/hostile')
    expect(res.status).toBe(200)
    expect(doc.querySelectorAll('script, img')).toHaveLength(0)
    expect(doc.querySelector('h1')!.textContent).toBe(`Title ${evil}`)
    expect(doc.title).toBe(`Title ${evil} · The Archive`)
    expect(doc.querySelector('meta[name="description"]')!.getAttribute('content')).toContain(evil)
    expect(doc.querySelector('.story-text')!.textContent).toContain('js link data link')
    expect(doc.querySelectorAll('.story-text a')).toHaveLength(0)
    expect(html).not.toMatch(/href="(javascript|data):/i)
    expect(doc.querySelector(`a[href="/tags/${encodeURIComponent(evil)}"]`)).not.toBeNull()
  })
})

describe('caching', () => {
  it('lets shared caches keep public pages briefly, but never a gated story', async () => {
    expect((await get('/')).res.headers.get('cache-control')).toBe('public, max-age=60')
    const general = storyWith('general')
    expect((await get(`/stories/${general.slug.current}`)).res.headers.get('cache-control')).toBe('public, max-age=60')
    const mature = storyWith('mature')
    const unlocked = await get(`/stories/${mature.slug.current}`, {headers: {cookie: 'gate=1'}})
    expect(unlocked.doc.querySelector('.gate')).toBeNull()
    expect(unlocked.res.headers.get('cache-control')).toBe('private, no-store')
  })
})

describe('content gate', () => {
  it('shows the gate instead of the text of a story whose rating requires it', async () => {
    const story = storyWith('mature')
    const {res, doc, html} = await get(`/stories/${story.slug.current}`)
    expect(res.status).toBe(200)
    expect(doc.querySelector('.gate form[method="post"][action="/gate"]')).not.toBeNull()
    expect(doc.querySelector('.gate input[name="return"]')!.getAttribute('value')).toBe(`/stories/${story.slug.current}`)
    expect(html).not.toContain('The text of story')
    expect(res.headers.get('cache-control')).toBe('private, no-store')
  })

  it('does not gate a general-audiences story', async () => {
    const story = storyWith('general')
    const {doc} = await get(`/stories/${story.slug.current}`)
    expect(doc.querySelector('.gate')).toBeNull()
  })

  it('remembers the confirmation in a cookie and sends the reader back', async () => {
    const story = storyWith('explicit')
    const path = `/stories/${story.slug.current}`
    const confirm = await fetch(`${site.url}/gate`, {
      method: 'POST',
      redirect: 'manual',
      headers: {'content-type': 'application/x-www-form-urlencoded'},
      body: new URLSearchParams({return: path}).toString(),
    })
    expect(confirm.status).toBe(303)
    expect(confirm.headers.get('location')).toBe(path)
    const cookie = confirm.headers.get('set-cookie')!
    expect(cookie).toMatch(/^gate=1; /)
    expect(cookie).toContain('HttpOnly')
    expect(cookie).toContain('SameSite=Lax')
    expect(cookie).toContain('Path=/')
    const {html, doc} = await get(path, {headers: {cookie: 'theme=dark; gate=1'}})
    expect(doc.querySelector('.gate')).toBeNull()
    expect(html).toContain('The text of story')
  })

  it.each(['https://evil.example/', '//evil.example/', '/\\evil.example', 'javascript:alert(1)'])(
    'never redirects off the site (return=%s)',
    async (target) => {
      const res = await fetch(`${site.url}/gate?confirm=1&return=${encodeURIComponent(target)}`, {redirect: 'manual'})
      expect(res.status).toBe(303)
      expect(res.headers.get('location')).toBe('/')
    },
  )
})

describe('errors', () => {
  it('shows a 500 page without internals when the lake is unreachable', async () => {
    const dead = localLakeClient({httpUrl: 'http://127.0.0.1:9', token: 'x', perspective: 'published'}).withConfig({maxRetries: 0})
    const broken = await startSite({client: dead, port: 0, log: (m) => logged.push(m)})
    try {
      const res = await fetch(`${broken.url}/stories/anything`)
      const html = await res.text()
      expect(res.status).toBe(500)
      expect(html).toContain('Something went wrong')
      expect(html).not.toMatch(/ECONNREFUSED|at .*\.(ts|js):\d+|127\.0\.0\.1:9/)
      expect(logged.some((m) => m.includes('/stories/anything'))).toBe(true)
    } finally {
      await broken.close()
    }
  })

  it('refuses a client that could read drafts', async () => {
    const raw = localLakeClient({httpUrl: 'http://127.0.0.1:9', token: 'x', perspective: 'raw'})
    await expect(startSite({client: raw, port: 0})).rejects.toThrow(/perspective 'published'/)
  })

  it('refuses to listen on a non-loopback address', async () => {
    await expect(startSite({client: lake.client, port: 0, host: '0.0.0.0'})).rejects.toThrow(/loopback/)
  })
})
