import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A minimal Bandwidth-compatible messaging server on raw node:http, run in its own process (so its CPU is not the
 * app's): POST .../messages answers 202 with a valid message JSON, GET .../messages an empty list. It can enforce
 * a per-number rate (GCRA, one second of burst, as the app's limiter assumes) and inject 429s at random.
 * The parent sends a config, gets the port back, and later asks for what was accepted.
 */
export interface ServerConfig {
  /** Segments per second per sender number; 0 = unthrottled. */
  mps: number;
  /** Share of sends answered 429 (Retry-After: 1) regardless of rate. */
  inject429: number;
  /** Tell the parent when this many sends were accepted. */
  expect: number;
}

export interface ServerStats {
  accepted: number;
  /** Distinct tags (the app's message ids) among accepted sends: fewer than `accepted` means a duplicate send. */
  distinctTags: number;
  rejected429: number;
  /** Accept times (epoch ms) by sender number. */
  times: Record<string, number[]>;
}

let config: ServerConfig = { mps: 0, inject429: 0, expect: 0 };
let stats: ServerStats = { accepted: 0, distinctTags: 0, rejected429: 0, times: {} };
let tags = new Set<string>();
let tat = new Map<string, number>();

function allowed(from: string, now: number): boolean {
  if (config.mps === 0) return true;
  const at = Math.max(tat.get(from) ?? 0, now);
  if (at - now > 1000) return false;
  tat.set(from, at + 1000 / config.mps);
  return true;
}

let sequence = 0;
const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    if (req.method === 'GET') {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end('{"totalCount":0,"pageInfo":{},"messages":[]}');
      return;
    }
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { from: string; to: string[]; text?: string; tag?: string; priority?: string };
    const now = Date.now();
    if (Math.random() < config.inject429 || !allowed(body.from, now)) {
      stats.rejected429++;
      res.writeHead(429, { 'Content-Type': 'application/json', 'Retry-After': '1' });
      res.end('{"type":"too-many-requests","description":"Too many requests"}');
      return;
    }
    stats.accepted++;
    if (body.tag) tags.add(body.tag);
    (stats.times[body.from] ??= []).push(now);
    const id = `${now}x${(sequence++).toString(36)}`;
    res.writeHead(202, { 'Content-Type': 'application/json' });
    res.end(
      JSON.stringify({ id, owner: body.from, applicationId: 'bench-app', time: new Date(now).toISOString(), segmentCount: 1, direction: 'out', to: body.to, from: body.from, text: body.text ?? '', tag: body.tag, priority: body.priority ?? 'default' }),
    );
    if (stats.accepted === config.expect) process.send!({ done: true });
  });
});
server.keepAliveTimeout = 60_000;

process.on('message', (message: { config?: ServerConfig; stats?: true }) => {
  if (message.config) {
    config = message.config;
    stats = { accepted: 0, distinctTags: 0, rejected429: 0, times: {} };
    tags = new Set();
    tat = new Map();
    process.send!({ configured: true });
  }
  if (message.stats) process.send!({ stats: { ...stats, distinctTags: tags.size } });
});
process.on('disconnect', () => process.exit(0));
server.listen(0, '127.0.0.1', () => process.send!({ port: (server.address() as AddressInfo).port }));
