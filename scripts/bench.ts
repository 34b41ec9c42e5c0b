/**
 * `npm run bench`: runs every benchmark in scripts/bench/ one after the other (each in its
 * own process, so one's memory and JIT state never colours another's) and prints their output.
 * `npm run bench -- lake import` runs only the named ones; BENCH_SCALE scales corpus sizes.
 */
import {spawnSync} from 'node:child_process'
import {readdirSync} from 'node:fs'
import {join} from 'node:path'

const dir = join(import.meta.dirname, 'bench')
const wanted = process.argv.slice(2)
const benches = readdirSync(dir)
  .filter((f) => f.endsWith('.ts'))
  .map((f) => f.replace(/\.ts$/, ''))
  .filter((name) => wanted.length === 0 || wanted.includes(name))
  .sort()

if (benches.length === 0) {
  console.error(`No benchmark matches ${wanted.join(', ')}. Available: ${readdirSync(dir).join(', ')}`)
  process.exit(2)
}

let failed = 0
for (const name of benches) {
  console.log(`\n=== bench: ${name} ===`)
  const started = Date.now()
  const result = spawnSync(process.execPath, ['--import', 'tsx', join(dir, `${name}.ts`)], {stdio: 'inherit'})
  console.log(`=== ${name}: ${result.status === 0 ? 'done' : 'FAILED'} in ${((Date.now() - started) / 1000).toFixed(1)} s ===`)
  if (result.status !== 0) failed++
}
process.exit(failed ? 1 : 0)
