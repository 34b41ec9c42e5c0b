/**
 * Writes a generated archive (support/archive.ts) as an NDJSON file, for measuring
 * `npm run lake -- import` and a lake started on a large dataset:
 *   npx tsx scripts/bench/support/archive-ndjson.ts <stories> <file.ndjson>
 * (300,000 stories make about 1.6 GB.)
 */
import {createWriteStream} from 'node:fs'
import {once} from 'node:events'
import {generateArchive} from './archive'

const [stories, file] = [Number(process.argv[2]), process.argv[3]]
if (!(stories > 0) || !file) {
  console.error('usage: archive-ndjson.ts <stories> <file.ndjson>')
  process.exit(2)
}
const out = createWriteStream(file)
let count = 0
for (const doc of generateArchive({stories})) {
  if (!out.write(JSON.stringify(doc) + '\n')) await once(out, 'drain')
  count++
}
out.end()
await once(out, 'finish')
console.log(`${file}: ${count} documents of ${stories} stories`)
