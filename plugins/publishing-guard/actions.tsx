import {Button, Flex, Stack, Text} from '@sanity/ui'
import {useToast} from '@sanity/ui/toast'
import {useCallback, useRef, useState} from 'react'
import {
  useClient,
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

/**
 * Wraps the built-in Publish so that it (1) stays disabled while the rules report errors and says
 * which, (2) asks before publishing over warnings, and (3) sets wordCount, updatedAt and
 * publishedAt just before publishing. The built-in action still does the publishing, so its
 * validation wait, permissions and "Published" state keep working.
 */
export function guardPublishAction(original: DocumentActionComponent, options: ResolvedGuardOptions): DocumentActionComponent {
  const GuardedPublishAction: DocumentActionComponent = (props) => {
    const result = original(props)
    const candidate = (props.version ?? props.draft ?? null) as Record<string, unknown> | null
    const {findings} = useGuardFindings(candidate, options)
    const client = useClient({apiVersion: GUARD_API_VERSION})
    const toast = useToast()
    const [confirming, setConfirming] = useState(false)
    const [preparing, setPreparing] = useState(false)

    // The latest values, for the publish that resumes after an await.
    const latest = useRef({result, candidate})
    latest.current = {result, candidate}

    const publish = useCallback(async () => {
      setConfirming(false)
      setPreparing(true)
      try {
        const document = latest.current.candidate
        if (document && typeof document._id === 'string') {
          const set = await preparePublishPatch(client, document)
          // Written to the lake directly, not through the form's patch operation: the form's
          // throttled auto-commit would cancel a publish queued right behind it. The
          // publish action publishes the lake's draft, so the committed patch is included.
          await client.patch(document._id).set({...set}).commit()
        }
        latest.current.result?.onHandle?.()
      } catch (error) {
        toast.push({
          status: 'error',
          title: 'Could not prepare the story for publishing',
          description: String((error as Error)?.message ?? error),
        })
      } finally {
        setPreparing(false)
      }
    }, [client, toast])

    return guardedPublishDescription({
      result,
      hasCandidate: candidate !== null,
      findings,
      confirming,
      preparing,
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
