/**
 * The build-time changes to sanity's own modules (studio-build/), against the code of the
 * sanity version installed: each fix applies exactly once, and a sanity whose code moved fails
 * the build with a message naming the file to revisit instead of shipping unpatched. What the
 * fixes do is shown in a real Studio by tests/e2e/lake-studio.test.ts, which fails without them.
 */
import {readdirSync, readFileSync} from 'node:fs'
import {createRequire} from 'node:module'
import {dirname, join} from 'node:path'
import {describe, expect, test} from 'vitest'
import {isSanityMainModule, withLocalCloudUrls, withoutCloudAssets, withoutCloudFonts} from '../../studio-build/offline'
import {isDocumentStoreModule, patchDocumentStore, PUBLISH_FIXES} from '../../studio-build/publish-fixes'

const sanityLib = join(dirname(createRequire(import.meta.url).resolve('sanity/package.json')), 'lib')
const datastores = readdirSync(sanityLib)
  .filter((name) => /^datastores-.*\.js$/.test(name))
  .map((name) => join(sanityLib, name))
  .filter((file) => isDocumentStoreModule(file, readFileSync(file, 'utf8')))

describe("fixes to sanity's document store", () => {
  test('the installed sanity has exactly one module holding it', () => {
    expect(datastores).toHaveLength(1)
  })

  test('every fix applies to it, once', () => {
    const patched = patchDocumentStore(readFileSync(datastores[0], 'utf8'))
    for (const {find, replace} of PUBLISH_FIXES) {
      expect(patched).toContain(replace)
      expect(patched).not.toContain(find)
    }
    expect(patched).toContain('validationStatus.isValidating || (contentRevision !== void 0 && validationStatus.revision !== contentRevision)')
    expect(patched).toContain('op.operationName === "commit" ? `${op.idPair.publishedId}#commit` : op.idPair.publishedId')
  })

  test('code of another shape fails the build, naming the file and the fix', () => {
    expect(() => patchDocumentStore('const validation = memoize$1(() => 1)')).toThrow(/studio-build\/publish-fixes\.ts.*validation: one throttle/)
    const once = patchDocumentStore(readFileSync(datastores[0], 'utf8'))
    expect(() => patchDocumentStore(once)).toThrow(/no longer has the code/)
  })
})

describe('a Studio build that fetches nothing from Sanity', () => {
  test("the installed sanity's version check and feedback tunnel are pointed at the lake", () => {
    const main = join(sanityLib, 'index.js')
    expect(isSanityMainModule(main)).toBe(true)
    const patched = withLocalCloudUrls(readFileSync(main, 'utf8'), 'https://localhost:3900/')
    expect(patched).toContain('"https://localhost:3900"}/v1/modules`')
    expect(patched).toContain('FEEDBACK_TUNNEL_URL = "https://localhost:3900/vX/intake/feedback"')
    expect(patched).not.toMatch(/sanity-cdn\.com"\}\/v1\/modules|"https:\/\/api\.sanity\.io\/vX\/intake\/feedback"/)
    expect(() => withLocalCloudUrls('fetch("https://elsewhere")', 'https://localhost:3900')).toThrow(/studio-build\/offline\.ts: sanity's version check/)
  })

  test('index.html keeps everything but the bridge script and the cloud fonts', () => {
    // The shape @sanity/cli-build writes (decorateIndexWithBridgeScript, DefaultDocument).
    const html = [
      '<html><head><meta charset="utf-8"/><style>',
      '  @font-face {\n    font-family: Inter;\n    font-weight: 400;\n    src: url("https://studio-static.sanity.io/Inter-Regular.woff2") format("woff2");\n  }',
      '  html, body, #sanity { height: 100%; }',
      '</style><script src="https://core.sanity-cdn.com/bridge.js" async type="module" data-sanity-core></script>\n</head>',
      '<body><div id="sanity"></div><script src="/static/sanity-a1.js" type="module"></script></body></html>',
    ].join('\n')
    const local = withoutCloudAssets(html)
    expect(local).not.toMatch(/sanity-cdn|studio-static/)
    expect(local).toContain('html, body, #sanity { height: 100%; }')
    expect(local).toContain('<script src="/static/sanity-a1.js" type="module"></script>')
  })

  test("@sanity/ui 5's stylesheet (sanity imports it as ui5/styles.css) loses its cloud fonts and nothing else", () => {
    const css = readFileSync(join(dirname(createRequire(join(sanityLib, 'index.js')).resolve('ui5/package.json')), 'dist', 'styles.css'), 'utf8')
    expect(css).toContain('design-system-static.sanity.io')
    const local = withoutCloudFonts(css)
    expect(local).not.toContain('.sanity.io/')
    expect(local.length).toBeGreaterThan(css.length * 0.9)
  })
})
