import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz'; // Crockford base32, lower case
const RANDOM_BITS = 80n;

export type IdPrefix =
  | 'shp'
  | 'con'
  | 'cne'
  | 'key'
  | 'whs'
  | 'sfs'
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
  | 'rev'
  | 'usr'
  | 'ses'
  | 'inv'
  | 'pwr'
  | 'psl'
  | 'pop'
  | 'pus'
  | 'exp'
  | 'spr' // a staff device's pairing (issue 18)
  | 'csu' // a sign-up at the counter
  | 'imp' // an import
  | 'era' // an erasure request
  | 'cdx'; // a stored data export for a customer's request

/**
 * Makes prefixed ids that sort by creation time, like monotonic ULIDs: 10 characters of
 * milliseconds, then 16 characters (80 bits) random. Ids made in the same millisecond, or after
 * the time source stepped back, still increase, so the order things were made in is the order
 * their ids sort in. The time is only ever the time source's: a time a caller works with (an
 * event's, a consent's) may come from a client and would move every later id with it.
 */
export function idMaker(time: () => number): (prefix: IdPrefix) => string {
  let lastTime = 0;
  let lastRandom = 0n;
  return (prefix) => {
    const now = time();
    if (now <= lastTime) {
      lastRandom = (lastRandom + 1n) & ((1n << RANDOM_BITS) - 1n);
    } else {
      lastTime = now;
      lastRandom = BigInt('0x' + randomBytes(10).toString('hex')) >> 1n; // room to increment
    }
    return `${prefix}_${encode(BigInt(lastTime), 10)}${encode(lastRandom, 16)}`;
  };
}

/** A new id of this kind, stamped by the server's own clock. */
export const newId = idMaker(() => Date.now());

/** The millisecond an id was made in (what its first 10 characters say). */
export function idTime(id: string): Date {
  const chars = id.slice(id.indexOf('_') + 1, id.indexOf('_') + 11);
  let ms = 0;
  for (const c of chars) ms = ms * 32 + ALPHABET.indexOf(c);
  return new Date(ms);
}

function encode(value: bigint, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) {
    out = ALPHABET[Number(value & 31n)] + out;
    value >>= 5n;
  }
  return out;
}
