import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {request} from 'node:http'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, expect, test} from 'vitest'
import {serveStatic} from '../e2e/global-setup'

let dir: string
let served: Awaited<ReturnType<typeof serveStatic>>
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'static-'))
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>app</title>')
  writeFileSync(join(dir, 'app.js'), 'console.log(1)')
  served = await serveStatic(dir)
})
afterAll(async () => {
  await served.close()
  rmSync(dir, {recursive: true, force: true})
})

/** Raw request: fetch() would normalise or reject some of these paths before sending them. */
function get(path: string): Promise<{status: number; body: string}> {
  return new Promise((resolve, reject) => {
    const req = request(`${served.url}${path}`, (res) => {
      let body = ''
      res.on('data', (chunk) => (body += chunk))
      res.on('end', () => resolve({status: res.statusCode ?? 0, body}))
    })
    req.on('error', reject)
    req.end()
  })
}

test.each([
  ['/%', 400, 'Malformed URL'],
  ['/%E0%A4%A', 400, 'Malformed URL'],
  ['/app.js', 200, 'console.log(1)'],
  ['/some/route', 200, '<title>app</title>'],
  ['/..%2f..%2fetc%2fpasswd', 200, '<title>app</title>'],
])('GET %s answers %i', async (path, status, body) => {
  const res = await get(path)
  expect(res.status).toBe(status)
  expect(res.body).toContain(body)
  // The server is still up afterwards.
  expect((await get('/app.js')).status).toBe(200)
})
