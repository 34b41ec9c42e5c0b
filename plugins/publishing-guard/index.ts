import {definePlugin} from 'sanity'
import {guardActions} from './actions'
import {guardBadges} from './badges'
import {guardInspectors} from './inspector'
import {resolveGuardOptions} from './options'
import type {PublishingGuardOptions} from './types'
import {guardSchemaTypes} from './validation'

/**
 * The publishing guard: the story rules' disclaimer and summary checks as field validation,
 * a Publish that says why it is blocked and confirms over warnings, a badge and a checklist.
 *
 * ```ts
 * defineConfig({plugins: [publishingGuard({schemaTypes: ['story'], summaryMaxLength: 1000})]})
 * ```
 */
export const publishingGuard = definePlugin<PublishingGuardOptions | void>((pluginOptions) => {
  const options = resolveGuardOptions(pluginOptions)
  return {
    name: 'publishing-guard',
    schema: {types: guardSchemaTypes(options)},
    document: {
      actions: guardActions(options),
      badges: guardBadges(options),
      inspectors: guardInspectors(options),
    },
  }
})

export {guardActions, guardChapterPublishAction, guardPublishAction} from './actions'
export {guardBadge, guardBadges} from './badges'
export {checklist, guardFindings, publishBlockedReason, selectBadge} from './findings'
export {CHECKLIST_INSPECTOR_NAME, guardInspectors} from './inspector'
export {needsAttentionGroups} from './needsAttention'
export {resolveGuardOptions} from './options'
export {chapterPublishPatchSet, preparePublishPatch, publishPatchSet} from './publishPatch'
export {needsAttentionList} from './structure'
export type {ChecklistRow, FandomDoc, GuardBadge, PublishingGuardOptions, ResolvedGuardOptions} from './types'
export {guardSchemaTypes, guardValidation, withGuardValidation} from './validation'
