/**
 * `npm run catalogue [-- <file.ndjson>]`: writes the fandom catalogue as NDJSON for a hosted
 * dataset (default: scripts/seed/fandom-catalogue.ndjson, the committed copy). Load it with
 *   sanity dataset import scripts/seed/fandom-catalogue.ndjson production --missing
 * `--missing` creates only documents the dataset lacks, so an editor's changes are never overwritten.
 */
import {writeFileSync} from 'node:fs'
import {fileURLToPath} from 'node:url'
import {catalogueDocuments} from './fandom-catalogue'

export const CATALOGUE_NDJSON = fileURLToPath(new URL('./fandom-catalogue.ndjson', import.meta.url))

export function catalogueNdjson(): string {
  return catalogueDocuments()
    .map((doc) => JSON.stringify(doc))
    .join('\n')
    .concat('\n')
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const out = process.argv[2] ?? CATALOGUE_NDJSON
  const text = catalogueNdjson()
  writeFileSync(out, text)
  process.stdout.write(`wrote ${text.split('\n').length - 1} documents to ${out}\n`)
}
