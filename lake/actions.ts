import {LakeError} from './errors'
import {draftIdOf, isVersionId, publishedIdOf} from './ids'
import type {WorkingTransaction} from './transaction'
import type {LakeDocument} from './types'

type Action = Record<string, unknown> & {actionType?: string}

function str(action: Action, field: string, index: number): string {
  const value = action[field]
  if (typeof value !== 'string' || !value) {
    throw new LakeError(400, 'validationError', `Action #${index} (${action.actionType}) needs a string "${field}"`)
  }
  return value
}

function actionError(status: number, description: string, index: number): LakeError {
  return new LakeError(status, 'actionError', description, {items: [{error: {description, type: 'actionError'}, index}]})
}

function copyAs(doc: LakeDocument, id: string): LakeDocument {
  const {_rev: _r, _updatedAt: _u, ...rest} = doc
  return {...rest, _id: id}
}

/**
 * References the Studio wrote as weak while their target was unpublished carry
 * `_strengthenOnPublish`: publishing makes them strong (unless it says `weak: true`), so the
 * published document then needs its targets to exist (references.ts), as in the Content Lake.
 */
function strengthenOnPublish(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(strengthenOnPublish)
  if (!value || typeof value !== 'object') return value
  const record = value as Record<string, unknown>
  if (typeof record._ref === 'string' && record._strengthenOnPublish && typeof record._strengthenOnPublish === 'object') {
    const {_strengthenOnPublish: options, _weak: weak, ...rest} = record
    return (options as {weak?: boolean}).weak ? {...rest, _weak: weak} : rest
  }
  return Object.fromEntries(Object.entries(record).map(([key, inner]) => [key, strengthenOnPublish(inner)]))
}

/**
 * Compiles Actions API requests (what Studio 6 sends) into mutations on the working
 * transaction, so every action in one request commits atomically.
 */
export function applyAction(tx: WorkingTransaction, action: unknown, index: number): void {
  if (!action || typeof action !== 'object') throw new LakeError(400, 'validationError', `Action #${index} is not an object`)
  const a = action as Action
  switch (a.actionType) {
    case 'sanity.action.document.create': {
      const attributes = a.attributes as LakeDocument | undefined
      if (!attributes || typeof attributes !== 'object') throw new LakeError(400, 'validationError', `Action #${index} (create) needs "attributes"`)
      const publishedId = typeof a.publishedId === 'string' ? a.publishedId : publishedIdOf(String(attributes._id ?? ''))
      const id = typeof attributes._id === 'string' ? attributes._id : draftIdOf(publishedId)
      // Neither the draft nor the published document may exist (https://www.sanity.io/docs/http-actions).
      const taken = tx.get(id) ? id : id !== publishedId && tx.get(publishedId) ? publishedId : null
      if (taken) {
        if (a.ifExists === 'ignore') return
        throw actionError(409, `Document "${taken}" already exists`, index)
      }
      tx.apply({create: {...attributes, _id: id}})
      return
    }
    case 'sanity.action.document.edit': {
      const draftId = str(a, 'draftId', index)
      const publishedId = str(a, 'publishedId', index)
      if (!tx.get(draftId)) {
        const published = tx.get(publishedId)
        if (!published) throw actionError(409, `Cannot edit "${publishedId}": neither draft nor published document exists`, index)
        tx.apply({create: copyAs(published, draftId)})
      }
      const patch = a.patch as Record<string, unknown> | undefined
      if (patch && typeof patch === 'object') tx.apply({patch: {...patch, id: draftId}})
      return
    }
    case 'sanity.action.document.publish': {
      const draftId = str(a, 'draftId', index)
      const publishedId = str(a, 'publishedId', index)
      const draft = tx.get(draftId)
      if (!draft) throw actionError(409, `Cannot publish "${publishedId}": no draft "${draftId}"`, index)
      const published = tx.get(publishedId)
      if (typeof a.ifDraftRevisionId === 'string' && a.ifDraftRevisionId !== draft._rev) {
        throw actionError(409, `Draft "${draftId}" has revision "${draft._rev}", expected "${a.ifDraftRevisionId}"`, index)
      }
      if (typeof a.ifPublishedRevisionId === 'string' && a.ifPublishedRevisionId !== published?._rev) {
        throw actionError(409, `Published "${publishedId}" has revision "${published?._rev}", expected "${a.ifPublishedRevisionId}"`, index)
      }
      const next = strengthenOnPublish(copyAs(draft, publishedId)) as LakeDocument
      if (published?._createdAt) next._createdAt = published._createdAt
      tx.apply({createOrReplace: next})
      tx.apply({delete: {id: draftId}})
      return
    }
    case 'sanity.action.document.unpublish': {
      const draftId = str(a, 'draftId', index)
      const publishedId = str(a, 'publishedId', index)
      const published = tx.get(publishedId)
      if (!published) throw actionError(409, `Cannot unpublish "${publishedId}": it is not published`, index)
      if (!tx.get(draftId)) tx.apply({create: copyAs(published, draftId)})
      tx.apply({delete: {id: publishedId}})
      return
    }
    case 'sanity.action.document.discard': {
      const draftId = str(a, 'draftId', index)
      if (!tx.get(draftId)) throw actionError(409, `Cannot discard "${draftId}": no such draft`, index)
      tx.apply({delete: {id: draftId}})
      return
    }
    case 'sanity.action.document.delete': {
      const publishedId = str(a, 'publishedId', index)
      const drafts = Array.isArray(a.includeDrafts) ? (a.includeDrafts as unknown[]).filter((id): id is string => typeof id === 'string') : []
      // Only the drafts listed in includeDrafts go with it (https://www.sanity.io/docs/http-actions).
      const existing = [...new Set([publishedId, ...drafts])].filter((id) => tx.get(id))
      if (existing.length === 0) throw actionError(409, `Cannot delete "${publishedId}": the document does not exist`, index)
      for (const id of existing) tx.apply({delete: {id}})
      return
    }
    case 'sanity.action.document.replaceDraft': {
      const attributes = a.attributes as LakeDocument | undefined
      const publishedId = str(a, 'publishedId', index)
      if (!attributes || typeof attributes !== 'object') throw new LakeError(400, 'validationError', `Action #${index} (replaceDraft) needs "attributes"`)
      // The draft or the published document must already exist (https://www.sanity.io/docs/http-actions).
      const draftId = typeof attributes._id === 'string' ? attributes._id : draftIdOf(publishedId)
      if (!tx.get(draftId) && !tx.get(publishedId)) throw actionError(409, `Cannot replace the draft of "${publishedId}": neither draft nor published document exists`, index)
      tx.apply({createOrReplace: {...attributes, _id: typeof attributes._id === 'string' ? attributes._id : draftIdOf(publishedId)}})
      return
    }
    case 'sanity.action.document.version.create': {
      const publishedId = str(a, 'publishedId', index)
      let doc = a.document as LakeDocument | undefined
      const versionId = typeof a.versionId === 'string' ? a.versionId : doc?._id
      if (!versionId || !isVersionId(versionId)) throw new LakeError(400, 'validationError', `Action #${index} (version.create) needs a "versions." id`)
      if (typeof a.baseId === 'string') {
        const base = tx.get(a.baseId)
        if (!base) throw actionError(409, `Base document "${a.baseId}" not found`, index)
        if (typeof a.ifBaseRevisionId === 'string' && a.ifBaseRevisionId !== base._rev) {
          throw actionError(409, `Base "${a.baseId}" has revision "${base._rev}", expected "${a.ifBaseRevisionId}"`, index)
        }
        doc = copyAs(base, versionId)
      }
      if (!doc) throw new LakeError(400, 'validationError', `Action #${index} (version.create) needs "document" or "baseId" for "${publishedId}"`)
      tx.apply({create: {...doc, _id: versionId}})
      return
    }
    case 'sanity.action.document.version.discard': {
      const versionId = str(a, 'versionId', index)
      if (!tx.get(versionId)) throw actionError(409, `Cannot discard "${versionId}": no such version`, index)
      tx.apply({delete: {id: versionId}})
      return
    }
    case 'sanity.action.document.version.replace': {
      const doc = a.document as LakeDocument | undefined
      if (!doc || typeof doc._id !== 'string') throw new LakeError(400, 'validationError', `Action #${index} (version.replace) needs "document" with _id`)
      tx.apply({createOrReplace: doc})
      return
    }
    case 'sanity.action.document.version.unpublish': {
      const versionId = str(a, 'versionId', index)
      const publishedId = str(a, 'publishedId', index)
      const base = tx.get(versionId) ?? tx.get(publishedId)
      if (!base) throw actionError(409, `Cannot unpublish "${publishedId}" in a release: not found`, index)
      tx.apply({createOrReplace: {...copyAs(base, versionId), _system: {delete: true}}})
      return
    }
    default:
      throw new LakeError(400, 'validationError', `Action #${index} has unknown actionType ${JSON.stringify(a.actionType)}`)
  }
}
