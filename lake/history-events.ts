import {draftIdOf, publishedIdOf} from './ids'
import type {CommittedTransaction} from './types'

/** One entry of `/data/history/:dataset/events/documents/:id`, as Studio 6's history panel reads it. */
export interface DocumentEvent {
  type: 'createDocumentVersion' | 'publishDocumentVersion' | 'unpublishDocument' | 'deleteDocumentVersion' | 'deleteDocumentGroup'
  documentId: string
  timestamp: string
  author: string
  revisionId?: string
  versionId?: string
  versionRevisionId?: string
}

/**
 * Derives the lifecycle events (create, publish, unpublish, discard, delete) of a document
 * from its transactions, as seen from the variant asked for (`documentId`: draft or published). Edits are not listed: the Studio builds those from the transaction log.
 * Newest first.
 */
export function documentEvents(documentId: string, log: CommittedTransaction[]): DocumentEvent[] {
  const publishedId = publishedIdOf(documentId)
  const draftId = draftIdOf(documentId)
  const events: DocumentEvent[] = []
  for (const tx of log) {
    const pub = tx.changes.find((c) => c.id === publishedId)
    const draft = tx.changes.find((c) => c.id === draftId)
    const base = {documentId: publishedId, timestamp: tx.timestamp, author: tx.identity}
    if (pub && pub.transition !== 'disappear' && draft?.transition === 'disappear') {
      events.push({...base, type: 'publishDocumentVersion', revisionId: tx.transactionId, versionId: draftId, versionRevisionId: draft.before?._rev})
    } else if (pub?.transition === 'disappear' && draft?.transition === 'appear') {
      events.push({...base, type: 'unpublishDocument', versionId: draftId, versionRevisionId: tx.transactionId})
    } else if (pub?.transition === 'disappear') {
      events.push({...base, type: 'deleteDocumentGroup'})
    } else if (draft?.transition === 'appear') {
      events.push({...base, type: 'createDocumentVersion', versionId: draftId, versionRevisionId: tx.transactionId})
    } else if (pub?.transition === 'appear' && documentId === publishedId) {
      // Only the published variant's own history: a draft's history that began with it would
      // make the Studio say "Draft created" about a document that never had a draft.
      events.push({...base, type: 'createDocumentVersion', revisionId: tx.transactionId})
    } else if (draft?.transition === 'disappear') {
      events.push({...base, type: 'deleteDocumentVersion', versionId: draftId, versionRevisionId: draft.before?._rev})
    }
  }
  return events.reverse()
}
