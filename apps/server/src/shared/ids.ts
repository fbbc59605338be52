import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz'; // Crockford base32, lower case
const RANDOM_BITS = 80n;

export type IdPrefix =
  | 'shp'
  | 'key'
  | 'whs'
  | 'evt'
  | 'cus'
  | 'ord'
  | 'rfd'
  | 'seg'
  | 'act'
  | 'led'
  | 'rwd'
  | 'rdm'
  | 'cpn'
  | 'cmp'
  | 'ach'
  | 'gft'
  | 'not'
  | 'tsk'
  | 'tir'
  | 'stf'
  | 'stp'
  | 'stc'
  | 'stm'
  | 'ref'
  | 'rfc'
  | 'rfv'
  | 'aff'
  | 'afv'
  | 'flw'
  | 'frn'
  | 'atr'
  | 'msg'
  | 'cns'
  | 'psh'
  | 'whe'
  | 'srq'
  | 'rrq'
  | 'rev';

let lastTime = 0;
let lastRandom = 0n;

/**
 * A prefixed id that sorts by creation time, like a monotonic ULID: 10 characters of
 * milliseconds, then 16 characters (80 bits) random. Ids made in the same millisecond by this
 * process increase, so the order things were received in is the order their ids sort in.
 */
export function newId(prefix: IdPrefix, now: number = Date.now()): string {
  if (now <= lastTime) {
    lastRandom = (lastRandom + 1n) & ((1n << RANDOM_BITS) - 1n);
  } else {
    lastTime = now;
    lastRandom = BigInt('0x' + randomBytes(10).toString('hex')) >> 1n; // room to increment
  }
  return `${prefix}_${encode(BigInt(lastTime), 10)}${encode(lastRandom, 16)}`;
}

function encode(value: bigint, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) {
    out = ALPHABET[Number(value & 31n)] + out;
    value >>= 5n;
  }
  return out;
}
