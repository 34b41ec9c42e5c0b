import {createServer, type Server} from 'node:http'
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import type {AddressInfo} from 'node:net'
import {afterAll} from 'vitest'
import {createClient, type SanityClient} from '@sanity/client'
import {createLakeHandler, type LakeHandlerOptions} from '../../lake/handler'
import {openStore, type Store} from '../../lake/store'

export const TEST_TOKEN = 'a'.repeat(64)

export interface TestLake {
  dataDir: string
  store: Store
  server: Server
  baseUrl: string
  client: SanityClient
  anonymous: SanityClient
  close(): Promise<void>
}

export function tempDir(prefix = 'lake-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix))
}

/** Makes temporary data folders for one test file; all are removed after its tests. */
export function tempDirsRemovedAfterAll(): () => string {
  const dirs: string[] = []
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, {recursive: true, force: true})
  })
  return () => {
    const dir = tempDir()
    dirs.push(dir)
    return dir
  }
}

export function clientFor(baseUrl: string, token?: string, apiVersion = '2025-02-19'): SanityClient {
  return createClient({
    projectId: 'local',
    dataset: 'production',
    apiHost: baseUrl,
    useProjectHostname: false,
    apiVersion,
    useCdn: false,
    token,
  })
}

/** A real HTTP server on 127.0.0.1 around the lake handler, with a fresh data folder. */
export type StartLakeOptions = {dataDir?: string} & Pick<LakeHandlerOptions, "keepAliveMs" | "queryTimeLimitMs" | "maxListenerReplay" | "maxListenerBufferedBytes" | "limits" | "maxAnonymousListeners">

export async function startLake(options: StartLakeOptions = {}): Promise<TestLake> {
  const dataDir = options.dataDir ?? tempDir()
  const store = openStore(dataDir)
  const server = createServer(createLakeHandler({...options, store, token: TEST_TOKEN}))
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return {
    dataDir,
    store,
    server,
    baseUrl,
    client: clientFor(baseUrl, TEST_TOKEN),
    anonymous: clientFor(baseUrl),
    async close() {
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
      store.close()
      if (!options.dataDir) rmSync(dataDir, {recursive: true, force: true})
    },
  }
}
