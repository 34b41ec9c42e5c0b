/**
 * The Studio's Vite configuration hook for `sanity.cli.ts` (`vite: studioVite(target)`): the
 * fix to sanity's validation store always, and, against the local lake, a build that fetches
 * nothing from Sanity's cloud. Runs under Node in the Sanity CLI, never in the browser.
 */
import type {InlineConfig, Plugin} from 'vite'
import type {StudioTarget} from '../studio.target'
import {isSanityMainModule, withLocalVersionCheck, withoutCloudAssets} from './offline'
import {isValidationStoreModule, patchValidationStore} from './validation-revision'

/** Transforms sanity's own modules; also given to the dev server's dependency pre-bundling. */
export function sanityModulePatches(target: StudioTarget): Plugin {
  return {
    name: 'fanfic-archive:sanity-module-patches',
    enforce: 'pre',
    transform(code, id) {
      if (isValidationStoreModule(id, code)) return {code: patchValidationStore(code, id), map: null}
      if (target.mode === 'local' && target.apiHost && isSanityMainModule(id)) return {code: withLocalVersionCheck(code, target.apiHost), map: null}
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
