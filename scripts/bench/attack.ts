/**
 * The lake under attack: while one client loops each hostile request of scripts/attacks.ts (one
 * at a time, bounded), `/v1/ping` and a cheap query are timed; the same is measured on the idle
 * lake first, in the same run, as the baseline. BENCH_SCALE scales the dataset (default 50,000
 * stories, where serialising `*[]{"x": *[]}` used to freeze the lake for minutes).
 */
import {ATTACKS, measure, percentile, startTarget, type AttackRun} from '../attacks'

const SCALE = Number(process.env.BENCH_SCALE) || 1
const STORIES = Math.max(1000, Math.round(50_000 * SCALE))
const DURATION_MS = 4000
const MAX_REQUESTS = 50

async function main() {
  // The lake runs in a process of its own, with the default query limit.
  const target = await startTarget(STORIES)
  const {baseUrl} = target
  const fmt = (ms: number) => (Number.isNaN(ms) ? '   -' : ms.toFixed(1).padStart(7))
  const row = (name: string, run: AttackRun) => {
    const statuses = [...new Set(run.attack.map((a) => a.status))].join('/') || '-'
    return `${name.padEnd(36)} ping p50 ${fmt(percentile(run.ping, 50))} p95 ${fmt(percentile(run.ping, 95))} max ${fmt(Math.max(...run.ping))} ms | cheap query p95 ${fmt(percentile(run.cheap, 95))} ms | attack ${String(run.attack.length).padStart(3)}x status ${statuses.padEnd(7)} p95 ${fmt(percentile(run.attack.map((a) => a.ms), 95))} ms`
  }
  console.log(`lake with ${STORIES} stories; each attack looped for up to ${DURATION_MS / 1000} s / ${MAX_REQUESTS} requests`)
  console.log(row('idle (baseline)', await measure(baseUrl, null, {durationMs: DURATION_MS, maxRequests: 0})))
  for (const attack of ATTACKS) console.log(row(attack.name, await measure(baseUrl, attack, {durationMs: DURATION_MS, maxRequests: MAX_REQUESTS})))
  await target.stop()
}

main().catch((err) => {
  console.error(`bench/attack: ${err instanceof Error ? err.message : err}`)
  process.exit(1)
})
