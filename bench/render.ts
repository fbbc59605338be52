/**
 * npx tsx bench/render.ts — how many emails per second renderEmail produces on this machine.
 *
 * Renders ready-made templates (Polish, click tracking on) for distinct customers, as a send
 * run does: every email differs in name, links and tracking, the template stays the same.
 * Prints a warm-up figure (first render compiles the layout) and the steady rate.
 *   BENCH_EMAILS=5000 BENCH_TEMPLATE=welcome.second_order_coupon
 */
import os from 'node:os';
import { defaultBrandKit } from '../apps/server/src/messaging/brand-kit.ts';
import { readyTemplates, type TemplateKey } from '../apps/server/src/messaging/ready-templates.ts';
import { renderEmail } from '../apps/server/src/messaging/render-email.ts';
import type { TemplateVariables } from '../apps/server/src/messaging/template-variables.ts';
import { sampleVariables } from '../apps/server/test/messaging/fixture.ts';
import { reportFigure, size } from './support/figures.ts';

const EMAILS = size('BENCH_EMAILS', 5000, 1000);
const KEYS = (process.env.BENCH_TEMPLATE?.split(',') ?? [
  'welcome.second_order_coupon',
  'welcome.review_request',
  'tier_upgrade',
]) as TemplateKey[];
const FIRST_NAMES = ['Zofia', 'Jan', 'Łucja', 'Michał', 'Ola', 'Krzysztof', 'Ewa', 'Bartosz'];

function variables(i: number): TemplateVariables {
  const base = `https://lojal.example/s/shp_1/c/${i}`;
  const v = sampleVariables();
  return {
    ...v,
    customer: { firstName: FIRST_NAMES[i % FIRST_NAMES.length], externalId: `c-${i}` },
    points: { ...v.points!, available: 100 + (i % 500), pending: i % 40 },
    tier: { ...v.tier!, toNext: 1 + (i % 300) },
    coupon: { ...v.coupon!, code: `WITAJ-${i.toString(36).toUpperCase()}` },
    order: { externalId: String(1000 + i), total: 18950, currency: 'PLN' },
    survey: { npsUrls: Array.from({ length: 11 }, (_, s) => `${base}/nps?score=${s}`) },
    review: { url: `https://ziarno.example/opinie/${i}` },
    links: { ...v.links, preferences: `${base}/preferences`, unsubscribe: `${base}/unsubscribe` },
  };
}

async function renderOne(key: TemplateKey, i: number) {
  const v = variables(i);
  return renderEmail({
    template: readyTemplates[key].email!.pl,
    variables: v,
    brand: defaultBrandKit,
    locale: 'pl',
    footer: {
      shopName: v.shop.name,
      shopAddress: 'ul. Długa 5, 31-147 Kraków',
      unsubscribeUrl: v.links.unsubscribe,
      preferencesUrl: v.links.preferences,
    },
    tracking: {
      clickUrl: (u) => `https://t.lojal.example/c/${i}?u=${encodeURIComponent(u)}`,
      openPixelUrl: `https://t.lojal.example/o/${i}.gif`,
    },
  });
}

console.log(
  `renderEmail on ${os.cpus()[0]?.model ?? 'cpu'} × ${os.cpus().length}, Node ${process.version}`,
);
for (const key of KEYS) {
  let start = performance.now();
  const first = await renderOne(key, 0);
  const coldMs = performance.now() - start;
  for (let i = 1; i < 200; i++) await renderOne(key, i); // JIT warm-up
  start = performance.now();
  for (let i = 0; i < EMAILS; i++) await renderOne(key, i + 1000);
  const sequential = EMAILS / ((performance.now() - start) / 1000);
  start = performance.now();
  const batch = 64;
  for (let i = 0; i < EMAILS; i += batch) {
    await Promise.all(Array.from({ length: batch }, (_, j) => renderOne(key, 100_000 + i + j)));
  }
  const concurrent = EMAILS / ((performance.now() - start) / 1000);
  console.log(
    `${key}: first render ${coldMs.toFixed(1)} ms (compiles the layout), then ` +
      `${Math.round(sequential)} emails/s one by one, ${Math.round(concurrent)} emails/s 64 at a time ` +
      `(${Math.round(first.html.length / 1024)} KB HTML each)`,
  );
  // The ceiling of a send worker: rendering alone, on one thread, has to beat its goal.
  reportFigure({
    figure: `${key} rendered, one thread`,
    value: Math.round(sequential),
    unit: '/s',
    compare: 'absolute',
    goal: 2000,
    better: 'higher',
  });
}
