/**
 * Its own vitest project (`--project attack`), run alone: it times the lake's answers.
 * While a client loops each hostile request of scripts/attacks.ts (one at a time, bounded in
 * count and time, loopback only), the lake keeps answering (ping p95 under 100 ms and a cheap
 * query under 200 ms, issue 12's figures), and the attack itself gets a 4xx within the query
 * limit. The benchmark (`npm run bench -- attack`) prints the same figures at scale beside the
 * idle lake.
 */
import {afterAll, beforeAll, expect, test} from 'vitest'
import {ATTACKS, measure, percentile, startTarget, type AttackTarget} from '../../scripts/attacks'

// Long enough that a lake which held the thread for a whole query would show it in every figure
// (pings waiting up to a second); the lake gives the thread back every few ms instead.
const QUERY_LIMIT_MS = 1000
let lake: AttackTarget
// A second lake nobody attacks, pinged in the same window: what the machine's load alone costs.
let control: AttackTarget

beforeAll(async () => {
  ;[lake, control] = await Promise.all([startTarget(2000, QUERY_LIMIT_MS), startTarget(2000, QUERY_LIMIT_MS)])
}, 60_000)
afterAll(async () => {
  await lake?.stop()
  await control?.stop()
})

test.each(ATTACKS.map((attack) => [attack.name, attack] as const))('under attack (%s) ping and a cheap query stay fast and the attack gets a 4xx', async (_name, attack) => {
  // The bounds (ping p95 100 ms, a cheap query 200 ms) on a quiet machine, where an
  // unattacked lake answers in under 10 ms; on a busy 2-core CI machine ten times what such a
  // control lake answers in the same window: at load 10-12 (five sessions sharing the machine) its
  // p95 swung from 5 to 300 ms within a minute, and a lake kept busy by a stream of even trivially
  // refused requests (the listener and nested-JSON attacks, which never reach a query) got far
  // less CPU than the idle control. Never above half the query limit, so a lake that an attack
  // holds (the whole limit, 1000 ms, in every figure) always fails.
  const [run, idle] = await Promise.all([
    measure(lake.baseUrl, attack, {durationMs: 1500, maxRequests: 30}),
    measure(control.baseUrl, null, {durationMs: 1500, maxRequests: 0}),
  ])
  const pingBound = Math.min(QUERY_LIMIT_MS / 2, Math.max(100, 10 * percentile(idle.ping, 95)))
  const cheapBound = Math.min(QUERY_LIMIT_MS / 2, Math.max(200, 10 * percentile(idle.cheap, 95)))
  expect(run.attack.length).toBeGreaterThan(0)
  const statuses = new Set(run.attack.map((a) => a.status))
  // Listeners are accepted up to the cap for strangers, then refused.
  if (attack.keepOpen) expect([...statuses].every((status) => status === 200 || status === 429)).toBe(true)
  else expect([...statuses].every((status) => status >= 400 && status < 500)).toBe(true)
  expect(Math.max(...run.attack.map((a) => a.ms))).toBeLessThan(QUERY_LIMIT_MS + 2000)
  const figures = {ping: percentile(run.ping, 95), cheap: percentile(run.cheap, 95)}
  console.log(`${attack.name}: ping p95 ${figures.ping.toFixed(1)} ms (bound ${pingBound.toFixed(0)}), cheap query p95 ${figures.cheap.toFixed(1)} ms (bound ${cheapBound.toFixed(0)})`)
  expect(percentile(run.ping, 95)).toBeLessThan(pingBound)
  expect(percentile(run.cheap, 95)).toBeLessThan(cheapBound)
})
