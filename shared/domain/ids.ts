/**
 * Local ids: 10 characters of millisecond time then 16 random characters, both in Crockford base32 (like a ULID).
 * They sort by creation time as plain strings, carry no meaning beyond that, and need no coordination.
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

export function newId(now: number = Date.now()): string {
  if (!Number.isSafeInteger(now) || now < 0) throw new RangeError(`newId: bad time ${now}`);
  let time = '';
  for (let i = 0, rest = now; i < TIME_CHARS; i++, rest = Math.floor(rest / 32)) time = ALPHABET[rest % 32] + time;
  if (used + RANDOM_CHARS > pool.length) {
    webCrypto.getRandomValues(pool);
    used = 0;
  }
  // 256 is a multiple of 32, so taking each byte mod 32 is unbiased.
  let random = '';
  for (const end = used + RANDOM_CHARS; used < end; used++) random += ALPHABET[pool[used]! % 32];
  return time + random;
}

