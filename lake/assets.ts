import {createHash} from 'node:crypto'
import {existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync} from 'node:fs'
import {extname, join} from 'node:path'
import {LakeError} from './errors'
import {imageInfo} from './image-size'
import {assertDatasetName, type Store} from './store'
import type {LakeDocument} from './types'

const MIME_BY_EXTENSION: Record<string, string> = {
  png: 'image/png', gif: 'image/gif', jpg: 'image/jpeg', webp: 'image/webp', svg: 'image/svg+xml',
  pdf: 'application/pdf', txt: 'text/plain', html: 'text/html', epub: 'application/epub+zip', md: 'text/markdown',
  json: 'application/json', zip: 'application/zip', mp3: 'audio/mpeg',
}

function assetDir(store: Store, dataset: string): string {
  assertDatasetName(dataset)
  const dir = join(store.dataDir, 'assets', dataset)
  mkdirSync(dir, {recursive: true, mode: 0o700})
  return dir
}

/**
 * Stores an uploaded image/file under the data folder and creates its `sanity.imageAsset` /
 * `sanity.fileAsset` document, deduplicated by SHA-1 like Sanity does.
 */
export function uploadAsset(
  store: Store,
  dataset: string,
  kind: 'images' | 'files',
  body: Buffer,
  filename: string | null,
  baseUrl: string,
  fields: Record<string, unknown> = {},
): LakeDocument {
  if (body.length === 0) throw new LakeError(400, 'validationError', 'Asset upload body is empty')
  const sha1 = createHash('sha1').update(body).digest('hex')
  let id: string
  let fileName: string
  let doc: LakeDocument
  if (kind === 'images') {
    const info = imageInfo(body)
    if (!info) throw new LakeError(400, 'validationError', `Unsupported or corrupt image${filename ? ` "${filename}"` : ''}: expected PNG, JPEG, GIF, WebP or SVG`)
    fileName = `${sha1}-${info.width}x${info.height}.${info.extension}`
    id = `image-${sha1}-${info.width}x${info.height}-${info.extension}`
    doc = {
      _id: id,
      _type: 'sanity.imageAsset',
      assetId: sha1,
      extension: info.extension,
      mimeType: info.mimeType,
      metadata: {
        _type: 'sanity.imageMetadata',
        dimensions: {_type: 'sanity.imageDimensions', width: info.width, height: info.height, aspectRatio: info.width / info.height},
        hasAlpha: info.hasAlpha,
        isOpaque: !info.hasAlpha,
      },
    }
  } else {
    const ext = (extname(filename ?? '').slice(1).toLowerCase() || 'bin').replace(/[^a-z0-9]/g, '')
    fileName = `${sha1}.${ext}`
    id = `file-${sha1}-${ext}`
    doc = {_id: id, _type: 'sanity.fileAsset', assetId: sha1, extension: ext, mimeType: MIME_BY_EXTENSION[ext] ?? 'application/octet-stream'}
  }
  const existing = store.getDocuments(dataset, [id])[0]
  if (existing) return existing
  const file = join(assetDir(store, dataset), fileName)
  const fresh = !existsSync(file)
  if (fresh) writeWhole(file, body)
  const path = `${kind}/local/${dataset}/${fileName}`
  doc = {...doc, ...fields, originalFilename: filename ?? fileName, path, sha1hash: sha1, size: body.length, url: `${baseUrl}/${path}`}
  try {
    return store.mutate(dataset, [{createIfNotExists: doc}]).documents[0] ?? store.getDocuments(dataset, [id])[0]!
  } catch (error) {
    // No asset document, no file: a failed upload leaves nothing behind.
    if (fresh) rmSync(file, {force: true})
    throw error
  }
}

/** Writes a temporary file and renames it into place, so a full disk never leaves a partial or empty asset. */
function writeWhole(file: string, body: Buffer): void {
  const temporary = `${file}.${process.pid}.partial`
  try {
    writeFileSync(temporary, body, {mode: 0o600})
    renameSync(temporary, file)
  } catch (error) {
    rmSync(temporary, {force: true})
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOSPC' || code === 'EDQUOT') throw new LakeError(507, 'insufficientStorageError', `Cannot store the asset: the lake's disk is full (${code})`)
    throw error
  }
}

/** Reads a stored asset by the `images|files/local/<dataset>/<file>` path; null if absent. */
export function readAsset(store: Store, dataset: string, fileName: string): {body: Buffer; mimeType: string} | null {
  assertDatasetName(dataset)
  if (!/^[a-f0-9]{40}(-\d+x\d+)?\.[a-z0-9]+$/.test(fileName)) return null
  const file = join(store.dataDir, 'assets', dataset, fileName)
  if (!existsSync(file)) return null
  const ext = extname(fileName).slice(1)
  return {body: readFileSync(file), mimeType: MIME_BY_EXTENSION[ext] ?? 'application/octet-stream'}
}
