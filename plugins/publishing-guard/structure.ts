import {WarningOutlineIcon} from '@sanity/icons/WarningOutline'
import type {ListItemBuilder, StructureBuilder, StructureResolverContext} from 'sanity/structure'
import {idsWithDrafts} from './fandoms'
import {needsAttentionGroups} from './needsAttention'
import {GUARD_API_VERSION, resolveGuardOptions} from './options'
import {requiredFields} from './schemaFindings'
import type {PublishingGuardOptions} from './types'

/**
 * A "Needs attention" item for the desk: one list per failing check, each listing the drafts
 * that fail it. Computed when opened (drafts and fandoms fetched, checks run here), so it is
 * an editor's view, not a report over the whole archive.
 * Pass the same options as to `publishingGuard(...)` so both apply the same levels.
 */
export function needsAttentionList(
  S: StructureBuilder,
  context: Pick<StructureResolverContext, 'getClient'> & Partial<Pick<StructureResolverContext, 'schema'>>,
  pluginOptions?: PublishingGuardOptions,
): ListItemBuilder {
  const options = resolveGuardOptions(pluginOptions)
  return S.listItem()
    .id('needs-attention')
    .title('Needs attention')
    .icon(WarningOutlineIcon)
    .child(async () => {
      // Drafts missing a required field are listed too, so the list agrees with Publish.
      const required = [...new Set(options.schemaTypes.flatMap((type) => requiredFields(context.schema?.get(type))))]
      const groups = await needsAttentionGroups(context.getClient({apiVersion: GUARD_API_VERSION}), options, required)
      return S.list()
        .id('needs-attention')
        .title(groups.length ? 'Needs attention' : 'Needs attention: every draft passes')
        .items(
          groups.map((group) =>
            S.listItem()
              .id(group.code.replace(/\./g, '-'))
              .title(`${group.title} (${group.ids.length})`)
              .child(
                S.documentList()
                  .id(`needs-attention-${group.code.replace(/\./g, '-')}`)
                  .title(group.title)
                  .apiVersion(GUARD_API_VERSION)
                  .filter('_type in $types && _id in $ids')
                  // Both ids: depending on the perspective a draft is listed under either.
                  .params({types: options.schemaTypes, ids: idsWithDrafts(group.ids)}),
              ),
          ),
        )
    })
}
