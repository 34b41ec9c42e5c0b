/**
 * What the Studio fetches from Sanity's cloud whatever its configuration says (sanity 6.16,
 * checked in @sanity/cli-build and sanity/lib), and what the local build does instead:
 *
 * - `sanity build`/`dev` write `<script src="https://core.sanity-cdn.com/bridge.js">` into
 *   index.html (cli-build `decorateIndexWithBridgeScript`, no option outside Sanity's own
 *   workbench apps). It connects a Studio embedded in Sanity's dashboard; on loopback there is
 *   none, so the tag is removed.
 * - The default document's `@font-face` rules load Inter from studio-static.sanity.io, and
 *   @sanity/ui 5's stylesheet from design-system-static.sanity.io. They are removed: the theme's
 *   font stack then falls back to the system UI font.
 * - The version check (`PackageVersionStatusProvider`) fetches
 *   `https://sanity-cdn.com/v1/modules/sanity/latest/^<version>/t<time>` on start and every
 *   15 minutes, unconditionally. Against the local lake its base URL becomes the lake's, which
 *   answers that the newest version it knows of is the one running (lake/handler.ts `modules`).
 * - The help menu probes the feedback tunnel `https://api.sanity.io/vX/intake/feedback` each
 *   time it mounts (`useFeedbackAvailable`), and sends an editor's feedback there. It becomes
 *   the lake's, which answers that it collects no feedback, so the Studio hides the option.
 */

const BRIDGE_SCRIPT = /<script\b[^>]*\bsrc="https:\/\/core\.sanity-cdn\.(?:com|work)\/bridge\.js"[^>]*>\s*<\/script>\s*/g
const CLOUD_FONT_FACE = /@font-face\s*\{[^{}]*https:\/\/(?:studio-static|design-system-static)\.sanity\.io\/[^{}]*\}\s*/g

/** A stylesheet without the `@font-face` rules that load fonts from Sanity's servers. */
export function withoutCloudFonts(css: string): string {
  return css.replace(CLOUD_FONT_FACE, '')
}

/** index.html without the bridge script and the fonts from Sanity's servers. */
export function withoutCloudAssets(html: string): string {
  return withoutCloudFonts(html.replace(BRIDGE_SCRIPT, ''))
}

/** The version check's base URL and the feedback tunnel, as sanity's code spells them. */
export const MODULES_URL_CODE = '"https://sanity-cdn.com"}/v1/modules`'
export const FEEDBACK_URL_CODE = 'FEEDBACK_TUNNEL_URL = "https://api.sanity.io/vX/intake/feedback"'

/** Sanity's main module, where the version check lives. */
export function isSanityMainModule(id: string): boolean {
  return /[\\/]sanity[\\/]lib[\\/]index\.js$/.test(id.split('?')[0])
}

function replaceOnce(code: string, find: string, replace: string, what: string): string {
  const at = code.indexOf(find)
  if (at < 0) throw new Error(`studio-build/offline.ts: sanity's ${what} URL moved; find where it is fetched now and point it at the lake again.`)
  return code.slice(0, at) + replace + code.slice(at + find.length)
}

/**
 * sanity's main module with the version check and the feedback tunnel pointed at `baseUrl` (the
 * lake); throws, naming this file, when sanity's code no longer has either URL.
 */
export function withLocalCloudUrls(code: string, baseUrl: string): string {
  const base = baseUrl.replace(/\/+$/, '')
  const versioned = replaceOnce(code, MODULES_URL_CODE, `${JSON.stringify(base)}}/v1/modules\``, 'version check')
  return replaceOnce(versioned, FEEDBACK_URL_CODE, `FEEDBACK_TUNNEL_URL = ${JSON.stringify(`${base}/vX/intake/feedback`)}`, 'feedback tunnel')
}
