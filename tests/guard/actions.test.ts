import type {DocumentActionComponent, DocumentActionDescription} from 'sanity'
import {describe, expect, it} from 'vitest'
import {guardActions, guardedPublishDescription, type GuardedPublishState} from '../../plugins/publishing-guard/actions'
import {resolveGuardOptions} from '../../plugins/publishing-guard/options'
import {checkStory, type Finding} from '../../rules'

function action(name: string | undefined, label: string): DocumentActionComponent {
  const component: DocumentActionComponent = () => ({label})
  if (name) component.action = name as DocumentActionComponent['action']
  return component
}

const prev = [action('publish', 'Publish'), action('unpublish', 'Unpublish'), action('delete', 'Delete'), action(undefined, 'Custom')]

describe('the document actions resolver', () => {
  const resolve = guardActions(resolveGuardOptions())

  it.each(['author', 'fandom', 'rating', 'series'])('returns prev itself for %s', (schemaType) => {
    expect(resolve(prev, {schemaType})).toBe(prev)
  })

  it.each([
    ['story', 'GuardedPublishAction'],
    // A chapter's Publish runs no checks; it stores the chapter's word count first.
    ['chapter', 'GuardedChapterPublishAction'],
  ])('replaces only Publish for %s, keeping its place and action key', (schemaType, displayName) => {
    const next = resolve(prev, {schemaType})
    expect(next).toHaveLength(prev.length)
    expect(next[0]).not.toBe(prev[0])
    expect(next[0].action).toBe('publish')
    expect(next[0].displayName).toBe(displayName)
    expect(next.slice(1)).toEqual(prev.slice(1))
    next.slice(1).forEach((entry, index) => expect(entry).toBe(prev[index + 1]))
  })

  it.each(['story', 'chapter'])('gives the same wrapper each time for %s, so React keeps the action state', (schemaType) => {
    expect(resolve(prev, {schemaType})[0]).toBe(resolve([...prev], {schemaType})[0])
  })

  it('leaves chapters alone when no chapter types are configured', () => {
    expect(guardActions(resolveGuardOptions({chapterTypes: []}))(prev, {schemaType: 'chapter'})).toBe(prev)
  })

  it('guards the types named in the options', () => {
    const custom = guardActions(resolveGuardOptions({schemaTypes: ['chapter']}))
    expect(custom(prev, {schemaType: 'story'})).toBe(prev)
    expect(custom(prev, {schemaType: 'chapter'})[0]).not.toBe(prev[0])
  })
})

const builtIn: DocumentActionDescription = {label: 'Publish', title: '', disabled: false, onHandle: () => undefined}
const calls: string[] = []
const state = (over: Partial<GuardedPublishState>): GuardedPublishState => ({
  result: builtIn,
  hasCandidate: true,
  findings: [],
  confirming: false,
  preparing: false,
  publish: () => calls.push('publish'),
  confirm: () => calls.push('confirm'),
  cancel: () => calls.push('cancel'),
  ...over,
})

const good = {
  disclaimer: 'The Saltmarsh Chronicles belong to Maren Holt. I own nothing.',
  summary: 'Maud reads the keeper’s ledger in a single evening and finally understands the light.',
}
const saltmarsh = [{title: 'The Saltmarsh Chronicles', rightsHolders: ['Maren Holt']}]
const findingsFor = (story: Record<string, unknown>): Finding[] => checkStory({...good, ...story}, saltmarsh)

describe('what the guarded Publish shows', () => {
  it('is disabled and lists every error when errors are left', () => {
    const findings = findingsFor({disclaimer: '', summary: 'Summary: Maud reads the ledger in one evening and understands.'})
    expect(findings.filter((f) => f.level === 'error').length).toBeGreaterThanOrEqual(2)
    const shown = guardedPublishDescription(state({findings}))!
    expect(shown.disabled).toBe(true)
    expect(shown.onHandle).toBeUndefined()
    for (const error of findings.filter((f) => f.level === 'error')) expect(String(shown.title)).toContain(error.message)
  })

  it('asks first when only warnings are left, then publishes from the dialog', () => {
    const findings = findingsFor({summary: 'I suck at summaries, just read it! R&R please'})
    expect(findings.map((f) => f.level)).toEqual(['warning'])
    calls.length = 0
    const closed = guardedPublishDescription(state({findings}))!
    expect(closed.disabled).toBeFalsy()
    expect(closed.dialog).toBeFalsy()
    closed.onHandle!()
    expect(calls).toEqual(['confirm'])

    const open = guardedPublishDescription(state({findings, confirming: true}))!
    expect(open.dialog).toMatchObject({type: 'dialog', header: 'Publish with warnings?'})
  })

  it('publishes straight away when every check passes', () => {
    calls.length = 0
    const shown = guardedPublishDescription(state({findings: findingsFor({})}))!
    expect(shown.disabled).toBeFalsy()
    shown.onHandle!()
    expect(calls).toEqual(['publish'])
  })

  it('waits for the checks before allowing Publish', () => {
    expect(guardedPublishDescription(state({findings: null}))).toMatchObject({disabled: true, title: 'Running publishing checks…'})
  })

  it('shows progress while the word count is prepared', () => {
    expect(guardedPublishDescription(state({preparing: true}))).toMatchObject({disabled: true, label: 'Publishing…'})
  })

  it('keeps the built-in answer when there is nothing to publish or Publish is off for another reason', () => {
    const alreadyPublished = {...builtIn, disabled: true, title: 'Already published'}
    expect(guardedPublishDescription(state({result: alreadyPublished, hasCandidate: false}))).toBe(alreadyPublished)
    expect(guardedPublishDescription(state({result: alreadyPublished, findings: findingsFor({})}))).toBe(alreadyPublished)
    expect(guardedPublishDescription(state({result: null}))).toBeNull()
  })
})
