/**
 * Referential integrity, as the Content Lake keeps it: a strong reference (`_ref` without
 * `_weak: true`) must point at a document that exists once the transaction is applied, and a
 * document cannot be deleted while another document holds a strong reference to it.
 * https://www.sanity.io/docs/reference-type ("Weak references") and the `mutationError` item
 * types `documentReferenceDoesNotExistError` / `documentHasExistingReferencesError`.
 */
import {mutationError} from './errors'
import type {LakeDocument} from './types'

/** Ids `value` references strongly, in document order. */
export function strongReferences(value: unknown, out: Set<string> = new Set()): Set<string> {
  if (Array.isArray(value)) {
    for (const item of value) strongReferences(item, out)
  } else if (value && typeof value === 'object') {
    const record = value as Record<string, unknown>
    if (typeof record._ref === 'string' && record._weak !== true) out.add(record._ref)
    for (const [key, inner] of Object.entries(record)) {
      if (key !== '_ref' && inner && typeof inner === 'object') strongReferences(inner, out)
    }
  }
  return out
}

export interface IntegrityInput {
  /** Every document the transaction touched, with its state after the transaction (null: deleted). */
  touched: ReadonlyMap<string, LakeDocument | null>
  /** Committed state before the transaction. */
  before(id: string): LakeDocument | null
  /** State after the transaction (touched documents first, then committed ones). */
  after(id: string): LakeDocument | null
  /** Ids of committed documents that hold any `_ref` to `id` (a superset is fine). */
  referencing(id: string): Iterable<string>
  /** Skip checking that new strong references resolve (an import checks them once all batches are in). */
  deferTargets?: boolean
  /** Documents replaced by one of another `_type`: checked like deletions. */
  retyped?: ReadonlySet<string>
  /** Index of the mutation (or action) that last touched `id`, for the error's `items[].index`. */
  indexOf(id: string): number
}

/** Throws the Content Lake's 409 `mutationError` when the transaction would break a strong reference. */
export function assertReferentialIntegrity(input: IntegrityInput): void {
  for (const [id, doc] of input.deferTargets ? [] : input.touched) {
    if (!doc) continue
    const previous = input.before(id)
    const previousRefs = previous ? strongReferences(previous) : null
    for (const ref of strongReferences(doc)) {
      // Only references this transaction added or strengthened are checked here (deleting the
      // target of a kept one is caught below), so a dangling reference stored before the lake
      // enforced integrity does not block unrelated edits to its document.
      if (previousRefs?.has(ref)) continue
      if (!input.after(ref)) {
        throw mutationError(409, 'documentReferenceDoesNotExistError', `Document "${id}" references non-existent document "${ref}"`, input.indexOf(id), {
          id,
          referenceID: ref,
        })
      }
    }
  }
  for (const [id, doc] of input.touched) {
    if ((doc && !input.retyped?.has(id)) || !input.before(id)) continue
    const holders: string[] = []
    const candidates = new Set(input.referencing(id))
    for (const touchedId of input.touched.keys()) candidates.add(touchedId)
    for (const holderId of candidates) {
      if (holderId === id) continue
      const holder = input.after(holderId)
      if (holder && strongReferences(holder).has(id)) holders.push(holderId)
    }
    if (holders.length > 0) {
      if (doc) {
        throw mutationError(409, 'documentHasExistingReferencesError', `Document "${id}" cannot change its type as there are references to it from "${holders[0]}"`, input.indexOf(id), {
          id,
          referencingIDs: holders,
        })
      }
      throw mutationError(
        409,
        'documentHasExistingReferencesError',
        `Document "${id}" cannot be deleted as there are references to it from "${holders[0]}"`,
        input.indexOf(id),
        {id, referencingIDs: holders},
      )
    }
  }
}
