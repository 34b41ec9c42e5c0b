import {defineArrayMember, defineField, defineType} from 'sanity'

/** Provenance of an imported work: where it came from and what its header said, untouched. */
export const importSource = defineType({
  name: 'importSource',
  title: 'Source',
  type: 'object',
  readOnly: true,
  options: {collapsible: true, collapsed: true},
  fields: [
    defineField({name: 'url', type: 'url', title: 'Original URL'}),
    defineField({name: 'fileName', type: 'string', title: 'File name'}),
    defineField({
      name: 'format',
      type: 'string',
      options: {list: ['text', 'html', 'epub', 'markdown']},
    }),
    defineField({name: 'rawHeader', type: 'text', title: 'Raw header', rows: 6}),
    defineField({
      name: 'relatedWorks',
      title: 'Related works',
      description: 'As the file states them: "Inspired by ...", "Translation of ...".',
      type: 'array',
      of: [defineArrayMember({type: 'string'})],
    }),
    defineField({name: 'importedAt', type: 'datetime', title: 'Imported at'}),
    defineField({name: 'checksum', type: 'string', title: 'SHA-256 of the file'}),
    // What the last import wrote, one `field=hash` per field: how a newer download tells an
    // editor's change (kept) from its own (applied).
    // The text's MinHash signature (256 x 32 bits, base64): later imports find reposts against it.
    defineField({name: 'textSignature', type: 'string', title: 'Text signature', hidden: true}),
    defineField({name: 'fieldHashes', type: 'array', title: 'Fields as last imported', hidden: true, of: [defineArrayMember({type: 'string'})]}),
  ],
})
