import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app/build-app.ts';
import { sampleTemplateVariables } from '../../src/automations/sample-template-variables.ts';
import { defaultBrandKit } from '../../src/messaging/brand-kit.ts';
import { renderInThread } from '../../src/messaging/render-in-thread.ts';
import { createMetrics } from '../../src/shared/metrics.ts';
import { shopsById } from '../../src/shops/shops-by-id.ts';
import { createTestApp, createTestShop, fixedClock, type TestApp } from '../support/app.ts';

// The audit's reproduction (finding H2): 98 bytes of Liquid that print 20,000 MJML sections.
// Before the render limits it took about a minute, answered 43 MB and held /health that long.
const AUDIT_BODY =
  '{% for i in (1..20000) %}<mj-section><mj-column><mj-divider/></mj-column></mj-section>{% endfor %}';
const LIQUID_ONLY =
  '{% for i in (1..3000) %}{% for j in (1..3000) %}{% endfor %}{% endfor %}<mj-text>x</mj-text>';
const PREVIEW = '/v1/messaging/templates/birthday/email/pl/preview';
const TEMPLATE = '/v1/messaging/templates/birthday/email/pl';
// /health answers in a few milliseconds when nothing holds the event loop; the bound is
// generous so that a busy test machine cannot fail it, and far below the seconds it used to be.
const HEALTH_BOUND_MS = 500;

const clock = fixedClock('2026-12-07T10:00:00Z');
let t: TestApp;
let app: FastifyInstance;
let url: string;

beforeAll(async () => {
  t = await createTestApp({ clock, config: { publicUrl: 'https://lojal.example' } });
  // The app as main.ts builds it, with the render pool it starts (and closes) itself.
  app = await buildApp({
    db: t.db,
    pool: t.pool,
    clock,
    config: t.config,
    box: t.box,
    metrics: createMetrics(),
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await app.close();
  await t.close();
});

type Shop = { id: string; apiKey: string };

async function call(shop: Shop, method: string, path: string, body?: unknown) {
  const started = performance.now();
  const res = await fetch(`${url}${path}`, {
    method,
    headers: { authorization: `Bearer ${shop.apiKey}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return {
    status: res.status,
    type: res.headers.get('content-type') ?? '',
    ms: performance.now() - started,
    json: () => JSON.parse(text),
    text,
  };
}

/** Probes /health every 25 ms while `work` runs; the slowest answer. */
async function slowestHealthDuring<T>(work: Promise<T>): Promise<{ result: T; slowest: number }> {
  let done = false;
  let slowest = 0;
  let answered = 0;
  const probing = (async () => {
    while (!done) {
      const started = performance.now();
      const res = await fetch(`${url}/health`);
      await res.arrayBuffer();
      expect(res.status).toBe(200);
      slowest = Math.max(slowest, performance.now() - started);
      answered++;
      await new Promise((r) => setTimeout(r, 25));
    }
  })();
  const result = await work.finally(() => (done = true));
  await probing;
  expect(answered).toBeGreaterThan(0);
  return { result, slowest };
}

/** A first preview starts a render worker; the timed requests then measure rendering alone. */
async function warmShop(): Promise<Shop> {
  const shop = await createTestShop(t);
  const warm = await call(shop, 'POST', PREVIEW, {});
  expect(warm.status, warm.text).toBe(200);
  return shop;
}

describe('template render limits over HTTP', () => {
  it("refuse the audit's template with 422 within 3 s while /health keeps answering", async () => {
    const shop = await warmShop();
    const { result: res, slowest } = await slowestHealthDuring(
      call(shop, 'POST', PREVIEW, { content: { subject: 's', body: AUDIT_BODY } }),
    );
    expect(res.status, res.text).toBe(422);
    expect(res.type).toContain('application/problem+json');
    expect(res.ms).toBeLessThan(3_000);
    expect(res.json()).toEqual({
      type: '/problems/template-limit',
      title: 'Template over a limit',
      status: 422,
      detail:
        'The "body" field comes out at more than 100,000 characters. Make it shorter or repeat less in loops.',
      errors: [
        {
          path: 'body',
          message:
            'The "body" field comes out at more than 100,000 characters. Make it shorter or repeat less in loops.',
        },
      ],
      limit: 'output-size',
      messages: {
        en: 'The "body" field comes out at more than 100,000 characters. Make it shorter or repeat less in loops.',
        pl: 'Pole „treść” po wypełnieniu ma ponad 100\u00a0000 znaków. Skróć je albo ogranicz powtórzenia w pętlach.',
      },
    });
    expect(slowest).toBeLessThan(HEALTH_BOUND_MS);
  });

  it('stop a Liquid loop that runs past its time with 422 while /health keeps answering', async () => {
    const shop = await warmShop();
    const { result: res, slowest } = await slowestHealthDuring(
      call(shop, 'POST', PREVIEW, { content: { subject: 's', body: LIQUID_ONLY } }),
    );
    expect(res.status, res.text).toBe(422);
    expect(res.json()).toMatchObject({ limit: 'render-time', errors: [{ path: 'body' }] });
    expect(res.json().messages.pl).toContain('dłużej niż 2 sekundy');
    expect(slowest).toBeLessThan(HEALTH_BOUND_MS);
  });

  it("refuse to save the audit's template, and keep the version messages use", async () => {
    const shop = await warmShop();
    const put = await call(shop, 'PUT', TEMPLATE, { subject: 's', body: AUDIT_BODY });
    expect(put.status, put.text).toBe(422);
    expect(put.json().limit).toBe('output-size');
    expect(put.ms).toBeLessThan(3_000);
    // The same loop sized by the sample customer (27,500 sections) is refused the same way.
    const sized = await call(shop, 'PUT', TEMPLATE, {
      subject: 's',
      body: '{% assign n = customer.externalId | size | times: 2500 %}{% for i in (1..n) %}<mj-section><mj-column><mj-divider/></mj-column></mj-section>{% endfor %}',
    });
    expect(sized.status, sized.text).toBe(422);
    const saved = await call(shop, 'GET', TEMPLATE);
    expect(saved.json().own).toBe(false);
  });

  it('refuse a body with more MJML elements than allowed, saying how many in English and Polish', async () => {
    const shop = await warmShop();
    const body = '<mj-section><mj-column><mj-text>Kawa</mj-text></mj-column></mj-section>\n'.repeat(
      80,
    );
    const res = await call(shop, 'PUT', TEMPLATE, { subject: 's', body });
    expect(res.status, res.text).toBe(422);
    expect(res.json()).toMatchObject({
      limit: 'mjml-elements',
      messages: {
        en: 'The "body" field has 240 MJML elements (sections, columns, texts, buttons, images…); at most 200 are allowed. Use fewer blocks.',
        pl: 'Pole „treść” ma 240 elementów MJML (sekcji, kolumn, tekstów, przycisków, obrazków…), a dozwolone jest najwyżej 200. Użyj mniej bloków.',
      },
    });
  });

  it("refuse a shop's third render at once with 429 while its first two run, and serve other shops", async () => {
    const busy = await warmShop();
    const other = await warmShop();
    const slow = { content: { subject: 's', body: LIQUID_ONLY } };
    const first = call(busy, 'POST', PREVIEW, slow);
    const second = call(busy, 'POST', PREVIEW, slow);
    await new Promise((r) => setTimeout(r, 200));
    const third = await call(busy, 'POST', PREVIEW, slow);
    expect(third.status, third.text).toBe(429);
    expect(third.ms).toBeLessThan(1_000);
    const elsewhere = await call(other, 'POST', PREVIEW, {});
    expect(elsewhere.status, elsewhere.text).toBe(200);
    expect((await first).status).toBe(422);
    expect((await second).status).toBe(422);
  });

  it('preview a normal template exactly as it renders in this thread', async () => {
    const shop = await warmShop();
    const content = {
      subject: 'Wszystkiego najlepszego, {{ customer.firstName }}!',
      preheader: 'Prezent od {{ shop.name }}',
      body: `<mj-text>{{ greeting }}! Masz {{ points.available | plural: 'punkt', 'punkty', 'punktów' }}.</mj-text>
<mj-button href="{{ links.shop }}">Do sklepu</mj-button>`,
    };
    const res = await call(shop, 'POST', PREVIEW, { content });
    expect(res.status, res.text).toBe(200);
    const row = (await shopsById(t.db, [shop.id])).get(shop.id)!;
    const variables = sampleTemplateVariables(row, 'pl', 'https://lojal.example', clock.now());
    const expected = await renderInThread.renderEmail({
      template: content,
      variables,
      brand: defaultBrandKit,
      locale: 'pl',
      footer: {
        shopName: row.name,
        unsubscribeUrl: variables.links.unsubscribe,
        preferencesUrl: variables.links.preferences,
      },
    });
    expect(res.json()).toEqual({ channel: 'email', ...expected });
  });
});
