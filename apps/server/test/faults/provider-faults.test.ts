import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliverDueMessages } from '../../src/automations/deliver-messages.ts';
import type { EmailTransport } from '../../src/messaging/email-transport.ts';
import { smtpTransport } from '../../src/messaging/smtp-transport.ts';
import { smsapiProvider } from '../../src/messaging/smsapi-provider.ts';
import { fixedClock } from '../../src/shared/clock.ts';
import { createTestApp, createTestShop, type TestApp } from '../support/app.ts';
import { deliveryDeps } from '../automations/support.ts';
import { localServer } from '../messaging/local-server.ts';
import { startFaultSmtp, type FaultSmtp } from './fault-smtp.ts';

// Noon in Warsaw: no quiet hours in the way of SMS.
const START = new Date('2026-03-10T11:00:00Z');
const clock = fixedClock(START);
const MINUTE = 60_000;
let t: TestApp;

beforeAll(async () => {
  t = await createTestApp({ clock });
});
afterAll(() => t.close());

/** A customer who accepts e-mail and SMS, and one queued message to them, due now. */
async function queue(shopId: string, id: string, channel: 'email' | 'sms'): Promise<void> {
  clock.set(START);
  await t.db
    .insertInto('customers')
    .values({
      shop_id: shopId,
      id: `cus_${id}`,
      external_id: id,
      email: `${id}@example.pl`,
      phone: '+48600100200',
      first_name: 'Ala',
      accepts_email_marketing: true,
      accepts_sms_marketing: true,
      field_times: '{}',
    })
    .execute();
  await t.db
    .insertInto('messages')
    .values({
      shop_id: shopId,
      id,
      send_key: `key-${id}`,
      customer_id: `cus_${id}`,
      channel,
      purpose: channel === 'sms' ? 'marketing' : 'loyalty',
      template_key: channel === 'sms' ? 'birthday' : 'welcome.thank_you',
      locale: 'pl',
      to_address: channel === 'sms' ? '+48600100200' : `${id}@example.pl`,
      status: 'queued',
      not_before: clock.now(),
      created_at: clock.now(),
    })
    .execute();
}

async function messageRow(shopId: string, id: string) {
  return t.db
    .selectFrom('messages')
    .select(['status', 'attempts', 'not_before', 'status_reason'])
    .where('shop_id', '=', shopId)
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
}

/**
 * Runs sending rounds on the injected clock, a round each minute, until the message leaves
 * the queue (sent, failed or anything else).
 */
async function roundsUntilSettled(
  shopId: string,
  id: string,
  send: () => Promise<unknown>,
): Promise<void> {
  for (let minute = 0; minute <= 120; minute++) {
    clock.set(new Date(START.getTime() + minute * MINUTE));
    await send();
    if ((await messageRow(shopId, id)).status !== 'queued') return;
  }
  throw new Error(
    `${id} still queued after two hours: ${JSON.stringify(await messageRow(shopId, id))}`,
  );
}

describe('an SMTP server that stalls, then refuses for now, then accepts', () => {
  let smtp: FaultSmtp;
  let email: EmailTransport;
  const tried: number[] = [];
  beforeAll(async () => {
    // 1st try: no answer at all; 2nd: 421 (service not available); 3rd: 451; 4th: accepted.
    const answers = [{ stall: true }, { refuse: 421 }, { refuse: 451 }] as const;
    smtp = await startFaultSmtp((_message, seen) => {
      tried.push((clock.now().getTime() - START.getTime()) / MINUTE);
      return answers[seen] ?? { accept: true };
    });
    email = smtpTransport(smtp.url, { timeouts: { socketTimeout: 1_000 } });
  });
  afterAll(async () => {
    await email.close();
    await smtp.close();
  });

  it('retries with backoff (1, 4, 16 minutes) and delivers the mail exactly once', async () => {
    const shop = await createTestShop(t);
    await queue(shop.id, 'msg_mail', 'email');
    await roundsUntilSettled(shop.id, 'msg_mail', () =>
      deliverDueMessages(t.db, clock, deliveryDeps(t, email)),
    );
    expect(smtp.attempts.map((a) => a.answer)).toEqual([
      'stalled',
      'refused',
      'refused',
      'accepted',
    ]);
    // Tried at once, then after 1, 4 and 16 minutes: each wait four times the last.
    expect(tried).toEqual([0, 1, 5, 21]);
    expect(smtp.delivered()).toEqual(new Map([['msg_mail', 1]]));
    const row = await messageRow(shop.id, 'msg_mail');
    expect(row).toMatchObject({ status: 'sent', attempts: 4, status_reason: null });
    // Later rounds send nothing more.
    clock.set(new Date(START.getTime() + 600 * MINUTE));
    await deliverDueMessages(t.db, clock, deliveryDeps(t, email));
    expect(smtp.delivered()).toEqual(new Map([['msg_mail', 1]]));
  }, 60_000);
});

describe('an SMS provider that times out, then answers 5xx, then 200', () => {
  // SMSAPI.pl in miniature: sends each `idx` (the message id) once (check_idx=1), and answers
  // error 53 to a repeat.
  const sentIdx = new Map<string, number>();
  const tries: Array<{ idx: string; minute: number; answer: string }> = [];
  let plan: Record<string, Array<'timeout' | 'timeout-but-sent' | 503 | 200>> = {};
  let provider: Awaited<ReturnType<typeof localServer>>;
  beforeAll(async () => {
    provider = await localServer((req) => {
      const form = new URLSearchParams(req.body);
      const idx = form.get('idx') ?? '';
      const seen = tries.filter((x) => x.idx === idx).length;
      const step = plan[idx]?.[seen] ?? 200;
      tries.push({
        idx,
        minute: (clock.now().getTime() - START.getTime()) / MINUTE,
        answer: String(step),
      });
      const sendOnce = () => {
        if (sentIdx.has(idx)) return { status: 200, body: { error: 53, message: 'already sent' } };
        sentIdx.set(idx, (sentIdx.get(idx) ?? 0) + 1);
        return { status: 200, body: { count: 1, list: [{ id: `sms-${idx}`, parts: 1 }] } };
      };
      if (step === 'timeout') return { status: 200, delayMs: 5_000 };
      if (step === 'timeout-but-sent') return { ...sendOnce(), delayMs: 5_000 };
      if (step === 503) return { status: 503, body: { message: 'maintenance' } };
      return sendOnce();
    });
  });
  afterAll(() => provider.close());

  const deps = () =>
    deliveryDeps(t, smtpTransport('smtp://127.0.0.1:9'), {
      channels: {
        email: smtpTransport('smtp://127.0.0.1:9'),
        sms: async () => ({
          provider: smsapiProvider({ token: 't', baseUrl: provider.url, timeoutMs: 500 }),
          sender: 'Sklep',
        }),
      },
    });

  it('retries with backoff and sends the SMS exactly once', async () => {
    const shop = await createTestShop(t, 'Sklep SMS');
    plan = { msg_sms: ['timeout', 503] };
    await queue(shop.id, 'msg_sms', 'sms');
    await roundsUntilSettled(shop.id, 'msg_sms', () => deliverDueMessages(t.db, clock, deps()));
    expect(tries.filter((x) => x.idx === 'msg_sms')).toEqual([
      { idx: 'msg_sms', minute: 0, answer: 'timeout' },
      { idx: 'msg_sms', minute: 1, answer: '503' },
      { idx: 'msg_sms', minute: 5, answer: '200' },
    ]);
    expect(sentIdx.get('msg_sms')).toBe(1);
    expect(await messageRow(shop.id, 'msg_sms')).toMatchObject({ status: 'sent', attempts: 3 });
  }, 60_000);

  it('a timeout after the provider sent it: the retry is recognised, sent once, recorded sent', async () => {
    const shop = await createTestShop(t, 'Sklep SMS 2');
    plan = { msg_sms2: ['timeout-but-sent', 503] };
    await queue(shop.id, 'msg_sms2', 'sms');
    await roundsUntilSettled(shop.id, 'msg_sms2', () => deliverDueMessages(t.db, clock, deps()));
    expect(tries.filter((x) => x.idx === 'msg_sms2').map((x) => x.answer)).toEqual([
      'timeout-but-sent',
      '503',
      '200',
    ]);
    // The provider sent it on the first try (Lojal could not know); the third try was refused
    // as a repeat (error 53), which Lojal takes as sent.
    expect(sentIdx.get('msg_sms2')).toBe(1);
    expect(await messageRow(shop.id, 'msg_sms2')).toMatchObject({ status: 'sent', attempts: 3 });
  }, 60_000);
});
