import {CheckmarkCircleIcon} from '@sanity/icons/CheckmarkCircle'
import {CircleIcon} from '@sanity/icons/Circle'
import {CloseIcon} from '@sanity/icons/Close'
import {ErrorOutlineIcon} from '@sanity/icons/ErrorOutline'
import {TaskIcon} from '@sanity/icons/Task'
import {WarningOutlineIcon} from '@sanity/icons/WarningOutline'
import {Box, Button, Card, Flex, Stack, Text} from '@sanity/ui'
import {useMemo} from 'react'
import {
  defineDocumentInspector,
  getPublishedId,
  useEditState,
  type DocumentInspector,
  type DocumentInspectorContext,
  type DocumentInspectorProps,
} from 'sanity'
import {checklist} from './findings'
import {FindingText} from './FindingList'
import {isGuardedType} from './options'
import type {ChecklistRow, FandomDoc, ResolvedGuardOptions} from './types'
import {useGuardFindings} from './useGuardFindings'

export const CHECKLIST_INSPECTOR_NAME = 'publishing-checklist'

function useDocumentFindings(documentId: string, documentType: string, options: ResolvedGuardOptions) {
  const editState = useEditState(getPublishedId(documentId), documentType)
  const document = (editState.version ?? editState.draft ?? editState.published ?? null) as Record<string, unknown> | null
  return {document, ...useGuardFindings(document, options, documentType)}
}

function RowIcon({row}: {row: ChecklistRow}) {
  if (row.off) return <CircleIcon />
  if (row.passed) return <CheckmarkCircleIcon />
  return row.findings.some((finding) => finding.level === 'error') ? <ErrorOutlineIcon /> : <WarningOutlineIcon />
}

function rowTone(row: ChecklistRow) {
  if (row.off || row.passed) return row.off ? 'default' : 'positive'
  return row.findings.some((finding) => finding.level === 'error') ? 'critical' : 'caution'
}

function ChecklistRowCard({row}: {row: ChecklistRow}) {
  const state = row.off ? 'off' : row.passed ? 'pass' : 'fail'
  return (
    <Card as="li" padding={3} radius={2} border tone={rowTone(row)} data-testid={`guard-check-${row.code}`} data-state={state}>
      <Stack gap={3}>
        <Flex gap={2} align="center">
          <Text size={1}>
            <RowIcon row={row} />
          </Text>
          <Box flex={1}>
            <Text size={1} weight="semibold">
              {row.title}
            </Text>
          </Box>
          <Text size={0} muted>
            {state === 'off' ? 'Off' : state === 'pass' ? 'Passes' : 'Fails'}
          </Text>
        </Flex>
        {row.findings.map((finding, index) => (
          <Stack key={index} gap={2}>
            <FindingText finding={finding} />
          </Stack>
        ))}
      </Stack>
    </Card>
  )
}

function ownerNames(holders: FandomDoc['rightsHolders']): string[] {
  return (holders ?? []).flatMap((holder) => (typeof holder === 'string' ? [holder] : holder?.name ? [holder.name] : []))
}

/** Who owns each of the story's fandoms, so the disclaimer can be fixed in one edit. */
function KnownOwners({fandoms}: {fandoms?: FandomDoc[]}) {
  const rows = (fandoms ?? []).filter((fandom) => !fandom.isOriginalWork)
  if (rows.length === 0) return null
  return (
    <Card padding={3} radius={2} border data-testid="guard-known-owners">
      <Stack gap={2}>
        <Text size={1} weight="semibold">
          Rights holders
        </Text>
        {rows.map((fandom) => {
          const owners = ownerNames(fandom.rightsHolders)
          const inherited = owners.length ? owners : ownerNames(fandom.parent?.rightsHolders)
          return (
            <Text key={fandom._id} size={1}>
              {fandom.title || 'Untitled fandom'}:{' '}
              {fandom.isRealPerson ? 'real people (say it is fiction)' : inherited.length ? inherited.join(', ') : 'none recorded yet'}
            </Text>
          )
        })}
      </Stack>
    </Card>
  )
}

/** The panel: every check the rules know, passing or failing, with what to do about failures. */
export function PublishingChecklist({
  documentId,
  documentType,
  onClose,
  options,
}: DocumentInspectorProps & {options: ResolvedGuardOptions}) {
  const {document, findings, error, fandoms} = useDocumentFindings(documentId, documentType, options)
  const rows = useMemo(() => (findings ? checklist(findings, options) : []), [findings, options])
  const failing = rows.filter((row) => !row.passed).length
  return (
    <Flex direction="column" height="fill" data-testid="guard-checklist">
      <Card borderBottom padding={3}>
        <Flex align="center" gap={2}>
          <Box flex={1}>
            <Text weight="semibold">Publishing checklist</Text>
          </Box>
          <Button icon={CloseIcon} mode="bleed" onClick={onClose} aria-label="Close publishing checklist" />
        </Flex>
      </Card>
      <Box flex={1} overflow="auto" padding={3}>
        {!document ? (
          <Text size={1} muted>
            Nothing to check yet.
          </Text>
        ) : findings === null ? (
          <Text size={1} muted>
            Running checks…
          </Text>
        ) : (
          <Stack gap={3}>
            <Text size={1} muted>
              {failing === 0 ? 'Every check passes.' : `${failing} of ${rows.length} checks need attention.`}
            </Text>
            {error ? (
              <Text size={1}>Could not load the fandoms ({error}); fandom-specific checks may be wrong.</Text>
            ) : null}
            <KnownOwners fandoms={fandoms} />
            <Stack as="ul" gap={2}>
              {rows.map((row) => (
                <ChecklistRowCard key={row.code} row={row} />
              ))}
            </Stack>
          </Stack>
        )}
      </Box>
    </Flex>
  )
}

export function checklistInspector(options: ResolvedGuardOptions): DocumentInspector {
  const Component = (props: DocumentInspectorProps) => <PublishingChecklist {...props} options={options} />
  Component.displayName = 'PublishingChecklistInspector'
  return defineDocumentInspector({
    name: CHECKLIST_INSPECTOR_NAME,
    component: Component,
    useMenuItem: ({documentId, documentType}) => {
      const {findings} = useDocumentFindings(documentId, documentType, options)
      const hasError = findings?.some((finding) => finding.level === 'error')
      const hasWarning = findings?.some((finding) => finding.level === 'warning')
      return {
        title: 'Publishing checklist',
        icon: TaskIcon,
        showAsAction: true,
        status: hasError ? 'critical' : hasWarning ? 'caution' : undefined,
      }
    },
  })
}

/** The plugin's `document.inspectors` resolver. */
export function guardInspectors(options: ResolvedGuardOptions) {
  const inspector = checklistInspector(options)
  return (prev: DocumentInspector[], context: Pick<DocumentInspectorContext, 'documentType'>): DocumentInspector[] =>
    isGuardedType(options, context.documentType) ? [...prev, inspector] : prev
}
