/** Reader-facing names for the stored vocabulary values (the vocabularies live in rules/). */
import {CATEGORIES, LANGUAGES, MEDIA_TYPES, STORY_STATUSES, WARNINGS} from '../rules'

type Options = ReadonlyArray<{value: string; title: string}>

function titleIn(options: Options, value: string | null | undefined): string {
  if (!value) return ''
  return options.find((o) => o.value === value)?.title ?? value
}

export const warningTitle = (v: string | null | undefined) => titleIn(WARNINGS, v)
export const categoryTitle = (v: string | null | undefined) => titleIn(CATEGORIES, v)
export const statusTitle = (v: string | null | undefined) => titleIn(STORY_STATUSES, v)
export const languageTitle = (v: string | null | undefined) => titleIn(LANGUAGES, v)
export const mediaTypeTitle = (v: string | null | undefined) => titleIn(MEDIA_TYPES, v)

export function formatWords(n: number | null | undefined): string {
  return `${(n ?? 0).toLocaleString('en')} ${n === 1 ? 'word' : 'words'}`
}

/** "2026-03-02" for a datetime; empty for anything unparseable. */
export function isoDate(value: string | null | undefined): string {
  if (!value) return ''
  const date = new Date(value)
  return Number.isNaN(date.getTime()) ? '' : date.toISOString().slice(0, 10)
}

export const storyPath = (slug: string) => `/stories/${encodeURIComponent(slug)}`
export const chapterPath = (slug: string, n: number) => `${storyPath(slug)}/chapters/${n}`
export const fandomPath = (slug: string) => `/fandoms/${encodeURIComponent(slug)}`
export const authorPath = (slug: string) => `/authors/${encodeURIComponent(slug)}`
export const seriesPath = (slug: string) => `/series/${encodeURIComponent(slug)}`
export const tagPath = (tag: string) => `/tags/${encodeURIComponent(tag)}`
