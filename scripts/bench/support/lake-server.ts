/**
 * The lake the benchmark measures, in a process of its own so its start-up time and resident
 * memory are the lake's alone: `node --import tsx lake-server.ts <dataDir> <token>` prints
 * `{"httpUrl": ...}` on one line once it listens.
 */
import {startLake} from '../../../lake/server'

const [dataDir, token] = process.argv.slice(2)
if (!dataDir || !token) {
  console.error('usage: lake-server.ts <dataDir> <token>')
  process.exit(2)
}
const lake = await startLake({dataDir, token, port: 0})
console.log(JSON.stringify({httpUrl: lake.httpUrl}))
process.on('SIGTERM', () => {
  void lake.close().then(() => process.exit(0))
})
