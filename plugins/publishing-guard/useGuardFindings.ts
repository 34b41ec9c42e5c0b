import {useEffect, useMemo, useRef, useState} from 'react'
import {useClient, useDocumentStore, useValidationStatus} from 'sanity'
import type {Finding} from '../../rules'
import {hasBody, loadCheckContext, type CheckContext} from './checkContext'
import {referencedIds} from './fandoms'
import {watchFandoms, type ListeningStore} from './liveFandoms'
import {schemaFindings} from './schemaFindings'
import type {FandomDoc} from './types'
import {GUARDED_FIELDS} from './validation'
import {guardFindings} from './findings'
import {GUARD_API_VERSION} from './options'
import type {ResolvedGuardOptions} from './types'

interface LoadedContext {
  key: string
  context: CheckContext
  error?: string
}

export interface GuardFindingsState {
  /** `null` while the document's fandoms are loading. */
  findings: Finding[] | null
  error?: string
  /** The story's fandoms as checked, with their rights holders. */
  fandoms?: FandomDoc[]
}

/** What the loaded context depends on; the context is reloaded only when this changes. */
function contextKey(document: Record<string, unknown> | null | undefined, options: ResolvedGuardOptions): string {
  if (!document) return ''
  const fandoms = referencedIds(document[options.fandomsField]).join(',')
  const firstChapter = hasBody(document.body) ? '' : (referencedIds(document.chapters)[0] ?? '')
  return `${fandoms}|${firstChapter}`
}

/**
 * The verdict on a document as the editor sees it, shared by the action, badge and inspector: the
 * rules' findings on the live document and its live fandoms (a fandom edited or created beside
 * the story counts at once), plus the document's own schema errors, so all three agree with the
 * built-in Publish.
 */
export function useGuardFindings(
  document: Record<string, unknown> | null | undefined,
  options: ResolvedGuardOptions,
  documentType = 'story',
): GuardFindingsState {
  const client = useClient({apiVersion: GUARD_API_VERSION})
  const documentStore = useDocumentStore()
  const key = contextKey(document, options)
  const [loaded, setLoaded] = useState<LoadedContext | null>(null)
  const [liveFandoms, setLiveFandoms] = useState<{key: string; fandoms: FandomDoc[]} | null>(null)
  const validation = useValidationStatus(typeof document?._id === 'string' ? document._id : '', documentType, true)

  // Loading depends on the key only, not on every keystroke's new document object.
  const latestDocument = useRef(document)
  latestDocument.current = document

  useEffect(() => {
    const current = latestDocument.current
    if (!current) return undefined
    let live = true
    loadCheckContext(client, current, options).then(
      (context) => live && setLoaded({key, context}),
      (error: unknown) => live && setLoaded({key, context: {fandoms: []}, error: String((error as Error)?.message ?? error)}),
    )
    return () => {
      live = false
    }
  }, [client, key, options])

  // The referenced fandoms, live: an edit to one (or one created inline) shows without a reload.
  // One listener per story and set of fandoms, shared by the badge, checklist and action.
  const fandomIds = useMemo(() => referencedIds(document?.[options.fandomsField]), [key]) // eslint-disable-line react-hooks/exhaustive-deps
  useEffect(
    () => watchFandoms(documentStore as unknown as ListeningStore, fandomIds, (fandoms) => setLiveFandoms({key, fandoms})),
    [documentStore, fandomIds, key],
  )

  const markers = validation?.validation
  return useMemo(() => {
    if (!document) return {findings: []}
    if (!loaded || loaded.key !== key) return {findings: null}
    const context = liveFandoms && liveFandoms.key === key ? {...loaded.context, fandoms: liveFandoms.fandoms} : loaded.context
    const rules = guardFindings(document, context, options)
    const schema = schemaFindings(markers as never, GUARDED_FIELDS)
    return {findings: schema.length ? [...schema, ...rules] : rules, error: loaded.error, fandoms: context.fandoms}
  }, [document, loaded, key, options, liveFandoms, markers])
}
