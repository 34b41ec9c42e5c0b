import type {DocumentBadgeComponent} from 'sanity'
import {describe, expect, it} from 'vitest'
import {guardBadges} from '../../plugins/publishing-guard/badges'
import {READY_BADGE, selectBadge} from '../../plugins/publishing-guard/findings'
import {resolveGuardOptions} from '../../plugins/publishing-guard/options'
import type {Finding, FindingCode} from '../../rules'

const f = (code: FindingCode, level: Finding['level']): Finding => ({
  code,
  level,
  field: code.startsWith('summary') ? 'summary' : 'disclaimer',
  message: `${code} message`,
  hint: `${code} hint`,
})

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
    {
      name: 'a check raised to an error by the options',
      findings: [f('disclaimer.rights-holder-not-named', 'warning'), f('summary.markup', 'error')],
      label: 'Summary has markup',
      color: 'danger',
    },
  ]
  it.each(cases)('for $name says "$label" ($color)', ({findings, label, color}) => {
    expect(selectBadge(findings)).toMatchObject({label, color})
  })

  it('tells how many more problems hide behind the first', () => {
    expect(selectBadge([f('summary.missing', 'error'), f('disclaimer.missing', 'error')]).title).toBe('disclaimer.missing message (and 1 more)')
    expect(selectBadge([]).title).toBe(READY_BADGE.title)
  })
})

describe('the badges resolver', () => {
  const existing: DocumentBadgeComponent[] = [() => ({label: 'Live'})]
  const resolve = guardBadges(resolveGuardOptions())

  it('adds the guard badge after the others for stories', () => {
    const next = resolve(existing, {schemaType: 'story'})
    expect(next).toHaveLength(2)
    expect(next[0]).toBe(existing[0])
    expect(next[1].displayName).toBe('PublishingGuardBadge')
  })

  it.each(['author', 'fandom', 'chapter'])('returns prev itself for %s', (schemaType) => {
    expect(resolve(existing, {schemaType})).toBe(existing)
  })
})
