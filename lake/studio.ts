/**
 * Studio wiring for the local Content Lake. BROWSER-SAFE: no Node imports; it is bundled
 * into the Studio by `sanity dev` / `sanity build`.
 *
 * How the Studio authenticates without a login screen (checked against sanity 6.16's
 * `_createAuthStore` / `getAuthStore`):
 * - Every client the Studio makes, the auth store's included, comes from the workspace's
 *   `unstable_clientFactory`. Ours adds the lake token (SANITY_STUDIO_LAKE_TOKEN, embedded by
 *   the Sanity CLI at dev/build time from the environment; `npm run dev` and the e2e setup
 *   set it from the data folder, it is never committed) to each of them, so the auth probe
 *   `GET /users/me` and every read, listener and action carry `Authorization: Bearer`.
 * - `auth.loginMethod: 'token'` keeps the auth store off cookies: with the default 'dual'
 *   method token-less clients send credentials, which a cross-origin lake would have to
 *   answer with credentialed CORS.
 * The alternative, writing `__studio_auth_token_local` into localStorage, needs a script
 * to run before the Studio boots and leaves the token in the browser profile; the factory
 * keeps it in the bundle that is served from loopback only.
 *
 * Every client also carries `lakeRequestHandler` (lake/unreachable.ts), which explains an
 * unreachable lake (an untrusted certificate, or no lake running) instead of blaming the network.
 *
 * `apiHost` is the lake's https URL; with projectId 'local' the client addresses
 * https://local.localhost:<port>, which Chromium resolves to loopback by itself.
 */
import {createClient, type ClientConfig, type SanityClient} from '@sanity/client'
import type {WorkspaceOptions} from 'sanity'
import type {StudioTarget} from '../studio.target'
import {checkLakeOnStart, lakeRequestHandler, projectOrigin} from './unreachable'

type Env = Record<string, string | undefined>

export interface LocalLakeWorkspaceOptions extends Pick<WorkspaceOptions, 'tasks' | 'scheduledPublishing' | 'announcements'> {
  apiHost?: string
  auth?: {loginMethod: 'token'}
  unstable_clientFactory?: (options: ClientConfig) => SanityClient
  document?: {comments?: {enabled: boolean}}
}

/**
 * Studio features that need Sanity's hosted services (a comments/tasks add-on dataset, the
 * scheduling API, announcements), off against the lake. Each one costs a story being
 * opened a lazily loaded chunk or a listener and queries that can only come back empty: the
 * tasks layout wraps the whole form, so its chunk had to load before the form's own.
 */
export const HOSTED_ONLY_FEATURES_OFF = {
  tasks: {enabled: false},
  scheduledPublishing: {enabled: false},
  announcements: {enabled: false},
  document: {comments: {enabled: false}},
} satisfies Partial<LocalLakeWorkspaceOptions>

/**
 * The environment as the Studio sees it. In the browser bundle `process` does not exist and
 * Vite exposes SANITY_STUDIO_* variables on `import.meta.env`; under Node (the CLI loading
 * sanity.config.ts) `process.env` has them.
 */
export function studioEnv(): Env {
  const viteEnv = (import.meta as unknown as {env?: Env}).env
  const nodeEnv = typeof process !== 'undefined' && process.env ? (process.env as Env) : undefined
  return {...nodeEnv, ...viteEnv}
}

/** Wraps a client factory so that every client it makes carries the lake token. */
export function withLakeToken(
  token: string | undefined,
  factory: (options: ClientConfig) => SanityClient = createClient,
): (options: ClientConfig) => SanityClient {
  if (!token) return factory
  return (options) => factory({...options, token, ignoreBrowserTokenWarning: true, withCredentials: false})
}

/**
 * Wraps a client factory so that an unreachable lake (most often a certificate this browser
 * does not trust yet) shows what to do instead of Sanity's "Couldn't reach the Sanity servers"
 * (see lake/unreachable.ts). The Studio's own request handler stays inside ours.
 */
export function withLakeReachability(
  factory: (options: ClientConfig) => SanityClient = createClient,
): (options: ClientConfig) => SanityClient {
  return (options) => factory({...options, requestHandler: lakeRequestHandler(options.requestHandler)})
}

/**
 * Partial workspace options to spread into `defineConfig` in local mode; `{}` in hosted
 * mode, so the hosted Studio keeps Sanity's own login. In a browser it also checks that the
 * lake answers before the Studio's first request (see lake/unreachable.ts).
 */
export function localLakeWorkspace(target: StudioTarget, env: Env = studioEnv()): LocalLakeWorkspaceOptions {
  if (target.mode !== 'local') return {}
  const token = env.SANITY_STUDIO_LAKE_TOKEN?.trim() || undefined
  if (target.apiHost) checkLakeOnStart(projectOrigin(target.apiHost, target.projectId))
  return {
    ...HOSTED_ONLY_FEATURES_OFF,
    apiHost: target.apiHost,
    auth: {loginMethod: 'token'},
    unstable_clientFactory: withLakeToken(token, withLakeReachability()),
  }
}
