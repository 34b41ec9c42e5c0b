import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {storyIdForKey} from '../../rules'
import {parseBytes} from '../../scripts/import/read-file'
import {WorkIndex} from '../../scripts/import/work-identity'
import {zipFolder} from './reading'

const REAL = join(import.meta.dirname, 'fixtures', 'real')
const read = (name: string, bytes: Buffer = readFileSync(join(REAL, name))) => parseBytes(bytes, name).work

describe('one work, one story', () => {
  it.each([
    ['ao3-work.html', 'ao3-epub', 'https://archiveofourown.org/works/48213377'],
    ['fanficfare-download.html', 'fanficfare-epub', 'https://fanfiction.net/s/5550123'],
  ])('%s and its EPUB are one story, named by the work URL', (html, epub, url) => {
    const index = new WorkIndex()
    const first = index.resolve(read(html), 'a'.repeat(64))
    const second = index.resolve(read(`${epub}.epub`, zipFolder(join(REAL, epub))), 'b'.repeat(64))
    expect(first).toEqual({storyId: storyIdForKey(`url:${url}`), url, matchedBy: 'new'})
    expect(second).toEqual({storyId: first.storyId, url, matchedBy: 'url'})
  })

  it('a copy without the URL finds the work by title and first author, also under an alias, unless both name different URLs', () => {
    const index = new WorkIndex()
    index.add('story.ledger', {url: 'https://archiveofourown.org/works/1', title: 'The Salt Ledger', authors: ['M. Voss', 'Maren Voss']})
    const copy = read('copy.txt', Buffer.from('Title: The Salt Ledger\nAuthor: Maren Voss\n\nThe ledger did not add up.\n'))
    expect(index.resolve(copy, 'c'.repeat(64))).toEqual({storyId: 'story.ledger', url: 'https://archiveofourown.org/works/1', matchedBy: 'title'})
    const other = read('other.txt', Buffer.from('Title: The Salt Ledger\nAuthor: Maren Voss\nSource: https://archiveofourown.org/works/2\n\nAnother work of the same name.\n'))
    expect(index.resolve(other, 'd'.repeat(64))).toMatchObject({storyId: storyIdForKey('url:https://archiveofourown.org/works/2'), matchedBy: 'new'})
  })

  it('a file with neither URL nor author is named by its bytes, and found by them again', () => {
    const index = new WorkIndex()
    const work = () => read('anon.txt', Buffer.from('Just a drabble with no header at all.\n'))
    expect(index.resolve(work(), 'e'.repeat(64))).toEqual({storyId: `story.${'e'.repeat(20)}`, matchedBy: 'new'})
    expect(new WorkIndex().resolve(work(), 'e'.repeat(64)).storyId).toBe(`story.${'e'.repeat(20)}`)
  })
})
