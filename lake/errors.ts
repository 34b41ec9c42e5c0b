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

/** Deepest JSON nesting the lake accepts; deeper values would overflow the stack while copying. */
export const MAX_NESTING = 200

/** 400 instead of a stack overflow (500) for absurdly nested input. Iterative, so it cannot overflow itself. */
export function assertNesting(value: unknown, what: string, limit = MAX_NESTING): void {
  const stack: Array<[unknown, number]> = [[value, 1]]
  while (stack.length > 0) {
    const [current, depth] = stack.pop()!
    if (!current || typeof current !== 'object') continue
    if (depth > limit) throw new LakeError(400, 'validationError', `${what} is nested deeper than ${limit} levels`)
    for (const inner of Object.values(current)) if (inner && typeof inner === 'object') stack.push([inner, depth + 1])
  }
}
