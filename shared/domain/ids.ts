/**
 * Local ids: 10 characters of millisecond time then 16 random characters, both in Crockford base32 (like a ULID).
 * They sort by creation time as plain strings, carry no meaning beyond that, and need no coordination. Ids made in
 * the same millisecond as the one before follow it (its random part plus one, as a monotonic ULID): messages of a
 * burst written within one millisecond keep their order, which sorts by (time, id).
 * shared/ has no Node built-ins, so randomness comes from Web Crypto, present in Node 20 and every browser.
 */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const TIME_CHARS = 10;
const RANDOM_CHARS = 16;

const webCrypto = (globalThis as unknown as { crypto: { getRandomValues<T extends Uint8Array>(array: T): T } }).crypto;
// Random bytes drawn 4 KiB at a time: one getRandomValues call per id cost a tenth of a bulk import's time.
const pool = new Uint8Array(4096);
let used = pool.length;

export const LOCAL_ID_PATTERN = /^[0-9A-HJKMNP-TV-Z]{26}$/;

let lastTime = -1;
let lastRandom = '';

/** A base32 string plus one; null when it is all Z (it cannot grow without changing length). */
function increment(random: string): string | null {
  for (let i = random.length - 1; i >= 0; i--) {
    const digit = ALPHABET.indexOf(random[i]!);
    if (digit < 31) return random.slice(0, i) + ALPHABET[digit + 1] + '0'.repeat(random.length - i - 1);
  }
  return null;
}

function freshRandom(): string {
  if (used + RANDOM_CHARS > pool.length) {
    webCrypto.getRandomValues(pool);
    used = 0;
  }
  // 256 is a multiple of 32, so taking each byte mod 32 is unbiased.
  let random = '';
  for (const end = used + RANDOM_CHARS; used < end; used++) random += ALPHABET[pool[used]! % 32];
  return random;
}

export function newId(now: number = Date.now()): string {
  if (!Number.isSafeInteger(now) || now < 0) throw new RangeError(`newId: bad time ${now}`);
  let time = '';
  for (let i = 0, rest = now; i < TIME_CHARS; i++, rest = Math.floor(rest / 32)) time = ALPHABET[rest % 32] + time;
  lastRandom = (now === lastTime && increment(lastRandom)) || freshRandom();
  lastTime = now;
  return time + lastRandom;
}

