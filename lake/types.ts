/** A stored document: Sanity guarantees `_id` and `_type`; the lake adds `_rev`, `_createdAt`, `_updatedAt`. */
export interface LakeDocument {
  _id: string
  _type: string
  _rev?: string
  _createdAt?: string
  _updatedAt?: string
  [field: string]: unknown
}

/** `raw`, `published`, `drafts`, or a release stack such as `['rA', 'drafts']` (highest priority first). */
export type Perspective = 'raw' | 'published' | 'drafts' | readonly string[]

export type Transition = 'appear' | 'update' | 'disappear'

/** One document's change inside a committed transaction. */
export interface DocumentChange {
  id: string
  before: LakeDocument | null
  after: LakeDocument | null
  transition: Transition
}

/** What listeners receive for every committed transaction, in commit order. */
export interface CommittedTransaction {
  dataset: string
  transactionId: string
  timestamp: string
  identity: string
  changes: DocumentChange[]
  /** The mutations as applied (see WorkingTransaction.submitted); absent for transactions stored before they were kept. */
  mutations?: unknown[]
}
