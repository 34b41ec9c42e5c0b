/**
 * The archive's fandom catalogue for the site's publishing checks: with it a disclaimer naming
 * another fandom's owner is caught here as in the Studio. A few hundred small rows, read once a
 * minute per client at most, so a list page costs no extra request most of the time.
 */
import type {SanityClient} from '@sanity/client'
import {catalogueQuery} from '../queries'
import {catalogueFromRows, type CatalogueRows, type FandomCatalogue} from '../rules'

/** How long a read catalogue is used; an editor's change to a fandom's owners shows within it. */
export const CATALOGUE_TTL_MS = 60_000

interface Entry {
  at: number
  promise: Promise<FandomCatalogue>
}

export function createCatalogueCache(ttlMs = CATALOGUE_TTL_MS, now: () => number = Date.now) {
  const entries = new WeakMap<SanityClient, Entry>()
  return function catalogueFor(client: SanityClient): Promise<FandomCatalogue> {
    const hit = entries.get(client)
    if (hit && now() - hit.at < ttlMs) return hit.promise
    const entry: Entry = {at: now(), promise: client.fetch<CatalogueRows | null>(catalogueQuery).then(catalogueFromRows)}
    entries.set(client, entry)
    // A failed read must not stick: the next page asks again (and this one reports the failure).
    entry.promise.catch(() => {
      if (entries.get(client) === entry) entries.delete(client)
    })
    return entry.promise
  }
}

export const catalogueFor = createCatalogueCache()
