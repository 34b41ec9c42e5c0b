import {Button, Flex, Stack, Text} from '@sanity/ui'
import {useToast} from '@sanity/ui/toast'
import {useCallback, useEffect, useRef, useState} from 'react'
import {
  useClient,
  useDocumentOperation,
  useDocumentOperationEvent,
  useSyncState,
  type DocumentActionComponent,
  type DocumentActionDescription,
  type DocumentActionsContext,
} from 'sanity'
import type {Finding} from '../../rules'
import {FindingList} from './FindingList'
import {publishBlockedReason} from './findings'
import type {FetchClient} from './fandoms'
import {GUARD_API_VERSION, isChapterType, isGuardedType} from './options'
import {nextPublishStep, stepAfterCheck, type PublishFlowPhase, type PublishFlowView, type PublishingPhase} from './publishFlow'
import {chapterPublishPatchSet, preparePublishPatch} from './publishPatch'
import type {ResolvedGuardOptions} from './types'
import {useGuardFindings} from './useGuardFindings'

export interface GuardedPublishState {
  /** What the built-in Publish returned. */
  result: DocumentActionDescription | null
  /** Whether there is a draft (or version) to publish. */
  hasCandidate: boolean
  /** `null` while the checks are still loading. */
  findings: Finding[] | null
  confirming: boolean
  preparing: boolean
  publish: () => void
  confirm: () => void
  cancel: () => void
}

/** What the guarded Publish shows, given the built-in answer and the findings. Pure, so it is testable. */
export function guardedPublishDescription(state: GuardedPublishState): DocumentActionDescription | null {
  const {result, hasCandidate, findings, confirming, preparing} = state
  // Nothing to publish (or Publish does not apply here): the built-in answer stands.
  if (!result || !hasCandidate) return result
  if (preparing) return {...result, disabled: true, label: 'Publishing…', onHandle: undefined}
  if (findings === null) return {...result, disabled: true, title: 'Running publishing checks…', onHandle: undefined}

  const blocked = publishBlockedReason(findings)
  if (blocked) return {...result, disabled: true, title: blocked, onHandle: undefined, dialog: null}
  if (result.disabled) return result

  const warnings = findings.filter((finding) => finding.level === 'warning')
  if (warnings.length === 0) return {...result, onHandle: state.publish}
  return {
    ...result,
    title: `${warnings.length} publishing warning${warnings.length === 1 ? '' : 's'}: you will be asked to confirm`,
    onHandle: state.confirm,
    dialog: confirming ? warningsDialog(warnings, state) : result.dialog,
  }
}

function warningsDialog(warnings: Finding[], {publish, cancel}: GuardedPublishState): DocumentActionDescription['dialog'] {
  return {
    type: 'dialog',
    header: 'Publish with warnings?',
    onClose: cancel,
    content: (
      <Stack gap={4} data-testid="guard-publish-dialog">
        <Text size={1}>The publishing checks found these problems. Go back to fix them, or publish anyway.</Text>
        <FindingList findings={warnings} />
      </Stack>
    ),
    footer: (
      <Flex gap={2} justify="flex-end" padding={3}>
        <Button mode="ghost" text="Go back" onClick={cancel} data-testid="guard-go-back" />
        <Button tone="caution" text="Publish anyway" onClick={publish} data-testid="guard-publish-anyway" />
      </Flex>
    ),
  }
}

/** What a guarded Publish checks and stores; one per kind of guarded document. */
interface PublishFlow {
  /** A hook: the findings for the document about to be published, `null` while loading. */
  useFindings(candidate: Record<string, unknown> | null, options: ResolvedGuardOptions): Finding[] | null
  /** The fields set in the draft just before it is published. */
  prepare(client: FetchClient, document: Record<string, unknown>): Promise<Record<string, unknown>>
  failureTitle: string
  displayName: string
}

const NO_FINDINGS: Finding[] = []

const STORY_FLOW: PublishFlow = {
  useFindings: (candidate, options) => useGuardFindings(candidate, options).findings,
  prepare: async (client, document) => ({...(await preparePublishPatch(client, document))}),
  failureTitle: 'Could not prepare the story for publishing',
  displayName: 'GuardedPublishAction',
}

// Chapters are not checked (their story is); their Publish only stores the word count the
// story's count is summed from.
const CHAPTER_FLOW: PublishFlow = {
  useFindings: () => NO_FINDINGS,
  prepare: async (_client, document) => ({...chapterPublishPatchSet(document)}),
  failureTitle: 'Could not prepare the chapter for publishing',
  displayName: 'GuardedChapterPublishAction',
}

/**
 * Wraps the built-in Publish so that it (1) stays disabled while the rules report errors and says
 * which, (2) asks before publishing over warnings, and (3) sets wordCount, updatedAt and
 * publishedAt just before publishing (see publishFlow.ts for the steps). The built-in action still
 * decides when Publish is available (permissions, validation, nothing to publish); pressing it
 * runs the guard's flow.
 */
export function guardPublishAction(original: DocumentActionComponent, options: ResolvedGuardOptions): DocumentActionComponent {
  return guardedPublish(original, options, STORY_FLOW)
}

/** A chapter's Publish: no checks, but its wordCount is counted from its body and stored first. */
export function guardChapterPublishAction(original: DocumentActionComponent, options: ResolvedGuardOptions): DocumentActionComponent {
  return guardedPublish(original, options, CHAPTER_FLOW)
}

function messageOf(error: unknown): string | undefined {
  if (error === undefined || error === null) return undefined
  return String((error as Error)?.message ?? error)
}

function guardedPublish(original: DocumentActionComponent, options: ResolvedGuardOptions, flow: PublishFlow): DocumentActionComponent {
  const GuardedPublishAction: DocumentActionComponent = (props) => {
    const result = original(props)
    const candidate = (props.version ?? props.draft ?? null) as Record<string, unknown> | null
    const findings = flow.useFindings(candidate, options)
    const {publish: publishOperation, patch: patchOperation} = useDocumentOperation(props.id, props.type)
    const {isSyncing} = useSyncState(props.id, props.type)
    const operationEvent = useDocumentOperationEvent(props.id, props.type)
    const client = useClient({apiVersion: GUARD_API_VERSION})
    const toast = useToast()
    const [confirming, setConfirming] = useState(false)
    const [phase, setPhase] = useState<PublishFlowPhase>({name: 'idle'})
    const [publishResult, setPublishResult] = useState<PublishFlowView['publishResult']>(undefined)
    // Re-evaluates the flow when a deadline passes.
    const [tick, setTick] = useState(0)
    const publishedRev = props.published?._rev

    const latest = useRef({candidate, publishedRev, patchOperation, publishOperation, operationEvent})
    latest.current = {candidate, publishedRev, patchOperation, publishOperation, operationEvent}
    // The operation event seen when the current publish attempt started; later ones are its answer.
    const eventAtAttempt = useRef(operationEvent)
    const target = useRef({draftId: '', publishedId: props.id})
    const current = useRef(phase)
    current.current = phase

    const fail = useCallback(
      (title: string, description?: string) => {
        setPhase({name: 'idle'})
        toast.push({status: 'error', title, description})
      },
      [toast],
    )

    useEffect(() => {
      if (operationEvent === eventAtAttempt.current || operationEvent?.op !== 'publish') return
      eventAtAttempt.current = operationEvent
      setPublishResult(operationEvent.type === 'error' ? {type: 'error', message: messageOf(operationEvent.error) ?? 'Unknown error'} : {type: 'success'})
    }, [operationEvent])

    const publish = useCallback(async () => {
      setConfirming(false)
      const document = latest.current.candidate
      if (!document || typeof document._id !== 'string') return
      target.current = {draftId: document._id, publishedId: props.id}
      setPhase({name: 'preparing', since: Date.now()})
      try {
        const set = await flow.prepare(client, document)
        // Through the Studio's own document store, so the store is never behind the lake; the
        // flow publishes once the store holds these values in a saved revision.
        const now = latest.current
        const baseRev = typeof now.candidate?._rev === 'string' ? now.candidate._rev : undefined
        setPhase({name: 'saving', set, baseRev, publishedRev: now.publishedRev, since: Date.now()})
        now.patchOperation.execute([{set}])
      } catch (error) {
        fail(flow.failureTitle, messageOf(error))
      }
    }, [client, fail, props.id])

    useEffect(() => {
      const view: PublishFlowView = {
        now: Date.now(),
        isSyncing,
        draft: candidate,
        publishedRev,
        publishDisabled: publishOperation.disabled,
        publishResult,
      }
      const step = nextPublishStep(phase, view)
      // The guard runs the publish operation itself rather than the built-in Publish's handler:
      // that one re-validates, and sanity's validation store can report an older revision's
      // result for the newest draft (studio-build/publish-fixes.ts patches that in our builds).
      // The retry stays because an edit arriving while a publish waits still cancels it there.
      const startAttempt = (next: PublishingPhase) => {
        eventAtAttempt.current = latest.current.operationEvent
        setPublishResult(undefined)
        latest.current.publishOperation.execute()
        setPhase(next)
      }
      switch (step.do) {
        case 'wait': {
          if (step.at === undefined) return undefined
          const timer = setTimeout(() => setTick((n) => n + 1), Math.max(0, step.at - Date.now()) + 10)
          return () => clearTimeout(timer)
        }
        case 'publish':
          startAttempt(step.phase)
          return undefined
        case 'done':
          setPhase({name: 'idle'})
          return undefined
        case 'fail':
          fail(step.title, step.description)
          return undefined
        case 'check': {
          if (phase.name !== 'publishing') return undefined
          const checking = {...phase, checking: true}
          setPhase(checking)
          const {draftId, publishedId} = target.current
          client.getDocuments([draftId, publishedId]).then(
            ([draft, published]) => {
              if (current.current !== checking) return
              const next = stepAfterCheck(checking, {draftRev: draft?._rev, publishedRev: published?._rev})
              if (next.do === 'fail') fail(next.title, next.description)
              else if (next.do === 'publish') startAttempt(next.phase)
              else setPhase(next.phase)
            },
            (error: unknown) => current.current === checking && fail('Publishing did not complete; the draft is unchanged', messageOf(error)),
          )
          return undefined
        }
      }
    }, [phase, isSyncing, candidate, publishedRev, publishOperation, publishResult, tick, client, fail])

    return guardedPublishDescription({
      result,
      hasCandidate: candidate !== null,
      findings,
      confirming,
      preparing: phase.name !== 'idle',
      publish: () => void publish(),
      confirm: () => setConfirming(true),
      cancel: () => setConfirming(false),
    })
  }
  GuardedPublishAction.action = 'publish'
  GuardedPublishAction.displayName = flow.displayName
  return GuardedPublishAction
}

/**
 * The plugin's `document.actions` resolver. Other types get `prev` back untouched (same array);
 * for guarded types and chapter types only the Publish entry is replaced.
 */
export function guardActions(options: ResolvedGuardOptions) {
  // One wrapper per original keeps the component identity stable between resolutions.
  const wrappedStory = new WeakMap<DocumentActionComponent, DocumentActionComponent>()
  const wrappedChapter = new WeakMap<DocumentActionComponent, DocumentActionComponent>()
  return (prev: DocumentActionComponent[], context: Pick<DocumentActionsContext, 'schemaType'>): DocumentActionComponent[] => {
    const [wrapped, wrap] = isGuardedType(options, context.schemaType)
      ? [wrappedStory, guardPublishAction]
      : isChapterType(options, context.schemaType)
        ? [wrappedChapter, guardChapterPublishAction]
        : [null, null]
    if (!wrapped || !wrap) return prev
    return prev.map((action) => {
      if (action.action !== 'publish') return action
      let guarded = wrapped.get(action)
      if (!guarded) {
        guarded = wrap(action, options)
        wrapped.set(action, guarded)
      }
      return guarded
    })
  }
}
