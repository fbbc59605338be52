import type { DemoOwner } from './ensure-demo-owner.ts';

/** What `npm start` prints once the demo is ready: where to go, and how to sign in. */
export function welcomeText(
  url: string,
  demo: { shopId: string; apiKey: string; name: string },
  owner: DemoOwner,
): string {
  const lines = [
    '',
    `  Lojal is running at ${url}`,
    `  Dashboard:      ${url}/admin`,
    `  Staff app:      ${url}/staff/ (pair a phone: Stamp cards → Staff devices)`,
    `  Demo storefront: ${url}/demo/shop (the widget as a shopper sees it; ?guest for a guest)`,
    `  Merchant login: ${owner.email}`,
    `    password      ${owner.password}`,
    `  API docs:       ${url}/docs`,
    `  Demo shop:      ${demo.name} (${demo.shopId})`,
    `  Demo API key:   ${demo.apiKey}`,
    '',
    '  Try it:',
    `    curl -s ${url}/v1/shop -H "Authorization: Bearer ${demo.apiKey}"`,
    `    curl -s "${url}/v1/events?limit=3" -H "Authorization: Bearer ${demo.apiKey}"`,
    `    curl -s ${url}/v1/orders/demo-1001 -H "Authorization: Bearer ${demo.apiKey}"`,
    `    curl -s ${url}/v1/customers/demo-c1/ledger -H "Authorization: Bearer ${demo.apiKey}"`,
    `    curl -s ${url}/v1/points/liability -H "Authorization: Bearer ${demo.apiKey}"`,
    `    curl -s -c .lojal-cookie ${url}/v1/session -H "content-type: application/json" \\`,
    `      -d '{"email": "${owner.email}", "password": "${owner.password}"}'`,
    `    curl -s -b .lojal-cookie ${url}/v1/audit-log -H "Lojal-Shop: ${demo.shopId}"`,
    '',
  ];
  return lines.join('\n') + '\n';
}
