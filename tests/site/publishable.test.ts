import {describe, expect, it, vi} from 'vitest'
import {catalogueFromRows} from '../../rules'

// The archive's policy raised for this file: an all-caps summary (a warning by default) blocks.
vi.mock('../../rules/policy', () => ({
  ARCHIVE_CHECK_OPTIONS: {levels: {'summary.all-caps': 'error'}},
}))

const {passesPublishingChecks} = await import('../../site/publishable')

const base = {
  disclaimer: 'Harry Potter belongs to J.K. Rowling. No profit is made.',
  fandoms: [{title: 'Harry Potter', rightsHolders: ['J.K. Rowling']}],
}

describe('site publishing checks follow the archive policy (rules/policy.ts)', () => {
  it.each([
    ['a summary in sentence case passes', 'Ilsa finds a letter in the attic and decides to keep it.', true],
    ['an all-caps summary is held back once the policy makes it an error', 'ILSA FINDS A LETTER IN THE ATTIC AND KEEPS IT SECRET.', false],
  ])('%s', (_name, summary, expected) => {
    expect(passesPublishingChecks({...base, summary}, undefined)).toBe(expected)
  })
})

describe('site publishing checks read the fandom catalogue', () => {
  const catalogue = catalogueFromRows({
    rightsHolders: [
      {_id: 'rightsHolder.brook', name: 'Ada Brook'},
      {_id: 'rightsHolder.prism', name: 'Prism Studios'},
    ],
    fandoms: [
      {_id: 'fandom.tidewater', title: 'Tidewater', rightsHolders: ['rightsHolder.brook']},
      {_id: 'fandom.glasshouse', title: 'Glasshouse', rightsHolders: ['rightsHolder.prism']},
    ],
  })
  const story = {
    summary: 'Ilsa finds a letter in the attic and decides to keep it.',
    disclaimer: 'Everything belongs to Prism Studios. I make no money from this.',
    fandoms: [{_id: 'fandom.tidewater', title: 'Tidewater', rightsHolders: [{_id: 'rightsHolder.brook', name: 'Ada Brook', aliases: []}]}],
  }

  it('holds back a disclaimer that names another fandom’s owner (an error only the catalogue can find)', () => {
    expect(passesPublishingChecks(story, catalogue)).toBe(false)
  })

  it('lets the same story through once it names its own fandom’s owner', () => {
    expect(passesPublishingChecks({...story, disclaimer: 'Tidewater belongs to Ada Brook. I make no money from this.'}, catalogue)).toBe(true)
  })
})
