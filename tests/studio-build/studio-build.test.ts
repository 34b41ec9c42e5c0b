/**
 * The build-time changes to sanity's own modules (studio-build/), against the code of the
 * sanity version installed: the fixes apply to it exactly once, and a sanity whose code moved
 * fails the build with a message naming the file to revisit instead of shipping unpatched.
 */
import {readdirSync, readFileSync} from 'node:fs'
import {createRequire} from 'node:module'
import {dirname, join} from 'node:path'
import {describe, expect, test} from 'vitest'
import {isSanityMainModule, withLocalVersionCheck, withoutCloudAssets} from '../../studio-build/offline'
import {isValidationStoreModule, patchValidationStore, VALIDATION_PATCHES} from '../../studio-build/validation-revision'

const sanityLib = join(dirname(createRequire(import.meta.url).resolve('sanity/package.json')), 'lib')
const datastores = readdirSync(sanityLib).filter((name) => /^datastores-.*\.js$/.test(name)).map((name) => join(sanityLib, name))
const storeFile = datastores.find((file) => isValidationStoreModule(file, readFileSync(file, 'utf8')))

describe("sanity's validation store", () => {
  test('the installed sanity has exactly one module holding it', () => {
    expect(datastores.filter((file) => isValidationStoreModule(file, readFileSync(file, 'utf8')))).toHaveLength(1)
  })

  test('the fix applies: markers count as current only once the latest content was validated', () => {
    const patched = patchValidationStore(readFileSync(storeFile!, 'utf8'))
    for (const {find, replace} of VALIDATION_PATCHES) {
      expect(patched).toContain(replace)
      expect(patched).not.toContain(find)
    }
    expect(patched).toContain('validationStatus.isValidating || (contentRevision !== void 0 && validationStatus.revision !== contentRevision)')
  })

  test('code of another shape fails the build, naming the file to revisit', () => {
    expect(() => patchValidationStore('const validation = memoize$1(() => 1)')).toThrow(/studio-build\/validation-revision\.ts/)
    // Applied twice (the second find no longer matches): refused too, never patched twice.
    const once = patchValidationStore(readFileSync(storeFile!, 'utf8'))
    expect(() => patchValidationStore(once)).toThrow(/no longer has the code/)
  })
})

describe('a Studio build that fetches nothing from Sanity', () => {
  test('the version check of the installed sanity is pointed at the lake', () => {
    const main = join(sanityLib, 'index.js')
    expect(isSanityMainModule(main)).toBe(true)
    const patched = withLocalVersionCheck(readFileSync(main, 'utf8'), 'https://localhost:3900/')
    expect(patched).toContain('"https://localhost:3900"}/v1/modules`')
    expect(patched).not.toContain('"https://sanity-cdn.com"}/v1/modules')
    expect(() => withLocalVersionCheck('fetch("https://elsewhere")', 'https://localhost:3900')).toThrow(/studio-build\/offline\.ts/)
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
})
