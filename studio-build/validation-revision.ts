/**
 * A fix for sanity 6.16's document validation store, applied to its code as the Studio is built
 * (and as `sanity dev` pre-bundles it), because the stock Publish depends on it.
 *
 * The store (`validation` in sanity/lib/datastores-*.js) answers `{validation, isValidating,
 * revision}` where `revision` is always the draft's latest revision, while `validation` and
 * `isValidating` belong to whichever document was validated last. Validation runs one document at
 * a time, in idle time (requestIdleCallback), so on a busy page it finishes for an older revision
 * after the newer one has arrived. The stock PublishAction, pressed while the footer says
 * "Saving…", waits for `!isValidating && revision === <draft revision>`: it then sees the older
 * revision's markers (a new author still without its slug: "Required") as the current ones,
 * cancels the publish and toasts "Validation errors", and the valid draft stays unpublished.
 *
 * The fix keeps `isValidating` true until the markers are those of the latest document content
 * (documents whose content did not change since are not validated again, and need not be), and
 * takes the revision and the content from one throttled stream, so they cannot change apart.
 * If sanity's code no longer has the expected shape the build fails, naming this file.
 */

/** What the plugin looks for, and what it writes instead. */
export const VALIDATION_PATCHES: ReadonlyArray<{find: string; replace: string}> = [
  {
    // One throttle for the revision and the content (they were two, firing apart).
    find: 'throttleTime$1(200, asyncScheduler, { trailing: !0 })), documentToValidate$ = document$.pipe(',
    replace: 'throttleTime$1(200, asyncScheduler, { trailing: !0 }), shareLatestWithRefCount()), documentToValidate$ = document$.pipe(',
  },
  {
    find: 'return combineLatest([documentRevision$, validateDocumentWithReferences(ctx, documentToValidate$, validatePublishedReferences)]).pipe(map$1(([revision, validationStatus]) => ({\n\t\t...validationStatus,\n\t\trevision\n\t})));',
    replace:
      'return combineLatest([documentToValidate$.pipe(map$1((document) => document?._rev)), documentRevision$, validateDocumentWithReferences(ctx, documentToValidate$, validatePublishedReferences)]).pipe(map$1(([contentRevision, revision, validationStatus]) => ({\n\t\t...validationStatus,\n\t\tisValidating: validationStatus.isValidating || (contentRevision !== void 0 && validationStatus.revision !== contentRevision),\n\t\trevision\n\t})));',
  },
]

/** Sanity's module holding the validation store: the only one the patch touches. */
export function isValidationStoreModule(id: string, code: string): boolean {
  return /[\\/]sanity[\\/]lib[\\/]datastores-[^\\/]+\.js$/.test(id.split('?')[0]) && code.includes('const validation = memoize$1(')
}

/** The module with the fix applied; throws, naming this file, when sanity's code has changed. */
export function patchValidationStore(code: string, id = 'sanity/lib/datastores-*.js'): string {
  let patched = code
  for (const {find, replace} of VALIDATION_PATCHES) {
    const at = patched.indexOf(find)
    if (at < 0 || patched.indexOf(find, at + 1) >= 0) {
      throw new Error(
        `studio-build/validation-revision.ts: sanity's validation store (${id}) no longer has the code this fix replaces; ` +
          'check whether the sanity version in use still reports stale validation for a newer revision, then update or drop the fix.',
      )
    }
    patched = patched.slice(0, at) + replace + patched.slice(at + find.length)
  }
  return patched
}
