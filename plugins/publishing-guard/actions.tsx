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
import {GUARD_API_VERSION, isGuardedType} from './options'
import {preparePublishPatch} from './publishPatch'
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

/**
 * Wraps the built-in Publish so that it (1) stays disabled while the rules report errors and says
 * which, (2) asks before publishing over warnings, and (3) sets wordCount, updatedAt and
 * publishedAt just before publishing. The built-in action still decides when Publish is
 * available (permissions, validation, nothing to publish); pressing it runs the guard's flow.
 */
export function guardPublishAction(original: DocumentActionComponent, options: ResolvedGuardOptions): DocumentActionComponent {
  const GuardedPublishAction: DocumentActionComponent = (props) => {
    const result = original(props)
    const candidate = (props.version ?? props.draft ?? null) as Record<string, unknown> | null
    const {findings} = useGuardFindings(candidate, options)
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
          const set = await preparePublishPatch(client, document)
          // Written to the lake directly rather than through the form's patch operation, so
          // there is no local edit left to commit (and race) when the publish runs. The
          // publish action publishes the lake's draft, which now includes these fields.
          await client.patch(document._id).set({...set}).commit()
        }
        setPhase({name: 'queued', publishedRev: latest.current.publishedRev})
      } catch (error) {
        fail('Could not prepare the story for publishing', error)
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
  GuardedPublishAction.displayName = 'GuardedPublishAction'
  return GuardedPublishAction
}

/**
 * The plugin's `document.actions` resolver. Other types get `prev` back untouched (same array),
 * and for guarded types only the Publish entry is replaced.
 */
export function guardActions(options: ResolvedGuardOptions) {
  // One wrapper per original keeps the component identity stable between resolutions.
  const wrapped = new WeakMap<DocumentActionComponent, DocumentActionComponent>()
  return (prev: DocumentActionComponent[], context: Pick<DocumentActionsContext, 'schemaType'>): DocumentActionComponent[] => {
    if (!isGuardedType(options, context.schemaType)) return prev
    return prev.map((action) => {
      if (action.action !== 'publish') return action
      let guarded = wrapped.get(action)
      if (!guarded) {
        guarded = guardPublishAction(action, options)
        wrapped.set(action, guarded)
      }
      return guarded
    })
  }
}
