/**
 * Markdown front matter (`---` YAML `---`), read with a real YAML parser: lists, folded and
 * literal scalars, quoted strings and dates come out as the writer meant them. Keys are matched
 * with the header label spellings (`fandoms`, `relationships`, `summary`) plus dates and URLs.
 */
import {parse} from 'yaml'
import {matchHeaderLabel} from '../../rules'
import {type ExtraField, matchExtraLabel} from './header'
import type {ParsedWork} from './work'

export interface FrontMatter {
  meta: ParsedWork['meta']
  extras: Partial<Record<ExtraField, string>>
  title?: string
  /** Keys this reader does not know, as `key: value`. */
  unknown: string[]
  /** The YAML as written (kept on the story's import source). */
  raw: string
  body: string
  /** Set when the YAML could not be read (the body is still imported). */
  error?: string
}

const FRONT_MATTER = /^(?:\uFEFF)?---[ \t]*\n([\s\S]*?)\n(?:---|\.\.\.)[ \t]*(?:\n|$)/

function scalarText(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value.toISOString().slice(0, 10)
  if (typeof value === 'string') return value.trim() || undefined
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  return undefined
}

function listValue(value: unknown): string[] | string | undefined {
  if (Array.isArray(value)) {
    const items = value.map((item) => (typeof item === 'object' && item !== null && !(item instanceof Date) ? Object.values(item).map(scalarText).filter(Boolean).join(' ') : scalarText(item))).filter((item): item is string => !!item)
    return items.length ? items : undefined
  }
  return scalarText(value)
}

export function readFrontMatter(text: string): FrontMatter | undefined {
  const match = FRONT_MATTER.exec(text)
  if (!match) return undefined
  const raw = match[1]!
  const body = text.slice(match[0].length)
  const result: FrontMatter = {meta: {}, extras: {}, unknown: [], raw, body}
  let data: unknown
  try {
    data = parse(raw, {schema: 'core', maxAliasCount: 50, prettyErrors: false})
  } catch (error) {
    result.error = `front matter is not valid YAML (${(error instanceof Error ? error.message : String(error)).split('\n')[0]!.slice(0, 120)})`
    return result
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    result.error = 'front matter is not a list of keys'
    return result
  }
  for (const [key, value] of Object.entries(data as Record<string, unknown>)) {
    const label = key.replace(/[_-]+/g, ' ').trim()
    // "complete: true" / "completed: false" say the status, not a date.
    if (/^(complete|completed|finished)$/i.test(label) && typeof value === 'boolean') {
      result.meta.status = value ? 'complete' : 'in-progress'
      continue
    }
    const extra = matchExtraLabel(`${label}: x`)
    if (extra) {
      const text = scalarText(value)
      if (text && extra.field !== 'noise') result.extras[extra.field] ??= text
      continue
    }
    const field = /^(pairings?|ships?)$/i.test(label) ? 'pairing' : matchHeaderLabel(`${label}:`)?.field
    const items = listValue(value)
    if (!field) {
      if (items !== undefined) result.unknown.push(`${key}: ${Array.isArray(items) ? items.join(', ') : items}`.slice(0, 120))
      continue
    }
    if (items === undefined) continue
    if (field === 'title') result.title = Array.isArray(items) ? items.join(' ') : items
    else if (field === 'chapter' && typeof value === 'object' && value !== null && !Array.isArray(value)) continue
    else result.meta[field] = items
  }
  return result
}
