import {spawn, spawnSync} from 'node:child_process'
import {existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterEach, beforeEach, describe, expect, test} from 'vitest'
import {LOCK_FILE_NAME} from '../../lake/lock'
import {startLake} from '../../lake/server'
import {openStore} from '../../lake/store'

const tsx = join(process.cwd(), 'node_modules/.bin/tsx')
let dataDir: string
let file: string
beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'lake-lock-'))
  file = join(dataDir, 'in.ndjson')
  writeFileSync(file, JSON.stringify({_id: 'imported', _type: 'story', title: 'From a file'}) + '\n')
})
afterEach(() => rmSync(dataDir, {recursive: true, force: true}))

function runImport() {
  return spawnSync(tsx, ['scripts/lake.ts', 'import', file, '--replace'], {env: {...process.env, LAKE_DATA_DIR: dataDir}, encoding: 'utf8'})
}

/** A pid that certainly belonged to a process which has exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {encoding: 'utf8'})
  return Number(child.stdout)
}

describe('the data folder lock', () => {
  test('an import refuses with one clear line while the lake runs, and works once it stopped', async () => {
    const lake = await startLake({dataDir, port: 0})
    try {
      const refused = runImport()
      expect(refused.status).toBe(1)
      expect(refused.stderr.trim().split('\n')).toEqual([`lake: cannot import: ${dataDir} is in use by a running lake (pid ${process.pid}); stop it first (npm run dev / the lake server)`])
      expect(await lake.store.query('production', '*[_id == "imported"]')).toEqual([])
    } finally {
      await lake.close()
    }
    expect(existsSync(join(dataDir, LOCK_FILE_NAME))).toBe(false)
    const imported = runImport()
    expect(imported.stderr).toContain('imported 1 documents')
    expect(imported.status).toBe(0)
    expect(existsSync(join(dataDir, LOCK_FILE_NAME))).toBe(false)
    const store = openStore(dataDir)
    expect(store.getDocuments('production', ['imported'])[0]?.title).toBe('From a file')
    store.close()
  }, 30_000)

  test('a lock left by a process that is gone (kill -9) is stale and taken over', () => {
    writeFileSync(join(dataDir, LOCK_FILE_NAME), JSON.stringify({pid: deadPid(), holder: 'lake'}))
    const imported = runImport()
    expect(imported.stderr).toContain('imported 1 documents')
    expect(imported.status).toBe(0)
  }, 30_000)

  test('the lake refuses to start while an import holds the folder', async () => {
    // Any live process other than this one stands in for a running import.
    const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], {stdio: 'ignore'})
    try {
      writeFileSync(join(dataDir, LOCK_FILE_NAME), JSON.stringify({pid: other.pid, holder: 'import'}))
      await expect(startLake({dataDir, port: 0})).rejects.toThrow(`${dataDir} is in use by a running import (pid ${other.pid}); stop it first`)
      expect(JSON.parse(readFileSync(join(dataDir, LOCK_FILE_NAME), 'utf8')).pid).toBe(other.pid)
    } finally {
      other.kill()
    }
  })
})
