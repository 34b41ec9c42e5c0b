import {describe, expect, it} from 'vitest'
import {
  checklist,
  groupByCode,
  guardFindings,
  publishBlockedReason,
  sortFindings,
} from '../../plugins/publishing-guard/findings'
import {resolveGuardOptions} from '../../plugins/publishing-guard/options'
import {FINDING_CODES, FINDING_TITLES} from '../../rules'
import {finding} from './finding'

const f = finding

describe('ordering and wording', () => {
  it('puts errors first, then rule order', () => {
    const sorted = sortFindings([f('summary.markup', 'warning'), f('summary.too-short', 'error'), f('disclaimer.placeholder', 'error')])
    expect(sorted.map((x) => x.code)).toEqual(['disclaimer.placeholder', 'summary.too-short', 'summary.markup'])
  })

  it('explains a blocked Publish with every error and no warnings', () => {
    const reason = publishBlockedReason([f('summary.markup', 'warning'), f('disclaimer.missing', 'error'), f('summary.too-long', 'error')])
    expect(reason).toBe('Cannot publish: disclaimer.missing message summary.too-long message')
    expect(publishBlockedReason([f('summary.markup', 'warning')])).toBeNull()
  })
})

describe('the checklist', () => {
  it('has a row for every check the rules know, failing rows carrying their findings', () => {
    const rows = checklist([f('summary.too-long', 'error')], resolveGuardOptions())
    expect(rows.map((row) => row.code)).toEqual([...FINDING_CODES])
    expect(rows.map((row) => row.title)).toEqual(FINDING_CODES.map((code) => FINDING_TITLES[code]))
    expect(rows.filter((row) => !row.passed).map((row) => row.code)).toEqual(['summary.too-long'])
    expect(rows.find((row) => row.code === 'summary.too-long')!.findings).toHaveLength(1)
  })

  it('marks the checks switched off in the options', () => {
    const rows = checklist([], resolveGuardOptions({levels: {'summary.all-caps': 'off'}}))
    expect(rows.filter((row) => row.off).map((row) => row.code)).toEqual(['summary.all-caps'])
  })
})

describe('running the rules on a Studio document', () => {
  const options = resolveGuardOptions()
  it('reads only strings, so odd field values do not throw', () => {
    const findings = guardFindings({disclaimer: 42, summary: ['not', 'text']}, {fandoms: []}, options)
    expect(findings.map((x) => x.code).sort()).toEqual(['disclaimer.missing', 'summary.missing'])
    expect(guardFindings(null, {fandoms: []}, options).map((x) => x.code).sort()).toEqual(['disclaimer.missing', 'summary.missing'])
  })

  it('uses the first chapter for a work in chapters', () => {
    const opening = [{_type: 'block', _key: 'a', children: [{_type: 'span', _key: 's', text: 'The frost reached the deck by morning, and the children drew on the windows.'}]}]
    const doc = {
      disclaimer: 'Original.',
      summary: 'The frost reached the deck by morning, and the children drew on the windows.',
      chapters: [{_ref: 'ch1'}],
    }
    const withOpening = guardFindings(doc, {fandoms: [{_id: 'o', isOriginalWork: true}], chapterOpening: opening}, options)
    const without = guardFindings(doc, {fandoms: [{_id: 'o', isOriginalWork: true}]}, options)
    expect(withOpening.map((x) => x.code)).toContain('summary.repeats-opening')
    expect(without.map((x) => x.code)).not.toContain('summary.repeats-opening')
  })
})

describe('one computation per keystroke', () => {
  const fandoms = [{_id: 'f.salt', title: 'The Saltmarsh Chronicles', rightsHolders: ['Maren Holt']}]
  const body = [{_type: 'block', _key: 'a', children: [{_type: 'span', _key: 's', text: 'Maud climbed the lighthouse stairs.'}]}]
  const doc = {
    _id: 'drafts.story.memo',
    disclaimer: 'The Saltmarsh Chronicles belong to Maren Holt. I own nothing.',
    summary: 'Maud reads the keeper’s ledger in one evening and understands the light.',
    body,
  }
  // The plugin and guardValidation(...) each resolve their own, equal, options.
  const pluginOptions = resolveGuardOptions({summaryMaxLength: 900})
  const validationOptions = resolveGuardOptions({summaryMaxLength: 900})

  it('gives the validators, action, badge and checklist one shared result for the same inputs', () => {
    const first = guardFindings(doc, {fandoms, chapterOpening: null}, validationOptions)
    // Each caller holds its own document copy, context object and (other client) fandom rows.
    for (let i = 0; i < 6; i++) {
      const sameFandoms = i % 3 ? fandoms : fandoms.map((f) => ({...f}))
      expect(guardFindings({...doc}, {fandoms: sameFandoms, chapterOpening: null}, i % 2 ? pluginOptions : validationOptions)).toBe(first)
    }
  })

  it.each([
    ['a keystroke in the summary', {...doc, summary: `${doc.summary.toUpperCase()}!`}, fandoms, pluginOptions, ['summary.all-caps']],
    ['a changed disclaimer', {...doc, disclaimer: ''}, fandoms, pluginOptions, ['disclaimer.missing']],
    ['a changed body', {...doc, body: [{...body[0]}], summary: 'Maud climbed the lighthouse stairs. And more.'}, fandoms, pluginOptions, []],
    ['reloaded fandoms', doc, [{_id: 'f.salt', title: 'Glasshouse', rightsHolders: ['Prism Studios']}], pluginOptions, ['disclaimer.rights-holder-not-named']],
    ['other options', {...doc, summary: 'x'.repeat(950)}, fandoms, resolveGuardOptions({summaryMaxLength: 1000}), []],
    ['the same text under other options', {...doc, summary: 'x'.repeat(950)}, fandoms, pluginOptions, ['summary.too-long']],
  ])('computes afresh after %s', (_name, changed, changedFandoms, options, codes) => {
    const before = guardFindings(doc, {fandoms}, pluginOptions)
    const after = guardFindings(changed, {fandoms: changedFandoms}, options)
    expect(after).not.toBe(before)
    expect(after.map((x) => x.code)).toEqual(codes)
  })
})

describe('grouping drafts for "Needs attention"', () => {
  it('lists each failing draft under each of its codes, codes in rule order', () => {
    const groups = groupByCode([
      {id: 'a', findings: [f('summary.placeholder', 'warning'), f('disclaimer.missing', 'error')]},
      {id: 'b', findings: []},
      {id: 'c', findings: [f('disclaimer.missing', 'error'), f('disclaimer.missing', 'error')]},
    ])
    expect(groups).toEqual([
      {code: 'disclaimer.missing', title: 'Needs disclaimer', ids: ['a', 'c']},
      {code: 'summary.placeholder', title: 'Summary is a placeholder', ids: ['a']},
    ])
  })
})
