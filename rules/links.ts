/**
 * Which link targets a story may carry. Used by the schema's link validation, the importer's
 * HTML sanitiser and the site's renderer, so a link the Studio rejects never reaches a reader.
 */
export const SAFE_LINK_SCHEMES = ['http', 'https', 'mailto'] as const

export function isSafeLinkHref(href: unknown): href is string {
  if (typeof href !== 'string') return false
  // Browsers ignore control characters and whitespace inside a scheme ("java\tscript:"), so strip them first.
  const cleaned = href.replace(/[\u0000-\u0020\u007f-\u009f]+/g, '').toLowerCase()
  const match = /^([a-z][a-z0-9+.-]*):/.exec(cleaned)
  if (!match) return false
  return (SAFE_LINK_SCHEMES as readonly string[]).includes(match[1])
}
