/**
 * Where the Studio, the site and the scripts send their requests. With no
 * SANITY_STUDIO_PROJECT_ID the embedded default is used: the local Content Lake on loopback.
 * Browser-safe: reads only the env object it is given.
 */
export interface StudioTarget {
  mode: 'local' | 'hosted'
  projectId: string
  dataset: string
  /** Only in local mode: the lake's base URL, e.g. https://localhost:3900 */
  apiHost?: string
}

export const LOCAL_PROJECT_ID = 'local'
export const DEFAULT_DATASET = 'production'
export const DEFAULT_LAKE_PORT = 3900

export function studioTarget(env: Record<string, string | undefined>): StudioTarget {
  const projectId = env.SANITY_STUDIO_PROJECT_ID?.trim()
  const dataset = env.SANITY_STUDIO_DATASET?.trim() || DEFAULT_DATASET
  if (projectId) return {mode: 'hosted', projectId, dataset}
  const apiHost = env.SANITY_STUDIO_LAKE_URL?.trim() || `https://localhost:${DEFAULT_LAKE_PORT}`
  return {mode: 'local', projectId: LOCAL_PROJECT_ID, dataset, apiHost}
}
