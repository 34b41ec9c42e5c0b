import {describe, expect, it} from 'vitest'
import {
  DEFAULT_TIMINGS,
  holdsFields,
  nextPublishStep,
  stepAfterCheck,
  type PublishFlowPhase,
  type PublishFlowView,
  type PublishingPhase,
} from '../../plugins/publishing-guard/publishFlow'

const T0 = 1_000_000
const SET = {wordCount: 25, updatedAt: '2026-11-24T23:00:00.000Z', publishedAt: '2026-11-24T23:00:00.000Z'}
const saving: PublishFlowPhase = {name: 'saving', set: SET, baseRev: 'rev-typed', publishedRev: undefined, since: T0}
const publishing: PublishingPhase = {
  name: 'publishing',
  draftRev: 'rev-saved',
  publishedRev: undefined,
  attempt: 1,
  since: T0,
  checking: false,
  accepted: false,
}

const view = (over: Partial<PublishFlowView>): PublishFlowView => ({
  now: T0 + 100,
  isSyncing: false,
  draft: {_rev: 'rev-saved', ...SET},
  publishedRev: undefined,
  publishDisabled: false,
  publishResult: undefined,
  ...over,
})

describe('holdsFields', () => {
  it.each([
    [{wordCount: 25, title: 'x'}, {wordCount: 25}, true],
    [{wordCount: 24}, {wordCount: 25}, false],
    [{}, {wordCount: 25}, false],
    [null, {wordCount: 25}, false],
    [{wordCount: 0}, {}, true],
  ])('%j holds %j: %s', (draft, set, expected) => {
    expect(holdsFields(draft, set)).toBe(expected)
  })
})

describe('saving the guard fields before publishing', () => {
  it.each<[string, Partial<PublishFlowView>, string]>([
    // The store shows the values at once (optimistically); the revision changes only once
    // the lake has them and the listener brought them back.
    ['values shown but not yet saved (same revision)', {draft: {_rev: 'rev-typed', ...SET}}, 'wait'],
    ['saved revision but the store still has edits to send', {isSyncing: true}, 'wait'],
    ['a new revision without the values (someone else saved)', {draft: {_rev: 'rev-other', wordCount: 3}}, 'wait'],
    ['saved: new revision holding the values, nothing in flight', {}, 'publish'],
    ['published by someone else meanwhile', {publishedRev: 'rev-pub'}, 'fail'],
    ['draft gone', {draft: null}, 'fail'],
    ['saved but Publish is unavailable for now', {publishDisabled: 'NOT_READY'}, 'wait'],
    ['saved but Publish still unavailable at the deadline', {publishDisabled: 'NOT_READY', now: T0 + DEFAULT_TIMINGS.saveTimeoutMs}, 'fail'],
    ['not saved within the time limit', {now: T0 + DEFAULT_TIMINGS.saveTimeoutMs, isSyncing: true}, 'fail'],
  ])('%s → %s', (_name, over, expected) => {
    expect(nextPublishStep(saving, view(over)).do).toBe(expected)
  })

  it('publishes the saved revision, remembering the published revision it started from', () => {
    const step = nextPublishStep(saving, view({now: T0 + 500}))
    expect(step).toEqual({do: 'publish', phase: {...publishing, since: T0 + 500}})
  })

  it('waits until the save deadline when nothing changes', () => {
    expect(nextPublishStep(saving, view({isSyncing: true}))).toEqual({do: 'wait', at: T0 + DEFAULT_TIMINGS.saveTimeoutMs})
  })
})

describe('publishing', () => {
  const retryAt = T0 + DEFAULT_TIMINGS.retryAfterMs
  const giveUpAt = T0 + DEFAULT_TIMINGS.publishTimeoutMs

  it.each<[string, PublishingPhase, Partial<PublishFlowView>, ReturnType<typeof nextPublishStep>]>([
    ['the published revision changed', publishing, {publishedRev: 'rev-pub', draft: null}, {do: 'done'}],
    [
      'the store reported an error for the publish',
      publishing,
      {publishResult: {type: 'error', message: 'Document has revision X, expected Y'}},
      {do: 'fail', title: 'Publishing failed; the draft is unchanged', description: 'Document has revision X, expected Y'},
    ],
    ['no answer yet, before the retry time', publishing, {}, {do: 'wait', at: retryAt}],
    // The transaction removes the draft and adds the published document; the Studio may show
    // the draft gone first. That is not a reason to fail.
    ['draft shown gone, published not yet', publishing, {draft: null}, {do: 'wait', at: retryAt}],
    ['accepted by the lake, listener not caught up', publishing, {publishResult: {type: 'success'}, now: retryAt + 1}, {do: 'wait', at: giveUpAt}],
    ['the lake check found it published', {...publishing, accepted: true}, {now: retryAt + 1}, {do: 'wait', at: giveUpAt}],
    // The store drops a publish silently when another operation arrives while it waits.
    ['no answer by the retry time: check the lake', publishing, {now: retryAt}, {do: 'check'}],
    ['a check is running', {...publishing, checking: true}, {now: retryAt + 1}, {do: 'wait'}],
    ['second attempt, before its retry time', {...publishing, attempt: 2}, {now: retryAt + 1}, {do: 'wait', at: T0 + 2 * DEFAULT_TIMINGS.retryAfterMs}],
    ['attempts used up', {...publishing, attempt: DEFAULT_TIMINGS.maxAttempts}, {now: giveUpAt - 1}, {do: 'wait', at: giveUpAt}],
    ['edits in flight at the retry time', publishing, {now: retryAt, isSyncing: true}, {do: 'wait', at: giveUpAt}],
    [
      'the editor changed the draft meanwhile',
      publishing,
      {draft: {_rev: 'rev-edited', ...SET}},
      {do: 'fail', title: 'The draft changed while it was being published', description: 'Nothing was published. Publish again to publish the latest text.'},
    ],
    ['the time limit passed', {...publishing, attempt: 3}, {now: giveUpAt}, {do: 'fail', title: 'Publishing did not complete; the draft is unchanged'}],
  ])('%s', (_name, phase, over, expected) => {
    expect(nextPublishStep(phase, view(over))).toEqual(expected)
  })

  it.each<[string, PublishFlowPhase]>([
    ['idle', {name: 'idle'}],
    ['preparing', {name: 'preparing', since: T0}],
  ])('does nothing on its own while %s', (_name, phase) => {
    expect(nextPublishStep(phase, view({}))).toEqual({do: 'wait'})
  })
})

describe('after checking the lake for an unanswered publish', () => {
  const checking: PublishingPhase = {...publishing, checking: true}

  it.each<[string, {draftRev: string | undefined; publishedRev: string | undefined}, string]>([
    ['still the same draft, nothing published: publish again', {draftRev: 'rev-saved', publishedRev: undefined}, 'publish'],
    ['published after all (the Studio has not heard yet): wait', {draftRev: undefined, publishedRev: 'rev-pub'}, 'wait'],
    ['draft discarded', {draftRev: undefined, publishedRev: undefined}, 'fail'],
    ['draft edited since', {draftRev: 'rev-edited', publishedRev: undefined}, 'fail'],
  ])('%s', (_name, lake, expected) => {
    expect(stepAfterCheck(checking, lake).do).toBe(expected)
  })

  it('counts the attempt when publishing again', () => {
    expect(stepAfterCheck(checking, {draftRev: 'rev-saved', publishedRev: undefined})).toEqual({
      do: 'publish',
      phase: {...publishing, attempt: 2, checking: false},
    })
  })

  it('stops retrying once the lake shows it published', () => {
    expect(stepAfterCheck(checking, {draftRev: undefined, publishedRev: 'rev-pub'})).toEqual({
      do: 'wait',
      phase: {...publishing, checking: false, accepted: true},
    })
  })
})
