/**
 * The reference reader site. `npm run site` serves it on http://127.0.0.1:3000 (SITE_PORT to
 * change) reading published content from the local lake, or from the hosted dataset when
 * SANITY_STUDIO_PROJECT_ID is set (CDN, no token).
 */
import {createServer} from 'node:http'
import type {AddressInfo} from 'node:net'
import {pathToFileURL} from 'node:url'
import type {SanityClient} from '@sanity/client'
import {archiveClient, lakeDownMessage} from '../lake/connection'

export interface StartSiteOptions {
  /** Reads with `perspective: 'published'`; see archiveClient. */
  client: SanityClient
  port?: number
  host?: string
  log?: (message: string) => void
  /** See SiteHandlerOptions.explainFailure. */
  explainFailure?: (error: unknown) => string | undefined
}

export interface RunningSite {
  url: string
  close(): Promise<void>
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost'])

export async function startSite({client, port = 3000, host = '127.0.0.1', log, explainFailure}: StartSiteOptions): Promise<RunningSite> {
  if (!LOOPBACK.has(host)) throw new Error(`The reader site only listens on loopback; "${host}" is not a loopback address.`)
  const perspective = client.config().perspective
  if (perspective !== 'published') {
    // Drafts must never reach readers: the queries guard against them too, but the client is the first line.
    throw new Error(`The reader site needs a client with perspective 'published' (got ${JSON.stringify(perspective ?? 'raw')}).`)
  }
  // Loaded here, not at the top, so `npm run site` can switch React to production mode first.
  const {createSiteHandler} = await import('./handler')
  const handle = createSiteHandler({client, log, explainFailure})
  const server = createServer((req, res) => {
    void handle(req, res)
  })
  server.keepAliveTimeout = 5000
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => {
      server.off('error', reject)
      resolve()
    })
  })
  const address = server.address() as AddressInfo
  const hostPart = address.family === 'IPv6' ? `[${address.address}]` : address.address
  return {
    url: `http://${hostPart}:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      }),
  }
}

function sitePort(raw: string | undefined): number {
  if (!raw?.trim()) return 3000
  const port = Number(raw)
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`SITE_PORT must be a port number (0-65535), got "${raw}"`)
  return port
}

async function main() {
  // React's development build validates every element and is ~10x slower on long stories.
  process.env.NODE_ENV ??= 'production'
  const client = archiveClient({perspective: 'published'})
  const explainFailure = (error: unknown) => lakeDownMessage(error)
  try {
    await client.fetch('true')
  } catch (error) {
    // Nothing to serve without content: say where the lake was looked for and how to start it.
    const down = explainFailure(error)
    if (down) throw new Error(down)
  }
  const site = await startSite({client, port: sitePort(process.env.SITE_PORT), explainFailure})
  const source = process.env.SANITY_STUDIO_PROJECT_ID ? `project ${process.env.SANITY_STUDIO_PROJECT_ID}` : 'the local lake'
  console.log(`Reader site on ${site.url} (published content from ${source})`)
  const stop = () => void site.close().then(() => process.exit(0))
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    console.error(`site: ${error instanceof Error ? error.message : String(error)}`)
    process.exit(1)
  })
}
