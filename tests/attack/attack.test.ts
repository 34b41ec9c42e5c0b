/**
 * Its own vitest project (`--project attack`), run alone: it times the lake's answers.
 * While a client loops each hostile request of scripts/attacks.ts (one at a time, bounded in
 * count and time, loopback only), the lake keeps answering (ping and a cheap query well under a
 * second, where a blocked lake took seconds), and the attack itself gets a 4xx within the query limit. The benchmark
 * (`npm run bench -- attack`) prints the same figures at scale beside the idle lake.
 */
import {afterAll, beforeAll, expect, test} from 'vitest'
import {ATTACKS, measure, percentile, startTarget, type AttackTarget} from '../../scripts/attacks'

const QUERY_LIMIT_MS = 50
let lake: AttackTarget

beforeAll(async () => {
  lake = await startTarget(2000, QUERY_LIMIT_MS)
}, 60_000)
afterAll(() => lake?.stop())

test.each(ATTACKS.map((attack) => [attack.name, attack] as const))('under attack (%s) ping and a cheap query stay fast and the attack gets a 4xx', async (_name, attack) => {
  // Generous bounds, so a busy machine cannot turn this red: what the test tells apart is a lake
  // that keeps answering (tens of ms) from one an attack blocks (seconds, as before the limits).
  // The strict figures (ping p95 under 100 ms) are printed by `npm run bench -- attack`.
  const idle = await measure(lake.baseUrl, null, {durationMs: 800, maxRequests: 0})
  const pingBound = Math.max(500, 5 * percentile(idle.ping, 95) + 50)
  const cheapBound = Math.max(800, 5 * percentile(idle.cheap, 95) + 50)
  const run = await measure(lake.baseUrl, attack, {durationMs: 1500, maxRequests: 30})
  expect(run.attack.length).toBeGreaterThan(0)
  const statuses = new Set(run.attack.map((a) => a.status))
  // Listeners are accepted up to the cap for strangers, then refused.
  if (attack.keepOpen) expect([...statuses].every((status) => status === 200 || status === 429)).toBe(true)
  else expect([...statuses].every((status) => status >= 400 && status < 500)).toBe(true)
  expect(Math.max(...run.attack.map((a) => a.ms))).toBeLessThan(QUERY_LIMIT_MS + 2000)
  expect(percentile(run.ping, 95)).toBeLessThan(pingBound)
  expect(percentile(run.cheap, 95)).toBeLessThan(cheapBound)
})
