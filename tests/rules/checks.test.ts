import {describe, expect, it} from 'vitest'
import {
  checkDisclaimer,
  checkStory,
  checkSummary,
  DEFAULT_CHECK_OPTIONS,
  FINDING_CODES,
  FINDING_TITLES,
  type FandomForChecks,
  type FindingCode,
  hasErrors,
  resolveCheckOptions,
  type StoryForChecks,
} from '../../rules'
import {
  BUFFY,
  CRITICAL_ROLE,
  HP,
  LOTR,
  MCU,
  NARUTO,
  ORIGINAL,
  ORIGINAL_2,
  para,
  POKEMON,
  SAILOR_MOON,
  SHERLOCK,
  STAR_TREK,
} from './fixtures'

const codes = (findings: {code: FindingCode}[]) => findings.map((f) => f.code).sort()

const NO_OWN: FindingCode = 'disclaimer.no-ownership-disclaimed'
const UNNAMED: FindingCode = 'disclaimer.rights-holder-not-named'
const D_PLACEHOLDER: FindingCode = 'disclaimer.placeholder'
const D_MISSING: FindingCode = 'disclaimer.missing'
const ONLY_FANDOM: FindingCode = 'disclaimer.only-fandom-named'

const disclaimerCases: [string, string | null | undefined, FandomForChecks[], FindingCode[]][] = [
  ['plain ownership + rights holder', "I don't own Harry Potter, it belongs to J.K. Rowling.", [HP], []],
  ['lower case, no apostrophe, "JK"', 'i dont own harry potter. jk rowling does', [HP], []],
  ['"property of" + spaced initials', 'Harry Potter and all related characters are property of J. K. Rowling and Warner Bros.', [HP], []],
  ['possessive of the full name', "J.K. Rowling's characters, not mine.", [HP], []],
  ['surname only, no disclaiming phrase', "Rowling's world, I'm just playing in it.", [HP], [NO_OWN, UNNAMED]],
  ['disclaims but names nobody', 'Not mine. Never will be.', [HP], [UNNAMED]],
  ['header label left in', 'Disclaimer: I own nothing. Harry Potter belongs to JK Rowling.', [HP], [D_PLACEHOLDER]],
  ['label residue mid-text with dash', "I do not own Naruto. DISCLAIMER - seriously, I don't.", [NARUTO], [D_PLACEHOLDER, ONLY_FANDOM]],
  ['insert-here placeholder', 'insert disclaimer here', [HP], [D_PLACEHOLDER]],
  ['bracketed placeholder', '[Disclaimer]', [HP], [D_PLACEHOLDER]],
  ['TBD', 'TBD', [HP], [D_PLACEHOLDER]],
  ['lorem ipsum', 'Lorem ipsum dolor sit amet.', [HP], [D_PLACEHOLDER]],
  ['goes-here placeholder', 'Disclaimer goes here!!', [BUFFY], [D_PLACEHOLDER]],
  ['empty', '', [HP], [D_MISSING]],
  ['whitespace only, original work', '   \n ', [ORIGINAL], []],
  ['null, zero fandoms', null, [], [D_MISSING]],
  ['undefined, fan fiction', undefined, [BUFFY], [D_MISSING]],
  ['original work, no disclaiming needed', 'This is my own story.', [ORIGINAL], []],
  ['original work, "written for fun"', 'Written for fun.', [ORIGINAL, ORIGINAL_2], []],
  ['original work with label residue', 'Disclaimer: this is original fiction.', [ORIGINAL], [D_PLACEHOLDER]],
  ['money only is not a disclaimer', "I'm not making any money from this.", [HP], [NO_OWN, UNNAMED]],
  ['money plus ownership', 'No money is being made. Harry Potter belongs to J.K. Rowling.', [HP], []],
  ['crossover, only one fandom named', "Harry Potter belongs to JK Rowling; I don't own anything.", [HP, BUFFY], [UNNAMED]],
  [
    'crossover, both named',
    'Neither Harry Potter nor Buffy is mine; they belong to J.K. Rowling and Joss Whedon/Mutant Enemy respectively.',
    [HP, BUFFY],
    [],
  ],
  ['crossover, neither named', 'Standard disclaimers apply.', [HP, BUFFY], [UNNAMED, UNNAMED]],
  ['alias + "&" rights holders', 'BtVS belongs to Mutant Enemy & 20th Century Fox. No infringement intended!', [BUFFY], []],
  ['"and" in text vs "&" in rights holder', 'Sherlock is the property of Steven Moffat and Mark Gatiss.', [SHERLOCK], []],
  ['corporate suffix "Co., Ltd." dropped', 'Sailor Moon © Naoko Takeuchi / Toei Animation. No copyright infringement intended.', [SAILOR_MOON], []],
  ['accents and leading "The"', 'Pokemon is owned by Nintendo, Game Freak and The Pokemon Company.', [POKEMON], []],
  ['"Studios, Inc." vs "Studios Inc."', 'The characters are the property of CBS Studios, Inc. and Paramount Pictures.', [STAR_TREK], []],
  ['standard disclaimers, names nobody', 'Standard disclaimers apply.', [NARUTO], [UNNAMED]],
  ['the title alone is not an owner', 'Standard disclaimers apply. Naruto © Kishimoto Masashi.', [NARUTO], [ONLY_FANDOM]],
  ['claims ownership', 'I own this story and its characters. Naruto fans enjoy!', [NARUTO], [NO_OWN, ONLY_FANDOM]],
  ['"make no claim"', 'The Lord of the Rings belongs to the Tolkien Estate. I make no claim to it.', [LOTR], []],
  ['J.R.R. initials', 'Middle-earth and its peoples belong to J.R.R. Tolkien; this is a work of fan fiction.', [LOTR], []],
  ['rights holder with leading "The"', 'Marvel characters belong to Marvel Studios and Disney.', [MCU], []],
  ['curly apostrophes, vague owner', 'Don’t own it, don’t sue me! Everything belongs to Marvel.', [MCU], [UNNAMED]],
  ['fandom with no known rights holders asks an editor', 'These characters aren’t mine — they’re Critical Role’s.', [CRITICAL_ROLE], ['disclaimer.rights-holders-unknown']],
  ['mixed original + fan fiction, alias', 'HP belongs to JKR.', [HP, ORIGINAL], []],
  ['mixed original + fan fiction, missing', '', [HP, ORIGINAL], [D_MISSING]],
  ['all original, missing is fine', null, [ORIGINAL, ORIGINAL_2], []],
  ['no fandoms yet, disclaims', 'I do not own anything.', [], []],
  ['"all rights reserved to"', 'All rights reserved to Shueisha and Masashi Kishimoto.', [NARUTO], []],
  ['bare surname rights holder, possessive in text', "Everything here is Rowling's; I own nothing.", [{title: 'Fantastic Beasts', rightsHolders: ['Rowling']}], []],
  ['"xxx" sign-off is not a placeholder', "Not mine, it's all J.K. Rowling's. Enjoy! xxx", [HP], []],
  ['"if I owned"', 'If I owned Harry Potter, Snape would have lived. Sadly J.K. Rowling does.', [HP], []],
]

describe('checkDisclaimer', () => {
  it.each(disclaimerCases)('%s', (_name, disclaimer, fandoms, expected) => {
    expect(codes(checkDisclaimer(disclaimer, fandoms))).toEqual([...expected].sort())
  })

  it('names the fandom and its known owners in the rights-holder message', () => {
    const [f] = checkDisclaimer("I don't own anything.", [BUFFY])
    expect(f.code).toBe(UNNAMED)
    expect(f.level).toBe('warning')
    expect(f.message).toContain('Buffy the Vampire Slayer')
    for (const name of ['Joss Whedon', 'Mutant Enemy', '20th Century Fox']) expect(f.message).toContain(name)
    expect(f.message).not.toContain('BtVS')
  })

  it('explains that "no money is made" is not enough', () => {
    const f = checkDisclaimer('No money is being made from this.', [HP]).find((x) => x.code === NO_OWN)
    expect(f?.message).toMatch(/no money/i)
  })

  it('shows the label-free text in the hint for label residue', () => {
    const [f] = checkDisclaimer('Disclaimer: I own nothing. Harry Potter belongs to JK Rowling.', [HP])
    expect(f.hint).toContain('"I own nothing. Harry Potter belongs to JK Rowling."')
  })

  it('tolerates null fields as GROQ returns them', () => {
    const fromGroq = {title: null, aliases: null, rightsHolders: ['Mutant Enemy', null], isOriginalWork: null} as unknown as FandomForChecks
    expect(codes(checkDisclaimer('Not mine; it belongs to Mutant Enemy.', [fromGroq]))).toEqual([])
    const [f] = checkDisclaimer('Not mine.', [fromGroq])
    expect(f.message).toContain('this fandom')
    expect(f.message).toContain('(Mutant Enemy)')
  })

  it('tolerates garbage fandom lists', () => {
    expect(codes(checkDisclaimer('Not mine.', null))).toEqual([])
    expect(codes(checkDisclaimer('Not mine.', [null as unknown as FandomForChecks, HP]))).toEqual([UNNAMED])
  })
})

const LONG = 'Ilsa and Corwin sail north to find the drowned city, and find each other instead. '
const OPENING = 'The rain had not stopped for three days when Ilsa found the letter under the door.'
const body = [para(OPENING), para('She did not open it until the kettle boiled.')]

const summaryCases: [string, string | null | undefined, StoryForChecks, FindingCode[]][] = [
  ['a real summary', 'Harry finds a mysterious diary in the Room of Requirement and starts writing back.', {}, []],
  ['empty', '', {}, ['summary.missing']],
  ['null', null, {}, ['summary.missing']],
  ['whitespace', ' \n\t ', {}, ['summary.missing']],
  ['"Summary:" label', 'Summary: Harry finds a diary and writes back to it.', {}, ['summary.header-label']],
  ['misspelt label with dash', 'summery - Ilsa and Corwin go to the sea and fight about it.', {}, ['summary.header-label']],
  ['upper-case "SYNOPSIS:"', 'SYNOPSIS: Ilsa and Corwin go to the sea and fight about it.', {}, ['summary.header-label']],
  ['decorated label', '**Description:** Ilsa and Corwin go to the sea and fight about it.', {}, ['summary.header-label']],
  ['label on its own line', 'Summary:\nIlsa and Corwin go to the sea and fight about it.', {}, ['summary.header-label']],
  ['other labels are not summary labels', 'Rating: T. Ilsa and Corwin go to the sea and fight about it.', {}, []],
  ['"I suck at summaries"', 'I suck at summaries. Just read it, please!', {}, ['summary.apology']],
  ['"R&R"', 'Harry and Draco are stuck together. R&R please!', {}, ['summary.apology']],
  ['"R&D" is not "R&R"', 'The R&D department of Stark Industries has a new intern.', {}, []],
  ['"RnR"', 'RnR! Ilsa has one week to save the city from the flood.', {}, ['summary.apology']],
  ['"better than it sounds"', 'Better than it sounds, I promise. Corwin gets lost.', {}, ['summary.apology']],
  ['"first fic, be nice"', 'First fic, be nice!! Ilsa meets Corwin at the market.', {}, ['summary.apology']],
  ['curly "I’m bad at summaries"', 'I’m bad at summaries… Ilsa meets Corwin at the market.', {}, ['summary.apology']],
  ['"just read" inside a sentence is fine', 'Ilsa had just read the letter when the storm broke over the harbour.', {}, []],
  ['"summary inside" is also short', 'Summary inside.', {}, ['summary.apology', 'summary.too-short']],
  ['"just read it" is also short', 'Just read it.', {}, ['summary.apology', 'summary.too-short']],
  ['too short', 'Short one.', {}, ['summary.too-short']],
  ['exactly the minimum', 'Ilsa meets Corwin!!!', {}, []],
  ['too long', LONG.repeat(16), {}, ['summary.too-long']],
  ['exactly the maximum', 'a'.repeat(625) + ' ' + 'b'.repeat(624), {}, []],
  ['all caps shouting', 'HARRY FINDS OUT THE TRUTH ABOUT HIS PARENTS AND NOTHING IS THE SAME!!!', {}, ['summary.all-caps']],
  ['acronyms are not shouting', 'Harry finds out the truth about the DADA post and NEWTs.', {}, []],
  ['short caps below the letter floor', 'OMG!!! WTF?!?! NO WAY!!!', {}, []],
  ['HTML tag', '<b>Harry</b> finds a diary and writes back to it.', {}, ['summary.markup']],
  ['HTML entity', 'Harry finds a diary&nbsp;and writes back to it.', {}, ['summary.markup']],
  ['line break tag', 'Harry finds a diary.<br/>He writes back to it.', {}, ['summary.markup']],
  ['BBCode', '[i]Harry[/i] finds a diary and writes back to it.', {}, ['summary.markup']],
  ['BBCode url', 'Sequel to [url=http://example.org]Tides[/url]: Ilsa returns.', {}, ['summary.markup']],
  ['a heart is not a tag', 'Ilsa <3 Corwin forever: two sailors and a storm.', {}, []],
  ['repeats the opening exactly', OPENING, {body}, ['summary.repeats-opening']],
  ['repeats the opening, different case/punctuation', 'the rain had not stopped for three days... when Ilsa found the letter', {body}, ['summary.repeats-opening']],
  ['repeats the opening, cut off mid-word with an ellipsis', 'The rain had not stopped for three days when Ilsa fo...', {body}, ['summary.repeats-opening']],
  ['repeats the opening, cut off mid-word with …', 'The rain had not stopped for three days when Ilsa fo…', {body}, ['summary.repeats-opening']],
  ['ends on a word the opening only starts with', 'The rain had not stopped for three days when Ilsa fo', {body}, []],
  ['"go to war" is not the start of "go to Warsaw"', 'Ilsa and Corwin go to war', {openingText: 'Ilsa and Corwin go to Warsaw in the spring.'}, []],
  ['repeats the first chapter opening', OPENING, {openingText: OPENING + ' More.'}, ['summary.repeats-opening']],
  ['different from the opening', 'Ilsa finds a letter and has to decide whether to open it.', {body}, []],
  ['Japanese summary', 'イルサとコーウィンは海へ行き、嵐の中で互いを見つける物語です。', {}, []],
  ['emoji count as one character each', '🌊'.repeat(15), {}, ['summary.too-short']],
  ['several problems at once', 'SUMMARY: I SUCK AT SUMMARIES, R&R!!', {}, ['summary.all-caps', 'summary.header-label', 'summary.apology']],
]

describe('checkSummary', () => {
  it.each(summaryCases)('%s', (_name, summary, story, expected) => {
    expect(codes(checkSummary(summary, story))).toEqual([...expected].sort())
  })

  it('gives the numbers for a long summary', () => {
    const summary = 'a'.repeat(1312)
    const [f] = checkSummary(summary, {})
    expect(f.message).toContain('1,312 characters; the limit is 1,250: cut 62')
  })

  it('gives the numbers for a short summary', () => {
    const [f] = checkSummary('Too short.', {})
    expect(f.message).toContain('10 characters; the minimum is 20: add 10')
  })

  it('shows the summary without its label in the hint', () => {
    const f = checkSummary('Summery - Ilsa and Corwin go to the sea and fight about it.', {}).find((x) => x.code === 'summary.header-label')
    expect(f?.hint).toContain('"Ilsa and Corwin go to the sea and fight about it."')
    expect(f?.message).toContain('Summery')
  })

  it('only reads the opening of a huge body', () => {
    let reads = 0
    const blocks = Array.from({length: 20_000}, (_, i) => para(`Paragraph ${i} of the endless story goes on and on.`))
    const counted = new Proxy(blocks, {
      get(target, prop, receiver) {
        if (typeof prop === 'string' && /^\d+$/.test(prop)) reads++
        return Reflect.get(target, prop, receiver)
      },
    })
    checkStory({summary: 'Paragraph 0 of the endless story goes on and on.', disclaimer: 'Not mine.', body: counted}, [ORIGINAL])
    expect(reads).toBeGreaterThan(0)
    expect(reads).toBeLessThan(20)
  })
})

describe('options', () => {
  const story: StoryForChecks = {disclaimer: 'Standard disclaimers apply.', summary: 'Plot bunny attacked me at 3am, sorry.'}

  it('defaults', () => {
    expect(resolveCheckOptions()).toEqual({summaryMinLength: 20, summaryMaxLength: 1250, extraPlaceholderPhrases: [], levels: {}})
    expect(resolveCheckOptions({summaryMaxLength: 300}).summaryMinLength).toBe(DEFAULT_CHECK_OPTIONS.summaryMinLength)
  })

  it('caches the resolved options per options object', () => {
    const partial = {summaryMinLength: 5}
    expect(resolveCheckOptions(partial)).toBe(resolveCheckOptions(partial))
  })

  it('levels can raise a warning to an error', () => {
    const findings = checkStory(story, [NARUTO], {levels: {'disclaimer.rights-holder-not-named': 'error'}})
    expect(findings.find((f) => f.code === UNNAMED)?.level).toBe('error')
    expect(hasErrors(findings)).toBe(true)
    expect(hasErrors(checkStory(story, [NARUTO]))).toBe(false)
  })

  it('levels can turn a check off or lower an error', () => {
    const shouting = {summary: 'ILSA AND CORWIN GO TO SEA', disclaimer: ''}
    const findings = checkStory(shouting, [NARUTO], {levels: {'summary.all-caps': 'off', 'disclaimer.missing': 'warning'}})
    expect(findings.map((f) => [f.code, f.level])).toEqual([['disclaimer.missing', 'warning']])
  })

  it('turning placeholder findings off lets the other checks judge the text', () => {
    expect(codes(checkDisclaimer('TBD', [HP]))).toEqual([D_PLACEHOLDER])
    expect(codes(checkDisclaimer('TBD', [HP], {levels: {'disclaimer.placeholder': 'off'}}))).toEqual([NO_OWN, UNNAMED])
  })

  it('the defaults cannot be changed by accident', () => {
    expect(() => (resolveCheckOptions().extraPlaceholderPhrases as string[]).push('x')).toThrow()
    expect(resolveCheckOptions().extraPlaceholderPhrases).toEqual([])
  })

  it('extra placeholder phrases', () => {
    expect(codes(checkSummary(story.summary, {}))).toEqual([])
    expect(codes(checkSummary(story.summary, {}, {extraPlaceholderPhrases: ['plot bunny attacked']}))).toEqual(['summary.placeholder'])
  })

  it('summary length limits', () => {
    const summary = 'Ilsa meets Corwin at the market.'
    expect(codes(checkSummary(summary, {}, {summaryMinLength: 50}))).toEqual(['summary.too-short'])
    expect(codes(checkSummary(summary, {}, {summaryMaxLength: 10}))).toEqual(['summary.too-long'])
  })
})

describe('checkStory', () => {
  it('runs both fields, disclaimer first', () => {
    const findings = checkStory({disclaimer: '', summary: ''}, [HP])
    expect(findings.map((f) => [f.field, f.code, f.level])).toEqual([
      ['disclaimer', 'disclaimer.missing', 'error'],
      ['summary', 'summary.missing', 'error'],
    ])
    expect(hasErrors(findings)).toBe(true)
  })

  it('a clean story has no findings', () => {
    const clean = {
      disclaimer: 'Harry Potter belongs to J.K. Rowling; no infringement intended.',
      summary: 'Snape survives the war and opens a very bad-tempered apothecary.',
      body: [para('Severus Snape woke up in St Mungo’s.')],
    }
    expect(checkStory(clean, [HP])).toEqual([])
    expect(hasErrors([])).toBe(false)
  })

  it('tolerates a missing story', () => {
    expect(codes(checkStory(null, []))).toEqual(['disclaimer.missing', 'summary.missing'])
  })

  it('every code has a badge title', () => {
    expect(Object.keys(FINDING_TITLES).sort()).toEqual([...FINDING_CODES].sort())
    expect(FINDING_TITLES['disclaimer.no-ownership-disclaimed']).toBe("Disclaimer doesn't disclaim")
    expect(FINDING_TITLES['summary.repeats-opening']).toBe('Summary repeats opening')
  })
})
