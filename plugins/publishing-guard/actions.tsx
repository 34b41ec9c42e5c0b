import {Button, Flex, Stack, Text} from '@sanity/ui'
import {useToast} from '@sanity/ui/toast'
import {useCallback, useEffect, useRef, useState} from 'react'
import {
  useClient,
  useDocumentOperation,
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

/** How long to wait for the lake to confirm a publish before giving the button back. */
const PUBLISH_TIMEOUT_MS = 20_000

type Phase =
  | {name: 'idle'}
  | {name: 'preparing'}
  | {name: 'queued'; publishedRev: string | undefined}
  | {name: 'publishing'; publishedRev: string | undefined; since: number}

/** What a guarded Publish checks and stores; one per kind of guarded document. */
interface PublishFlow {
  /** A hook: the findings for the document about to be published, `null` while loading. */
  useFindings(candidate: Record<string, unknown> | null, options: ResolvedGuardOptions): Finding[] | null
  /** The fields written to the draft just before it is published. */
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
 * publishedAt just before publishing. The built-in action still decides when Publish is
 * available (permissions, validation, nothing to publish); pressing it runs the guard's flow.
 */
export function guardPublishAction(original: DocumentActionComponent, options: ResolvedGuardOptions): DocumentActionComponent {
  return guardedPublish(original, options, STORY_FLOW)
}

/** A chapter's Publish: no checks, but its wordCount is counted from its body and stored first. */
export function guardChapterPublishAction(original: DocumentActionComponent, options: ResolvedGuardOptions): DocumentActionComponent {
  return guardedPublish(original, options, CHAPTER_FLOW)
}

function guardedPublish(original: DocumentActionComponent, options: ResolvedGuardOptions, flow: PublishFlow): DocumentActionComponent {
  const GuardedPublishAction: DocumentActionComponent = (props) => {
    const result = original(props)
    const candidate = (props.version ?? props.draft ?? null) as Record<string, unknown> | null
    const findings = flow.useFindings(candidate, options)
    const {publish: publishOperation} = useDocumentOperation(props.id, props.type)
    const {isSyncing} = useSyncState(props.id, props.type)
    const client = useClient({apiVersion: GUARD_API_VERSION})
    const toast = useToast()
    const [confirming, setConfirming] = useState(false)
    const [phase, setPhase] = useState<Phase>({name: 'idle'})
    const publishedRev = props.published?._rev

    const latest = useRef({candidate, publishedRev})
    latest.current = {candidate, publishedRev}

    const fail = useCallback(
      (title: string, error?: unknown) => {
        setPhase({name: 'idle'})
        toast.push({status: 'error', title, description: error ? String((error as Error)?.message ?? error) : undefined})
      },
      [toast],
    )

    const publish = useCallback(async () => {
      setConfirming(false)
      setPhase({name: 'preparing'})
      try {
        const document = latest.current.candidate
        if (document && typeof document._id === 'string') {
          const set = await flow.prepare(client, document)
          // Written to the lake directly rather than through the form's patch operation, so
          // there is no local edit left to commit (and race) when the publish runs. The
          // publish action publishes the lake's draft, which now includes these fields.
          await client.patch(document._id).set({...set}).commit()
        }
        setPhase({name: 'queued', publishedRev: latest.current.publishedRev})
      } catch (error) {
        fail(flow.failureTitle, error)
      }
    }, [client, fail])

    // Publish once the editor's own pending edits are in the lake. The built-in Publish would
    // re-check validation here, and right after typing it was seen (sanity 6.16, local lake)
    // to validate a stale copy of the draft from page load and cancel. Validation already
    // passed when the button was enabled and the guard's patch touches no validated field,
    // so the guard runs the publish operation itself.
    useEffect(() => {
      if (phase.name !== 'queued' || isSyncing) return
      if (publishOperation.disabled) {
        fail(`Publishing is not possible right now (${publishOperation.disabled})`)
        return
      }
      publishOperation.execute()
      setPhase({name: 'publishing', publishedRev: phase.publishedRev, since: Date.now()})
    }, [phase, isSyncing, publishOperation, fail])

    useEffect(() => {
      if (phase.name !== 'publishing') return undefined
      if (publishedRev !== phase.publishedRev) {
        setPhase({name: 'idle'})
        return undefined
      }
      const timer = setTimeout(
        () => fail('Publishing did not complete; the draft is unchanged'),
        Math.max(0, phase.since + PUBLISH_TIMEOUT_MS - Date.now()),
      )
      return () => clearTimeout(timer)
    }, [phase, publishedRev, fail])

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
