/**
 * A seeded lake in a process of its own, the target of scripts/attacks.ts: the attacking and
 * measuring clients then never share the lake's thread. Prints its base URL on the first line of
 * stdout, and exits when stdin closes. Env: ATTACK_STORIES (default 2000), ATTACK_QUERY_LIMIT_MS.
 */
import {rmSync} from 'node:fs'
import {createServer} from 'node:http'
import type {AddressInfo} from 'node:net'
import {mkdtempSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {createLakeHandler} from '../lake/handler'
import {openStore} from '../lake/store'

const stories = Number(process.env.ATTACK_STORIES) || 2000
const limit = Number(process.env.ATTACK_QUERY_LIMIT_MS) || undefined
const dir = mkdtempSync(join(tmpdir(), 'lake-attack-'))
const store = openStore(dir)
for (let start = 0; start < stories; start += 5000) {
  const batch = []
  for (let i = start; i < Math.min(stories, start + 5000); i++) batch.push({create: {_id: `story.${i}`, _type: 'story', title: `Story ${i}`, n: i}})
  store.mutate('production', batch, {skipRevisions: true})
}
const server = createServer(createLakeHandler({store, token: 'c'.repeat(64), queryTimeLimitMs: limit}))
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`http://127.0.0.1:${(server.address() as AddressInfo).port}\n`)
})
const stop = () => {
  server.closeAllConnections()
  server.close()
  store.close()
  rmSync(dir, {recursive: true, force: true})
  process.exit(0)
}
process.stdin.on('end', stop)
process.stdin.on('close', stop)
process.stdin.resume()
