/**
 * Files in the shapes real tools and sites write (fixtures/real/, written for these tests after
 * the tools' own templates), each with its whole reading stated: what an archivist would check.
 */
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {fixture, FIXTURES} from './helpers'
import {type Reading, readingOf, zipFolder} from './reading'

interface Case {
  file: string
  bytes: () => Buffer
  reading: Reading
  /** Text that must not end up in the story text (site furniture, notes, headers). */
  notInText: string[]
}

const real = (name: string) => () => fixture(`real/${name}`)
const epub = (name: string) => () => zipFolder(join(FIXTURES, 'real', name))

const AO3_READING: Reading = {
  title: 'Salt and Lantern Light',
  authors: ['tidewright'],
  fandoms: ['The Drowned Bells'],
  rating: 'rating.teen',
  warnings: ['no-archive-warnings-apply'],
  categories: ['f-f', 'gen'],
  relationships: ['Ysolde/Marrow'],
  characters: ['Ysolde', 'Marrow', 'Old Pell'],
  tags: ['Lighthouses', 'Found Family', 'Storms'],
  summary: 'The lamp on Cray Point has not gone dark in ninety years. Ysolde intends to keep it that way, storm or no storm.',
  disclaimer: 'The Drowned Bells belongs to Harrow & Vane. I only borrow the lighthouse.',
  notes: 'Written for the exchange; thank you to my beta, Fen.',
  endNotes: 'Thank you for reading! Come say hi on my blog.',
  chapters: [
    {title: 'Chapter 1: The Long Watch', paragraphs: 3, summary: 'Ysolde climbs the stairs.', notes: 'This one is short, sorry!', endNotes: 'Next time: the storm arrives.'},
    {title: 'Chapter 2: Storm Glass', paragraphs: 1},
  ],
  published: '2021-03-04',
  updated: '2021-04-11',
  status: 'complete',
  words: 58,
  sourceUrl: 'https://archiveofourown.org/works/48213377',
  series: ['Keepers of the Reach #2'],
}

const FFN_COMMON = {
  title: 'Shadows Over the Leaf',
  authors: ['inkbrush'],
  fandoms: ['Naruto'],
  rating: 'rating.teen',
  warnings: ['choose-not-to-use'],
  categories: undefined,
  relationships: ['Sakura H./Shikamaru N.'],
  characters: ['Sakura H.', 'Shikamaru N.', 'Naruto U.'],
  tags: ['Friendship', 'Adventure'],
  summary: 'Sakura and Shikamaru are sent to scout the northern border. Strategy, stubbornness and one very patient deer. Friendship, no romance.',
  disclaimer: "I don't own Naruto, Masashi Kishimoto does.",
  published: '2009-02-02',
  updated: '2009-03-04',
  status: 'complete',
  sourceUrl: 'https://www.fanfiction.net/s/4821337/1/',
  series: [],
}
const FFN_NOISE = ['Follow/Fav', 'Prev', 'Next', 'R&R', 'Rated:', 'Disclaimer', 'A/N', 'Privacy', 'By: inkbrush', 'Anime/Manga']

const FFF_READING: Reading = {
  title: "The Lamplighter's Apprentice",
  authors: ['quillandash'],
  fandoms: ['Harry Potter'],
  rating: 'rating.general',
  warnings: ['choose-not-to-use'],
  categories: undefined,
  relationships: ['Hermione G./Neville L.'],
  characters: ['Hermione G.', 'Neville L.'],
  tags: ['Humor', 'Hurt/Comfort'],
  summary: "Neville needs a tutor for Charms. Hermione needs someone who listens. The castle's lamps need lighting either way.",
  disclaimer: 'Harry Potter belongs to J.K. Rowling. I just play here.',
  notes: undefined,
  endNotes: undefined,
  chapters: [
    {title: '1. First Light', paragraphs: 3},
    {title: '2. Wick and Flame', paragraphs: 2},
  ],
  published: '2009-02-02',
  updated: '2009-03-04',
  status: 'in-progress',
  words: 58,
  sourceUrl: 'https://www.fanfiction.net/s/5550123/1/',
  series: [],
}
const FFF_NOISE = ['Table of Contents', 'Category:', 'Packaged', 'Disclaimer', 'Favorite Spell', 'Story URL', 'Summary']

const CASES: Case[] = [
  {
    file: 'front-matter.md',
    bytes: real('front-matter.md'),
    reading: {
      title: 'Paper Boats: A Study',
      authors: ['Marigold Vey'],
      fandoms: ['Studio Ghibli', 'Spirited Away'],
      rating: 'rating.general',
      warnings: ['no-archive-warnings-apply'],
      categories: ['gen'],
      relationships: undefined,
      characters: ['Chihiro Ogino', 'Haku'],
      tags: ['Rivers', 'Memory', 'Fluff'],
      summary: 'Chihiro folds a paper boat for every river she has ever crossed, and one for a river that no longer exists.',
      disclaimer: 'Spirited Away belongs to Studio Ghibli. Written for love, not money.',
      notes: 'For R., who taught me to fold boats.',
      endNotes: undefined,
      chapters: [{title: undefined, paragraphs: 3}],
      published: '2015-06-21',
      updated: '2015-07-02',
      status: 'complete',
      words: 37,
      sourceUrl: undefined,
      series: [],
    },
    notInText: ['Paper Boats: A Study', 'mood', 'wistful', 'Disclaimer'],
  },
  {file: 'fanficfare-download.html', bytes: real('fanficfare-download.html'), reading: FFF_READING, notInText: FFF_NOISE},
  {
    file: 'fanficfare-epub.epub',
    bytes: epub('fanficfare-epub'),
    // The EPUB's chapter titles are the TOC titles; its OPF adds one tag the title page doesn't show.
    reading: {...FFF_READING, tags: ['Lamplighting', 'Humor', 'Hurt/Comfort'], chapters: [{title: 'First Light', paragraphs: 3}, {title: 'Wick and Flame', paragraphs: 2}]},
    notInText: [...FFF_NOISE, 'Last Update', 'FanFiction'],
  },
  {
    file: 'ffn-copy.txt',
    bytes: real('ffn-copy.txt'),
    reading: {
      ...FFN_COMMON,
      notes: undefined,
      endNotes: undefined,
      chapters: [
        {title: 'Chapter 1: The Assignment', paragraphs: 3, notes: 'My first Naruto fic, so be gentle!', endNotes: 'Please R&R! Reviews make me write faster.'},
        {title: 'Chapter 2: The Deer', paragraphs: 3, endNotes: "That's it! Thanks for reading, and please review!"},
      ],
      words: 63,
    },
    notInText: FFN_NOISE,
  },
  {
    file: 'ffn-saved.html',
    bytes: real('ffn-saved.html'),
    reading: {
      ...FFN_COMMON,
      notes: 'My first Naruto fic, so be gentle!',
      endNotes: 'Please R&R! Reviews make me write faster.',
      chapters: [{title: undefined, paragraphs: 3}],
      words: 37,
    },
    notInText: FFN_NOISE,
  },
  {file: 'ao3-work.html', bytes: real('ao3-work.html'), reading: AO3_READING, notInText: ['Posted originally', 'See the end', 'Chapter Notes', 'Next time', 'drop by the Archive', 'Preface', 'Afterword']},
  {file: 'ao3-epub.epub', bytes: epub('ao3-epub'), reading: AO3_READING, notInText: ['Posted originally', 'See the end', 'Chapter Notes', 'Next time', 'drop by the Archive', 'Preface', 'Afterword']},
]

describe('real formats: the whole reading of each file', () => {
  it.each(CASES)('$file', ({file, bytes, reading, notInText}) => {
    const {text, ...got} = readingOf(bytes(), file)
    expect(got).toEqual(reading)
    for (const noise of notInText) expect(text.join('\n'), noise).not.toContain(noise)
  })
})
