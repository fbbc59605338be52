import dns from 'node:dns';
import net from 'node:net';
import {
  hostOf,
  outboundUrlRefusal,
  type OutboundPolicy,
  type Refusal,
  whyNotPublic,
} from '../messaging/outbound-url.ts';
import { addressRefusal } from '../messaging/public-address.ts';
import { Problem } from '../shared/errors.ts';

export type LookupAll = (hostname: string) => Promise<Array<{ address: string }>>;

const systemLookup: LookupAll = (hostname) => dns.promises.lookup(hostname, { all: true });

/** A merchant-given URL Lojal will not connect to: 422, the reason in Polish and English. */
export class OutboundUrlProblem extends Problem {
  constructor(
    path: string,
    readonly messages: Refusal,
  ) {
    super(422, 'url-not-allowed', 'URL not allowed', `${path}: ${messages.en}`, [
      { path, message: messages.en },
    ]);
  }

  override toJSON() {
    return { ...super.toJSON(), messages: this.messages };
  }
}

/**
 * Refuses a URL a merchant gives for Lojal to call (a webhook endpoint, a browser's push
 * endpoint) that the outbound policy would refuse at send time: not http(s), credentials, a
 * port not allowed, a local name, an address that is not public unicast — and with `lookup`, a
 * name resolving to one. Delivery checks again when it connects, since DNS may change; this
 * check is there so the merchant learns at once rather than from failed sends.
 */
export async function checkOutboundUrl(
  raw: string,
  options: { path: string; policy: OutboundPolicy; lookup?: LookupAll | false },
): Promise<URL> {
  const refuse = (messages: Refusal) => new OutboundUrlProblem(options.path, messages);
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw refuse({ en: 'is not a URL', pl: 'to nie jest adres URL' });
  }
  const refusal = outboundUrlRefusal(url, options.policy);
  if (refusal) throw refuse(refusal);
  const host = hostOf(url);
  if (options.lookup === false || options.policy.privateNetworks || net.isIP(host)) return url;
  let addresses: Array<{ address: string }>;
  try {
    addresses = await (options.lookup ?? systemLookup)(host);
  } catch {
    addresses = [];
  }
  if (addresses.length === 0)
    throw refuse({
      en: `${host} does not resolve`,
      pl: `nazwa ${host} nie wskazuje żadnego adresu`,
    });
  for (const { address } of addresses) {
    const refused = addressRefusal(address);
    if (refused) {
      const why = whyNotPublic(refused);
      throw refuse({
        en: `${host} resolves to ${address}, which is not a public address (${why.en})`,
        pl: `${host} wskazuje na ${address}, który nie jest adresem publicznym (${why.pl})`,
      });
    }
  }
  return url;
}
