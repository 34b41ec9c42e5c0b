/**
 * The live rows of a story's fandoms, shared: the badge, the checklist and the Publish action of
 * one open story each ask for them, and they all get one listener on the document store, not one
 * each. The listener closes when the last of them goes; one that joins late gets the last rows at once.
 */
import {FANDOMS_QUERY, idsWithDrafts, pickFandoms} from './fandoms'
import {GUARD_API_VERSION} from './options'
import type {FandomDoc} from './types'

interface Subscription {
  unsubscribe(): void
}

/** The part of Sanity's document store used here. */
export interface ListeningStore {
  listenQuery(
    query: {fetch: string; listen: string},
    params: Record<string, unknown>,
    options: Record<string, unknown>,
  ): {subscribe(observer: {next: (value: unknown) => void; error: (error: unknown) => void}): Subscription}
}

type Listener = (fandoms: FandomDoc[]) => void

interface Shared {
  listeners: Set<Listener>
  last?: FandomDoc[]
  subscription?: Subscription
}

const byStore = new WeakMap<object, Map<string, Shared>>()

/** Calls `onRows` with the fandoms (drafts winning, in the given order) now and on every change; returns the stop function. */
export function watchFandoms(store: ListeningStore, fandomIds: readonly string[], onRows: Listener): () => void {
  if (fandomIds.length === 0) return () => undefined
  let watches = byStore.get(store)
  if (!watches) {
    watches = new Map()
    byStore.set(store, watches)
  }
  const key = fandomIds.join('\n')
  let shared = watches.get(key)
  if (!shared) {
    const entry: Shared = {listeners: new Set()}
    shared = entry
    watches.set(key, entry)
    entry.subscription = store
      .listenQuery({fetch: FANDOMS_QUERY, listen: '*[_id in $ids]'}, {ids: idsWithDrafts(fandomIds)}, {apiVersion: GUARD_API_VERSION, perspective: 'raw', tag: 'publishing-guard.fandoms'})
      .subscribe({
        next: (rows) => {
          entry.last = pickFandoms(Array.isArray(rows) ? (rows as FandomDoc[]) : [], fandomIds)
          for (const listener of [...entry.listeners]) listener(entry.last)
        },
        // The loaded context keeps the verdict going; a lost listener only stops live updates.
        error: () => undefined,
      })
  }
  const entry = shared
  entry.listeners.add(onRows)
  if (entry.last) onRows(entry.last)
  return () => {
    if (!entry.listeners.delete(onRows) || entry.listeners.size > 0) return
    entry.subscription?.unsubscribe()
    if (watches.get(key) === entry) watches.delete(key)
  }
}
