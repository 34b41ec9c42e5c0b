import {JSDOM} from 'jsdom'
import {renderToStaticMarkup} from 'react-dom/server'
import {describe, expect, it} from 'vitest'
import {AuthorAvatar} from '../../site/pages/ListPages'

function img(author: Parameters<typeof AuthorAvatar>[0]['author']): HTMLImageElement | null {
  const html = renderToStaticMarkup(<AuthorAvatar author={author} />)
  return new JSDOM(`<!DOCTYPE html><body>${html}</body>`).window.document.querySelector('img')
}

const URL = 'https://cdn.example.org/images/p/d/abc-96x96.png'

describe("the author page's avatar", () => {
  it.each([
    ['its own alt text', {alt: 'Ash at the harbour', url: URL}, 'Ash at the harbour'],
    ["the author's name when it has no alt text", {alt: null, url: URL}, 'Ash Writer'],
    ["the author's name when its alt text is blank", {alt: '  ', url: URL}, 'Ash Writer'],
  ])('is shown with %s', (_name, avatar, alt) => {
    const shown = img({name: 'Ash Writer', avatar})
    expect(shown?.getAttribute('src')).toBe(URL)
    expect(shown?.getAttribute('alt')).toBe(alt)
  })

  it.each([
    ['no avatar', null],
    ['an image without an uploaded asset', {alt: 'Ash', url: null}],
    ['a plain-http URL the page may not load', {alt: 'Ash', url: 'http://cdn.example.org/a.png'}],
    ['a javascript: URL', {alt: 'Ash', url: 'javascript:alert(1)'}],
    ['a data: URL', {alt: 'Ash', url: 'data:image/png;base64,AAAA'}],
  ])('is left out for %s', (_name, avatar) => {
    expect(img({name: 'Ash Writer', avatar})).toBeNull()
  })
})
