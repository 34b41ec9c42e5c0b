import {extract, Mutation} from '@sanity/mutator'
import {uuid} from '@sanity/uuid'
import {assertNesting, LakeError, mutationError} from './errors'
import {isValidDocumentId} from './ids'
import type {LakeDocument} from './types'

export type MutationOperation = 'create' | 'update' | 'delete' | 'none'

export interface MutationResult {
  id: string
  operation: MutationOperation
}

/** Resolves a `delete`/`patch` by query to document ids against committed state. */
export type QueryIds = (query: string, params: Record<string, unknown>) => string[]

/**
 * The working state of one lake transaction: mutations apply to a copy-on-write overlay
 * of the committed documents, so a failing mutation leaves the store untouched.
 */
export class WorkingTransaction {
  readonly touched = new Map<string, LakeDocument | null>()
  readonly results: MutationResult[] = []
  /** The mutation (or action, see `actionIndex`) that last touched each document. */
  readonly touchedBy = new Map<string, number>()
  /** Set while an Actions API request compiles into mutations: errors then name the action. */
  actionIndex: number | null = null
  /**
   * The mutations as applied, one per document (patches and deletes by query expanded to ids,
   * actions compiled): what listener events and history report as `mutations`.
   */
  readonly submitted: unknown[] = []
  /** Documents a `createOrReplace` gave another `_type`: a delete then a create, for integrity. */
  readonly retyped = new Set<string>()
  private index = 0

  constructor(
    private readonly read: (id: string) => LakeDocument | null,
    private readonly queryIds: QueryIds,
    private readonly options: {autoGenerateArrayKeys?: boolean} = {},
  ) {}

  get(id: string): LakeDocument | null {
    return this.touched.has(id) ? this.touched.get(id)! : this.read(id)
  }

  private touch(id: string, doc: LakeDocument | null, index: number): void {
    this.touched.set(id, doc)
    this.touchedBy.set(id, this.actionIndex ?? index)
  }

  /** Applies one Sanity mutation object (`{create: ...}`, `{patch: ...}`, ...). */
  apply(mutation: unknown): void {
    const index = this.index++
    if (!mutation || typeof mutation !== 'object' || Array.isArray(mutation)) {
      throw new LakeError(400, 'validationError', `Mutation #${index} is not an object`)
    }
    const entries = Object.entries(mutation as Record<string, unknown>)
    if (entries.length !== 1) {
      throw new LakeError(400, 'validationError', `Mutation #${index} must have exactly one operation key`)
    }
    const [kind, body] = entries[0]
    assertNesting(body, `Mutation #${index}`)
    switch (kind) {
      case 'create':
        return this.create(body, index, 'create')
      case 'createOrReplace':
        return this.create(body, index, 'createOrReplace')
      case 'createIfNotExists':
        return this.create(body, index, 'createIfNotExists')
      case 'delete':
        return this.remove(body, index)
      case 'patch':
        return this.patch(body, index)
      default:
        throw new LakeError(400, 'validationError', `Mutation #${index} has unknown operation "${kind}"`)
    }
  }

  private create(body: unknown, index: number, kind: 'create' | 'createOrReplace' | 'createIfNotExists'): void {
    if (!body || typeof body !== 'object' || Array.isArray(body)) {
      throw new LakeError(400, 'validationError', `Mutation #${index} (${kind}) needs a document object`)
    }
    const doc = structuredClone(body) as LakeDocument
    if (kind === 'create' && (doc._id === undefined || (typeof doc._id === 'string' && doc._id.endsWith('.')))) {
      doc._id = `${doc._id ?? ''}${uuid()}`
    }
    if (!isValidDocumentId(doc._id)) {
      throw new LakeError(400, 'validationError', `Mutation #${index} (${kind}): invalid document id ${JSON.stringify(doc._id)}`)
    }
    if (typeof doc._type !== 'string' || doc._type === '') {
      throw new LakeError(400, 'validationError', `Mutation #${index} (${kind}): document "${doc._id}" needs a string _type`)
    }
    const existing = this.get(doc._id)
    if (existing && kind === 'create') {
      throw mutationError(409, 'documentAlreadyExistsError', `Document by ID "${doc._id}" already exists`, index, {id: doc._id})
    }
    if (existing && kind === 'createIfNotExists') {
      this.results.push({id: doc._id, operation: 'none'})
      return
    }
    this.submitted.push({[kind]: doc})
    // Another `_type` acts as a delete then a create (https://www.sanity.io/docs/http-reference/mutation),
    // refused while strong references point at the document (see references.ts).
    const retyped = Boolean(existing && existing._type !== doc._type)
    if (retyped) this.retyped.add(doc._id)
    if (existing?._createdAt && !retyped && !('_createdAt' in (body as object))) doc._createdAt = existing._createdAt
    if (this.options.autoGenerateArrayKeys) addMissingKeys(doc)
    this.touch(doc._id, doc, index)
    this.results.push({id: doc._id, operation: existing ? 'update' : 'create'})
  }

  private targets(body: Record<string, unknown>, index: number, kind: string): string[] {
    if (typeof body.id === 'string') return [body.id]
    if (typeof body.query === 'string') {
      const params = (body.params ?? {}) as Record<string, unknown>
      return this.queryIds(body.query, params)
    }
    throw new LakeError(400, 'validationError', `Mutation #${index} (${kind}) needs "id" or "query"`)
  }

  private remove(body: unknown, index: number): void {
    if (!body || typeof body !== 'object') throw new LakeError(400, 'validationError', `Mutation #${index} (delete) needs {id} or {query}`)
    for (const id of this.targets(body as Record<string, unknown>, index, 'delete')) {
      const existed = this.get(id) !== null
      if (existed) {
        this.touch(id, null, index)
        this.submitted.push({delete: {id}})
      }
      this.results.push({id, operation: existed ? 'delete' : 'none'})
    }
  }

  private patch(body: unknown, index: number): void {
    if (!body || typeof body !== 'object') throw new LakeError(400, 'validationError', `Mutation #${index} (patch) needs an object`)
    const patch = body as Record<string, unknown>
    for (const id of this.targets(patch, index, 'patch')) {
      const doc = this.get(id)
      if (!doc) {
        throw mutationError(404, 'documentNotFoundError', `Document "${id}" not found`, index, {id})
      }
      if (typeof patch.ifRevisionID === 'string' && patch.ifRevisionID !== doc._rev) {
        throw mutationError(
          409,
          'documentRevisionIDDoesNotMatchError',
          `Document "${id}" has unexpected revision ID ("${doc._rev}"), expected "${patch.ifRevisionID}"`,
          index,
          {id, expectedRevisionId: patch.ifRevisionID, actualRevisionId: doc._rev},
        )
      }
      const {query: _q, params: _p, ifRevisionID: _r, ...operations} = patch
      assertPatchApplies(operations, doc, id, index)
      this.submitted.push({patch: {...operations, id, ...(typeof patch.ifRevisionID === 'string' ? {ifRevisionID: patch.ifRevisionID} : {})}})
      let next: LakeDocument | null
      try {
        next = new Mutation({mutations: [{patch: {...operations, id} as never}]}).apply(doc as never) as LakeDocument | null
      } catch (err) {
        throw mutationError(400, 'invalidPatchError', `Patch on "${id}" failed: ${(err as Error).message}`, index, {id})
      }
      if (!next) throw mutationError(400, 'invalidPatchError', `Patch on "${id}" removed the document`, index, {id})
      if (next === doc) next = {...doc}
      if (next._id !== doc._id || next._type !== doc._type) {
        throw mutationError(400, 'invalidPatchError', `Patch on "${id}" cannot change _id or _type`, index, {id})
      }
      if (this.options.autoGenerateArrayKeys) {
        next = structuredClone(next)
        addMissingKeys(next)
      }
      this.touch(id, next, index)
      this.results.push({id, operation: 'update'})
    }
  }
}

/** The array a `before`/`after`/`replace` insert path points into: `tags[-1]` → `tags`. */
function containerOf(path: string): string | null {
  const match = /^(.+)\[[^[\]]*\]$/.exec(path.trim())
  return match ? match[1] : null
}

/**
 * Operations @sanity/mutator would silently skip, refused the way the Content Lake refuses them
 * (https://www.sanity.io/docs/http-patches): `inc`/`dec` on a value that is not a number, and
 * `insert` into a path that holds no array. Patches may not touch `_id` or `_type` either.
 */
function assertPatchApplies(operations: Record<string, unknown>, doc: LakeDocument, id: string, index: number): void {
  const fail = (why: string) => mutationError(400, 'invalidPatchError', `Patch on "${id}" failed: ${why}`, index, {id})
  for (const op of ['set', 'setIfMissing', 'inc', 'dec', 'diffMatchPatch'] as const) {
    const value = operations[op]
    if (value !== undefined && (!value || typeof value !== 'object' || Array.isArray(value))) throw fail(`${op} needs an object of path: value`)
  }
  if (operations.unset !== undefined && !(Array.isArray(operations.unset) && operations.unset.every((path) => typeof path === 'string'))) {
    throw fail('unset needs an array of paths')
  }
  for (const op of ['set', 'setIfMissing', 'unset'] as const) {
    const value = operations[op]
    const paths = op === 'unset' ? (Array.isArray(value) ? value : []) : value && typeof value === 'object' ? Object.keys(value) : []
    for (const path of paths) {
      if (typeof path === 'string' && /^\s*(_id|_type)\s*$/.test(path)) throw fail(`${op} cannot change ${path.trim()}`)
    }
  }
  for (const op of ['inc', 'dec'] as const) {
    const value = operations[op]
    if (!value || typeof value !== 'object') continue
    for (const [path, amount] of Object.entries(value)) {
      if (typeof amount !== 'number') throw fail(`${op} "${path}" needs a number, got ${JSON.stringify(amount)}`)
      let found: unknown[]
      try {
        found = extract(path, doc)
      } catch {
        continue
      }
      const wrong = found.find((item) => typeof item !== 'number')
      if (wrong !== undefined) throw fail(`cannot ${op} "${path}": it holds ${typeof wrong === 'object' ? (Array.isArray(wrong) ? 'an array' : wrong === null ? 'null' : 'an object') : `a ${typeof wrong}`}, not a number`)
    }
  }
  const insert = operations.insert as Record<string, unknown> | undefined
  if (insert && typeof insert === 'object') {
    const path = [insert.before, insert.after, insert.replace].find((p): p is string => typeof p === 'string')
    if (!path) throw fail('insert needs "before", "after" or "replace" and "items"')
    if (!Array.isArray(insert.items)) throw fail('insert needs an "items" array')
    const container = containerOf(path)
    let arrays: unknown[] = []
    try {
      arrays = container ? extract(container, doc).filter(Array.isArray) : []
    } catch {
      arrays = []
    }
    if (arrays.length === 0) throw fail(`cannot insert at "${path}": no array at ${container ? `"${container}"` : 'that path'}`)
  }
}

function addMissingKeys(value: unknown): void {
  if (Array.isArray(value)) {
    for (const item of value) {
      if (item && typeof item === 'object' && !Array.isArray(item) && !('_key' in item)) {
        ;(item as Record<string, unknown>)._key = uuid().replace(/-/g, '').slice(0, 12)
      }
      addMissingKeys(item)
    }
  } else if (value && typeof value === 'object') {
    for (const inner of Object.values(value)) addMissingKeys(inner)
  }
}
