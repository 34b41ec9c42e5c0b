/**
 * What the Studio shows when the local lake cannot be reached at all. BROWSER-SAFE.
 *
 * A browser that does not trust the lake's local certificate fails every request before the
 * lake can answer, exactly like a machine that is offline, and the Studio would say
 * "Couldn't reach the Sanity servers … check status.sanity.io". Two checks cover it:
 * - `checkLakeOnStart` probes the lake's `/v1/ping` as the Studio loads (its login check
 *   runs without any client request handler, so it must be caught before it runs);
 * - `lakeRequestHandler`, on every Studio client, catches a lake that goes away later.
 * Either replaces the page with the ways out (accept the certificate once at the ping URL,
 * `npm run trust`, or start the lake), probes again every two seconds and reloads the Studio
 * once the lake answers. A held request never settles, so the Studio's own dialog never opens.
 *
 * Plain DOM, not React: it must show before the Studio has rendered anything (the first
 * request to fail is the login check).
 */
import type {RequestHandler} from '@sanity/client'

export const NOTICE_ID = 'lake-unreachable'
const RETRY_MS = 2000

type Request = Parameters<RequestHandler>[0]

function hasHttpAnswer(error: unknown): boolean {
  if (!error || typeof error !== 'object') return false
  const e = error as {statusCode?: unknown; response?: unknown; name?: unknown}
  return typeof e.statusCode === 'number' || (e.response !== undefined && e.response !== null) || e.name === 'AbortError'
}

/** Resolves true when the origin answers at all (an opaque no-cors answer counts). */
export async function lakeAnswers(origin: string): Promise<boolean> {
  try {
    await fetch(`${origin}/v1/ping`, {mode: 'no-cors', cache: 'no-store', credentials: 'omit'})
    return true
  } catch {
    return false
  }
}

function originOf(request: Request): string | undefined {
  const url = (request as {url?: unknown}).url
  if (typeof url !== 'string') return undefined
  try {
    return new URL(url).origin
  } catch {
    return undefined
  }
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, style: string, ...children: Array<Node | string>): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag)
  node.setAttribute('style', style)
  for (const child of children) node.append(child)
  return node
}

const CODE = 'font-family: ui-monospace, SFMono-Regular, Menlo, monospace; background: #f1f3f6; padding: 1px 5px; border-radius: 3px;'

/** Covers the page with the notice (once) and reloads when the lake answers. */
export function showLakeUnreachable(origin: string): void {
  if (document.getElementById(NOTICE_ID)) return
  const ping = `${origin}/v1/ping`
  const link = el('a', 'color: #2276fc; word-break: break-all;', ping)
  link.href = ping
  link.target = '_blank'
  link.rel = 'noopener'
  const panel = el(
    'div',
    'max-width: 40rem; margin: 12vh auto 0; padding: 2rem; background: #fff; border-radius: 8px; box-shadow: 0 2px 12px rgba(0,0,0,.12); line-height: 1.5;',
    el('h1', 'font-size: 1.35rem; margin: 0 0 .75rem;', 'The Studio cannot reach the local Content Lake'),
    el(
      'p',
      'margin: 0 0 1rem;',
      `Requests to ${origin} fail before the lake can answer. Most often this browser does not trust the lake's local certificate yet. Do one of these and this page continues by itself:`,
    ),
    el(
      'ol',
      'margin: 0 0 1rem; padding-left: 1.4rem;',
      el('li', 'margin-bottom: .5rem;', 'Open ', link, ' in a new tab, accept the certificate warning (Advanced, then Proceed), and come back here.'),
      el(
        'li',
        '',
        'Or trust the local certificate authority once: run ',
        el('code', CODE, 'npm run trust'),
        ' in the project folder and restart the browser (it prints the steps for macOS, Windows and Firefox too).',
      ),
    ),
    el('p', 'margin: 0; color: #5c6270;', 'Is the lake running? ', el('code', CODE, 'npm run dev'), ' starts it and prints these addresses.'),
  )
  const notice = el(
    'div',
    'position: fixed; inset: 0; z-index: 2147483647; overflow: auto; background: #f1f3f6; color: #1e2127; font: 16px/1.5 -apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, sans-serif; padding: 1rem;',
    panel,
  )
  notice.id = NOTICE_ID
  notice.setAttribute('role', 'alert')
  document.body.append(notice)
  const retry = async () => {
    if (await lakeAnswers(origin)) window.location.reload()
    else window.setTimeout(retry, RETRY_MS)
  }
  window.setTimeout(retry, RETRY_MS)
}

/**
 * The origin the Studio's clients use for `apiHost`: Sanity clients put the project id in
 * front of the host (https://localhost:3900 -> https://local.localhost:3900).
 */
export function projectOrigin(apiHost: string, projectId: string): string {
  const url = new URL(apiHost)
  url.hostname = `${projectId}.${url.hostname}`
  return url.origin
}

/** In a browser: shows the notice at once when the lake does not answer as the Studio loads. */
export function checkLakeOnStart(origin: string): void {
  if (typeof document === 'undefined' || typeof fetch !== 'function') return
  void lakeAnswers(origin).then((answers) => {
    if (!answers) showLakeUnreachable(origin)
  })
}

/**
 * Wraps a client's request handler (the Studio passes its own) so an unreachable lake shows
 * the notice instead of failing the request.
 */
export function lakeRequestHandler(inner?: RequestHandler): RequestHandler {
  return async (request, next) => {
    try {
      return await (inner ? inner(request, next) : next(request))
    } catch (error) {
      const origin = originOf(request)
      if (hasHttpAnswer(error) || !origin || typeof document === 'undefined' || (await lakeAnswers(origin))) throw error
      showLakeUnreachable(origin)
      // Held for good: the notice reloads the page once the lake answers.
      return new Promise<never>(() => {})
    }
  }
}
