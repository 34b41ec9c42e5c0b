/**
 * The sample archive a new install starts with: the standard ratings, the fandom catalogue
 * (scripts/seed/fandom-catalogue.ts) and a handful of stories written for this project (no real
 * fandoms, no copied text). `npm run dev` seeds
 * it into an empty local Content Lake; the browser tests read it too.
 */
import {countPortableTextWords, RATING_SEED} from '../../rules'
import {catalogueDocuments} from './fandom-catalogue'

export interface SampleDocument {
  _id: string
  _type: string
  [field: string]: unknown
}

type Paragraph = string | {sceneBreak: true} | {style: 'centered' | 'blockquote'; text: string}

function blocks(prefix: string, paragraphs: Paragraph[]) {
  return paragraphs.map((p, i) => {
    const _key = `${prefix}${i}`
    if (typeof p !== 'string' && 'sceneBreak' in p) return {_type: 'sceneBreak', _key, style: 'asterisks'}
    const text = typeof p === 'string' ? p : p.text
    const style = typeof p === 'string' ? 'normal' : p.style
    return {_type: 'block', _key, style, markDefs: [], children: [{_type: 'span', _key: `${_key}s`, text, marks: []}]}
  })
}

const ref = (id: string, key?: string) => ({_type: 'reference', _ref: id, ...(key ? {_key: key} : {})})
const slug = (current: string) => ({_type: 'slug', current})

const authors: SampleDocument[] = [
  {_id: 'author.wren-calloway', _type: 'author', name: 'Wren Calloway', slug: slug('wren-calloway'), aliases: ['wrenc', 'W. Calloway']},
  {_id: 'author.tomas-ilves', _type: 'author', name: 'Tomas Ilves', slug: slug('tomas-ilves'), aliases: ['tilves']},
  {_id: 'author.juniper-hale', _type: 'author', name: 'Juniper Hale', slug: slug('juniper-hale'), aliases: []},
]

const holder = (id: string, name: string, kind: 'person' | 'company'): SampleDocument => ({_id: `rightsHolder.${id}`, _type: 'rightsHolder', name, kind, aliases: []})
const holders = (...ids: string[]) => ids.map((id, n) => ({_type: 'reference', _ref: `rightsHolder.${id}`, _key: `h${n}`}))

const rightsHolders: SampleDocument[] = [
  holder('maren-holt', 'Maren Holt', 'person'),
  holder('greywater-press', 'Greywater Press', 'company'),
  holder('lumen-pictures', 'Lumen Pictures', 'company'),
  holder('northlight-network', 'Northlight Network', 'company'),
  holder('emberforge-games', 'Emberforge Games Inc.', 'company'),
]

// "Original Work" comes with the fandom catalogue (fandom.original-work).
const fandoms: SampleDocument[] = [
  {
    _id: 'fandom.saltmarsh-chronicles',
    _type: 'fandom',
    title: 'The Saltmarsh Chronicles',
    slug: slug('saltmarsh-chronicles'),
    aliases: ['Saltmarsh'],
    mediaType: 'book',
    rightsHolders: holders('maren-holt', 'greywater-press'),
    isOriginalWork: false,
  },
  {
    _id: 'fandom.starfall-station',
    _type: 'fandom',
    title: 'Starfall Station',
    slug: slug('starfall-station'),
    aliases: ['SFS'],
    mediaType: 'tv',
    rightsHolders: holders('lumen-pictures', 'northlight-network'),
    isOriginalWork: false,
  },
  {
    _id: 'fandom.crown-of-cinders',
    _type: 'fandom',
    title: 'Crown of Cinders',
    slug: slug('crown-of-cinders'),
    aliases: ['CoC'],
    mediaType: 'game',
    rightsHolders: holders('emberforge-games'),
    isOriginalWork: false,
  },
]

const series: SampleDocument[] = [
  {
    _id: 'series.station-logs',
    _type: 'series',
    title: 'Station Logs',
    slug: slug('station-logs'),
    description: 'Quiet stories from the lower decks of Starfall Station.',
    complete: false,
  },
]

const chapterTexts: Array<{title: string; paragraphs: Paragraph[]}> = [
  {
    title: 'The First Winter',
    paragraphs: [
      'Ilsa counted the heat exchangers twice before she believed the number. Seven of them had frozen overnight, and the station had only ever planned for three.',
      "Corwin found her in the maintenance well at the end of second shift. He didn't ask what was wrong; he handed her a thermos and sat on the grating beside her.",
      {sceneBreak: true},
      'By morning the frost had reached the observation deck, and the children had started drawing on the windows.',
    ],
  },
  {
    title: 'Thaw Procedures',
    paragraphs: [
      'The manual said to thaw the lines slowly. The manual had been written by someone who had never been cold.',
      '"We could vent the greenhouse," Corwin said. Ilsa looked at him as if he had suggested venting the captain.',
      {style: 'blockquote', text: 'Rule nine: the tomatoes are not expendable.'},
    ],
  },
  {
    title: 'What the Ice Kept',
    paragraphs: [
      'When the last exchanger finally hummed back to life, the whole deck cheered, and somebody started a song nobody knew the words to.',
      "Ilsa didn't sing. She wrote the number seven on the inside of her wrist, so she would remember how close it had been.",
    ],
  },
]

const chapters: SampleDocument[] = chapterTexts.map((c, i) => {
  const body = blocks(`sw${i + 1}b`, c.paragraphs)
  return {_id: `story.seven-winters.ch${i + 1}`, _type: 'chapter', title: c.title, body, wordCount: countPortableTextWords(body)}
})

interface StoryInput {
  id: string
  title: string
  authors: string[]
  fandoms: string[]
  rating: string
  warnings: string[]
  categories?: string[]
  characters?: string[]
  relationships?: string[]
  tags?: string[]
  status?: 'complete' | 'in-progress'
  summary?: string
  disclaimer?: string
  paragraphs?: Paragraph[]
  chapters?: string[]
  publishedAt?: string
  series?: Array<{series: string; position: number}>
  originalPublication?: {year: number; month?: number; day?: number}
  draft?: boolean
}

function story(input: StoryInput): SampleDocument {
  const body = input.paragraphs ? blocks(`${input.id}b`, input.paragraphs) : []
  const chapterWords = (input.chapters ?? []).reduce(
    (sum, id) => sum + ((chapters.find((c) => c._id === id)?.wordCount as number | undefined) ?? 0),
    0,
  )
  return {
    _id: input.draft ? `drafts.story.${input.id}` : `story.${input.id}`,
    _type: 'story',
    title: input.title,
    slug: slug(input.id),
    authors: input.authors.map((id, i) => ref(id, `a${i}`)),
    fandoms: input.fandoms.map((id, i) => ref(id, `f${i}`)),
    rating: ref(input.rating),
    warnings: input.warnings,
    categories: input.categories ?? ['gen'],
    characters: input.characters ?? [],
    relationships: input.relationships ?? [],
    tags: input.tags ?? [],
    language: 'en',
    status: input.status ?? 'complete',
    ...(input.summary !== undefined ? {summary: input.summary} : {}),
    ...(input.disclaimer !== undefined ? {disclaimer: input.disclaimer} : {}),
    body,
    chapters: (input.chapters ?? []).map((id, i) => ref(id, `c${i}`)),
    wordCount: countPortableTextWords(body) + chapterWords,
    ...(input.publishedAt ? {publishedAt: input.publishedAt, updatedAt: input.publishedAt} : {}),
    ...(input.series ? {series: input.series.map((s, i) => ({_type: 'seriesEntry', _key: `s${i}`, series: ref(s.series), position: s.position}))} : {}),
    ...(input.originalPublication ? {originalPublication: {_type: 'partialDate', ...input.originalPublication}} : {}),
  }
}

const stories: SampleDocument[] = [
  story({
    id: 'the-lighthouse-keepers-ledger',
    title: "The Lighthouse Keeper's Ledger",
    authors: ['author.wren-calloway'],
    fandoms: ['fandom.saltmarsh-chronicles'],
    rating: 'rating.general',
    warnings: ['no-archive-warnings-apply'],
    characters: ['Maud Pellow', 'The Keeper'],
    tags: ['Missing Scene', 'Lighthouses', 'Found Family'],
    summary: 'Every night for forty years the keeper wrote one line in the ledger. Maud reads all of them in a single evening, and finally understands why the light never went out.',
    disclaimer: "The Saltmarsh Chronicles belong to Maren Holt and Greywater Press. I don't own them and make no money from this.",
    paragraphs: [
      'The ledger was heavier than Maud expected, bound in oilcloth and smelling of paraffin and salt.',
      {style: 'centered', text: 'Light lit at dusk. Sea calm. All well.'},
      'The first entry was forty years old. The last was written in a hand she knew, because it was her own.',
      {sceneBreak: true},
      "She read until the lamp burned low, and then she climbed the stairs to light it, because somebody had to and it was her turn now.",
    ],
    publishedAt: '2026-03-02T18:00:00Z',
    originalPublication: {year: 2005, month: 1},
  }),
  story({
    id: 'seven-winters',
    title: 'Seven Winters',
    authors: ['author.tomas-ilves'],
    fandoms: ['fandom.starfall-station'],
    rating: 'rating.teen',
    warnings: ['no-archive-warnings-apply'],
    categories: ['f-m'],
    characters: ['Ilsa Varn', 'Corwin Adeyemi'],
    relationships: ['Ilsa/Corwin'],
    tags: ['Slow Burn', 'Engineering', 'Cold'],
    status: 'in-progress',
    summary: 'The heat exchangers freeze one by one, and the station engineer has seven winters of manuals and one stubborn pilot to get everyone through the night.',
    disclaimer: 'Starfall Station is the property of Lumen Pictures and the Northlight Network. No infringement intended.',
    chapters: chapters.map((c) => c._id),
    publishedAt: '2026-04-10T09:30:00Z',
    series: [{series: 'series.station-logs', position: 1}],
  }),
  story({
    id: 'quiet-orbit',
    title: 'Quiet Orbit',
    authors: ['author.tomas-ilves'],
    fandoms: ['fandom.starfall-station'],
    rating: 'rating.general',
    warnings: ['no-archive-warnings-apply'],
    characters: ['Corwin Adeyemi'],
    summary: 'After the long freeze, Corwin takes the shuttle out alone for one slow orbit, to remember what silence sounds like when nothing is breaking.',
    disclaimer: "Not mine: Starfall Station belongs to Lumen Pictures.",
    paragraphs: [
      'The shuttle drifted past the comms array with its engines cold, and for once Corwin let it.',
      'Below him the station turned, every window lit, warm again.',
    ],
    publishedAt: '2026-05-01T12:00:00Z',
    series: [{series: 'series.station-logs', position: 2}],
  }),
  story({
    id: 'ash-and-ember',
    title: 'Ash and Ember',
    authors: ['author.juniper-hale'],
    fandoms: ['fandom.crown-of-cinders'],
    rating: 'rating.mature',
    warnings: ['graphic-violence'],
    categories: ['gen'],
    characters: ['Queen Sabre', 'The Cinder Knight'],
    tags: ['Battle', 'Aftermath', 'Grief'],
    summary: 'The siege of Harrowgate is over, and the Cinder Knight walks the burned walls counting the names of those who did not come back.',
    disclaimer: 'Crown of Cinders and its characters belong to Emberforge Games. I own nothing but the plot.',
    paragraphs: [
      'Smoke still hung over the walls of Harrowgate when the Cinder Knight climbed them.',
      'There had been nine hundred defenders at dawn. She stopped counting the fallen at the gate, because the number would not stay still.',
      {sceneBreak: true},
      'The queen found her at sunset, sitting among the broken banners, and sat down beside her without a word.',
    ],
    publishedAt: '2026-06-15T20:00:00Z',
  }),
  story({
    id: 'crosswinds',
    title: 'Crosswinds',
    authors: ['author.wren-calloway', 'author.juniper-hale'],
    fandoms: ['fandom.saltmarsh-chronicles', 'fandom.starfall-station'],
    rating: 'rating.teen',
    warnings: ['no-archive-warnings-apply'],
    categories: ['gen', 'multi'],
    characters: ['Maud Pellow', 'Ilsa Varn'],
    tags: ['Crossover', 'Storms'],
    summary: 'A storm over the Saltmarsh coast throws a stranded station engineer onto the rocks below the lighthouse, and Maud has to decide whether to believe where she says she comes from.',
    disclaimer: 'The Saltmarsh Chronicles belong to Maren Holt; Starfall Station belongs to Lumen Pictures. Not my own, no profit made.',
    paragraphs: [
      'The storm came in sideways, the way the old keepers said only the worst ones did.',
      'At first Maud thought the light on the rocks was a ship. Then it spoke to her, in an accent from nowhere on any chart.',
    ],
    publishedAt: '2026-07-20T16:45:00Z',
  }),
  story({
    id: 'the-orchard-at-dusk',
    title: 'The Orchard at Dusk',
    authors: ['author.juniper-hale'],
    fandoms: ['fandom.original-work'],
    rating: 'rating.general',
    warnings: ['no-archive-warnings-apply'],
    tags: ['Original Fiction', 'Family', 'Autumn'],
    summary: 'Three sisters meet in their late grandmother’s orchard to decide what to do with the trees, and end up picking apples until it is too dark to argue.',
    paragraphs: [
      'The orchard had gone wild in the two years since the funeral, and the apples were small and fierce and sweet.',
      '“We should sell it,” said the eldest, with her mouth full.',
      'Nobody answered. There was still a whole row to pick.',
    ],
    publishedAt: '2026-08-05T07:15:00Z',
  }),
  story({
    id: 'untitled-work-in-progress',
    title: 'Untitled Work in Progress',
    authors: ['author.wren-calloway'],
    fandoms: ['fandom.crown-of-cinders'],
    rating: 'rating.teen',
    warnings: ['choose-not-to-use'],
    summary: 'I suck at summaries, just read it! R&R',
    paragraphs: ['It was a dark and stormy night in the Cinder Keep, and nobody could find the queen.'],
    draft: true,
  }),
]

/**
 * Everything a new archive starts with, in writing order: the standard ratings, the fandom
 * catalogue (rights holders, then fandoms), then the sample stories and what they reference.
 */
export function sampleDocuments(): SampleDocument[] {
  return [
    ...RATING_SEED.map((r) => ({...r}) as SampleDocument),
    ...catalogueDocuments(),
    ...rightsHolders,
    ...authors,
    ...fandoms,
    ...series,
    ...chapters,
    ...stories,
  ]
}
