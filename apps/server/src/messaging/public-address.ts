import dns from 'node:dns';
import net from 'node:net';
import ipaddr from 'ipaddr.js';

/**
 * Why an address is not public unicast: its range as ipaddr.js names it (`loopback`,
 * `linkLocal`, `rfc6052`…), and for the IPv6 forms that carry an IPv4 address (mapped,
 * compatible, NAT64, 6to4, SIIT, Teredo) the address they lead to.
 */
export interface AddressRefusal {
  address: string;
  range: string;
  embedded?: string;
}

// Everything public in IPv6 is in 2000::/3; ipaddr.js calls the rest of the space `unicast`.
const GLOBAL_UNICAST_V6 = ipaddr.parseCIDR('2000::/3');

/**
 * Whether an IP address may be reached for a merchant's URL, and if not, why. Only what
 * ipaddr.js calls `unicast` passes, in either family; an IPv4-mapped address is judged by the
 * IPv4 address it maps, and every other IPv6 form with an IPv4 address inside is refused, with
 * the address it would reach (on a network with a translator, 64:ff9b::a9fe:a9fe is the cloud
 * metadata service).
 */
export function addressRefusal(address: string): AddressRefusal | null {
  const type = net.isIP(address);
  if (type === 0) return { address, range: 'notAnAddress' };
  // ipaddr.js reads any dotted tail as IPv4-mapped (::8.8.8.8 as ::ffff:8.8.8.8); the URL
  // parser writes the address as the socket will see it (::808:808).
  const canonical = type === 6 && address.includes('.') ? hexForm(address) : address;
  if (canonical === null) return { address, range: 'notAnAddress' };
  const parsed = ipaddr.parse(canonical);
  if (parsed.kind() === 'ipv4') {
    const range = parsed.range();
    return range === 'unicast' ? null : { address, range };
  }
  const v6 = parsed as ipaddr.IPv6;
  if (v6.isIPv4MappedAddress()) {
    const embedded = v6.toIPv4Address();
    if (embedded.range() === 'unicast') return null;
    return { address, range: 'ipv4Mapped', embedded: embedded.toString() };
  }
  const embedded = embeddedIPv4(v6);
  if (embedded) return { address, ...embedded };
  const range = v6.range();
  if (range !== 'unicast') return { address, range };
  if (!v6.match(GLOBAL_UNICAST_V6)) return { address, range: 'reserved' };
  return null;
}

/** Whether an IP address is on the public internet (public unicast, see addressRefusal). */
export function isPublicAddress(address: string): boolean {
  return addressRefusal(address) === null;
}

function hexForm(v6: string): string | null {
  try {
    return new URL(`http://[${v6}]/`).hostname.slice(1, -1);
  } catch {
    return null;
  }
}

function embeddedIPv4(v6: ipaddr.IPv6): { range: string; embedded: string } | null {
  const p = v6.parts;
  const v4 = (hi: number, lo: number) =>
    ipaddr.fromByteArray([hi >> 8, hi & 0xff, lo >> 8, lo & 0xff]).toString();
  const range = v6.range();
  // ::a.b.c.d, IPv4-compatible (deprecated; ipaddr.js calls it unicast). :: and ::1 are not.
  if (p.slice(0, 6).every((x) => x === 0) && (p[6] !== 0 || p[7]! > 1))
    return { range: 'ipv4Compatible', embedded: v4(p[6]!, p[7]!) };
  if (range === 'rfc6052' || range === 'rfc6145') return { range, embedded: v4(p[6]!, p[7]!) };
  if (range === '6to4') return { range, embedded: v4(p[1]!, p[2]!) };
  // Teredo keeps the client's address in the last 32 bits, inverted.
  if (range === 'teredo') return { range, embedded: v4(p[6]! ^ 0xffff, p[7]! ^ 0xffff) };
  return null;
}

/**
 * A DNS lookup for http(s).request that fails when a name resolves to any address that is not
 * public. Checking at connect time (not before the request) leaves no gap for DNS rebinding.
 */
export const publicOnlyLookup: net.LookupFunction = (hostname, options, callback) => {
  dns.lookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error, '', 0);
    const list = addresses as dns.LookupAddress[];
    const refused = list.find((a) => !isPublicAddress(a.address));
    if (refused || list.length === 0) {
      const e = Object.assign(new Error(`${hostname} resolves to a non-public address`), {
        code: 'ENOTPUBLIC',
      });
      return callback(e, '', 0);
    }
    if (options.all)
      return (callback as unknown as (e: null, a: dns.LookupAddress[]) => void)(null, list);
    callback(null, list[0]!.address, list[0]!.family);
  });
};
