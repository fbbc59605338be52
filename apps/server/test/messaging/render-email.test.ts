import { describe, expect, it } from 'vitest';
import { brandKitSchema, defaultBrandKit } from '../../src/messaging/brand-kit.ts';
import { renderEmail, type EmailTemplate } from '../../src/messaging/render-email.ts';
import { renderTemplateString } from '../../src/messaging/render-template-string.ts';
import { TemplateError } from '../../src/messaging/template-error.ts';
import type { Locale } from '../../src/shared/i18n.ts';
import { sampleFooter, sampleVariables } from './fixture.ts';

function render(
  template: EmailTemplate,
  options: {
    locale?: Locale;
    variables?: ReturnType<typeof sampleVariables>;
    tracked?: boolean;
  } = {},
) {
  const variables = options.variables ?? sampleVariables();
  return renderEmail({
    template,
    variables,
    brand: defaultBrandKit,
    locale: options.locale ?? 'pl',
    footer: sampleFooter(variables),
    tracking: options.tracked
      ? {
          clickUrl: (u) => `https://t.lojal.example/c?u=${encodeURIComponent(u)}`,
          openPixelUrl: 'https://t.lojal.example/o/abc.gif',
        }
      : undefined,
  });
}

const simple: EmailTemplate = {
  subject: '{{ greeting }}, masz {{ points.available | plural: "punkt", "punkty", "punktów" }}',
  preheader: 'Dla {{ customer.firstName }}',
  body: `<mj-text>{{ greeting }}! Zamówienie na {{ order.total | money }}.</mj-text>
<mj-button href="{{ links.shop }}">Do sklepu</mj-button>
<mj-text><a href="mailto:kontakt@ziarno.example">Napisz</a> lub <a href="{{ links.unsubscribe }}">wypisz się</a></mj-text>`,
};

describe('renderEmail', () => {
  it('renders the body inside the branded layout with a footer in the right language', async () => {
    const pl = await render(simple);
    expect(pl.subject).toBe('Cześć, Zofia, masz 245 punktów');
    expect(pl.html).toContain('Zamówienie na 189,50\u00a0zł.');
    expect(pl.html).toContain('Wypisz się');
    expect(pl.html).toContain('Ustawienia wiadomości');
    expect(pl.html).toContain('ul. Długa 5, 31-147 Kraków');
    expect(pl.html).toContain('Dla Zofia'); // the preheader
    expect(pl.html).toContain('<html lang="pl"');
    const en = await render(simple, { locale: 'en' });
    expect(en.html).toContain('Unsubscribe');
    expect(en.html).toContain('Message preferences');
  });

  it('escapes a malicious first name in the HTML but not in the subject or text', async () => {
    const variables = sampleVariables({
      customer: {
        firstName: '<script>alert(1)</script><a href="https://evil">x</a>&',
        externalId: 'c-9',
      },
    });
    const email = await render(
      {
        subject: 'Cześć {{ customer.firstName }}',
        body: '<mj-text>Cześć {{ customer.firstName }}</mj-text>',
      },
      { variables },
    );
    expect(email.html).not.toContain('<script>');
    expect(email.html).not.toContain('href="https://evil"');
    expect(email.html).toContain(
      '&lt;script&gt;alert(1)&lt;/script&gt;&lt;a href=&quot;https://evil&quot;&gt;x&lt;/a&gt;&amp;',
    );
    expect(email.subject).toBe('Cześć <script>alert(1)</script><a href="https://evil">x</a>&');
    expect(email.text).toContain('Cześć <script>alert(1)</script>');
  });

  it('derives a plain-text part with links as "label (url)" and no CSS', async () => {
    const { text } = await render(simple);
    expect(text).toContain('Cześć, Zofia! Zamówienie na 189,50 zł.');
    expect(text).toContain('Do sklepu (https://ziarno.example)');
    expect(text).toContain('Napisz (kontakt@ziarno.example)');
    expect(text).toContain(`Wypisz się (${sampleVariables().links.unsubscribe})`);
    expect(text).not.toMatch(/[{}]|<|mso|font-family/);
    expect(text).not.toContain('Dla Zofia'); // the hidden preheader
  });

  it('uses the template’s own plain text when it has one', async () => {
    const { text } = await render({
      ...simple,
      text: 'Cześć {{ customer.firstName }} & {{ order.total | money }}',
    });
    expect(text).toBe('Cześć Zofia & 189,50\u00a0zł');
  });

  it('rewrites http(s) links through the click tracker but not unsubscribe, preferences or mailto', async () => {
    const { html } = await render(simple, { tracked: true });
    const v = sampleVariables();
    expect(html).toContain(
      `href="https://t.lojal.example/c?u=${encodeURIComponent('https://ziarno.example')}"`,
    );
    expect(html).toContain(`href="${v.links.unsubscribe}"`);
    expect(html).toContain(`href="${v.links.preferences}"`);
    expect(html).toContain('href="mailto:kontakt@ziarno.example"');
    expect(html).not.toContain(`u=${encodeURIComponent(v.links.unsubscribe)}`);
    expect(html).toMatch(
      /<img src="https:\/\/t\.lojal\.example\/o\/abc\.gif" width="1" height="1"[^>]*>\s*<\/body>/,
    );
  });

  it('leaves links alone without tracking', async () => {
    const { html } = await render(simple);
    expect(html).not.toContain('t.lojal.example');
    expect(html).toContain('href="https://ziarno.example"');
  });

  it('gives each recipient their own values when the compiled layout is shared', async () => {
    const template = { subject: 's', body: '<mj-text>Hi {{ customer.firstName }}</mj-text>' };
    const names = ['Ala', 'Ola', 'Ela'];
    const emails = await Promise.all(
      names.map((firstName) =>
        render(template, {
          variables: sampleVariables({ customer: { firstName, externalId: firstName } }),
        }),
      ),
    );
    emails.forEach((e, i) => {
      expect(e.html).toContain(`Hi ${names[i]}`);
      expect(e.text).toContain(`Hi ${names[i]}`);
    });
  });

  it('fills a value into an attribute MJML checks, such as a colour', async () => {
    const { html } = await render({
      subject: 's',
      body: '<mj-button background-color="{{ brand.primaryColor }}" href="{{ links.shop }}">Go</mj-button>',
    });
    expect(html).toContain(defaultBrandKit.primaryColor);
  });

  it('reports MJML problems of a merchant’s template with their lines and renders nothing', async () => {
    const error = await render({
      subject: 's',
      body: '<mj-text>ok</mj-text>\n<mj-text foo="bar">x</mj-text>\n<mj-button href="https://a.example" color="notacolour">b</mj-button>',
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TemplateError);
    const problems = (error as TemplateError).problems;
    expect(problems).toContainEqual({ line: 2, message: 'Attribute foo is illegal' });
    expect(problems.find((p) => p.line === 3)?.message).toMatch(/color/);
  });

  it('reports an unclosed tag instead of swallowing the footer', async () => {
    const error = await render({
      subject: 's',
      body: '<mj-text>ok</mj-text>\n\n<mj-text>never closed',
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TemplateError);
    expect((error as TemplateError).problems).toEqual([
      { line: 3, message: '<mj-text> is never closed' },
    ]);
  });

  it('refuses a whole MJML document as a body', async () => {
    const error = await render({ subject: 's', body: '<mjml><mj-body></mj-body></mjml>' }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(TemplateError);
  });

  it('reports an unknown filter and Liquid syntax errors with their line', async () => {
    const unknown = await render({
      subject: 's',
      body: '<mj-text>a</mj-text>\n{{ x | shout }}',
    }).catch((e: unknown) => e);
    expect((unknown as TemplateError).problems).toEqual([
      { line: 2, message: 'undefined filter: shout' },
    ]);
    const syntax = await render({ subject: 's', body: '{% if %}' }).catch((e: unknown) => e);
    expect(syntax).toBeInstanceOf(TemplateError);
  });

  it('cannot read files with mj-include', async () => {
    const email = await render({
      subject: 's',
      body: '<mj-include path="package.json" type="html" />\n<mj-text>ok</mj-text>',
    }).catch((e: unknown) => e);
    if (!(email instanceof TemplateError))
      expect((email as { html: string }).html).not.toContain('@lojal/server');
  });

  it('cannot read files with include or render', async () => {
    const error = await render({ subject: 's', body: "{% include '/etc/passwd' %}" }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(TemplateError);
  });

  it('lets a template bring its own sections', async () => {
    const { html } = await render({
      subject: 's',
      body: '<mj-section><mj-column><mj-text>Own section</mj-text></mj-column></mj-section>',
    });
    expect(html).toContain('Own section');
  });

  it('shows the logo when the brand has one', async () => {
    const variables = sampleVariables();
    const { html } = await renderEmail({
      template: simple,
      variables,
      brand: { ...defaultBrandKit, logoUrl: 'https://ziarno.example/logo.png' },
      locale: 'pl',
      footer: sampleFooter(variables),
    });
    expect(html).toContain('src="https://ziarno.example/logo.png"');
  });
});

describe('Liquid filters', () => {
  const v = sampleVariables();
  const text = (source: string, locale: Locale = 'pl') => renderTemplateString(source, v, locale);

  it('plural takes Polish forms one, few, many and English one, other', async () => {
    for (const [n, out] of [
      [1, '1 punkt'],
      [3, '3 punkty'],
      [5, '5 punktów'],
      [22, '22 punkty'],
      [12, '12 punktów'],
    ] as const) {
      expect(await text(`{{ ${n} | plural: 'punkt', 'punkty', 'punktów' }}`)).toBe(out);
    }
    expect(await text(`{{ 1 | plural: 'point', 'points' }}`, 'en')).toBe('1 point');
    expect(await text(`{{ points.available | plural: 'point', 'points' }}`, 'en')).toBe(
      '245 points',
    );
  });

  it('money formats minor units in the shop’s currency or the one given', async () => {
    expect(await text('{{ 1250 | money }}')).toBe('12,50 zł');
    expect(await text("{{ 1250 | money: 'EUR' }}", 'en')).toBe('€12.50');
    expect(await text('{{ nothing | money }}')).toBe('');
  });

  it('date writes the shop’s local day, or follows a strftime pattern', async () => {
    expect(await text('{{ coupon.expiresAt | date }}')).toBe('14 lutego 2026');
    expect(await text("{{ coupon.expiresAt | date: 'short' }}")).toBe('14.02.2026');
    expect(await text('{{ coupon.expiresAt | date }}', 'en')).toBe('14 February 2026');
    expect(await text("{{ coupon.expiresAt | date: '%Y' }}")).toBe('2026');
  });

  it('default replaces nothing, empty and blank text', async () => {
    expect(await text("{{ nothing | default: 'Kliencie' }}")).toBe('Kliencie');
    expect(await text("{{ '  ' | default: 'x' }}")).toBe('x');
    expect(await text("{{ 0 | default: 'x' }}")).toBe('0');
  });

  it('renders SMS text unescaped with plain spaces', async () => {
    expect(await text('{{ customer.firstName }} & {{ 1250 | money }}')).toBe('Zofia & 12,50 zł');
  });
});

describe('brandKitSchema', () => {
  it('accepts the default kit and refuses bad colours and http logos', () => {
    expect(brandKitSchema.safeParse(defaultBrandKit).success).toBe(true);
    expect(brandKitSchema.safeParse({ ...defaultBrandKit, primaryColor: 'red' }).success).toBe(
      false,
    );
    expect(
      brandKitSchema.safeParse({ ...defaultBrandKit, logoUrl: 'http://x.example/l.png' }).success,
    ).toBe(false);
    expect(
      brandKitSchema.safeParse({ ...defaultBrandKit, logoUrl: 'https://x.example/l.png' }).success,
    ).toBe(true);
    expect(
      brandKitSchema.safeParse({ ...defaultBrandKit, fontFamily: 'Arial"><script>' }).success,
    ).toBe(false);
  });
});

describe('captured output', () => {
  it('is filled in where the captured text is printed, escaped once', async () => {
    const variables = sampleVariables();
    variables.customer.firstName = '<Zosia>';
    const email = await render(
      {
        subject: 'x',
        body: '{% capture hello %}Cześć {{ customer.firstName }}{% endcapture %}<mj-text>{{ hello }}!</mj-text>',
      },
      { variables },
    );
    expect(email.html).toContain('Cześć &lt;Zosia&gt;!');
    expect(email.html).not.toMatch(/LJ[A-Z0-9]+_\d+_/);
  });
});

describe('renderEmail plain text from the HTML', () => {
  it('shows &ndash;, &euro;, &oacute; and numeric entities as the characters they stand for', async () => {
    const { text } = await render({
      subject: 'Test',
      body: '<mj-text>Rabat 10&ndash;20&euro; dla Ciebie &ndash; kr&oacute;tko, &#322;&oacute;d&#378;</mj-text>',
    });
    expect(text).toContain('Rabat 10–20€ dla Ciebie – krótko, łódź');
    expect(text).not.toMatch(/&[a-z]+;|&#\d+;/i);
  });
});
