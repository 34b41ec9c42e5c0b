import {describe, expect, it, vi} from 'vitest'

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
    expect(passesPublishingChecks({...base, summary})).toBe(expected)
  })
})
