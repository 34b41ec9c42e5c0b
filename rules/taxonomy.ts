/**
 * The archive's fixed vocabularies (warnings, categories, statuses, media types, languages) and
 * the mapping from fans' spellings in old headers to their stored values.
 */

export interface Option<V extends string = string> {
  value: V
  title: string
}

export const WARNINGS = [
  {value: 'choose-not-to-use', title: 'Choose Not To Use Archive Warnings'},
  {value: 'no-archive-warnings-apply', title: 'No Archive Warnings Apply'},
  {value: 'graphic-violence', title: 'Graphic Depictions Of Violence'},
  {value: 'major-character-death', title: 'Major Character Death'},
  {value: 'rape-non-con', title: 'Rape/Non-Con'},
  {value: 'underage', title: 'Underage Sex'},
] as const satisfies readonly Option[]
export type WarningValue = (typeof WARNINGS)[number]['value']

export const CATEGORIES = [
  {value: 'gen', title: 'Gen'},
  {value: 'f-f', title: 'F/F'},
  {value: 'f-m', title: 'F/M'},
  {value: 'm-m', title: 'M/M'},
  {value: 'multi', title: 'Multi'},
  {value: 'other', title: 'Other'},
] as const satisfies readonly Option[]
export type CategoryValue = (typeof CATEGORIES)[number]['value']

export const STORY_STATUSES = [
  {value: 'in-progress', title: 'In Progress'},
  {value: 'complete', title: 'Complete'},
] as const satisfies readonly Option[]
export type StoryStatus = (typeof STORY_STATUSES)[number]['value']

export const MEDIA_TYPES = [
  {value: 'book', title: 'Books & Literature'},
  {value: 'tv', title: 'TV Shows'},
  {value: 'film', title: 'Movies'},
  {value: 'game', title: 'Video Games'},
  {value: 'anime', title: 'Anime & Manga'},
  {value: 'comics', title: 'Comics & Webcomics'},
  {value: 'cartoon', title: 'Cartoons & Animation'},
  {value: 'theatre', title: 'Theatre & Musicals'},
  {value: 'radio', title: 'Radio & Podcasts'},
  {value: 'celebrity', title: 'Celebrities & Real People'},
  {value: 'original', title: 'Original Work'},
  {value: 'other', title: 'Other Media'},
] as const satisfies readonly Option[]
export type MediaType = (typeof MEDIA_TYPES)[number]['value']

export const LANGUAGES = [
  {value: 'en', title: 'English'},
  {value: 'es', title: 'Español'},
  {value: 'fr', title: 'Français'},
  {value: 'de', title: 'Deutsch'},
  {value: 'it', title: 'Italiano'},
  {value: 'pt-BR', title: 'Português brasileiro'},
  {value: 'pt-PT', title: 'Português europeu'},
  {value: 'nl', title: 'Nederlands'},
  {value: 'sv', title: 'Svenska'},
  {value: 'da', title: 'Dansk'},
  {value: 'nb', title: 'Norsk bokmål'},
  {value: 'fi', title: 'Suomi'},
  {value: 'pl', title: 'Polski'},
  {value: 'cs', title: 'Čeština'},
  {value: 'ru', title: 'Русский'},
  {value: 'uk', title: 'Українська'},
  {value: 'tr', title: 'Türkçe'},
  {value: 'ar', title: 'العربية'},
  {value: 'he', title: 'עברית'},
  {value: 'hi', title: 'हिन्दी'},
  {value: 'zh', title: '中文'},
  {value: 'ja', title: '日本語'},
  {value: 'ko', title: '한국어'},
  {value: 'th', title: 'ไทย'},
  {value: 'vi', title: 'Tiếng Việt'},
  {value: 'id', title: 'Bahasa Indonesia'},
] as const satisfies readonly Option[]

/** Lower-case, straight apostrophes dropped, "&" spelled out, anything else non-alphanumeric a space. */
function labelKey(label: string): string {
  return label
    .normalize('NFKC')
    .toLowerCase()
    .replace(/['’‘`´]/g, '')
    .replace(/&/g, ' and ')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
}

const WARNING_SPELLINGS: Record<WarningValue, string[]> = {
  'choose-not-to-use': [
    'Choose Not To Use Archive Warnings',
    'Creator Chose Not To Use Archive Warnings',
    'Author Chose Not To Use Archive Warnings',
    'Chose Not To Use Archive Warnings',
    'Choose Not To Warn',
    'Chose Not To Warn',
    'CNTW',
  ],
  'no-archive-warnings-apply': ['No Archive Warnings Apply', 'No Warnings Apply', 'No Warnings', 'NAWA', 'None'],
  'graphic-violence': ['Graphic Depictions Of Violence', 'Graphic Violence', 'Violence', 'Gore'],
  'major-character-death': ['Major Character Death', 'Character Death', 'MCD', 'Death Fic', 'Deathfic'],
  'rape-non-con': ['Rape/Non-Con', 'Rape', 'Non-Con', 'Noncon', 'Non Consensual', 'Non-Consensual', 'Dub-Con', 'Dubcon'],
  underage: ['Underage', 'Underage Sex', 'Underage Sexual Content'],
}

const CATEGORY_SPELLINGS: Record<CategoryValue, string[]> = {
  gen: ['Gen', 'General', 'Genfic', 'No Pairing', 'None'],
  'f-f': ['F/F', 'FF', 'Femslash', 'Femmeslash', 'Yuri', 'Shoujo Ai', 'Shojo Ai', 'Saffic', 'Sapphic'],
  'f-m': ['F/M', 'M/F', 'FM', 'MF', 'Het', 'Hetero', 'Straight'],
  'm-m': ['M/M', 'MM', 'Slash', 'Yaoi', 'Shounen Ai', 'Shonen Ai', 'BL', 'Boys Love'],
  multi: ['Multi', 'Multiple', 'Poly', 'Polyamory', 'Threesome', 'Multiple Pairings'],
  other: ['Other'],
}

function buildIndex<V extends string>(spellings: Record<V, string[]>): Map<string, V> {
  const index = new Map<string, V>()
  for (const [value, list] of Object.entries(spellings) as [V, string[]][]) {
    for (const spelling of list) index.set(labelKey(spelling), value)
  }
  return index
}

const WARNING_INDEX = buildIndex(WARNING_SPELLINGS)
const CATEGORY_INDEX = buildIndex(CATEGORY_SPELLINGS)

export function matchWarning(label: string): WarningValue | null {
  if (typeof label !== 'string') return null
  return WARNING_INDEX.get(labelKey(label)) ?? null
}

export function matchCategory(label: string): CategoryValue | null {
  if (typeof label !== 'string') return null
  return CATEGORY_INDEX.get(labelKey(label)) ?? null
}

/**
 * Genre words: what old archives and FanFiction.net put under "Category" or "Genre". They are
 * tags on this archive, never fandoms (a "Category: Angst, Romance" header names no fandom).
 */
export const GENRES = [
  'Action', 'Adventure', 'Angst', 'Comedy', 'Crime', 'Dark', 'Drama', 'Family', 'Fantasy', 'Fluff',
  'Friendship', 'General', 'Horror', 'Humor', 'Humour', 'Hurt/Comfort', 'Introspection', 'Mystery',
  'Parody', 'Poetry', 'PWP', 'Romance', 'Sci-Fi', 'Science Fiction', 'Slice of Life', 'Smut', 'Songfic',
  'Spiritual', 'Supernatural', 'Suspense', 'Thriller', 'Tragedy', 'Western', 'Alternate Universe', 'AU',
  'Character Study', 'Crack', 'Lemon', 'Lime', 'Schmoop', 'Whump', 'Missing Scene', 'Episode Tag',
  'Vignette', 'Drabble', 'One-Shot', 'Oneshot', 'Fix-It', 'Post-Canon', 'Pre-Canon',
] as const

const GENRE_INDEX = new Map<string, string>()
for (const genre of GENRES) GENRE_INDEX.set(labelKey(genre), genre)

/** "angst" -> "Angst", "Hurt/Comfort" -> "Hurt/Comfort"; null for anything that isn't a genre word. */
export function matchGenre(label: string): string | null {
  if (typeof label !== 'string') return null
  return GENRE_INDEX.get(labelKey(label)) ?? null
}

/** "Romance/Angst" -> ["Romance", "Angst"]; "Hurt/Comfort" stays one genre; null when any part isn't one. */
export function splitGenres(label: string): string[] | null {
  const whole = matchGenre(label)
  if (whole) return [whole]
  const parts = label.split(/\s*\/\s*/)
  if (parts.length < 2) return null
  const out: string[] = []
  for (let i = 0; i < parts.length; i++) {
    const pair = i + 1 < parts.length ? matchGenre(`${parts[i]}/${parts[i + 1]}`) : null
    if (pair) {
      out.push(pair)
      i++
      continue
    }
    const one = matchGenre(parts[i]!)
    if (!one) return null
    out.push(one)
  }
  return out
}

/** The schema's limits, shared by the Studio's validation and the importer's truncation. */
export const STORY_TITLE_MAX = 255
export const SLUG_MAX_LENGTH = 96

const LANGUAGE_INDEX = new Map<string, string>()
for (const lang of LANGUAGES) {
  LANGUAGE_INDEX.set(lang.value.toLowerCase(), lang.value)
  LANGUAGE_INDEX.set(labelKey(lang.title), lang.value)
}
// Old headers name languages in English.
for (const [name, value] of Object.entries({english: 'en', spanish: 'es', french: 'fr', german: 'de', italian: 'it', dutch: 'nl', swedish: 'sv', danish: 'da', norwegian: 'nb', finnish: 'fi', polish: 'pl', czech: 'cs', russian: 'ru', ukrainian: 'uk', turkish: 'tr', arabic: 'ar', hebrew: 'he', hindi: 'hi', chinese: 'zh', japanese: 'ja', korean: 'ko', thai: 'th', vietnamese: 'vi', indonesian: 'id'})) {
  LANGUAGE_INDEX.set(name, value)
}

/**
 * "English", "en", "Español", "en-GB" -> a value from LANGUAGES; null when the archive has no such
 * language (only its own list is valid: "en-GB" falls back to "en", "pt" to nothing).
 */
export function matchLanguage(label: string): string | null {
  if (typeof label !== 'string') return null
  const trimmed = label.trim().toLowerCase()
  const direct = LANGUAGE_INDEX.get(trimmed) ?? LANGUAGE_INDEX.get(labelKey(label))
  if (direct) return direct
  const primary = trimmed.split(/[-_]/)[0]!
  return LANGUAGES.find((lang) => lang.value.toLowerCase() === primary)?.value ?? null
}

/** "WIP", "Ongoing", "Completed", "One-shot" -> a story status; null when the label says neither. */
export function matchStatus(label: string): StoryStatus | null {
  if (typeof label !== 'string') return null
  if (/progress|\bwip\b|ongoing|incomplete|unfinished|hiatus/i.test(label)) return 'in-progress'
  if (/complete|finished|\bdone\b|one.?shot/i.test(label)) return 'complete'
  return null
}
