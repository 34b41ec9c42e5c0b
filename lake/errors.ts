/** An error the lake answers with a Sanity-shaped JSON body instead of a crash. */
export class LakeError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message)
    this.name = 'LakeError'
  }

  toBody(): {error: Record<string, unknown>} {
    return {error: {description: this.message, type: this.type, ...this.extra}}
  }
}

/** A failed mutation inside a transaction: Sanity wraps it as `mutationError` with `items`. */
export function mutationError(
  status: number,
  itemType: string,
  description: string,
  index: number,
  details: Record<string, unknown> = {},
): LakeError {
  return new LakeError(status, 'mutationError', `The mutation(s) failed: ${description}`, {
    items: [{error: {description, type: itemType, ...details}, index}],
  })
}

export function badRequest(description: string, extra: Record<string, unknown> = {}): LakeError {
  return new LakeError(400, 'validationError', description, extra)
}
