/**
 * The DNS records a sender domain needs so that mailbox providers accept its mail, computed from
 * the From address of the messaging settings. Lojal sends through the instance's SMTP server
 * (SMTP_URL) and does not sign mail itself: SPF names that server, DKIM is the key the mail
 * provider gives, DMARC is the domain's policy. Free mailbox domains cannot carry these records.
 */
export interface DnsRecord {
  kind: 'spf' | 'dkim' | 'dmarc';
  type: 'TXT' | 'CNAME';
  name: string;
  value: string;
}

const FREE_MAIL = new Set([
  'gmail.com',
  'googlemail.com',
  'outlook.com',
  'hotmail.com',
  'live.com',
  'yahoo.com',
  'icloud.com',
  'wp.pl',
  'o2.pl',
  'onet.pl',
  'interia.pl',
  'op.pl',
  'gazeta.pl',
  'poczta.fm',
  'tlen.pl',
]);

export type DnsHints =
  | { state: 'no-address' }
  | { state: 'free-mail'; domain: string }
  | { state: 'ok'; domain: string; records: DnsRecord[] };

export function dnsHints(fromAddress: string | null, reportTo: string | null): DnsHints {
  const domain = fromAddress?.split('@')[1]?.trim().toLowerCase();
  if (!domain) return { state: 'no-address' };
  if (FREE_MAIL.has(domain)) return { state: 'free-mail', domain };
  const rua = reportTo?.includes('@') ? reportTo : `dmarc@${domain}`;
  return {
    state: 'ok',
    domain,
    records: [
      { kind: 'spf', type: 'TXT', name: domain, value: 'v=spf1 include:<provider> ~all' },
      {
        kind: 'dkim',
        type: 'CNAME',
        name: `<selector>._domainkey.${domain}`,
        value: '<provider>',
      },
      {
        kind: 'dmarc',
        type: 'TXT',
        name: `_dmarc.${domain}`,
        value: `v=DMARC1; p=none; rua=mailto:${rua}; adkim=r; aspf=r`,
      },
    ],
  };
}
