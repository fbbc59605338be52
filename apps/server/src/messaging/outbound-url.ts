import net from 'node:net';
import { addressRefusal, type AddressRefusal } from './public-address.ts';

/**
 * Which merchant-given URLs (webhook endpoints, browsers' push endpoints) Lojal will connect
 * to: the ports (LOJAL_OUTBOUND_PORTS, 80 and 443 by default), and whether private networks
 * are allowed — never in production; a test that delivers to its own 127.0.0.1 says so.
 */
export interface OutboundPolicy {
  ports: readonly number[] | 'any';
  privateNetworks: boolean;
}

export const DEFAULT_OUTBOUND_PORTS: readonly number[] = [80, 443];

export const publicOutbound = (ports = DEFAULT_OUTBOUND_PORTS): OutboundPolicy => ({
  ports,
  privateNetworks: false,
});

/** A reason a person reads, in both languages. */
export interface Refusal {
  en: string;
  pl: string;
}

/**
 * Why Lojal will not connect to this URL, judged without DNS: the scheme, credentials in it,
 * the port, a local name, an IP literal that is not public unicast. Null when nothing stops it;
 * a name is still checked against every address it resolves to, at connect time.
 */
export function outboundUrlRefusal(url: URL, policy: OutboundPolicy): Refusal | null {
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    const scheme = url.protocol.replace(/:$/, '');
    return {
      en: `must be http or https, not ${scheme}`,
      pl: `musi zaczynać się od http lub https, nie ${scheme}`,
    };
  }
  if (url.username || url.password)
    return {
      en: 'must not carry a user name or password',
      pl: 'nie może zawierać nazwy użytkownika ani hasła',
    };
  const port = url.port === '' ? (url.protocol === 'https:' ? 443 : 80) : Number(url.port);
  if (policy.ports !== 'any' && !policy.ports.includes(port)) {
    const allowed = policy.ports.join(', ');
    return {
      en: `port ${port} is not allowed (allowed: ${allowed})`,
      pl: `port ${port} jest niedozwolony (dozwolone: ${allowed})`,
    };
  }
  if (policy.privateNetworks) return null;
  const host = hostOf(url);
  if (net.isIP(host)) {
    const refusal = addressRefusal(host);
    return refusal && describeAddressRefusal(refusal);
  }
  if (isLocalName(host))
    return {
      en: `${host} is a local name, not reachable from the internet`,
      pl: `${host} to nazwa lokalna, nieosiągalna z internetu`,
    };
  return null;
}

/** The host of a URL without the brackets of an IPv6 literal. */
export function hostOf(url: URL): string {
  return url.hostname.replace(/^\[|\]$/g, '');
}

function isLocalName(host: string): boolean {
  return (
    host === 'localhost' ||
    !host.includes('.') ||
    /\.(localhost|localdomain|local|internal|intranet|lan|home|corp|home\.arpa)\.?$/i.test(host)
  );
}

const rangeNames: Record<string, Refusal> = {
  notAnAddress: { en: 'not an IP address', pl: 'to nie jest adres IP' },
  unspecified: { en: 'unspecified address', pl: 'adres nieokreślony' },
  loopback: { en: 'loopback', pl: 'pętla zwrotna (loopback)' },
  private: { en: 'private network', pl: 'sieć prywatna' },
  uniqueLocal: { en: 'unique local, a private network', pl: 'unique local, sieć prywatna' },
  linkLocal: { en: 'link-local', pl: 'adres lokalny łącza (link-local)' },
  deprecatedSiteLocal: { en: 'site-local', pl: 'adres lokalny ośrodka (site-local)' },
  carrierGradeNat: { en: 'carrier-grade NAT', pl: 'NAT operatora (CGN)' },
  multicast: { en: 'multicast', pl: 'multicast' },
  broadcast: { en: 'broadcast', pl: 'rozgłoszeniowy (broadcast)' },
  reserved: {
    en: 'reserved or documentation range',
    pl: 'zakres zarezerwowany lub dokumentacyjny',
  },
  ipv4Mapped: { en: 'IPv4-mapped', pl: 'IPv4 zmapowany na IPv6' },
  ipv4Compatible: { en: 'IPv4-compatible', pl: 'IPv4-compatible' },
  rfc6052: { en: 'NAT64', pl: 'NAT64' },
  rfc6145: { en: 'SIIT translation', pl: 'translacja SIIT' },
  '6to4': { en: '6to4', pl: '6to4' },
  teredo: { en: 'Teredo', pl: 'Teredo' },
};

const specialPurpose: Refusal = {
  en: 'special-purpose range',
  pl: 'zakres specjalnego przeznaczenia',
};

/** "64:ff9b::a9fe:a9fe is not a public address (NAT64 of 169.254.169.254)", in both languages. */
export function describeAddressRefusal(refusal: AddressRefusal): Refusal {
  const why = whyNotPublic(refusal);
  return {
    en: `${refusal.address} is not a public address (${why.en})`,
    pl: `${refusal.address} nie jest adresem publicznym (${why.pl})`,
  };
}

/** "NAT64 of 169.254.169.254", "private network": the kind of address, in both languages. */
export function whyNotPublic(refusal: AddressRefusal): Refusal {
  const name = rangeNames[refusal.range] ?? specialPurpose;
  const of = (word: string) => (refusal.embedded ? ` ${word} ${refusal.embedded}` : '');
  return { en: `${name.en}${of('of')}`, pl: `${name.pl}${of('dla')}` };
}
