import { afterAll, describe, expect, it } from 'vitest';
import { defaultBrandKit } from '../../src/messaging/brand-kit.ts';
import { readyTemplates, templateKeys } from '../../src/messaging/ready-templates.ts';
import type { EmailTemplate } from '../../src/messaging/render-email.ts';
import { renderInThread } from '../../src/messaging/render-in-thread.ts';
import { renderLimits, TemplateLimitError } from '../../src/messaging/render-limits.ts';
import { RenderPool, RenderPoolBusy } from '../../src/messaging/render-pool.ts';
import type { TemplateRenderer } from '../../src/messaging/template-renderer.ts';
import { bothLocales, sampleFooter, sampleVariables, sampleVariablesFor } from './fixture.ts';

// The audit's template (finding H2): 20,000 MJML sections from 98 bytes; it used to take a
// minute and 43 MB.
const AUDIT_BODY =
  '{% for i in (1..20000) %}<mj-section><mj-column><mj-divider/></mj-column></mj-section>{% endfor %}';
// Liquid alone, no output: 9 million loop turns.
const LIQUID_ONLY = '{% for i in (1..3000) %}{% for j in (1..3000) %}{% endfor %}{% endfor %}';

const pool = new RenderPool({ size: 2 });
afterAll(() => pool.close());

function emailInput(template: EmailTemplate, tracked = false) {
  const variables = sampleVariables();
  return {
    template,
    variables,
    brand: defaultBrandKit,
    locale: 'pl' as const,
    footer: sampleFooter(variables),
    ...(tracked
      ? {
          tracking: {
            clickUrl: (u: string) => `https://t.lojal.example/c?u=${encodeURIComponent(u)}`,
            openPixelUrl: 'https://t.lojal.example/o/abc.gif',
          },
        }
      : {}),
  };
}

async function limitOf(rendering: Promise<unknown>): Promise<TemplateLimitError> {
  const error = await rendering.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TemplateLimitError);
  return error as TemplateLimitError;
}

async function timed<T>(work: () => Promise<T>): Promise<{ result: T; ms: number }> {
  const start = performance.now();
  const result = await work();
  return { result, ms: performance.now() - start };
}

describe.each([
  ['in this thread', renderInThread],
  ['in the render pool', pool],
] as Array<[string, TemplateRenderer]>)('render limits %s', (_where, renderer) => {
  it("refuse the audit's loop of MJML sections for its size, long before MJML would see it", async () => {
    const { result: error, ms } = await timed(() =>
      limitOf(renderer.renderEmail(emailInput({ subject: 's', body: AUDIT_BODY }))),
    );
    expect(error.limit).toBe('output-size');
    expect(error.field).toBe('body');
    expect(error.message).toBe(
      'The "body" field comes out at more than 100,000 characters. Make it shorter or repeat less in loops.',
    );
    // It stops at the 100,001st character (about 1,250 sections), not after 20,000 of them.
    // A cold worker thread starts in well under this bound.
    expect(ms).toBeLessThan(10_000);
  });

  it('refuse a body with more MJML elements than the limit, saying how many it has', async () => {
    const body = '<mj-section><mj-column><mj-divider/></mj-column></mj-section>'.repeat(70);
    const error = await limitOf(renderer.renderEmail(emailInput({ subject: 's', body })));
    expect(error.limit).toBe('mjml-elements');
    expect(error.details.count).toBe(210);
    expect(error.messages).toEqual({
      en: 'The "body" field has 210 MJML elements (sections, columns, texts, buttons, images…); at most 200 are allowed. Use fewer blocks.',
      pl: 'Pole „treść” ma 210 elementów MJML (sekcji, kolumn, tekstów, przycisków, obrazków…), a dozwolone jest najwyżej 200. Użyj mniej bloków.',
    });
  });

  it('render a body of exactly as many MJML elements as the limit allows', async () => {
    const texts = '<mj-text>{{ customer.firstName }}</mj-text>'.repeat(
      renderLimits.mjmlElements - 2,
    );
    const body = `<mj-section><mj-column>${texts}</mj-column></mj-section>`;
    const email = await renderer.renderEmail(emailInput({ subject: 's', body }));
    expect(email.html.split('Zofia').length - 1).toBe(renderLimits.mjmlElements - 2);
  });

  it('stop a Liquid loop that prints nothing when its time is up', async () => {
    const { result: error, ms } = await timed(() =>
      limitOf(
        renderer.renderEmail(
          emailInput({ subject: 's', body: `${LIQUID_ONLY}<mj-text>x</mj-text>` }),
        ),
      ),
    );
    expect(error.limit).toBe('render-time');
    expect(error.messages.pl).toBe(
      'Wypełnianie szablonu trwa dłużej niż 2 sekundy (pętla wykonuje się zbyt wiele razy?). Uprość go.',
    );
    expect(ms).toBeGreaterThanOrEqual(renderLimits.liquidMs - 50);
    expect(ms).toBeLessThan(10_000);
  });

  it('stop captures and appends that double in a loop at the memory limit', async () => {
    const variables = sampleVariables();
    for (const source of [
      '{% assign x = "a" %}{% for i in (1..60) %}{% capture x %}{{ x }}{{ x }}{% endcapture %}{% endfor %}{{ x | size }}',
      '{% assign x = "a" %}{% for i in (1..60) %}{% assign x = x | append: x %}{% endfor %}{{ x | size }}',
    ]) {
      const error = await limitOf(
        renderer.renderTexts({ fields: { text: source }, variables, locale: 'pl' }),
      );
      expect(error.limit).toBe('memory');
      expect(error.field).toBe('text');
    }
  });

  it('refuse an SMS that comes out longer than the output limit, and keep Liquid errors per field', async () => {
    const variables = sampleVariables();
    const error = await limitOf(
      renderer.renderTexts({
        fields: { text: '{% for i in (1..200000) %}abc{% endfor %}' },
        variables,
        locale: 'pl',
      }),
    );
    expect(error.limit).toBe('output-size');
    expect(error.messages.pl).toBe(
      // Polish groups thousands with a no-break space.
      'Pole „tekst” po wypełnieniu ma ponad 100\u00a0000 znaków. Skróć je albo ogranicz powtórzenia w pętlach.',
    );
    const texts = await renderer.renderTexts({
      fields: { title: 'Cześć {{ customer.firstName }}', body: '{{ x | shout }}' },
      variables,
      locale: 'pl',
    });
    expect(texts.title).toEqual({ text: 'Cześć Zofia' });
    expect(texts.body).toEqual({
      message: 'Template error on line 1: undefined filter: shout',
      problems: [{ line: 1, message: 'undefined filter: shout' }],
    });
  });
});

describe('the render pool', () => {
  it('renders every ready-made template exactly as this thread does, with tracking', async () => {
    for (const key of templateKeys) {
      for (const locale of bothLocales) {
        const ready = readyTemplates[key];
        const variables = sampleVariablesFor(locale);
        if (ready.email) {
          const input = { ...emailInput(ready.email[locale], true), variables, locale };
          input.footer = sampleFooter(variables);
          expect(await pool.renderEmail(input)).toEqual(await renderInThread.renderEmail(input));
        }
        const texts = {
          ...(ready.sms ? { text: ready.sms[locale] } : {}),
          ...ready.push?.[locale],
        };
        if (Object.keys(texts).length > 0) {
          const input = { fields: texts, variables, locale };
          expect(await pool.renderTexts(input)).toEqual(await renderInThread.renderTexts(input));
        }
      }
    }
  });

  it('ends a render that runs past its time, replaces the worker and renders the next one', async () => {
    const strict = new RenderPool({ size: 1, timeoutMs: 300 });
    try {
      const variables = sampleVariables();
      await strict.renderTexts({ fields: { text: 'warm' }, variables, locale: 'pl' });
      const { result: error, ms } = await timed(() =>
        limitOf(strict.renderTexts({ fields: { text: LIQUID_ONLY }, variables, locale: 'pl' })),
      );
      expect(error.limit).toBe('render-time');
      expect(error.message).toContain('longer than 0.3 seconds');
      expect(ms).toBeLessThan(renderLimits.liquidMs);
      expect(strict.workers).toBe(0);
      const next = await strict.renderTexts({
        fields: { text: 'Cześć {{ customer.firstName }}' },
        variables,
        locale: 'pl',
      });
      expect(next).toEqual({ text: { text: 'Cześć Zofia' } });
      expect(strict.workers).toBe(1);
    } finally {
      await strict.close();
    }
  });

  it("refuses an owner's third render while two are under way, and still serves other owners", async () => {
    const fair = new RenderPool({ size: 1, maxPerOwner: 2 });
    try {
      const input = {
        fields: { text: LIQUID_ONLY },
        variables: sampleVariables(),
        locale: 'pl' as const,
      };
      const first = fair.renderTexts(input, { owner: 'shop-a' }).catch((e: unknown) => e);
      const second = fair.renderTexts(input, { owner: 'shop-a' }).catch((e: unknown) => e);
      await expect(fair.renderTexts(input, { owner: 'shop-a' })).rejects.toBeInstanceOf(
        RenderPoolBusy,
      );
      const other = await fair.renderTexts(
        { ...input, fields: { text: 'ok' } },
        { owner: 'shop-b' },
      );
      expect(other).toEqual({ text: { text: 'ok' } });
      expect(await first).toBeInstanceOf(TemplateLimitError);
      expect(await second).toBeInstanceOf(TemplateLimitError);
    } finally {
      await fair.close();
    }
  });

  it('fails what is running and waiting when it closes, and renders nothing after', async () => {
    const closing = new RenderPool({ size: 1 });
    const input = { fields: { text: 'x' }, variables: sampleVariables(), locale: 'pl' as const };
    await closing.renderTexts(input);
    const slow = { ...input, fields: { text: LIQUID_ONLY } };
    const running = closing.renderTexts(slow).catch((e: unknown) => e);
    const waiting = closing.renderTexts(input).catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 100));
    await closing.close();
    expect(await running).toEqual(new Error('The render pool is closed'));
    expect(await waiting).toEqual(new Error('The render pool is closed'));
    await expect(closing.renderTexts(input)).rejects.toThrow('The render pool is closed');
    expect(closing.workers).toBe(0);
  });
});
