import { describe, expect, it } from 'vitest';
import { defaultBrandKit } from '../../src/messaging/brand-kit.ts';
import { SLOT_PREFIX } from '../../src/messaging/liquid-engine.ts';
import { readyTemplates, templateKeys } from '../../src/messaging/ready-templates.ts';
import { renderEmail } from '../../src/messaging/render-email.ts';
import { renderTemplateString } from '../../src/messaging/render-template-string.ts';
import { countSmsSegments } from '../../src/messaging/sms-segments.ts';
import { bothLocales, sampleFooter, sampleVariables, sampleVariablesFor } from './fixture.ts';

const unrendered = /\{\{|\{%|%\}|\}\}/;

describe('ready-made templates', () => {
  for (const key of templateKeys) {
    const ready = readyTemplates[key];
    for (const locale of bothLocales) {
      const variables = sampleVariablesFor(locale);
      if (ready.email) {
        it(`${key} email renders in ${locale} with a text part and nothing left unrendered`, async () => {
          const email = await renderEmail({
            template: ready.email![locale],
            variables,
            brand: defaultBrandKit,
            locale,
            footer: sampleFooter(variables),
          });
          expect(email.subject.length).toBeGreaterThan(5);
          for (const part of [email.subject, email.html, email.text]) {
            expect(part).not.toMatch(unrendered);
            expect(part).not.toContain(SLOT_PREFIX);
            expect(part).not.toContain('undefined');
          }
          expect(email.text).toContain(locale === 'pl' ? 'Cześć, Zofia!' : 'Hi Zofia!');
          expect(email.text).toContain(variables.links.unsubscribe);
        });

        it(`${key} email renders in ${locale} for a customer with no name and no extras`, async () => {
          const bare = sampleVariables({
            customer: { externalId: 'c-2' },
            order: undefined,
            review: { url: 'https://r.example' },
          });
          const email = await renderEmail({
            template: ready.email![locale],
            variables: bare,
            brand: { ...defaultBrandKit, tone: 'formal' },
            locale,
            footer: sampleFooter(bare),
          });
          expect(email.text).toContain(locale === 'pl' ? 'Dzień dobry!' : 'Hello!');
          expect(email.html).not.toMatch(unrendered);
        });
      }
      if (ready.sms) {
        it(`${key} SMS renders in ${locale}`, async () => {
          const text = await renderTemplateString(ready.sms![locale], variables, locale);
          expect(text).not.toMatch(unrendered);
          expect(text.length).toBeGreaterThan(10);
        });
      }
      if (ready.push) {
        it(`${key} push renders in ${locale}`, async () => {
          const title = await renderTemplateString(ready.push![locale].title, variables, locale);
          const body = await renderTemplateString(ready.push![locale].body, variables, locale);
          expect(`${title} ${body}`).not.toMatch(unrendered);
        });
      }
    }
  }

  it('keeps every SMS to one GSM-7 segment for the sample shop', async () => {
    const rows: string[] = [];
    for (const key of templateKeys) {
      const sms = readyTemplates[key].sms;
      if (!sms) continue;
      for (const locale of bothLocales) {
        const text = await renderTemplateString(sms[locale], sampleVariablesFor(locale), locale);
        const count = countSmsSegments(text);
        rows.push(
          `${key} ${locale}: ${count.segments} × ${count.encoding} (${count.units} units) "${text}"`,
        );
        expect(count, `${key} ${locale}: ${text}`).toMatchObject({
          encoding: 'GSM-7',
          segments: 1,
        });
      }
    }
    console.log(`SMS segments:\n${rows.join('\n')}`);
  });

  it('writes correct Polish plural forms in the points-expiring messages', async () => {
    const render = async (expiringAmount: number) =>
      renderTemplateString(
        readyTemplates.points_expiring.push!.pl.body,
        sampleVariables({
          points: {
            available: 300,
            pending: 0,
            expiringAmount,
            expiringAt: '2026-03-31T12:00:00Z',
          },
        }),
        'pl',
      );
    expect(await render(1)).toBe('Masz 1 punkt do wykorzystania do 31 marca 2026.');
    expect(await render(3)).toBe('Masz 3 punkty do wykorzystania do 31 marca 2026.');
    expect(await render(25)).toBe('Masz 25 punktów do wykorzystania do 31 marca 2026.');
  });

  it('gives every template a purpose, and marketing only where consent is needed', () => {
    expect(readyTemplates.win_back.purpose).toBe('marketing');
    expect(readyTemplates.points_expiring.purpose).toBe('loyalty');
    expect(readyTemplates.nps_survey.purpose).toBe('feedback');
    expect(readyTemplates.cart_abandoned.purpose).toBe('marketing');
    expect(templateKeys).toHaveLength(15);
  });
});
