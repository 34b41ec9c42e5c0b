/**
 * Two fixes to sanity 6.16's document store (sanity/lib/datastores-*.js), applied to its code as
 * the Studio is built (and as `sanity dev` pre-bundles it), because the stock Publish pressed
 * right after typing depends on both. Each was seen cancelling that publish on the local lake;
 * neither depends on what the lake answers (see README.md for the evidence).
 *
 * 1. Validation reported for the wrong revision. The validation store answers
 *    `{validation, isValidating, revision}` where `revision` is always the draft's latest revision,
 *    while `validation` and `isValidating` belong to whichever document was validated last.
 *    Validation runs one document at a time, in idle callbacks, so on a busy page it finishes for
 *    an older revision after the newer one has arrived. The PublishAction, pressed while the footer
 *    says "Saving…", waits for `!isValidating && revision === <draft revision>`: it then takes the
 *    older revision's markers (a new author without its slug yet: "Required") for the current
 *    ones, toasts "Validation errors" and publishes nothing. Fixed: `isValidating` stays true until
 *    the markers are those of the latest content (a revision whose content did not change is not
 *    validated again, and need not be), and revision and content come from one throttled stream.
 *
 * 2. A publish dropped by an auto-commit. Operations on a document run through one `switchMap`
 *    per document (`operationEvents`), so an operation arriving while a publish waits for the
 *    document to be consistent cancels it, silently. The store itself emits a `commit` up to a
 *    second after the last edit (`autoCommit$`, throttled with a trailing emission), so a publish
 *    pressed in that second was dropped. Fixed: commits run in their own group; a commit only
 *    sends what is buffered, which the publish sends first anyway. An edit made after Publish
 *    still cancels it, as sanity intends.
 *
 * If sanity's code no longer has the expected shape, the build fails, naming this file.
 */

export interface SanityFix {
  name: string
  find: string
  replace: string
}

export const PUBLISH_FIXES: readonly SanityFix[] = [
  {
    name: 'validation: one throttle for revision and content',
    find: 'throttleTime$1(200, asyncScheduler, { trailing: !0 })), documentToValidate$ = document$.pipe(',
    replace: 'throttleTime$1(200, asyncScheduler, { trailing: !0 }), shareLatestWithRefCount()), documentToValidate$ = document$.pipe(',
  },
  {
    name: 'validation: isValidating until the latest content is validated',
    find: 'return combineLatest([documentRevision$, validateDocumentWithReferences(ctx, documentToValidate$, validatePublishedReferences)]).pipe(map$1(([revision, validationStatus]) => ({\n\t\t...validationStatus,\n\t\trevision\n\t})));',
    replace:
      'return combineLatest([documentToValidate$.pipe(map$1((document) => document?._rev)), documentRevision$, validateDocumentWithReferences(ctx, documentToValidate$, validatePublishedReferences)]).pipe(map$1(([contentRevision, revision, validationStatus]) => ({\n\t\t...validationStatus,\n\t\tisValidating: validationStatus.isValidating || (contentRevision !== void 0 && validationStatus.revision !== contentRevision),\n\t\trevision\n\t})));',
  },
  {
    name: 'operations: commits never cancel a waiting publish',
    find: 'groupBy((op) => op.idPair.publishedId), mergeMap$1((groups$) => groups$.pipe(switchMap$1((args) => operationArgs(',
    replace: 'groupBy((op) => op.operationName === "commit" ? `${op.idPair.publishedId}#commit` : op.idPair.publishedId), mergeMap$1((groups$) => groups$.pipe(switchMap$1((args) => operationArgs(',
  },
]

/** Sanity's module holding the document store: the only one the fixes touch. */
export function isDocumentStoreModule(id: string, code: string): boolean {
  return /[\\/]sanity[\\/]lib[\\/]datastores-[^\\/]+\.js$/.test(id.split('?')[0]) && code.includes('const validation = memoize$1(')
}

/** The module with every fix applied; throws, naming this file, when sanity's code has changed. */
export function patchDocumentStore(code: string, id = 'sanity/lib/datastores-*.js'): string {
  let patched = code
  for (const {name, find, replace} of PUBLISH_FIXES) {
    const at = patched.indexOf(find)
    if (at < 0 || patched.indexOf(find, at + 1) >= 0) {
      throw new Error(
        `studio-build/publish-fixes.ts: sanity's document store (${id}) no longer has the code of the fix "${name}"; ` +
          'check whether the sanity version in use still has that bug, then update or drop the fix.',
      )
    }
    patched = patched.slice(0, at) + replace + patched.slice(at + find.length)
  }
  return patched
}
