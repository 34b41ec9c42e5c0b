/** Sanity's id conventions: `drafts.<id>` for drafts, `versions.<release>.<id>` for release versions. */
export const DRAFTS_PREFIX = 'drafts.'
export const VERSIONS_PREFIX = 'versions.'

export function isDraftId(id: string): boolean {
  return id.startsWith(DRAFTS_PREFIX)
}

export function isVersionId(id: string): boolean {
  return id.startsWith(VERSIONS_PREFIX)
}

export function isPublishedId(id: string): boolean {
  return !isDraftId(id) && !isVersionId(id)
}

/** The published id a draft or version belongs to. */
export function publishedIdOf(id: string): string {
  if (isDraftId(id)) return id.slice(DRAFTS_PREFIX.length)
  if (isVersionId(id)) {
    const rest = id.slice(VERSIONS_PREFIX.length)
    const dot = rest.indexOf('.')
    return dot === -1 ? rest : rest.slice(dot + 1)
  }
  return id
}

export function draftIdOf(id: string): string {
  return DRAFTS_PREFIX + publishedIdOf(id)
}

export function versionIdOf(release: string, id: string): string {
  return `${VERSIONS_PREFIX}${release}.${publishedIdOf(id)}`
}

/** The release name of a `versions.<release>.<id>` id, or null. */
export function releaseOf(id: string): string | null {
  if (!isVersionId(id)) return null
  const rest = id.slice(VERSIONS_PREFIX.length)
  const dot = rest.indexOf('.')
  return dot === -1 ? null : rest.slice(0, dot)
}

const VALID_ID = /^[a-zA-Z0-9_][a-zA-Z0-9_.-]{0,127}$/

export function isValidDocumentId(id: unknown): id is string {
  return typeof id === 'string' && VALID_ID.test(id) && !id.includes('..')
}
