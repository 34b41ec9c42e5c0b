import {Mutation} from '@sanity/mutator'
import {uuid} from '@sanity/uuid'
import {LakeError, mutationError} from './errors'
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
  private index = 0

  constructor(
    private readonly read: (id: string) => LakeDocument | null,
    private readonly queryIds: QueryIds,
    private readonly options: {autoGenerateArrayKeys?: boolean} = {},
  ) {}

  get(id: string): LakeDocument | null {
    return this.touched.has(id) ? this.touched.get(id)! : this.read(id)
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
    if (existing && existing._type !== doc._type && existing._type) {
      // Sanity refuses to change a document's type through createOrReplace.
      throw mutationError(409, 'documentTypeMismatchError', `Document "${doc._id}" has type "${existing._type}", cannot replace with type "${doc._type}"`, index, {id: doc._id})
    }
    if (existing?._createdAt && !('_createdAt' in (body as object))) doc._createdAt = existing._createdAt
    if (this.options.autoGenerateArrayKeys) addMissingKeys(doc)
    this.touched.set(doc._id, doc)
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
      if (existed) this.touched.set(id, null)
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
      let next: LakeDocument | null
      try {
        next = new Mutation({mutations: [{patch: {...operations, id} as never}]}).apply(doc as never) as LakeDocument | null
      } catch (err) {
        throw mutationError(400, 'invalidPatchError', `Patch on "${id}" failed: ${(err as Error).message}`, index, {id})
      }
      if (!next) throw mutationError(400, 'invalidPatchError', `Patch on "${id}" removed the document`, index, {id})
      if (next === doc) next = {...doc}
      // A patch may not rename or retype a document.
      next._id = doc._id
      next._type = typeof next._type === 'string' && next._type ? next._type : doc._type
      if (this.options.autoGenerateArrayKeys) {
        next = structuredClone(next)
        addMissingKeys(next)
      }
      this.touched.set(id, next)
      this.results.push({id, operation: 'update'})
    }
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
