/**
 * What the Studio fetches from Sanity's cloud whatever its configuration says (sanity 6.16,
 * checked in @sanity/cli-build and sanity/lib), and what the local build does instead:
 *
 * - `sanity build`/`dev` write `<script src="https://core.sanity-cdn.com/bridge.js">` into
 *   index.html (cli-build `decorateIndexWithBridgeScript`, no option outside Sanity's own
 *   workbench apps). It connects a Studio embedded in Sanity's dashboard; on loopback there is
 *   none, so the tag is removed.
 * - The default document's `@font-face` rules load Inter from studio-static.sanity.io. They are
 *   removed: the theme's font stack then falls back to the system UI font.
 * - The version check (`PackageVersionStatusProvider`) fetches
 *   `https://sanity-cdn.com/v1/modules/sanity/latest/^<version>/t<time>` on start and every
 *   15 minutes, unconditionally. Against the local lake its base URL becomes the lake's, which
 *   answers that the newest version it knows of is the one running (lake/handler.ts `modules`).
 */

const BRIDGE_SCRIPT = /<script\b[^>]*\bsrc="https:\/\/core\.sanity-cdn\.(?:com|work)\/bridge\.js"[^>]*>\s*<\/script>\s*/g
const CLOUD_FONT_FACE = /@font-face\s*\{[^{}]*https:\/\/studio-static\.sanity\.io\/[^{}]*\}\s*/g

/** index.html without the bridge script and the fonts from Sanity's servers. */
export function withoutCloudAssets(html: string): string {
  return html.replace(BRIDGE_SCRIPT, '').replace(CLOUD_FONT_FACE, '')
}

/** What the version check's base URL is in sanity's code, and what it becomes. */
export const MODULES_URL_CODE = '"https://sanity-cdn.com"}/v1/modules`'

/** Sanity's main module, where the version check lives. */
export function isSanityMainModule(id: string): boolean {
  return /[\\/]sanity[\\/]lib[\\/]index\.js$/.test(id.split('?')[0])
}

/**
 * The module with the version check pointed at `baseUrl` (the lake); throws, naming this file,
 * when sanity's code no longer has the URL (a new version may check elsewhere).
 */
export function withLocalVersionCheck(code: string, baseUrl: string): string {
  const at = code.indexOf(MODULES_URL_CODE)
  if (at < 0) {
    throw new Error("studio-build/offline.ts: sanity's version check URL moved; find where it is fetched now and point it at the lake again.")
  }
  return code.slice(0, at) + `${JSON.stringify(baseUrl.replace(/\/+$/, ''))}}/v1/modules\`` + code.slice(at + MODULES_URL_CODE.length)
}
