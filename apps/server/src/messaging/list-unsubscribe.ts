/**
 * The headers that let mail clients offer an unsubscribe button: RFC 2369's List-Unsubscribe
 * (the https address first, then an optional mailto) and RFC 8058's one-click POST, which Gmail
 * and Yahoo require from bulk senders. The one-click address must be https.
 */
export function listUnsubscribeHeaders(
  oneClickUrl: string,
  mailto?: string,
): { 'List-Unsubscribe': string; 'List-Unsubscribe-Post': string } {
  const url = new URL(oneClickUrl);
  if (url.protocol !== 'https:')
    throw new RangeError('The one-click unsubscribe URL must be https');
  const targets = [url.href];
  if (mailto) targets.push(mailto.startsWith('mailto:') ? mailto : `mailto:${mailto}`);
  return {
    'List-Unsubscribe': targets.map((t) => `<${t}>`).join(', '),
    'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
  };
}
