/**
 * `/v<version>/socket/<dataset>`: the WebSocket the Studio's presence speaks (Sanity's "bifur"
 * protocol, JSON-RPC 2.0 as `@sanity/bifur-client` sends it): `authorization`, then
 * `presence_subscribe`, `presence_rollcall`, `presence_announce` and `presence_disconnect`.
 * Editors on one dataset see where the others are; nothing is stored.
 */
import type {IncomingMessage} from 'node:http'
import type {Duplex} from 'node:stream'
import {WebSocketServer, type WebSocket} from 'ws'
import {isAllowedHost, isAllowedOrigin} from './cors'
import {LOCAL_USER_ID} from './store'
import {tokenMatches} from './token'

export interface PresenceOptions {
  token: string
  allowedOrigins?: string[]
  /** Sockets open at once (default 64); more are refused. */
  maxSockets?: number
  /** Heartbeat interval (bifur's "♥"), default 25 s. */
  heartbeatMs?: number
}

export interface PresenceHub {
  /** For the `upgrade` event of the lake's HTTP and HTTPS servers. */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void
  /** Open sockets, for tests. */
  readonly size: number
  close(): void
}

interface Peer {
  ws: WebSocket
  dataset: string
  authenticated: boolean
  subscriptions: Set<string>
  sessions: Set<string>
}

const SOCKET_PATH = /^\/v(?:\d{4}-\d{2}-\d{2}|\d+|X|x)\/socket\/([a-z0-9][a-z0-9_-]{0,63})\/?$/

function refuse(socket: Duplex, status: number, reason: string): void {
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`)
}

export function createPresenceHub(options: PresenceOptions): PresenceHub {
  const extraOrigins = options.allowedOrigins ?? []
  const maxSockets = options.maxSockets ?? 64
  const wss = new WebSocketServer({noServer: true, maxPayload: 64 * 1024})
  const peers = new Set<Peer>()
  let nextSubscription = 1

  const heartbeat = setInterval(() => {
    for (const peer of peers) if (peer.ws.readyState === peer.ws.OPEN) peer.ws.send('♥')
  }, options.heartbeatMs ?? 25_000)
  heartbeat.unref?.()

  function send(peer: Peer, message: Record<string, unknown>): void {
    if (peer.ws.readyState === peer.ws.OPEN) peer.ws.send(JSON.stringify({jsonrpc: '2.0', ...message}))
  }

  /** Sends a presence event to every other subscribed editor of the same dataset. */
  function broadcast(from: Peer, event: Record<string, unknown>): void {
    for (const peer of peers) {
      if (peer === from || peer.dataset !== from.dataset || !peer.authenticated) continue
      for (const subscription of peer.subscriptions) {
        send(peer, {method: 'presence_subscription', params: {subscription, result: event}})
      }
    }
  }

  function handle(peer: Peer, raw: string): void {
    let message: {id?: unknown; method?: unknown; params?: Record<string, unknown>}
    try {
      message = JSON.parse(raw)
    } catch {
      send(peer, {id: null, error: {code: -32700, message: 'Parse error'}})
      return
    }
    const id = message.id ?? null
    const params = message.params && typeof message.params === 'object' ? message.params : {}
    const reply = (result: unknown) => send(peer, {id, result})
    const fail = (code: number, text: string) => send(peer, {id, error: {code, message: text}})
    if (message.method === 'authorization') {
      peer.authenticated = tokenMatches(params.authorization, options.token)
      return peer.authenticated ? reply(true) : fail(4001, 'Unauthorized - the local token is required')
    }
    if (!peer.authenticated) return fail(4001, 'Unauthorized - send "authorization" with the local token first')
    switch (message.method) {
      case 'presence_subscribe': {
        const subscription = String(nextSubscription++)
        peer.subscriptions.add(subscription)
        return reply(subscription)
      }
      case 'presence_unsubscribe':
        peer.subscriptions.delete(String(params.subscriptionId ?? params.subscription ?? ''))
        return reply(true)
      case 'presence_rollcall':
        broadcast(peer, {type: 'rollCall', i: LOCAL_USER_ID, session: params.session})
        return reply(true)
      case 'presence_announce': {
        const data = (params.data ?? {}) as {sessionId?: unknown; locations?: unknown}
        if (typeof data.sessionId === 'string') peer.sessions.add(data.sessionId)
        broadcast(peer, {type: 'state', i: LOCAL_USER_ID, m: {sessionId: data.sessionId, locations: Array.isArray(data.locations) ? data.locations : []}})
        return reply(true)
      }
      case 'presence_disconnect':
        if (typeof params.session === 'string') peer.sessions.delete(params.session)
        broadcast(peer, {type: 'disconnect', i: LOCAL_USER_ID, m: {session: params.session}})
        return reply(true)
      default:
        return fail(-32601, `Method not found: ${String(message.method)}`)
    }
  }

  return {
    get size() {
      return peers.size
    },
    upgrade(req, socket, head) {
      socket.on('error', () => socket.destroy())
      const host = (req.headers.host ?? '127.0.0.1').replace(/:\d+$/, '')
      const origin = req.headers.origin
      const path = (req.url ?? '').split('?')[0]
      const match = SOCKET_PATH.exec(path)
      // A web page may open a WebSocket to any host: the same Host and Origin rules as HTTP.
      if (!isAllowedHost(host, extraOrigins)) return refuse(socket, 403, 'Forbidden')
      if (typeof origin === 'string' && origin && !isAllowedOrigin(origin, extraOrigins)) return refuse(socket, 403, 'Forbidden')
      if (!match) return refuse(socket, 404, 'Not Found')
      if (peers.size >= maxSockets) return refuse(socket, 429, 'Too Many Requests')
      wss.handleUpgrade(req, socket, head, (ws) => {
        // The Studio's socket carries no token (its auth store holds none: the lake token lives in
        // its client factory), so a browser page served from an allowed origin counts as the
        // Studio. Presence relays document ids and field paths, never content; other clients send
        // `authorization` with the token.
        const fromStudio = typeof origin === 'string' && origin !== '' && isAllowedOrigin(origin, extraOrigins)
        const peer: Peer = {ws, dataset: match[1], authenticated: fromStudio, subscriptions: new Set(), sessions: new Set()}
        peers.add(peer)
        ws.on('message', (data, isBinary) => {
          if (!isBinary) handle(peer, data.toString())
        })
        ws.on('error', () => ws.terminate())
        ws.on('close', () => {
          peers.delete(peer)
          // A closed tab leaves: the others stop showing its editor.
          for (const session of peer.sessions) broadcast(peer, {type: 'disconnect', i: LOCAL_USER_ID, m: {session}})
        })
      })
    },
    close() {
      clearInterval(heartbeat)
      for (const peer of peers) peer.ws.terminate()
      peers.clear()
      wss.close()
    },
  }
}
