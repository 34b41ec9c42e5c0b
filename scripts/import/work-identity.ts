import type {SanityClient} from '@sanity/client'
import {normaliseWorkUrl, storyIdForKey, titleKey, workKey} from '../../rules'
import {withRetry} from './dataset-sink'
import {decodeSignature} from './near-duplicates'
import {AUTHOR_SEPARATORS} from './documents'
import {workUrlOf} from './source-url'
import {listOf, type ParsedWork, textOf} from './work'

export interface WorkIdentity {
  storyId: string
  /** Canonical URL, stored in `source.url`. */
  url?: string
  /** How the story was found: its URL, its title and first author, its exact bytes, or new. */
  matchedBy: 'url' | 'title' | 'checksum' | 'new'
}

/**
 * Which story a work is. Keys: `url:<canonical url>` first; else `title:<title>|<first author>`,
 * which also finds a work filed from a format that had no URL (an EPUB without its source link
 * next to the HTML that has one) as long as the two don't name different URLs; else the file's
 * bytes, so a file with no identity at all still re-imports to the same story. Stories already in
 * the dataset are known by every key they can be found by (their author's aliases too), and
 * stories from a previous importer version by their checksum.
 */
export class WorkIndex {
  private readonly byKey = new Map<string, string>()
  /** Text signatures of stories already in the dataset, for the near-duplicate check. */
  readonly signatures: Array<{storyId: string; label: string; signature: Uint32Array}> = []
  private readonly urlOf = new Map<string, string | undefined>()

  /** A story already in the dataset (or imported earlier in this run). */
  add(storyId: string, keys: {url?: string; title?: string; authors?: string[]; checksum?: string}): void {
    const id = storyId.replace(/^drafts\./, '')
    const url = keys.url ? normaliseWorkUrl(keys.url) : undefined
    if (url) this.byKey.set(`url:${url}`, id)
    if (!this.urlOf.has(id) || url) this.urlOf.set(id, url)
    for (const author of keys.authors ?? []) {
      const key = titleKey({title: keys.title, firstAuthor: author})
      if (key && !this.byKey.has(key)) this.byKey.set(key, id)
    }
    if (keys.checksum) this.byKey.set(`sha:${keys.checksum}`, id)
  }

  has(storyId: string): boolean {
    return this.urlOf.has(storyId.replace(/^drafts\./, ''))
  }

  resolve(work: ParsedWork, checksum: string): WorkIdentity {
    const rawUrl = workUrlOf(work)
    const url = rawUrl ? normaliseWorkUrl(rawUrl) : undefined
    const title = work.title ?? textOf(work.meta.title)
    const firstAuthor = listOf(work.meta.author, AUTHOR_SEPARATORS)[0]
    const byTitle = titleKey({title, firstAuthor})
    let identity: WorkIdentity
    const sameBytes = this.byKey.get(`sha:${checksum}`)
    const byUrl = url ? this.byKey.get(`url:${url}`) : undefined
    const titled = byTitle ? this.byKey.get(byTitle) : undefined
    if (byUrl) identity = {storyId: byUrl, url, matchedBy: 'url'}
    else if (titled && !(url && this.urlOf.get(titled))) identity = {storyId: titled, url: url ?? this.urlOf.get(titled), matchedBy: 'title'}
    else if (sameBytes) identity = {storyId: sameBytes, url, matchedBy: 'checksum'}
    else {
      const key = workKey({url, title, firstAuthor})
      identity = {storyId: key ? storyIdForKey(key) : `story.${checksum.slice(0, 20)}`, url, matchedBy: 'new'}
    }
    this.add(identity.storyId, {url: identity.url, title, authors: firstAuthor ? [firstAuthor] : [], checksum})
    return identity
  }
}

/** Loads every story's keys from the dataset (ids, URLs, titles with author names and aliases, checksums). */
export async function loadWorkIndex(client: SanityClient, index: WorkIndex): Promise<void> {
  const rows = await withRetry(() =>
    client.fetch<Array<{_id: string; title?: string; url?: string; checksum?: string; signature?: string; authors?: Array<{name?: string; aliases?: string[]} | null>}>>(
      '*[_type == "story"]{_id, title, "url": source.url, "checksum": source.checksum, "signature": source.textSignature, "authors": [authors[0]->{name, aliases}]}',
      {},
      {perspective: 'raw'},
    ),
  )
  const seen = new Set<string>()
  for (const row of rows) {
    const author = row.authors?.[0]
    index.add(row._id, {url: row.url, title: row.title, checksum: row.checksum, authors: author ? [author.name ?? '', ...(author.aliases ?? [])].filter(Boolean) : []})
    const signature = decodeSignature(row.signature)
    // A draft and its published version are one story: its signature once.
    if (signature && !seen.has(row._id.replace(/^drafts\./, ''))) {
      seen.add(row._id.replace(/^drafts\./, ''))
      index.signatures.push({storyId: row._id.replace(/^drafts\./, ''), label: `"${(row.title ?? '').slice(0, 60)}" (${row._id.replace(/^drafts\./, '')}, already in the dataset)`, signature})
    }
  }
}
