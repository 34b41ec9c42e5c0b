/**
 * The Studio's Vite configuration hook for `sanity.cli.ts` (`vite: studioVite(target)`): the
 * fixes to sanity's document store that the stock Publish needs (always), and against the local
 * lake a Studio that fetches nothing from Sanity's cloud. Runs under Node in the Sanity CLI.
 */
import type {InlineConfig, Plugin} from 'vite'
import type {StudioTarget} from '../studio.target'
import {isSanityMainModule, withLocalCloudUrls, withoutCloudAssets, withoutCloudFonts} from './offline'
import {isDocumentStoreModule, patchDocumentStore} from './publish-fixes'

/** Transforms sanity's own modules; also given to the dev server's dependency pre-bundling. */
export function sanityModulePatches(target: StudioTarget): Plugin {
  return {
    name: 'fanfic-archive:sanity-module-patches',
    enforce: 'pre',
    transform(code, id) {
      if (isDocumentStoreModule(id, code)) return {code: patchDocumentStore(code, id), map: null}
      if (target.mode !== 'local' || !target.apiHost) return null
      if (isSanityMainModule(id)) return {code: withLocalCloudUrls(code, target.apiHost), map: null}
      // @sanity/ui 5's stylesheet loads Inter from design-system-static.sanity.io.
      if (id.split('?')[0].endsWith('.css') && code.includes('.sanity.io/')) return {code: withoutCloudFonts(code), map: null}
      return null
    },
  }
}

/** index.html without the bridge script and cloud fonts (built: the emitted asset; dev: as served). */
export function offlineIndexHtml(): Plugin {
  return {
    name: 'fanfic-archive:offline-index-html',
    enforce: 'post',
    transformIndexHtml: (html) => withoutCloudAssets(html),
    generateBundle(_options, bundle) {
      const index = bundle['index.html']
      if (index?.type === 'asset' && typeof index.source === 'string') index.source = withoutCloudAssets(index.source)
    },
  }
}

export function studioVite(target: StudioTarget): (config: InlineConfig) => InlineConfig {
  return (config) => {
    const patches = sanityModulePatches(target)
    const optimizeDeps = config.optimizeDeps ?? {}
    const rolldownOptions = optimizeDeps.rolldownOptions ?? {}
    const depPlugins = Array.isArray(rolldownOptions.plugins) ? rolldownOptions.plugins : rolldownOptions.plugins ? [rolldownOptions.plugins] : []
    return {
      ...config,
      plugins: [...(config.plugins ?? []), patches, ...(target.mode === 'local' ? [offlineIndexHtml()] : [])],
      // `sanity dev` pre-bundles sanity, so the transform must run in that bundler too.
      optimizeDeps: {...optimizeDeps, rolldownOptions: {...rolldownOptions, plugins: [...depPlugins, patches as never]}},
    }
  }
}
