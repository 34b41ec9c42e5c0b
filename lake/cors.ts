/**
 * Browser origins allowed by default: any page served from this machine's loopback names
 * (the Studio on http://localhost:3333, the reader site, `https://<project>.localhost:<port>`).
 * Nothing off-machine can reach a loopback-bound lake anyway; this keeps other sites the
 * browser has open from reading drafts with the editor's credentials.
 */
const LOCAL_ORIGIN = /^https?:\/\/(localhost|127\.0\.0\.1|\[::1\]|[a-z0-9-]+\.localhost)(:\d{1,5})?$/

export function isAllowedOrigin(origin: string, extra: readonly string[] = []): boolean {
  return extra.includes(origin) || LOCAL_ORIGIN.test(origin)
}

export const ALLOWED_METHODS = 'GET, POST, PUT, PATCH, DELETE, OPTIONS'
export const ALLOWED_HEADERS =
  'authorization, content-type, last-event-id, x-sanity-app, x-sanity-project-id, cache-control, accept, x-requested-with'

const LOCAL_HOST = /^(localhost|127\.\d{1,3}\.\d{1,3}\.\d{1,3}|\[::1\]|::1|[a-z0-9-]+\.localhost)$/i

/**
 * Host names the lake answers to: loopback names only (and the hosts of extra allowed origins),
 * so a page whose own name was rebound to 127.0.0.1 gets nothing.
 */
export function isAllowedHost(hostname: string, extraOrigins: readonly string[] = []): boolean {
  if (LOCAL_HOST.test(hostname)) return true
  return extraOrigins.some((origin) => {
    try {
      return new URL(origin).hostname === hostname
    } catch {
      return false
    }
  })
}
