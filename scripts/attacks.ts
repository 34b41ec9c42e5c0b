/**
 * Hostile requests against a lake on loopback (started in a process of its own by
 * `startTarget`, scripts/attack-lake.ts), and the measurement of how the lake holds up
 * while a client loops one of them: `/v1/ping` and a cheap query are timed throughout. Used by
 * the attack benchmark (scripts/bench/attack.ts) and the bounded attack test
 * (tests/lake/attack.test.ts). Every loop is bounded in requests and time, and only ever
 * targets the given loopback URL.
 */

export interface Attack {
  name: string
  /** One hostile request (anonymous unless it says otherwise). */
  request(baseUrl: string): {url: string; init: RequestInit}
  /** Requests whose answer streams on (listeners): only the status is awaited, and they stay open until the run ends. */
  keepOpen?: boolean
}

const API = '/v2025-02-19/data/query/production'

function post(baseUrl: string, body: unknown, headers: Record<string, string> = {}): {url: string; init: RequestInit} {
  return {url: `${baseUrl}${API}`, init: {method: 'POST', headers: {'content-type': 'application/json', ...headers}, body: JSON.stringify(body)}}
}

export const ATTACKS: Attack[] = [
  {
    name: 'serialise *[]{"x": *[]}',
    request: (baseUrl) => ({url: `${baseUrl}${API}?query=${encodeURIComponent('*[]{"x": *[]}')}`, init: {}}),
  },
  {
    name: 'parse a 52 KB || chain',
    request: (baseUrl) => post(baseUrl, {query: '*[' + Array.from({length: 4000}, (_, i) => `a == ${i}`).join(' || ') + ']'}),
  },
  {
    name: 'query text of 1 MB',
    request: (baseUrl) => post(baseUrl, {query: `"${'x'.repeat(1024 * 1024)}"`}),
  },
  {
    name: 'params count($a[@ in $a]) x40000',
    request: (baseUrl) => post(baseUrl, {query: 'count($a[@ in $a])', params: {a: Array.from({length: 40_000}, (_, i) => i)}}),
  },
  {
    name: 'nested *[] evaluation',
    request: (baseUrl) => ({url: `${baseUrl}${API}?query=${encodeURIComponent('*[count(*[count(*[count(*[]) > 0]) > 0]) > 0]')}`, init: {}}),
  },
  {
    name: 'cross-site simple POST',
    request: (baseUrl) => ({
      url: `${baseUrl}${API}`,
      init: {method: 'POST', headers: {'content-type': 'text/plain', origin: 'https://evil.example'}, body: JSON.stringify({query: '*[]{"x": *[]}'})},
    }),
  },
  {
    // Every listener's filter runs on every write: strangers get a few, each with a filter near the operator limit.
    name: 'anonymous listeners, heavy filters',
    keepOpen: true,
    request: (baseUrl) => ({
      url: `${baseUrl}/v2025-02-19/data/listen/production?query=${encodeURIComponent('*[' + Array.from({length: 400}, (_, i) => `n == ${i}`).join(' || ') + ']')}`,
      init: {},
    }),
  },
  {
    name: 'deeply nested JSON body',
    request: (baseUrl) => ({
      url: `${baseUrl}${API}`,
      init: {method: 'POST', headers: {'content-type': 'application/json'}, body: `{"query": "$p", "params": {"p": ${'['.repeat(5000)}${']'.repeat(5000)}}}`},
    }),
  },
]

export interface AttackRun {
  ping: number[]
  cheap: number[]
  /** Status and duration of each hostile request. */
  attack: Array<{status: number; ms: number}>
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]
}

async function timed(url: string, init: RequestInit = {}): Promise<{status: number; ms: number}> {
  const started = performance.now()
  const res = await fetch(url, init)
  await res.arrayBuffer()
  return {status: res.status, ms: performance.now() - started}
}

/**
 * Loops `attack` (one request at a time) for at most `durationMs` and `maxRequests`, while a
 * second client pings and a third runs a cheap query, one request at a time each. Without an
 * attack it measures the idle lake the same way.
 */
export async function measure(baseUrl: string, attack: Attack | null, options: {durationMs: number; maxRequests: number}): Promise<AttackRun> {
  const run: AttackRun = {ping: [], cheap: [], attack: []}
  const deadline = performance.now() + options.durationMs
  let stop = false
  const open: AbortController[] = []
  const cheapQuery = `${baseUrl}${API}?query=${encodeURIComponent('*[_type == "story"][0]._id')}`
  const loop = async (body: () => Promise<void>) => {
    while (!stop && performance.now() < deadline) await body()
  }
  const attacker = (async () => {
    if (!attack) {
      await new Promise((resolve) => setTimeout(resolve, options.durationMs))
      return
    }
    for (let i = 0; i < options.maxRequests && performance.now() < deadline; i++) {
      const {url, init} = attack.request(baseUrl)
      if (attack.keepOpen) {
        const controller = new AbortController()
        const started = performance.now()
        const res = await fetch(url, {...init, signal: controller.signal})
        run.attack.push({status: res.status, ms: performance.now() - started})
        if (res.ok) open.push(controller)
        else await res.arrayBuffer()
      } else run.attack.push(await timed(url, init))
    }
  })()
  const pause = () => new Promise((resolve) => setTimeout(resolve, 5))
  const pinger = loop(async () => {
    run.ping.push((await timed(`${baseUrl}/v1/ping`)).ms)
    await pause()
  })
  const querier = loop(async () => {
    run.cheap.push((await timed(cheapQuery)).ms)
    await pause()
  })
  try {
    await attacker
  } finally {
    stop = true
    await Promise.all([pinger, querier])
    for (const controller of open) controller.abort()
  }
  return run
}

export interface AttackTarget {
  baseUrl: string
  stop(): Promise<void>
}

/** Starts scripts/attack-lake.ts in its own process with `stories` stories; resolves with its URL. */
export async function startTarget(stories: number, queryTimeLimitMs?: number): Promise<AttackTarget> {
  const {spawn} = await import('node:child_process')
  const {join} = await import('node:path')
  const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'attack-lake.ts')], {
    env: {...process.env, ATTACK_STORIES: String(stories), ...(queryTimeLimitMs ? {ATTACK_QUERY_LIMIT_MS: String(queryTimeLimitMs)} : {})},
    stdio: ['pipe', 'pipe', 'inherit'],
  })
  const baseUrl = await new Promise<string>((resolve, reject) => {
    let out = ''
    child.stdout!.on('data', (chunk) => {
      out += chunk
      if (out.includes('\n')) resolve(out.split('\n')[0].trim())
    })
    child.once('exit', (code) => reject(new Error(`the attack target exited (${code}) before it listened`)))
  })
  return {
    baseUrl,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve())
        child.stdin!.end()
      }),
  }
}
