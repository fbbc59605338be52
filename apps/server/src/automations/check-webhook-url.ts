import dns from 'node:dns';
import net from 'node:net';
import { isPublicAddress } from '../messaging/public-address.ts';
import { problems } from '../shared/errors.ts';

export type LookupAll = (hostname: string) => Promise<Array<{ address: string }>>;

const systemLookup: LookupAll = (hostname) => dns.promises.lookup(hostname, { all: true });

/**
 * Refuses a webhook URL that is not http(s) or whose host is not on the public internet — a
 * loopback, private, link-local (cloud metadata) or reserved address, or a name resolving to
 * one — with the reason. Delivery checks again at connect time (post-webhook.ts), since DNS may
 * change; this check is there so the merchant learns at once rather than from failed sends.
 */
export async function checkWebhookUrl(raw: string, lookup: LookupAll = systemLookup): Promise<URL> {
  const refuse = (message: string) => problems.validation([{ path: 'url', message }]);
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw refuse('is not a URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw refuse(`must be http or https, not ${url.protocol.replace(/:$/, '')}`);
  if (url.username || url.password)
    throw refuse('must not carry a user name or password; the signature authenticates Lojal');
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (net.isIP(host)) {
    if (!isPublicAddress(host)) throw refuse(`${host} is not a public address`);
    return url;
  }
  if (host === 'localhost' || /\.(localhost|local|internal|lan|home\.arpa)$/i.test(host))
    throw refuse(`${host} is a local name, not reachable from the internet`);
  let addresses: Array<{ address: string }>;
  try {
    addresses = await lookup(host);
  } catch {
    throw refuse(`${host} does not resolve`);
  }
  if (addresses.length === 0) throw refuse(`${host} does not resolve`);
  const privateOne = addresses.find((a) => !isPublicAddress(a.address));
  if (privateOne)
    throw refuse(`${host} resolves to ${privateOne.address}, which is not a public address`);
  return url;
}
