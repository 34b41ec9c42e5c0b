import {useEffect, useMemo, useRef, useState} from 'react'
import {useClient} from 'sanity'
import type {Finding} from '../../rules'
import {hasBody, loadCheckContext, type CheckContext} from './checkContext'
import {referencedIds} from './fandoms'
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
}

/** What the loaded context depends on; the context is reloaded only when this changes. */
function contextKey(document: Record<string, unknown> | null | undefined, options: ResolvedGuardOptions): string {
  if (!document) return ''
  const fandoms = referencedIds(document[options.fandomsField]).join(',')
  const firstChapter = hasBody(document.body) ? '' : (referencedIds(document.chapters)[0] ?? '')
  return `${fandoms}|${firstChapter}`
}

/** The rules' findings for a document as the editor sees it, shared by the action, badge and inspector. */
export function useGuardFindings(document: Record<string, unknown> | null | undefined, options: ResolvedGuardOptions): GuardFindingsState {
  const client = useClient({apiVersion: GUARD_API_VERSION})
  const key = contextKey(document, options)
  const [loaded, setLoaded] = useState<LoadedContext | null>(null)

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

  return useMemo(() => {
    if (!document) return {findings: []}
    if (!loaded || loaded.key !== key) return {findings: null}
    return {findings: guardFindings(document, loaded.context, options), error: loaded.error}
  }, [document, loaded, key, options])
}
