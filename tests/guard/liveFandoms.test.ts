import {describe, expect, it} from 'vitest'
import {watchFandoms, type ListeningStore} from '../../plugins/publishing-guard/liveFandoms'
import type {FandomDoc} from '../../plugins/publishing-guard/types'

/** A document store at its boundary: records each listenQuery and lets the test push rows. */
function fakeStore() {
  const opened: Array<{params: Record<string, unknown>; push: (rows: unknown) => void; closed: boolean}> = []
  const store: ListeningStore = {
    listenQuery: (_query, params) => ({
      subscribe: ({next}) => {
        const entry = {params, push: next, closed: false}
        opened.push(entry)
        return {unsubscribe: () => void (entry.closed = true)}
      },
    }),
  }
  return {store, opened}
}

const rows = [{_id: 'drafts.fandom.a', title: 'A (draft)'}, {_id: 'fandom.a', title: 'A'}, {_id: 'fandom.b', title: 'B'}]

describe('watchFandoms: one live listener per story, shared by badge, checklist and action', () => {
  it('three watchers of the same fandoms open one listener, and all of them get its rows', () => {
    const {store, opened} = fakeStore()
    const seen: FandomDoc[][][] = [[], [], []]
    const stops = seen.map((list) => watchFandoms(store, ['fandom.a', 'fandom.b'], (fandoms) => list.push(fandoms)))
    expect(opened).toHaveLength(1)
    expect(opened[0]!.params).toEqual({ids: ['fandom.a', 'drafts.fandom.a', 'fandom.b', 'drafts.fandom.b']})
    opened[0]!.push(rows)
    for (const list of seen) expect(list.at(-1)!.map((f) => f.title)).toEqual(['A (draft)', 'B'])
    stops.forEach((stop) => stop())
  })

  it('closes the listener when the last watcher stops, not before', () => {
    const {store, opened} = fakeStore()
    const stopA = watchFandoms(store, ['fandom.a'], () => undefined)
    const stopB = watchFandoms(store, ['fandom.a'], () => undefined)
    stopA()
    expect(opened[0]!.closed).toBe(false)
    stopA()
    expect(opened[0]!.closed).toBe(false)
    stopB()
    expect(opened[0]!.closed).toBe(true)
    // A story opened again listens afresh.
    watchFandoms(store, ['fandom.a'], () => undefined)()
    expect(opened).toHaveLength(2)
  })

  it('a watcher that joins late gets the last rows at once', () => {
    const {store, opened} = fakeStore()
    const stop = watchFandoms(store, ['fandom.b'], () => undefined)
    opened[0]!.push(rows)
    const late: string[][] = []
    const stopLate = watchFandoms(store, ['fandom.b'], (fandoms) => late.push(fandoms.map((f) => f._id)))
    expect(late).toEqual([['fandom.b']])
    expect(opened).toHaveLength(1)
    stop()
    stopLate()
  })

  it('different fandoms, or another store, get listeners of their own; no fandoms, none', () => {
    const {store, opened} = fakeStore()
    const other = fakeStore()
    const stops = [watchFandoms(store, ['fandom.a'], () => undefined), watchFandoms(store, ['fandom.b'], () => undefined), watchFandoms(other.store, ['fandom.a'], () => undefined), watchFandoms(store, [], () => undefined)]
    expect(opened).toHaveLength(2)
    expect(other.opened).toHaveLength(1)
    stops.forEach((stop) => stop())
  })
})
