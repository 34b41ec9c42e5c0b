/**
 * The local Content Lake's network front: one loopback port that speaks
 * - HTTPS with HTTP/2 (and HTTP/1.1 fallback) for browsers. The Studio keeps seven or more
 *   listeners open at once; over HTTP/1.1 that exhausts the six connections a browser allows
 *   per host and documents hang on "Loading document". Browsers only do HTTP/2 over TLS.
 * - plain HTTP/1.1 for Node clients (@sanity/client in scripts and tests), which then need
 *   no trust in the self-signed certificate.
 * The first byte of each TCP connection decides: 0x16 opens a TLS handshake, anything else
 * is plain HTTP. Both paths end in the same request handler from `lake/handler.ts`.
 */
import {createServer as createHttpServer} from 'node:http'
import {createSecureServer, type Http2Session} from 'node:http2'
import {createServer as createNetServer, isIP, type AddressInfo, type Socket} from 'node:net'
import {makeDataDirPrivate} from './private-files'
import {createLakeHandler} from './handler'
import {acquireLock} from './lock'
import {createPresenceHub} from './presence'
import {openStore, type Store} from './store'
import {loadOrCreateTls} from './tls'
import {loadOrCreateToken} from './token'

export const DEFAULT_LAKE_HOST = '127.0.0.1'
export const DEFAULT_LAKE_PORT = 3900
const TLS_HANDSHAKE_RECORD = 0x16
const FIRST_BYTE_TIMEOUT_MS = 30_000


export interface StartLakeOptions {
  dataDir: string
  /** 0 picks a free port. */
  port?: number
  /** Must be a loopback address: the lake has no business on other interfaces. */
  host?: string
  /** Defaults to the data folder's token (created on first start). */
  token?: string
  /** Folder of the CA that signs the lake's certificate (see lake/tls.ts); default `<dataDir>/tls`. */
  caDir?: string
  /** Extra browser origins allowed by CORS (the handler allows local Studio origins itself). */
  allowedOrigins?: string[]
  /** Receives one line per request (method, path, status, ms) and the handler's own notes. */
  log?: (line: string) => void
  /** Also log each query's text, params and perspective through `log`. */
  logQueries?: boolean
}

export interface RunningLake {
  /** For browsers: https://localhost:<port> (Sanity clients turn it into https://<projectId>.localhost:<port>). */
  url: string
  /** For Node clients: http://127.0.0.1:<port>. */
  httpUrl: string
  port: number
  token: string
  store: Store
  /** The underlying listening socket, e.g. to check `address()`. */
  server: ReturnType<typeof createNetServer>
  /** Path of the CA certificate an editor can trust once to silence browser warnings. */
  caPath: string
  close(): Promise<void>
}

function isLoopback(host: string): boolean {
  if (isIP(host) === 4) return host.startsWith('127.')
  return host === '::1'
}

export async function startLake(options: StartLakeOptions): Promise<RunningLake> {
  const {dataDir, port = DEFAULT_LAKE_PORT, allowedOrigins} = options
  // "localhost" may resolve to ::1; the advertised http URL is 127.0.0.1, so bind that.
  const host = options.host === 'localhost' ? '127.0.0.1' : (options.host ?? DEFAULT_LAKE_HOST)
  if (!isLoopback(host)) {
    throw new Error(`The local lake only listens on loopback; host "${host}" is not a loopback address (use 127.0.0.1).`)
  }
  makeDataDirPrivate(dataDir)
  // Imports (npm run lake) refuse while this is held, and a lake refuses during an import.
  const releaseLock = acquireLock(dataDir, 'lake')
  let store: Store
  let tls: ReturnType<typeof loadOrCreateTls>
  let token: string
  try {
    tls = loadOrCreateTls(dataDir, Date.now(), options.caDir)
    token = options.token ?? loadOrCreateToken(dataDir)
    store = openStore(dataDir)
  } catch (error) {
    releaseLock()
    throw error
  }
  const {log} = options
  const lakeHandler = createLakeHandler({store, token, allowedOrigins, log, logQueries: options.logQueries})
  const handler: typeof lakeHandler = log
    ? (req, res) => {
        const started = Date.now()
        const path = req.url?.split('?')[0]
        res.once('finish', () => log(`${req.method} ${path} ${res.statusCode} ${Date.now() - started}ms`))
        lakeHandler(req, res)
      }
    : lakeHandler

  const presence = createPresenceHub({token, allowedOrigins})
  const sockets = new Set<Socket>()
  const sessions = new Set<Http2Session>()

  const plain = createHttpServer(handler)
  // Node clients keep connections alive between requests; don't let idle ones pile up.
  plain.keepAliveTimeout = 5_000

  const secure = createSecureServer({cert: tls.cert, key: tls.key, allowHTTP1: true}, handler)
  secure.on('session', (session: Http2Session) => {
    sessions.add(session)
    session.once('close', () => sessions.delete(session))
  })
  secure.on('secureConnection', (socket: Socket) => {
    sockets.add(socket)
    socket.once('close', () => sockets.delete(socket))
  })
  // A failed handshake (e.g. a browser that has not accepted the certificate yet) is routine.
  secure.on('tlsClientError', () => {})
  // Browsers open WebSockets over HTTP/1.1 (their own TLS connection), Node clients over plain HTTP.
  plain.on('upgrade', presence.upgrade)
  secure.on('upgrade', presence.upgrade)

  const front = createNetServer((socket) => {
    sockets.add(socket)
    socket.once('close', () => sockets.delete(socket))
    socket.on('error', () => socket.destroy())
    // A connection that never says anything would otherwise be held open forever.
    socket.setTimeout(FIRST_BYTE_TIMEOUT_MS, () => socket.destroy())
    socket.once('data', (chunk: Buffer) => {
      socket.setTimeout(0)
      socket.pause()
      socket.unshift(chunk)
      const target = chunk[0] === TLS_HANDSHAKE_RECORD ? secure : plain
      target.emit('connection', socket)
      process.nextTick(() => socket.resume())
    })
  })

  await new Promise<void>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      const why = error.code === 'EADDRINUSE' ? `port ${port} is already in use (is another lake or dev server running?)` : error.message
      store.close()
      releaseLock()
      reject(new Error(`The local lake could not listen on ${host}:${port}: ${why}`))
    }
    front.once('error', onError)
    front.listen(port, host, () => {
      front.off('error', onError)
      resolve()
    })
  })
  const actualPort = (front.address() as AddressInfo).port

  let closing: Promise<void> | undefined
  async function close(): Promise<void> {
    closing ??= (async () => {
      const stopped = new Promise<void>((resolve) => front.close(() => resolve()))
      // Open listener streams never end on their own: cut them so close() is prompt.
      for (const session of sessions) session.destroy()
      plain.closeAllConnections()
      for (const socket of sockets) socket.destroy()
      presence.close()
      await stopped
      store.close()
      releaseLock()
    })()
    return closing
  }

  return {
    url: `https://localhost:${actualPort}`,
    httpUrl: `http://${host === '::1' ? '[::1]' : host}:${actualPort}`,
    port: actualPort,
    token,
    store,
    server: front,
    caPath: tls.caPath,
    close,
  }
}
