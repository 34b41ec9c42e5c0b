/**
 * The steps of a guarded Publish, as a pure function of what the Studio shows, so every race
 * is decided in one place and can be tested without a browser.
 *
 * 1. `saving`: the fields the guard sets (word count, dates) go through the Studio's own patch
 *    operation. Publish waits until the document store holds them in a new draft revision and
 *    has nothing left to send. Writing them with a separate client instead (as before) left the
 *    Studio's store behind the lake, so the publish could run while the store was still catching
 *    up, and a publish that the store drops is never reported.
 * 2. `publishing`: the publish operation runs. Sanity's document store silently drops a publish
 *    when another operation on the same document arrives while it waits (sanity 6.16,
 *    operationEvents: `switchMap`), e.g. an auto-commit of edits. So a publish that neither
 *    lands nor reports an error within `retryAfterMs` is retried (after the caller has checked
 *    that the lake still has the same draft and published revision), at most `maxAttempts`
 *    times; an error reported for it ends the flow with that error.
 */

export type PublishFlowPhase =
  | {name: 'idle'}
  | {name: 'preparing'; since: number}
  | {name: 'saving'; set: Readonly<Record<string, unknown>>; baseRev: string | undefined; publishedRev: string | undefined; since: number}
  | {name: 'publishing'; draftRev: string; publishedRev: string | undefined; attempt: number; since: number; checking: boolean; accepted: boolean}

export type PublishingPhase = Extract<PublishFlowPhase, {name: 'publishing'}>

export interface PublishFlowView {
  now: number
  /** The document store still has local edits to send or confirm. */
  isSyncing: boolean
  /** The draft (or version) being published, as the document store holds it. */
  draft: {_rev?: unknown; [field: string]: unknown} | null
  publishedRev: string | undefined
  /** Why the publish operation is unavailable, `false` when it is available. */
  publishDisabled: string | false
  /** What the document store reported for the latest publish attempt, if anything. */
  publishResult: {type: 'success'} | {type: 'error'; message: string} | undefined
}

export interface PublishFlowTimings {
  /** How long the guard's fields may take to be saved. */
  saveTimeoutMs: number
  /** How long a publish may go unanswered before it is checked and retried. */
  retryAfterMs: number
  /** How long a publish may take in all, retries included. */
  publishTimeoutMs: number
  maxAttempts: number
}

export const DEFAULT_TIMINGS: PublishFlowTimings = {saveTimeoutMs: 30_000, retryAfterMs: 6_000, publishTimeoutMs: 30_000, maxAttempts: 3}

export type PublishFlowStep =
  /** Nothing to do until the view changes or `at` (epoch ms) is reached. */
  | {do: 'wait'; at?: number}
  /** Run the publish operation and continue in `phase`. */
  | {do: 'publish'; phase: PublishingPhase}
  /** Ask the lake whether the draft is still unpublished before publishing again. */
  | {do: 'check'}
  | {do: 'done'}
  | {do: 'fail'; title: string; description?: string}

/** Whether the draft holds every value the guard set (numbers and strings, compared by value). */
export function holdsFields(draft: Record<string, unknown> | null, set: Readonly<Record<string, unknown>>): boolean {
  if (!draft) return false
  return Object.entries(set).every(([field, value]) => Object.is(draft[field], value))
}

const revOf = (draft: PublishFlowView['draft']): string | undefined => (typeof draft?._rev === 'string' ? draft._rev : undefined)

/** The next step of the flow for the phase it is in and what the Studio shows now. */
export function nextPublishStep(phase: PublishFlowPhase, view: PublishFlowView, timings: PublishFlowTimings = DEFAULT_TIMINGS): PublishFlowStep {
  switch (phase.name) {
    case 'idle':
    case 'preparing':
      return {do: 'wait'}
    case 'saving': {
      if (view.publishedRev !== phase.publishedRev) {
        return {do: 'fail', title: 'The story was published elsewhere while it was being prepared', description: 'Check the published version before publishing again.'}
      }
      if (!view.draft) return {do: 'fail', title: 'The draft disappeared before it could be published'}
      const rev = revOf(view.draft)
      const saved = !view.isSyncing && rev !== undefined && rev !== phase.baseRev && holdsFields(view.draft, phase.set)
      // A disabled publish operation may be passing ('NOT_READY' while the store reloads the
      // document), so it is waited out like the save.
      if (saved && !view.publishDisabled) {
        return {do: 'publish', phase: {name: 'publishing', draftRev: rev, publishedRev: phase.publishedRev, attempt: 1, since: view.now, checking: false, accepted: false}}
      }
      const deadline = phase.since + timings.saveTimeoutMs
      if (view.now < deadline) return {do: 'wait', at: deadline}
      if (saved) return {do: 'fail', title: `Publishing is not possible right now (${view.publishDisabled})`, description: 'Nothing was published.'}
      return {do: 'fail', title: 'The draft could not be saved before publishing', description: 'Nothing was published. Check your connection and publish again.'}
    }
    case 'publishing': {
      if (view.publishedRev !== phase.publishedRev) return {do: 'done'}
      if (view.publishResult?.type === 'error') {
        return {do: 'fail', title: 'Publishing failed; the draft is unchanged', description: view.publishResult.message}
      }
      if (phase.checking) return {do: 'wait'}
      const giveUpAt = phase.since + timings.publishTimeoutMs
      if (view.now >= giveUpAt) return {do: 'fail', title: 'Publishing did not complete; the draft is unchanged'}
      // Accepted by the lake: the listener will bring the published revision.
      if (phase.accepted || view.publishResult?.type === 'success') return {do: 'wait', at: giveUpAt}
      const draftRev = revOf(view.draft)
      // The editor changed the draft meanwhile: the store cancels a publish for that, and
      // publishing the newer text unasked would be wrong. (A missing draft is not judged here:
      // a publish removes the draft and adds the published document in one transaction, which
      // the Studio may show one at a time; the lake check below settles it.)
      if (view.draft && draftRev !== phase.draftRev && !view.isSyncing) return CHANGED
      const retryAt = phase.since + timings.retryAfterMs * phase.attempt
      if (view.now < retryAt) return {do: 'wait', at: Math.min(retryAt, giveUpAt)}
      if (phase.attempt >= timings.maxAttempts || view.isSyncing || view.publishDisabled) return {do: 'wait', at: giveUpAt}
      return {do: 'check'}
    }
  }
}

const CHANGED: Extract<PublishFlowStep, {do: 'fail'}> = {
  do: 'fail',
  title: 'The draft changed while it was being published',
  description: 'Nothing was published. Publish again to publish the latest text.',
}

/** What the lake holds now, read directly when a publish went unanswered. */
export interface LakeRevisions {
  draftRev: string | undefined
  publishedRev: string | undefined
}

/**
 * After an unanswered publish: publish again only if the lake still has exactly the draft that
 * was being published and nothing newer was published, so a slow answer never publishes twice.
 */
export function stepAfterCheck(
  phase: PublishingPhase,
  lake: LakeRevisions,
): {do: 'publish'; phase: PublishingPhase} | {do: 'wait'; phase: PublishingPhase} | Extract<PublishFlowStep, {do: 'fail'}> {
  // Published meanwhile (the Studio has not heard yet): wait for the listener.
  if (lake.publishedRev !== phase.publishedRev) return {do: 'wait', phase: {...phase, checking: false, accepted: true}}
  if (lake.draftRev === undefined) return {do: 'fail', title: 'The draft was discarded before it could be published'}
  if (lake.draftRev !== phase.draftRev) return CHANGED
  return {do: 'publish', phase: {...phase, attempt: phase.attempt + 1, checking: false}}
}
