// @vitest-environment jsdom
import {act} from 'react'
import {createRoot} from 'react-dom/client'
import type {DocumentBadgeComponent, DocumentBadgeDescription, DocumentBadgeProps} from 'sanity'
import {afterEach, describe, expect, it, vi} from 'vitest'
import {fakeClient} from '../helpers/validateAsStudio'

// The Studio hands the badge a client for its project; here it reads these documents.
const lake = [
  {_id: 'fandom.salt', _type: 'fandom', title: 'The Saltmarsh Chronicles', rightsHolders: [{_type: 'reference', _ref: 'rightsHolder.maren-holt', _key: 'h0'}]},
  {_id: 'rightsHolder.maren-holt', _type: 'rightsHolder', name: 'Maren Holt'},
]
// No live listener and no schema errors here: the lake rows above are the whole truth.
vi.mock('sanity', async (importOriginal) => ({
  ...(await importOriginal<typeof import('sanity')>()),
  useClient: () => client,
  useDocumentStore: () => ({listenQuery: () => ({subscribe: () => ({unsubscribe: () => undefined})})}),
  useValidationStatus: () => ({isValidating: false, validation: []}),
}))
const client = fakeClient(lake)

const {guardBadges} = await import('../../plugins/publishing-guard/badges')
const {resolveGuardOptions} = await import('../../plugins/publishing-guard/options')

;(globalThis as {IS_REACT_ACT_ENVIRONMENT?: boolean}).IS_REACT_ACT_ENVIRONMENT = true

let unmount: (() => void) | undefined
afterEach(() => unmount?.())

/** Renders the badge component as the Studio would and returns what it describes, once settled. */
async function renderBadge(Badge: DocumentBadgeComponent, draft: Record<string, unknown>): Promise<DocumentBadgeDescription | null> {
  let shown: DocumentBadgeDescription | null = null
  function Probe() {
    shown = Badge({id: 'story.s', type: 'story', draft, published: null, version: null, liveEdit: false} as unknown as DocumentBadgeProps)
    return null
  }
  const root = createRoot(document.createElement('div'))
  unmount = () => act(() => root.unmount())
  await act(async () => root.render(<Probe />))
  // The fandoms load asynchronously; wait until the badge has settled.
  for (let i = 0; i < 50 && shown === null; i++) await act(() => new Promise((done) => setTimeout(done, 10)))
  return shown
}

const story = {
  _id: 'drafts.story.s',
  _type: 'story',
  fandoms: [{_type: 'reference', _key: 'f', _ref: 'fandom.salt'}],
  disclaimer: 'The Saltmarsh Chronicles belong to Maren Holt. I own nothing.',
  summary: 'Maud reads the keeper’s ledger in one evening and finally understands the light.',
}

describe('the badges resolver', () => {
  const existing: DocumentBadgeComponent[] = [() => ({label: 'Live'})]
  const resolve = guardBadges(resolveGuardOptions({levels: {'summary.all-caps': 'error'}}))

  it.each([
    ['a passing story', story, {label: 'Ready to publish', color: 'success'}],
    ['a story without a disclaimer', {...story, disclaimer: ''}, {label: 'Needs disclaimer', color: 'danger'}],
    ['a check the options raised to an error', {...story, summary: story.summary.toUpperCase()}, {label: 'Summary in all caps', color: 'danger'}],
  ])('adds, after the others, a badge that shows %s', async (_name, draft, badge) => {
    const next = resolve(existing, {schemaType: 'story'})
    expect(next).toHaveLength(2)
    expect(next[0]).toBe(existing[0])
    expect(await renderBadge(next[1], draft)).toMatchObject(badge)
  })

  it.each(['author', 'fandom', 'chapter'])('returns prev itself for %s', (schemaType) => {
    expect(resolve(existing, {schemaType})).toBe(existing)
  })
})
