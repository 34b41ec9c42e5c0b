import {JSDOM} from 'jsdom'
import {describe, expect, it} from 'vitest'
import type {HomeData} from '../../site/data'
import {renderDocument} from '../../site/handler'
import {HomePage} from '../../site/pages/ListPages'

const fandom = (title: string, storyCount: number) => ({_id: `fandom.${title.toLowerCase()}`, title, slug: title.toLowerCase(), mediaType: 'book' as const, storyCount})

function render(home: HomeData): Document {
  return new JSDOM(renderDocument(<HomePage home={home} />)).window.document
}

describe("the home page's fandom list", () => {
  it('in an archive smaller than the window: every fandom with stories, with its count', () => {
    const doc = render({stories: [], fandoms: [fandom('Tidewater', 3), fandom('Glasshouse', 1)], fandomsFromRecent: false, fandomTotal: 570})
    expect(doc.querySelector('#fandoms-heading')!.textContent).toBe('Fandoms')
    expect([...doc.querySelectorAll('#fandoms-heading ~ ul li')].map((li) => li.textContent)).toEqual(['Tidewater (3 stories)', 'Glasshouse (1 story)'])
    expect(doc.querySelector('main a[href="/fandoms"]')!.textContent).toBe('All 570 fandoms, by media →')
  })

  it('in a larger archive: the fandoms of the newest stories, without counts that would not be totals', () => {
    const doc = render({stories: [], fandoms: [fandom('Tidewater', 3)], fandomsFromRecent: true, fandomTotal: 570})
    expect(doc.querySelector('#fandoms-heading')!.textContent).toBe('Fandoms with new stories')
    expect([...doc.querySelectorAll('#fandoms-heading ~ ul li')].map((li) => li.textContent)).toEqual(['Tidewater'])
  })

  it('says so when no fandom has a story yet', () => {
    const doc = render({stories: [], fandoms: [], fandomsFromRecent: false, fandomTotal: 570})
    expect(doc.querySelector('#fandoms-heading')!.parentElement!.textContent).toContain('No fandom has a story yet.')
  })
})
