import {describe, expect, it} from 'vitest'
import {normaliseWorkUrl, storyIdForKey, titleKey, workKey} from '../../rules'

describe('work keys', () => {
  it.each([
    ['http://www.archiveofourown.org/works/12/chapters/34?view_adult=true#main', 'https://archiveofourown.org/works/12'],
    ['https://archiveofourown.org/collections/lamps/works/012', 'https://archiveofourown.org/works/12'],
    ['https://m.fanfiction.net/s/1234567/3/The-Salt-Ledger', 'https://fanfiction.net/s/1234567'],
    ['https://www.fictionpress.com/s/99/1/', 'https://fictionpress.com/s/99'],
    ['HTTP://Archive.Example/viewstory.php?chapter=2&sid=77&utm_source=x', 'https://archive.example/viewstory.php?sid=77'],
    ['https://fics.example/stories/5/', 'https://fics.example/stories/5'],
  ])('%s -> %s', (url, canonical) => {
    expect(normaliseWorkUrl(url)).toBe(canonical)
  })

  it('refuses what is not a web address', () => {
    for (const text of ['javascript:alert(1)', 'mailto:a@b.example', 'not a url', 'http://localhost/x']) expect(normaliseWorkUrl(text)).toBeUndefined()
  })

  it('prefers the URL, else title and first author; nothing without both', () => {
    expect(workKey({url: 'https://archiveofourown.org/works/1', title: 'X', firstAuthor: 'Y'})).toBe('url:https://archiveofourown.org/works/1')
    expect(workKey({title: 'The  Salt Ledger!', firstAuthor: 'Márèn Voss'})).toBe('title:the salt ledger|maren voss')
    expect(titleKey({title: 'Salt'})).toBeUndefined()
    expect(workKey({title: 'Salt', firstAuthor: ''})).toBeUndefined()
  })

  it('names a story by its key, the same everywhere', () => {
    expect(storyIdForKey('url:https://archiveofourown.org/works/1')).toMatch(/^story\.[0-9a-f]{20}$/)
    expect(storyIdForKey('a')).toBe(storyIdForKey('a'))
    expect(storyIdForKey('a')).not.toBe(storyIdForKey('b'))
  })
})
