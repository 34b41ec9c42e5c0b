/**
 * The content gate: stories whose rating has `requiresContentGate` show their text only after
 * the reader confirms once; the answer is remembered in a cookie the page itself never needs
 * JavaScript to read or set.
 */
export const GATE_COOKIE = 'gate'
export const GATE_COOKIE_MAX_AGE = 60 * 60 * 24 * 30

export function hasPassedGate(cookieHeader: string | undefined): boolean {
  if (!cookieHeader) return false
  return cookieHeader.split(';').some((part) => {
    const [name, ...rest] = part.split('=')
    return name.trim() === GATE_COOKIE && rest.join('=').trim() === '1'
  })
}

export function gateCookie(): string {
  return `${GATE_COOKIE}=1; Path=/; Max-Age=${GATE_COOKIE_MAX_AGE}; SameSite=Lax; HttpOnly`
}

/**
 * Where to send the reader after confirming. Only a path on this site: anything else
 * ("//evil.example", "https://...", "/\\evil") would make the gate an open redirect.
 */
export function safeReturnPath(raw: unknown): string {
  if (typeof raw !== 'string') return '/'
  if (!raw.startsWith('/') || raw.startsWith('//') || /[\\\u0000-\u001f\u007f]/.test(raw)) return '/'
  return raw
}
