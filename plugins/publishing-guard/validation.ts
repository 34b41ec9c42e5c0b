import type {CustomValidator, Rule, SchemaTypeDefinition, ValidationError} from 'sanity'
import type {Finding} from '../../rules'
import {loadCheckContext, sharedLoaders, type CheckContext, type CheckContextLoaders} from './checkContext'
import {describeFinding, guardFindings} from './findings'
import {GUARD_API_VERSION, resolveGuardOptions} from './options'
import type {PublishingGuardOptions, ResolvedGuardOptions} from './types'

/** The fields the story rules report on; each gets an errors rule and a warnings rule. */
export const GUARDED_FIELDS = ['disclaimer', 'summary'] as const
export type GuardedField = (typeof GUARDED_FIELDS)[number]

/**
 * A field validator reporting the findings of one level for one field. Split by level because a
 * custom rule has a single level: `.warning()` turns the second rule's markers into warnings.
 */
export function guardFieldValidator(
  field: GuardedField,
  level: Finding['level'],
  options: ResolvedGuardOptions,
  loaders: CheckContextLoaders = sharedLoaders,
): CustomValidator {
  return async (_value, context) => {
    const document = context.document as Record<string, unknown> | undefined
    if (!document) return true
    let checkContext: CheckContext
    try {
      const client = context.getClient({apiVersion: GUARD_API_VERSION})
      checkContext = await loadCheckContext(client, document, options, loaders)
    } catch (error) {
      // Only the errors rule speaks, so a lake outage shows once per field, not twice.
      if (level !== 'error' || field !== 'disclaimer') return true
      return `Could not load this story's fandoms to check the disclaimer (${(error as Error)?.message ?? error}). Try again.`
    }
    const mine = guardFindings(document, checkContext, options).filter(
      (finding) => finding.field === field && finding.level === level,
    )
    if (mine.length === 0) return true
    return mine.map((finding): ValidationError => ({message: describeFinding(finding)}))
  }
}

type ValidationProp = ((rule: Rule) => unknown) | unknown

/** Keeps whatever validation a field already has and adds the guard's two rules after it. */
export function withGuardValidation(
  existing: ValidationProp,
  field: GuardedField,
  options: ResolvedGuardOptions,
  loaders?: CheckContextLoaders,
): (rule: Rule) => Rule[] {
  return (rule: Rule) => {
    const before = typeof existing === 'function' ? (existing as (rule: Rule) => unknown)(rule) : existing
    const kept = (before === undefined || before === null ? [] : Array.isArray(before) ? before : [before]) as Rule[]
    return [
      ...kept,
      rule.custom(guardFieldValidator(field, 'error', options, loaders)),
      rule.custom(guardFieldValidator(field, 'warning', options, loaders)).warning(),
    ]
  }
}

interface FieldLike {
  name?: string
  validation?: ValidationProp
  [key: string]: unknown
}

/**
 * The plugin's `schema.types` reducer: guarded document types get the checks on their
 * disclaimer and summary fields; every other type is returned as it came.
 */
export function guardSchemaTypes(options: ResolvedGuardOptions, loaders?: CheckContextLoaders) {
  return (prev: SchemaTypeDefinition[]): SchemaTypeDefinition[] =>
    prev.map((type) => {
      if (!options.schemaTypes.includes(type.name)) return type
      const fields = (type as {fields?: FieldLike[]}).fields
      if (!Array.isArray(fields)) return type
      return {
        ...type,
        fields: fields.map((field) =>
          (GUARDED_FIELDS as readonly string[]).includes(field.name ?? '')
            ? {...field, validation: withGuardValidation(field.validation, field.name as GuardedField, options, loaders)}
            : field,
        ),
      } as unknown as SchemaTypeDefinition
    })
}

/**
 * For the Studio's own `schema.types`: Sanity runs plugins' `schema.types` reducers before the
 * root config adds its types, so a plugin cannot reach types declared in `defineConfig` itself.
 * Wrap them here instead (same options as the plugin):
 *
 *   schema: {types: guardValidation(schemaTypes)}
 */
export function guardValidation<T>(types: T[], pluginOptions?: PublishingGuardOptions): T[] {
  return guardSchemaTypes(resolveGuardOptions(pluginOptions))(types as unknown as SchemaTypeDefinition[]) as unknown as T[]
}
