import {mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'
import {archiveClient, lakeDataDir, lakePort} from '../../lake/connection'
import {localLakeWorkspace, withLakeToken} from '../../lake/studio'
import {studioTarget} from '../../studio.target'

let dataDir: string
beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'lake-connection-'))
})
afterEach(() => rmSync(dataDir, {recursive: true, force: true}))

describe('lakeDataDir / lakePort', () => {
  it.each([
    [{}, '.lake-data', 3900],
    [{LAKE_DATA_DIR: '/srv/lake', LAKE_PORT: '4100'}, '/srv/lake', 4100],
    [{LAKE_DATA_DIR: '  ', LAKE_PORT: ' '}, '.lake-data', 3900],
    [{LAKE_PORT: '0'}, '.lake-data', 0],
  ])('%o -> %s, %i', (env, dir, port) => {
    expect(lakeDataDir(env)).toBe(dir)
    expect(lakePort(env)).toBe(port)
  })

  it.each(['http', '-1', '70000', '39.5'])('rejects LAKE_PORT=%s with a message naming the variable', (raw) => {
    expect(() => lakePort({LAKE_PORT: raw})).toThrow(/LAKE_PORT must be a port number/)
  })
})

describe('archiveClient', () => {
  it('targets the local lake over plain HTTP with the data folder token when no project is set', () => {
    const env = {LAKE_DATA_DIR: dataDir, LAKE_PORT: '4321'}
    const config = archiveClient({env}).config()
    const token = readFileSync(join(dataDir, 'token'), 'utf8').trim()
    expect(config).toMatchObject({
      projectId: 'local',
      dataset: 'production',
      apiVersion: '2025-02-19',
      useProjectHostname: false,
      useCdn: false,
      token,
      url: 'http://127.0.0.1:4321/v2025-02-19',
    })
    // The same token on the next call: the file is reused, not rewritten.
    expect(archiveClient({env}).config().token).toBe(token)
  })

  it('honours an explicit token, dataset and perspective locally', () => {
    const config = archiveClient({env: {LAKE_DATA_DIR: dataDir, SANITY_STUDIO_DATASET: 'staging'}, token: 'given', perspective: 'drafts'}).config()
    expect(config).toMatchObject({dataset: 'staging', token: 'given', perspective: 'drafts'})
  })

  it.each([
    ['token-less published reads use the CDN', {}, undefined, true],
    ['a token bypasses the CDN', {SANITY_API_TOKEN: 'sk-secret'}, undefined, false],
    ['drafts bypass the CDN', {}, 'drafts' as const, false],
  ])('hosted: %s', (_name, extra, perspective, useCdn) => {
    const env = {SANITY_STUDIO_PROJECT_ID: 'abc123', SANITY_STUDIO_DATASET: 'archive', ...extra}
    const config = archiveClient({env, perspective}).config()
    expect(config).toMatchObject({projectId: 'abc123', dataset: 'archive', apiVersion: '2025-02-19', useCdn})
    expect(config.useProjectHostname).not.toBe(false)
    expect(config.token).toBe('SANITY_API_TOKEN' in extra ? 'sk-secret' : undefined)
  })
})

describe('localLakeWorkspace (Studio)', () => {
  const localEnv = {SANITY_STUDIO_LAKE_URL: 'https://localhost:4444', SANITY_STUDIO_LAKE_TOKEN: 'studio-token'}

  it('adds nothing in hosted mode, so the hosted Studio keeps Sanity login', () => {
    const env = {SANITY_STUDIO_PROJECT_ID: 'abc123', ...localEnv}
    expect(localLakeWorkspace(studioTarget(env), env)).toEqual({})
  })

  it('points the Studio at the lake and gives every client the lake token without cookies', () => {
    const workspace = localLakeWorkspace(studioTarget(localEnv), localEnv)
    expect(workspace.apiHost).toBe('https://localhost:4444')
    expect(workspace.auth).toEqual({loginMethod: 'token'})
    // What the Studio's auth store asks the factory for (AUTH_CLIENT_OPTIONS + host + dual-mode credentials).
    const client = workspace.unstable_clientFactory!({
      projectId: 'local',
      dataset: 'production',
      apiVersion: '2021-06-07',
      apiHost: 'https://localhost:4444',
      useCdn: false,
      withCredentials: true,
    })
    expect(client.config()).toMatchObject({token: 'studio-token', withCredentials: false, url: 'https://local.localhost:4444/v2021-06-07'})
  })

  it('leaves the factory untouched without a token', () => {
    expect(withLakeToken(undefined)({projectId: 'local', dataset: 'production', apiVersion: '1', useCdn: false}).config().token).toBeUndefined()
  })
})
