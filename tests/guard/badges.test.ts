import {describe, expect, it} from 'vitest'
import {guardFindings, READY_BADGE, selectBadge} from '../../plugins/publishing-guard/findings'
import {resolveGuardOptions} from '../../plugins/publishing-guard/options'
import type {Finding} from '../../rules'
import {finding} from './finding'

const f = finding

describe('the badge', () => {
  const cases: Array<{name: string; findings: Finding[]; label: string; color: string}> = [
    {name: 'no findings', findings: [], label: 'Ready to publish', color: 'success'},
    {name: 'one warning', findings: [f('summary.placeholder', 'warning')], label: 'Summary is a placeholder', color: 'warning'},
    {
      name: 'an error after a warning',
      findings: [f('summary.all-caps', 'warning'), f('summary.too-long', 'error')],
      label: 'Summary too long',
      color: 'danger',
    },
    {
      name: 'two errors: the first in rule order wins',
      findings: [f('summary.missing', 'error'), f('disclaimer.missing', 'error')],
      label: 'Needs disclaimer',
      color: 'danger',
    },
  ]
  it.each(cases)('for $name says "$label" ($color)', ({findings, label, color}) => {
    expect(selectBadge(findings)).toMatchObject({label, color})
  })

  // The real checks on a story whose only problem is a summary in capitals (a warning by default).
  const shouting = {
    disclaimer: 'The Saltmarsh Chronicles belong to Maren Holt. I own nothing.',
    summary: 'MAUD READS THE KEEPER’S LEDGER IN ONE EVENING AND UNDERSTANDS THE LIGHT.',
  }
  const context = {fandoms: [{_id: 'f.salt', title: 'The Saltmarsh Chronicles', rightsHolders: ['Maren Holt']}]}
  it.each([
    ['the default level', {}, 'warning'],
    ['a check raised to an error by the options', {levels: {'summary.all-caps': 'error'}} as const, 'danger'],
  ])('for %s, runs the checks with the options', (_name, options, color) => {
    const findings = guardFindings(shouting, context, resolveGuardOptions(options))
    expect(selectBadge(findings)).toMatchObject({label: 'Summary in all caps', color})
  })

  it('is "Ready to publish" when a check is switched off by the options', () => {
    const findings = guardFindings(shouting, context, resolveGuardOptions({levels: {'summary.all-caps': 'off'}}))
    expect(selectBadge(findings)).toEqual(READY_BADGE)
  })

  it('tells how many more problems hide behind the first', () => {
    expect(selectBadge([f('summary.missing', 'error'), f('disclaimer.missing', 'error')]).title).toBe('disclaimer.missing message (and 1 more)')
    expect(selectBadge([]).title).toBe(READY_BADGE.title)
  })
})

// The resolver, with the badge rendered: badgeRender.test.tsx.
