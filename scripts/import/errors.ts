/**
 * The one error type the importer reports for bad input. Its message is a single line that
 * names the file (and line when known) so a batch of thousands of files can be triaged from
 * the summary alone; anything else thrown is a bug and is reported as one.
 */
export class ImportError extends Error {
  readonly file: string
  readonly line?: number
  readonly reason: string

  constructor(file: string, reason: string, line?: number) {
    const oneLine = reason.replace(/\s+/g, ' ').trim()
    super(`${file}${line !== undefined ? `:${line}` : ''}: ${oneLine}`)
    this.name = 'ImportError'
    this.file = file
    this.line = line
    this.reason = oneLine
  }
}

/** A file (or archive entry) with no text at all: fatal for a file, skippable inside an EPUB. */
export class BlankTextError extends ImportError {}

/** Turns anything thrown while importing one file into an ImportError naming that file. */
export function asImportError(file: string, error: unknown): ImportError {
  if (error instanceof ImportError) return error
  if (error instanceof RangeError && /maximum call stack|Invalid string length|Array buffer allocation/i.test(error.message)) {
    return new ImportError(file, `too large or too deeply nested to import (${error.message})`)
  }
  const message = error instanceof Error ? error.message : String(error)
  return new ImportError(file, `could not be imported: ${message.split('\n')[0]}`)
}
