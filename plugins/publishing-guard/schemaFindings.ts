import type {Finding} from '../../rules'

/** A validation marker as Sanity reports it (useValidationStatus). */
export interface MarkerLike {
  level?: string
  message?: string
  item?: {message?: string}
  path?: ReadonlyArray<unknown>
}

const fieldOf = (path: ReadonlyArray<unknown> | undefined): string => {
  const first = path?.[0]
  return typeof first === 'string' ? first : 'document'
}

/**
 * The document's own schema errors as findings ('story.invalid'), so the badge, the checklist,
 * Publish and Needs attention give one verdict. The guard's own fields are left out: their
 * markers are the rules' findings already.
 */
export function schemaFindings(markers: readonly MarkerLike[] | null | undefined, guardedFields: readonly string[]): Finding[] {
  const out: Finding[] = []
  const seen = new Set<string>()
  for (const marker of markers ?? []) {
    if (marker?.level !== 'error') continue
    const field = fieldOf(marker.path)
    if (guardedFields.includes(field)) continue
    const message = marker.message ?? marker.item?.message ?? 'Invalid value'
    const key = `${field}\n${message}`
    if (seen.has(key)) continue
    seen.add(key)
    out.push({code: 'story.invalid', level: 'error', field, message: `${field}: ${message}`, hint: `Fix the "${field}" field.`})
  }
  return out
}

/** Fields the document type marks required (compiled schema: a rule with `_required`). */
export function requiredFields(schemaType: unknown): string[] {
  const fields = (schemaType as {fields?: Array<{name?: string; type?: {validation?: unknown}}>} | undefined)?.fields ?? []
  return fields.flatMap((field) => {
    const rules = field.type?.validation
    const list = Array.isArray(rules) ? rules : rules ? [rules] : []
    return field.name && list.some((rule) => (rule as {_required?: string})?._required === 'required') ? [field.name] : []
  })
}

/** 'story.invalid' findings for required fields a document leaves empty (for lists computed outside the form). */
export function missingRequiredFindings(document: Record<string, unknown>, fields: readonly string[]): Finding[] {
  return fields.flatMap((field) => {
    const value = document[field]
    const empty = value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0)
    return empty ? [{code: 'story.invalid' as const, level: 'error' as const, field, message: `${field}: Required`, hint: `Fill in the "${field}" field.`}] : []
  })
}
