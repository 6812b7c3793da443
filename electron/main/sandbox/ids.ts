/** Seeded randomness and Bandwidth-shaped identifiers, so a sandbox started with a seed replays the same run. */

export type Rng = () => number;

/** mulberry32: tiny, fast, good enough for simulation (never for secrets). */
export function createRng(seed: number): Rng {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function between(rng: Rng, min: number, max: number): number {
  return Math.round(min + rng() * (max - min));
}

export function pick<T>(rng: Rng, items: readonly T[]): T {
  return items[Math.floor(rng() * items.length)] as T;
}

const ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';

export function randomString(rng: Rng, length: number, alphabet = ALNUM): string {
  let out = '';
  for (let i = 0; i < length; i += 1) out += alphabet[Math.floor(rng() * alphabet.length)];
  return out;
}

/** Bandwidth's usual message id: 13-digit epoch milliseconds then 16 lowercase alphanumerics (29 chars). */
export function messageId(rng: Rng, now: number): string {
  return `${String(now).padStart(13, '0')}${randomString(rng, 16)}`;
}

export function uuid(rng: Rng): string {
  const hex = randomString(rng, 32, '0123456789abcdef').split('');
  hex[12] = '4';
  hex[16] = '89ab'[Math.floor(rng() * 4)] as string;
  const s = hex.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
}
