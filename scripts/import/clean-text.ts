/**
 * What may reach the dataset and the terminal. Story text keeps tabs and newlines only: NULs and
 * other control characters (from a file's tail, behind a BOM, or written as `&#1;` entities) would
 * end up in Portable Text, where editors can't see them and exports choke on them. File names are
 * printed with such characters escaped, so a name can't split a report line or drive the terminal.
 */

// C0 except tab and newline, DEL, C1, and the two noncharacters U+FFFE/U+FFFF.
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f\ufffe\uffff]/
const CONTROL_ALL = /[\x00-\x08\x0b-\x1f\x7f-\x9f\ufffe\uffff]/g
// Vertical tab and form feed separate text; the rest separate nothing.
const SPACING = /[\x0b\x0c]/g

export function cleanControlCharacters(text: string): string {
  if (!CONTROL.test(text)) return text
  return text.replace(SPACING, ' ').replace(CONTROL_ALL, '')
}

/** Cleans every string in a parsed work in place (titles, header fields, spans, notes...). */
export function scrubControlCharacters<T>(value: T): T {
  scrub(value as unknown)
  return value
}

function scrub(value: unknown): void {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const item = value[i]
      if (typeof item === 'string') value[i] = cleanControlCharacters(item)
      else if (item && typeof item === 'object') scrub(item)
    }
  } else if (value && typeof value === 'object') {
    const record = value as Record<string, unknown>
    for (const key of Object.keys(record)) {
      const item = record[key]
      if (typeof item === 'string') record[key] = cleanControlCharacters(item)
      else if (item && typeof item === 'object') scrub(item)
    }
  }
}

// Controls, line/paragraph separators and bidi overrides: each can rearrange or split what a terminal shows.
const UNPRINTABLE = /[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufffe\uffff]/g

/** A name as it may be printed and stored: `\n` and ESC become `\x0a` and `\x1b`, visibly. */
export function printableName(name: string): string {
  return name.replace(UNPRINTABLE, (c) => {
    const code = c.charCodeAt(0)
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`
  })
}
