import { WebSocket as NodeWebSocket } from 'ws';
import { webSocketTransport, type LiveTransport } from '../renderer/src/api/transport';

/**
 * The window's side of browser mode in its own process (as the renderer is), so receiving and parsing events costs
 * the bench process nothing: the renderer's own transport, counting what arrives. It says `{ ready: true }` once it
 * listens; for each core the parent sends `{ url, origin }` and gets `{ open: true }` once connected, asks for
 * `{ stats: true }`, and sends `{ close: true }` before that core stops.
 */
export interface WindowStats {
  /** Events received, by name. */
  events: Record<string, number>;
  /** Distinct messages the window saw reach `accepted`. */
  accepted: number;
}

let stats: WindowStats = { events: {}, accepted: 0 };
let accepted = new Set<string>();
let transport: LiveTransport | null = null;

process.on('message', (message: { url?: string; origin?: string; stats?: true; close?: true }) => {
  if (message.url) {
    // A new core to watch: the figures start again.
    transport?.close();
    stats = { events: {}, accepted: 0 };
    accepted = new Set();
    const origin = message.origin!;
    const Socket = class extends NodeWebSocket {
      constructor(url: string) {
        super(url, { origin });
        // A browser's socket reports a failed connect by closing (the transport reconnects then); ws would throw.
        this.on('error', () => {});
      }
    } as unknown as typeof WebSocket;
    transport = webSocketTransport(message.url, Socket);
    transport.onEvent(({ event, payload }) => {
      stats.events[event] = (stats.events[event] ?? 0) + 1;
      const sent = event === 'message.statusChanged' ? (payload as { message: { id: string; status: string } }).message : null;
      if (sent?.status === 'accepted') accepted.add(sent.id);
    });
    const off = transport.onConnectionChange((state) => {
      if (state !== 'open') return;
      off();
      process.send!({ open: true });
    });
  }
  if (message.stats) process.send!({ stats: { ...stats, accepted: accepted.size } });
  if (message.close) {
    transport?.close();
    transport = null;
    process.send!({ closed: true });
  }
});
process.on('disconnect', () => process.exit(0));
process.send!({ ready: true });
