/**
 * Dates that are only partly known ("January 2005"): how they are stored as a datetime and how
 * they are shown, so nobody reads a day that no one knows ("2005-01-01").
 */
/** A date of which only the year, or the year and month, may be known. */
export interface PartialDateParts {
  year: number
  month?: number
  day?: number
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0')

/** The first instant of a partial date, for datetime fields such as `publishedAt`. */
export function partialDateToDateTime(date: PartialDateParts): string {
  return `${pad(date.year, 4)}-${pad(date.month ?? 1)}-${pad(date.day ?? 1)}T00:00:00Z`
}

/** "2005", "2005-01" or "2005-01-03": only the parts that are known (also a valid HTML `<time>` value). */
export function formatPartialDate(date: Partial<PartialDateParts> | null | undefined): string {
  if (!date || typeof date.year !== 'number') return ''
  const parts = [pad(date.year, 4)]
  if (typeof date.month === 'number') {
    parts.push(pad(date.month))
    if (typeof date.day === 'number') parts.push(pad(date.day))
  }
  return parts.join('-')
}

/**
 * How to show a datetime that may stand for a partial date: when `value` is exactly where the
 * partial date `known` puts it (an import that knew only "January 2005"), just the known parts;
 * otherwise the day ("2026-03-02"). Empty for a missing or unparseable value.
 */
export function displayDate(value: string | null | undefined, known?: Partial<PartialDateParts> | null): string {
  if (!value) return ''
  const time = Date.parse(value)
  if (Number.isNaN(time)) return ''
  if (known && typeof known.year === 'number' && time === Date.parse(partialDateToDateTime(known as PartialDateParts))) {
    return formatPartialDate(known)
  }
  return new Date(time).toISOString().slice(0, 10)
}
