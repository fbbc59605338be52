import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, createTestShop, fixedClock, type TestApp } from '../support/app.ts';
import { call, orderPaid, send } from '../points/support.ts';
import { runExportJob } from '../../src/exports/export-jobs.ts';
import {
  google,
  meta,
  normaliseEmail,
  normalisePhone,
  sha256,
  tiktok,
  type AudiencePerson,
} from '../../src/exports/audience-destinations.ts';

const person = (p: Partial<AudiencePerson>): AudiencePerson => ({
  email: null,
  phone: null,
  firstName: null,
  lastName: null,
  city: null,
  zip: null,
  country: null,
  ...p,
});

describe("the platforms' documented normalisation examples (docs/audiences.md)", () => {
  it('Meta: e-mail, phone and first name hash as in the customer information parameters page', () => {
    // "Input: John_Smith@gmail.com … Expected SHA256 output: 62a14e44…"; "(650)555-1212 →
    // 16505551212 → e323ec62…"; "Mary → mary → 6915771b…"; "Valéry → valéry → 08e1996b…"
    const row = meta.row(
      person({
        email: normaliseEmail(' John_Smith@gmail.com '),
        phone: normalisePhone('(650)555-1212', 'US'),
        firstName: 'Mary',
        lastName: 'Valéry',
      }),
    )!;
    expect(row[0]).toBe('62a14e44f765419d10fea99367361a727c12365e2520f32218d505ed9aa0f62f');
    expect(row[1]).toBe('e323ec626319ca94ee8bff2e4c87cf613be6ea19919ed1364124e16807ab3176');
    expect(row[2]).toBe('6915771be1c5aa0c886870b6951b03d7eafc121fea0e80a5ea83beb7c449f4ec');
    expect(row[3]).toBe('08e1996b5dd49e62a4b4c010d44e4345592a863bb9f8e3976219bac29417149c');
    expect(meta.header).toEqual(['email', 'phone', 'fn', 'ln', 'zip', 'ct', 'country']);
  });

  it('TikTok: the e-mail and phone examples of the customer file page', () => {
    // 'Normalized: "janedoe@gmail.com" Hashed: d6117306…'; the INTL phone 374-93-828222 is
    // normalised to "37493828222", hashed 65b7e6dc…
    const row = tiktok.row(
      person({
        email: normaliseEmail('JaneDoe+ads@Gmail.com'),
        phone: normalisePhone('+374 93 828222', undefined),
      }),
    )!;
    expect(row).toEqual([
      'd6117306485ed0e50afab3ac871e98f81699151f30281527d63ff5f233656c69',
      '65b7e6dcf6f4310f8d7cbfbd78289a753062fb054d6664fb9aaac5df66a422d4',
    ]);
    expect(tiktok.header).toEqual(['Email_SHA256', 'Phone_SHA256']);
  });

  it('Google: hashed e-mail, E.164 phone and names; plain Country and Zip, as its template', () => {
    // Google documents no hash values for Customer Match; the rules are its template's:
    // lower case, no spaces, E.164 before hashing. Gmail dots stay (not documented for it).
    const row = google.row(
      person({
        email: normaliseEmail(' Jan.Kowalski@Gmail.com'),
        phone: normalisePhone('600 100 200', 'PL'),
        firstName: 'Zoë Anna',
        lastName: 'Pérez',
        country: 'PL',
        zip: '00-950',
      }),
    )!;
    expect(google.header).toEqual(['Email', 'Phone', 'First Name', 'Last Name', 'Country', 'Zip']);
    expect(row).toEqual([
      sha256('jan.kowalski@gmail.com'),
      sha256('+48600100200'),
      sha256('zoëanna'),
      sha256('pérez'),
      'PL',
      '00-950',
    ]);
  });

  it('Polish phone numbers in the usual forms become one E.164 number', () => {
    for (const written of [
      '600100200',
      '600 100 200',
      '600-100-200',
      '+48 600 100 200',
      '+48600100200',
      '0048600100200',
      '(+48) 600-100-200',
      ' 48 600 100 200 ',
    ]) {
      expect(normalisePhone(written, 'PL'), written).toBe('+48600100200');
    }
    expect(normalisePhone('12 345 67 89', 'PL')).toBe('+48123456789'); // a Kraków landline
    expect(normalisePhone('600 100', 'PL')).toBeNull();
    expect(normalisePhone('zadzwoń', 'PL')).toBeNull();
  });
});

const clock = fixedClock('2026-12-07T10:00:00Z');
let t: TestApp;
let shop: Awaited<ReturnType<typeof createTestShop>>;
let other: Awaited<ReturnType<typeof createTestShop>>;

const buyer = (id: string, extra: Record<string, unknown>) => ({
  type: 'customer.created',
  id: `c-${id}`,
  occurredAt: '2026-11-30T09:00:00Z',
  data: { id, email: `${id}@example.pl`, phone: extra.phone ?? null, ...extra },
});

beforeAll(async () => {
  t = await createTestApp({ clock });
  shop = await createTestShop(t, 'Palarnia Kawy');
  other = await createTestShop(t, 'Herbaciarnia');
  await send(
    t,
    shop,
    // e-mail marketing yes, SMS not asked: the e-mail only
    buyer('ania', { phone: '600 100 201', firstName: 'Ania', acceptsMarketing: { email: true } }),
    // no marketing consent at all: left out
    buyer('bartek', { phone: '600 100 202' }),
    // accepted at the shop, then withdrew through Lojal: left out
    buyer('celina', { acceptsMarketing: { email: true } }),
    // erased: left out
    buyer('darek', { acceptsMarketing: { email: true, sms: true }, phone: '600 100 204' }),
    // SMS marketing only: the phone only
    buyer('ewa', { phone: '+48 600 100 205', acceptsMarketing: { sms: true } }),
    ...['ania', 'bartek', 'celina', 'darek', 'ewa'].map((id, i) =>
      orderPaid(`o-${id}`, { id }, `2026-12-0${i + 1}T10:00:00Z`, { total: 10_000 }),
    ),
  );
  const withdraw = await call(t, shop, 'POST', '/v1/customers/celina/consents', {
    changes: [{ channel: 'email', purpose: 'marketing', granted: false, textShown: 'Wypisz mnie' }],
  });
  expect(withdraw.statusCode, withdraw.body).toBeLessThan(300);
  const erase = await call(t, shop, 'POST', '/v1/customers/darek/erasure', {
    reason: 'asked by e-mail on 3 Dec',
  });
  expect(erase.statusCode, erase.body).toBe(202);
  await send(
    t,
    other,
    buyer('ola', { acceptsMarketing: { email: true } }),
    orderPaid('o-ola', { id: 'ola' }, '2026-12-01T10:00:00Z', { total: 10_000 }),
  );
  await t.processor.drain();
});
afterAll(() => t.close());

async function audience(platform: 'meta' | 'google' | 'tiktok', segment: string) {
  const started = await call(t, shop, 'POST', `/v1/segments/${segment}/audiences`, { platform });
  expect(started.statusCode, started.body).toBe(202);
  const { id } = started.json() as { id: string };
  await runExportJob(t.pool, t.db, clock, { shopId: shop.id, exportId: id });
  const url = `/v1/segments/${segment}/audiences/${id}`;
  expect((await call(t, shop, 'GET', url)).json()).toMatchObject({
    status: 'done',
    downloadUrl: `${url}/download`,
  });
  const file = await call(t, shop, 'GET', `${url}/download`);
  expect(file.statusCode, file.body).toBe(200);
  expect(file.headers['content-type']).toMatch(/^text\/csv/);
  expect((await call(t, other, 'GET', `${url}/download`)).statusCode).toBe(404);
  return file.body.trimEnd().split('\r\n');
}

describe('POST /v1/segments/:segmentId/audiences', () => {
  it('only consenting, not erased customers of this shop, each with what they agreed to', async () => {
    const segment = await call(t, shop, 'POST', '/v1/segments', {
      name: 'Kupujący',
      rules: { all: [{ fact: 'orders_count', op: 'gte', value: 1 }] },
    });
    expect(segment.statusCode, segment.body).toBe(201);
    const segmentId = (segment.json() as { id: string }).id;

    const lines = await audience('tiktok', segmentId);
    expect(lines).toEqual([
      'Email_SHA256,Phone_SHA256',
      `${sha256('ania@example.pl')},`,
      `,${sha256('48600100205')}`,
    ]);

    const metaLines = await audience('meta', segmentId);
    expect(metaLines[0]).toBe('email,phone,fn,ln,zip,ct,country');
    expect(metaLines).toHaveLength(3);
    expect(metaLines[1]!.split(',').slice(0, 3)).toEqual([
      sha256('ania@example.pl'),
      '',
      sha256('ania'),
    ]);
    const all = metaLines.join('\n') + (await audience('google', segmentId)).join('\n');
    for (const absent of ['bartek', 'celina', 'darek', 'ola']) {
      expect(all).not.toContain(sha256(`${absent}@example.pl`));
    }
    expect(all).not.toContain(sha256('+48600100201')); // Ania's phone: no SMS consent
  });

  it('an unknown segment is 404 and nothing is queued', async () => {
    const res = await call(t, shop, 'POST', '/v1/segments/seg_nope/audiences', {
      platform: 'meta',
    });
    expect(res.statusCode).toBe(404);
    const rows = await t.db
      .selectFrom('exports')
      .select('id')
      .where('segment_id', '=', 'seg_nope')
      .execute();
    expect(rows).toEqual([]);
  });
});
