import type {DocumentBadgeComponent, DocumentBadgesContext} from 'sanity'
import {selectBadge} from './findings'
import {isGuardedType} from './options'
import type {ResolvedGuardOptions} from './types'
import {useGuardFindings} from './useGuardFindings'

/** A badge naming the most important failing check, or "Ready to publish". */
export function guardBadge(options: ResolvedGuardOptions): DocumentBadgeComponent {
  const PublishingGuardBadge: DocumentBadgeComponent = (props) => {
    const document = (props.version ?? props.draft ?? props.published ?? null) as Record<string, unknown> | null
    const {findings} = useGuardFindings(document, options, props.type)
    if (!document || findings === null) return null
    const {label, title, color} = selectBadge(findings)
    return {label, title, color}
  }
  PublishingGuardBadge.displayName = 'PublishingGuardBadge'
  return PublishingGuardBadge
}

/** The plugin's `document.badges` resolver: adds the badge to guarded types only. */
export function guardBadges(options: ResolvedGuardOptions) {
  const badge = guardBadge(options)
  return (prev: DocumentBadgeComponent[], context: Pick<DocumentBadgesContext, 'schemaType'>): DocumentBadgeComponent[] =>
    isGuardedType(options, context.schemaType) ? [...prev, badge] : prev
}
