/**
 * Files in the shapes real tools and sites write (fixtures/real/, written for these tests after
 * the tools' own templates), each with its whole reading stated: what an archivist would check.
 */
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {toPlainText} from '../../rules'
import {buildStoryDocuments} from '../../scripts/import/documents'
import {EntityDirectory} from '../../scripts/import/entities'
import {parseBytes} from '../../scripts/import/read-file'
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
    file: 'dreamwidth-entry.html',
    bytes: real('dreamwidth-entry.html'),
    reading: {
      title: 'Ledger of Small Mercies',
      authors: ['copperwren'],
      fandoms: ['Discworld'],
      rating: 'rating.general',
      warnings: ['choose-not-to-use'],
      categories: undefined,
      relationships: undefined,
      characters: ['Sam Vimes', 'Sybil Ramkin'],
      tags: undefined,
      summary: 'Vimes keeps a ledger. Sybil keeps him.',
      disclaimer: 'Discworld belongs to Terry Pratchett. This is fan work; no profit.',
      notes: undefined,
      endNotes: undefined,
      chapters: [{title: undefined, paragraphs: 3}],
      // The entry's own date: the header gives none.
      published: '2007-12-24',
      updated: undefined,
      status: undefined,
      words: 56,
      sourceUrl: undefined,
      series: [],
    },
    notInText: ['Current Mood', 'Previous Entry', 'comments', 'made me cry', 'Recent Entries', 'Tags', 'Title:'],
  },
  {
    file: 'word-web-page.htm',
    bytes: real('word-web-page.htm'),
    reading: {
      title: 'Gate Fever',
      authors: ['Kestrel Maye'],
      fandoms: ['Stargate SG-1'],
      rating: 'rating.teen',
      warnings: ['choose-not-to-use'],
      categories: undefined,
      relationships: ['Sam/Jack'],
      characters: undefined,
      // "Category: Angst, Romance" names genres, never fandoms.
      tags: ['Angst', 'Romance'],
      summary: 'Three days of quarantine, one bad fever, and a colonel who will not leave.',
      disclaimer: 'Stargate SG-1 belongs to MGM, Gekko and Double Secret. No money changes hands.',
      notes: 'Spoilers: Season 4, especially “Upgrades”',
      endNotes: undefined,
      chapters: [{title: undefined, paragraphs: 4}],
      published: undefined,
      updated: undefined,
      status: undefined,
      words: 48,
      sourceUrl: undefined,
      series: [],
    },
    notInText: ['Title:', 'Spoilers', 'mso-', 'Section1', 'Home User'],
  },
  {
    file: 'fansite-page.html',
    bytes: real('fansite-page.html'),
    reading: {
      title: 'Silver and Salt',
      authors: ['Selene Starfall'],
      fandoms: ['Sailor Moon'],
      rating: 'rating.general',
      warnings: ['choose-not-to-use'],
      categories: undefined,
      relationships: ['Haruka/Michiru'],
      characters: undefined,
      tags: undefined,
      summary: 'The sea remembers everything. Michiru only remembers the important parts.',
      disclaimer: "Sailor Moon belongs to Naoko Takeuchi. I'm just a fan.",
      notes: undefined,
      endNotes: undefined,
      chapters: [{title: undefined, paragraphs: 4}],
      published: '2001-08-03',
      updated: undefined,
      status: undefined,
      words: 48,
      sourceUrl: undefined,
      series: [],
    },
    notInText: ['Back to my fics', 'E-mail me', 'guestbook', 'Home', 'by Selene'],
  },
  {
    file: 'livejournal-post.txt',
    bytes: real('livejournal-post.txt'),
    reading: {
      title: 'Ledger of Small Mercies',
      authors: ['copperwren'],
      fandoms: ['Discworld'],
      rating: 'rating.general',
      warnings: ['choose-not-to-use'],
      categories: undefined,
      relationships: undefined,
      characters: ['Sam Vimes', 'Sybil Ramkin'],
      tags: undefined,
      summary: 'Vimes keeps a ledger. Sybil keeps him.',
      disclaimer: 'Discworld belongs to Terry Pratchett. This is fan work; no profit.',
      notes: 'For the 2007 Yuletide treat swap.',
      endNotes: undefined,
      chapters: [{title: undefined, paragraphs: 3}],
      published: '2007-12-24',
      updated: undefined,
      status: undefined,
      words: 69,
      sourceUrl: undefined,
      series: [],
    },
    notInText: ['Current Mood', 'Current Music', 'Tags:', 'yuletide', 'Posted'],
  },
  {
    file: 'calibre-epub.epub',
    bytes: epub('calibre-epub'),
    reading: {
      title: "The Cartographer's Debt",
      authors: ['Rowan Thistle'],
      fandoms: ['Original Work'],
      rating: 'rating.general',
      warnings: ['no-archive-warnings-apply'],
      categories: undefined,
      relationships: undefined,
      characters: undefined,
      tags: ['Maps', 'Fantasy', 'Adventure'],
      summary: 'Ines owes the Guild one last map. The Guild wants a map of a place that does not exist yet.',
      disclaimer: 'All mine, for once.',
      notes: undefined,
      endNotes: undefined,
      chapters: [
        {title: 'Chapter One: The Commission', paragraphs: 3},
        {title: 'Chapter Two: Low Tide', paragraphs: 2},
      ],
      // The header page's date; calibre's "0101-01-01" in the OPF means "none".
      published: '2012-03-14',
      updated: undefined,
      status: undefined,
      words: 117,
      sourceUrl: undefined,
      series: ['Inkwell Roads #3'],
    },
    notInText: ['Fandom:', 'Timeline', 'by Rowan Thistle', 'Cover'],
  },
  {
    file: 'windows-1251.txt',
    bytes: real('windows-1251.txt'),
    reading: {
      title: 'Белые ночи',
      authors: ['Лиса Снегова'],
      fandoms: ['Мастер и Маргарита'],
      rating: 'rating.teen',
      warnings: ['choose-not-to-use'],
      categories: undefined,
      relationships: undefined,
      characters: undefined,
      tags: undefined,
      summary: 'Маргарита возвращается в Москву, где всё осталось по-прежнему, кроме неё самой.',
      disclaimer: 'Персонажи принадлежат М. А. Булгакову. Денег не получаю.',
      notes: undefined,
      endNotes: undefined,
      chapters: [{title: undefined, paragraphs: 2}],
      published: undefined,
      updated: undefined,
      status: undefined,
      words: 22,
      sourceUrl: undefined,
      series: [],
    },
    notInText: ['Ð', 'Title:'],
  },
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
    // file_start copied from the EPUB writer: the title in an <h3>, the rows as `<b>Label:</b> value<br />` in a div, no table.
    file: 'fanficfare-h3-title.html',
    bytes: real('fanficfare-h3-title.html'),
    reading: {
      title: 'Orchard Keeping',
      authors: ['bramblecat'],
      fandoms: ['Avatar: The Last Airbender'],
      rating: 'rating.general',
      warnings: ['choose-not-to-use'],
      categories: undefined,
      relationships: undefined,
      characters: ['Iroh', 'Zuko'],
      tags: ['Family', 'Friendship'],
      summary: 'Iroh plants an orange tree in a city that has never grown one. Zuko thinks it is a waste of water, for a while.',
      disclaimer: 'Avatar: The Last Airbender belongs to Nickelodeon. No money made.',
      notes: undefined,
      endNotes: undefined,
      chapters: [
        {title: 'Seedling', paragraphs: 2},
        {title: 'First Fruit', paragraphs: 2},
      ],
      published: '2011-05-14',
      updated: '2011-06-01',
      status: 'complete',
      words: 38,
      sourceUrl: 'https://www.fanfiction.net/s/7001234/1/',
      series: [],
    },
    notInText: ['Orchard Keeping', 'bramblecat', 'Category:', 'Words:', 'Table of Contents', 'Disclaimer'],
  },
  {
    // The summary above the title table (a titlepage_start with ${description}), not in a row.
    file: 'fanficfare-summary-first.html',
    bytes: real('fanficfare-summary-first.html'),
    reading: {
      title: 'Weathervane',
      authors: ['tollgate'],
      fandoms: ['Firefly'],
      rating: 'rating.general',
      warnings: ['no-archive-warnings-apply'],
      categories: undefined,
      relationships: ['Zoe Washburne/Hoban Washburne'],
      characters: undefined,
      tags: undefined,
      summary: 'Wash keeps a weathervane on the bridge of Serenity. It points at whatever Zoe is looking at.',
      disclaimer: 'Firefly belongs to Joss Whedon and Mutant Enemy. I just fly it around.',
      notes: undefined,
      endNotes: undefined,
      chapters: [{title: undefined, paragraphs: 3}],
      published: '2015-02-09',
      updated: undefined,
      status: 'complete',
      words: 51,
      sourceUrl: 'https://archiveofourown.org/works/3390112',
      series: [],
    },
    notInText: ['Wash keeps a weathervane', 'Fandoms:', 'Disclaimer'],
  },
  {
    // A classic plain-text fic saved on Windows, closing with "~ THE END ~" above its signature.
    file: 'plain-the-end.txt',
    bytes: real('plain-the-end.txt'),
    reading: {
      title: 'Lamps of Ankh',
      authors: ['millwheel'],
      fandoms: ['Discworld'],
      rating: 'rating.general',
      warnings: ['choose-not-to-use'],
      categories: undefined,
      relationships: undefined,
      characters: undefined,
      tags: undefined,
      summary: 'The night watch lights the lamps on the Street of Small Gods, one by one.',
      disclaimer: 'Discworld belongs to Terry Pratchett. No profit made.',
      notes: undefined,
      endNotes: undefined,
      chapters: [{title: undefined, paragraphs: 3}],
      published: '2003-10',
      updated: undefined,
      status: undefined,
      words: 33,
      sourceUrl: undefined,
      series: [],
    },
    notInText: ['THE END', 'millwheel', 'October 2003'],
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

describe('a FanFiction.net page copied as text with the Follow/Fav button on the title line', () => {
  it('reads the title without the button', () => {
    const text = fixture('real/ffn-copy.txt').toString('utf8').replace('Follow/Fav\nShadows Over the Leaf', 'Follow/Fav Shadows Over the Leaf')
    expect(text).toContain('Follow/Fav Shadows Over the Leaf')
    expect(parseBytes(Buffer.from(text, 'utf8'), 'ffn.txt').work.title).toBe('Shadows Over the Leaf')
  })
})

describe('a FanFicFare title table with a whole Label: value in each cell, two to a row', () => {
  it('reads each cell as its own entry, not the second label as the first value', () => {
    const html = fixture('real/fanficfare-download.html').toString('utf8')
      .replace('<tr><td><b>Category:</b></td><td>Harry Potter</td></tr>', '<tr><td><b>Category:</b> Harry Potter</td><td><b>Genre:</b> Humor, Hurt/Comfort</td></tr>')
      .replace('<tr><td><b>Genre:</b></td><td>Humor, Hurt/Comfort</td></tr>', '')
      .replace('<tr><td><b>Rating:</b></td><td>K+</td></tr>', '<tr><td><b>Rating:</b> K+</td><td><b>Chapters:</b> 2</td></tr>')
    expect(html).toContain('<td><b>Genre:</b> Humor')
    const work = parseBytes(Buffer.from(html, 'utf8'), 'fff.html').work
    expect(work.meta.category).toBe('Harry Potter')
    expect(work.meta.genre).toBe('Humor, Hurt/Comfort')
    expect(work.meta.rating).toBe('K+')
  })
})

describe('a FanFicFare download whose section anchors sit inside the headings', () => {
  it('still finds both chapters', () => {
    const html = fixture('real/fanficfare-download.html').toString('utf8')
      .replace('<a name="TOCTOP"><h2>Table of Contents</h2></a>', '<div><h2>Table of Contents</h2>').replace('<a href="#section0002">2. Wick and Flame</a><br />\n\n</p>', '<a href="#section0002">2. Wick and Flame</a><br />\n\n</p></div>')
      .replace(/<a name="(section\d+)"><h2>([^<]*)<\/h2><\/a>/g, '<h2><a name="$1">$2</a></h2>')
    expect(html).toContain('<h2><a name="section0002">2. Wick and Flame</a></h2>')
    expect(parseBytes(Buffer.from(html, 'utf8'), 'fff.html').work.chapters.map((chapter) => chapter.title)).toEqual(['1. First Light', '2. Wick and Flame'])
  })
})

describe('a FanFicFare download titled only in an <h3>, with no title page at all', () => {
  it('reads the title, the author and the story address from the heading', () => {
    const html = fixture('real/fanficfare-h3-title.html').toString('utf8').replace(/<div>\s*<b>Category:[\s\S]*?<\/div>/, '')
    expect(html).not.toContain('Category:')
    const work = parseBytes(Buffer.from(html, 'utf8'), 'fff.html').work
    expect([work.title, work.meta.author, work.sourceUrl]).toEqual(['Orchard Keeping', ['bramblecat'], 'https://www.fanfiction.net/s/7001234/1/'])
    expect(work.chapters.map((chapter) => chapter.title)).toEqual(['Seedling', 'First Fruit'])
  })
})

describe('a FanFicFare summary above the table', () => {
  it('as a plain paragraph is read too, and a Summary row in the table wins over it', () => {
    const html = fixture('real/fanficfare-summary-first.html').toString('utf8')
    const paragraph = html.replace(/<blockquote class="summary">\s*(<p>[^<]*<\/p>)\s*<\/blockquote>/, '$1')
    expect(paragraph).not.toContain('blockquote')
    expect(parseBytes(Buffer.from(paragraph, 'utf8'), 'fff.html').work.meta.summary).toBe('Wash keeps a weathervane on the bridge of Serenity. It points at whatever Zoe is looking at.')
    const withRow = html.replace('<tr><td><b>Words:</b>', '<tr><td><b>Summary:</b></td><td>The row says this.</td></tr>\n<tr><td><b>Words:</b>')
    expect(parseBytes(Buffer.from(withRow, 'utf8'), 'fff.html').work.meta.summary).toBe('The row says this.')
  })
})

describe('end markers in plain text', () => {
  it.each(['THE END', 'The End.', '~Fin~', '-End-', '*** THE END ***'])('%j closing the story is left out of the text', (marker) => {
    const text = `Title: T\nAuthor: A\nFandom: F\n\nThe first line of the story.\n\nThe last line of the story.\n\n${marker}\n`
    const work = parseBytes(Buffer.from(text, 'utf8'), 'end.txt').work
    expect(toPlainText(work.chapters.at(-1)!.body)).toBe('The first line of the story.\n\nThe last line of the story.')
  })

  it('a sentence that only mentions the end stays', () => {
    const text = 'Title: T\nAuthor: A\nFandom: F\n\nThe first line.\n\nIt was the end of the road.\n'
    expect(toPlainText(parseBytes(Buffer.from(text, 'utf8'), 'end.txt').work.chapters[0]!.body)).toBe('The first line.\n\nIt was the end of the road.')
  })
})

describe('text with no declared charset that is not UTF-8', () => {
  const samples: Array<[string, string, string]> = [
    ['windows-1251', 'windows-1251', 'Над Патриаршими прудами стояла белая ночь, и Маргарита шла медленно, как будто боялась спугнуть её.'],
    ['KOI8-R', 'koi8-r', 'Над Патриаршими прудами стояла белая ночь, и Маргарита шла медленно, как будто боялась спугнуть её.'],
    ['Shift_JIS', 'shift_jis', '東京の夜は静かだった。彼女は窓の外を見て、明日のことを考えていた。雨が降り始めた。'],
    ['GBK', 'gbk', '东京的夜晚很安静。她看着窗外，想着明天的事情。开始下雨了。他没有来。'],
    ['Big5', 'big5', '東京的夜晚很安靜。她看著窗外，想著明天的事情。開始下雨了。他沒有來。'],
    ['EUC-KR', 'euc-kr', '도쿄의 밤은 조용했다. 그녀는 창밖을 보며 내일 일을 생각했다. 비가 내리기 시작했다.'],
  ]

  it.each(samples)('%s is detected, decoded right and reported as a guess', (_, encoding, text) => {
    const bytes = encodeAs(encoding, `Title: ${text.slice(0, 4)}\nAuthor: A\nFandom: F\n\n${text}\n`)
    const read = parseBytes(bytes, 'fic.txt')
    expect(toPlainText(read.work.chapters[0]!.body)).toBe(text)
    expect(read.work.guessedEncoding).toBeDefined()
    expect(read.work.notices.join('\n')).toMatch(/encoding guessed as/)
  })

  it('a non-Latin title gets a transliterated or fingerprint slug, never "untitled"', () => {
    const ru = readingOf(fixture('real/windows-1251.txt'), 'windows-1251.txt')
    expect(ru.title).toBe('Белые ночи')
    const docs = buildStoryDocuments(parseBytes(encodeAs('utf-8', 'Title: 東京の夜\nAuthor: A\nFandom: F\n\nText here.\n'), 'a.txt').work, {fileName: 'a.txt', format: 'text', checksum: 'ab'.repeat(32), directory: new EntityDirectory()})
    expect((docs.story.slug as {current: string}).current).toMatch(/^x-[0-9a-f]{16}$/)
    const ruDocs = buildStoryDocuments(parseBytes(fixture('real/windows-1251.txt'), 'r.txt').work, {fileName: 'r.txt', format: 'text', checksum: 'cd'.repeat(32), directory: new EntityDirectory()})
    expect((ruDocs.story.slug as {current: string}).current).toBe('belye-nochi')
  })
})

/** Node can't encode legacy charsets; a small table-free encoder: decode every byte pair and look the text up. */
function encodeAs(encoding: string, text: string): Buffer {
  if (encoding === 'utf-8') return Buffer.from(text, 'utf8')
  const decoder = new TextDecoder(encoding)
  const table = new Map<string, number[]>()
  for (let a = 0x80; a <= 0xff; a++) {
    const one = decoder.decode(Uint8Array.of(a))
    if (one.length === 1 && one !== '\ufffd' && !table.has(one)) table.set(one, [a])
    for (let b = 0x40; b <= 0xfe; b++) {
      const two = decoder.decode(Uint8Array.of(a, b))
      if (two.length === 1 && two !== '\ufffd' && !table.has(two)) table.set(two, [a, b])
    }
  }
  const out: number[] = []
  for (const char of text) {
    if (char.charCodeAt(0) < 0x80) out.push(char.charCodeAt(0))
    else {
      const bytes = table.get(char)
      if (!bytes) throw new Error(`cannot encode ${char} as ${encoding}`)
      out.push(...bytes)
    }
  }
  return Buffer.from(out)
}
