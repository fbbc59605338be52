import type { Locale } from '../shared/i18n.ts';
import type { BrandKit } from './brand-kit.ts';
import { compileMjml } from './compile-mjml.ts';
import { emailLayout } from './email-layout.ts';
import { greeting } from './greeting.ts';
import { decodeHtmlEntities, escapeHtml } from './html-escape.ts';
import { htmlToText } from './html-to-text.ts';
import {
  htmlLiquid,
  renderLiquid,
  settingsFor,
  SLOT_PATTERN,
  SLOT_PREFIX,
  textLiquid,
} from './liquid-engine.ts';
import { checkMjmlBody } from './mjml-structure.ts';
import { TemplateError, type TemplateProblem } from './template-error.ts';
import type { TemplateVariables } from './template-variables.ts';
import { trackLinks } from './track-links.ts';

export interface EmailTemplate {
  subject: string;
  preheader?: string;
  /** Liquid producing MJML body elements (mj-text, mj-button, mj-image, or whole mj-sections). */
  body: string;
  /** Liquid for the plain-text part; without it the text is derived from the HTML. */
  text?: string;
}

export interface EmailFooter {
  shopName: string;
  shopAddress?: string;
  unsubscribeUrl: string;
  preferencesUrl: string;
}

export interface EmailTracking {
  clickUrl(originalUrl: string): string;
  openPixelUrl: string;
}

export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
}

type Compiled = { html: string; text: string } | { problems: TemplateProblem[] };

// Compiled layouts keyed by their MJML with every template output replaced by a slot marker:
// recipients of one template share an entry, so MJML runs once per template shape.
const compiled = new Map<string, Promise<Compiled>>();
const MAX_COMPILED = 500;

/**
 * A ready-to-send email: the merchant's Liquid body (outputs HTML-escaped) inside our branded
 * MJML layout, a plain-text part, and optionally click tracking and an open pixel. A template
 * that does not compile throws a TemplateError listing each problem's line in the body.
 */
export async function renderEmail(input: {
  template: EmailTemplate;
  variables: TemplateVariables;
  brand: BrandKit;
  locale: Locale;
  footer: EmailFooter;
  tracking?: EmailTracking;
}): Promise<RenderedEmail> {
  const { template, variables, brand, locale, footer } = input;
  const settings = settingsFor(variables, locale);
  const scope = {
    greeting: greeting(locale, brand.tone, variables.customer?.firstName),
    ...variables,
    brand,
    locale,
  };
  const slots: string[] = [];
  const htmlSettings = { ...settings, slots };
  const subject = oneLine(await renderLiquid(textLiquid, template.subject, scope, settings));
  // One after the other: the slot numbers must come out the same for every recipient.
  const body = await renderLiquid(htmlLiquid, template.body, scope, htmlSettings);
  const preheader = template.preheader
    ? await renderLiquid(htmlLiquid, template.preheader, scope, htmlSettings)
    : '';
  const structure = checkMjmlBody(body);
  if (structure.length > 0) throw templateError(structure);

  const slot = (text: string) => {
    slots.push(escapeHtml(text));
    return `${SLOT_PREFIX}${slots.length - 1}_`;
  };
  const shopUrl = variables.shop.url ?? variables.links?.shop;
  const unsubscribe = slot(footer.unsubscribeUrl);
  const { mjml, bodyLine } = emailLayout(
    brand,
    locale,
    {
      title: slot(subject),
      preheader: oneLine(preheader),
      shopName: slot(footer.shopName),
      shopAddress: footer.shopAddress
        ? slot(footer.shopAddress.trim().replace(/\s*\n\s*/g, ', '))
        : undefined,
      logoUrl: brand.logoUrl ? slot(brand.logoUrl) : undefined,
      shopUrl: shopUrl ? slot(shopUrl) : undefined,
      unsubscribeUrl: unsubscribe,
      preferencesUrl: slot(footer.preferencesUrl),
    },
    body,
  );

  let page = await compileShape(mjml, unsubscribe);
  let html: string;
  let derivedText: string;
  if ('html' in page) {
    html = page.html.replace(SLOT_PATTERN, (_, i: string) => fill(slots, Number(i)));
    derivedText = page.text.replace(SLOT_PATTERN, (_, i: string) =>
      plainSpaces(decodeHtmlEntities(fill(slots, Number(i)))),
    );
  } else {
    // A slot marker where MJML checks the value (a colour, a width) fails validation; the
    // document with the values filled in decides, and is not cached.
    const filled = mjml.replace(SLOT_PATTERN, (_, i: string) => fill(slots, Number(i)));
    page = await compileDocument(filled, escapeHtml(footer.unsubscribeUrl));
    if ('problems' in page) throw templateError(page.problems, bodyLine);
    html = page.html;
    derivedText = page.text;
  }

  const text = template.text
    ? (await renderLiquid(textLiquid, template.text, scope, settings)).trim()
    : derivedText;
  if (input.tracking) {
    const untracked = new Set(
      [
        footer.unsubscribeUrl,
        footer.preferencesUrl,
        variables.links?.unsubscribe,
        variables.links?.preferences,
      ].filter((u): u is string => !!u),
    );
    html = trackLinks(html, input.tracking, untracked);
  }
  return { subject, html, text };
}

function compileShape(mjml: string, unsubscribeMarker: string): Promise<Compiled> {
  let entry = compiled.get(mjml);
  if (!entry) {
    entry = compileDocument(mjml, unsubscribeMarker);
    if (compiled.size >= MAX_COMPILED) compiled.delete(compiled.keys().next().value!);
    compiled.set(mjml, entry);
    // Problems are kept (the shape stays invalid); a crash is not.
    entry.catch(() => compiled.delete(mjml));
  }
  return entry;
}

async function compileDocument(mjml: string, unsubscribeHref: string): Promise<Compiled> {
  const result = await compileMjml(mjml);
  if ('problems' in result) return result;
  // The unsubscribe link must survive whatever the body did to the layout.
  if (!result.html.includes(`href="${unsubscribeHref}"`)) {
    return { problems: [{ line: 0, message: 'The template breaks the layout around it' }] };
  }
  return { html: result.html, text: htmlToText(result.html) };
}

function templateError(problems: TemplateProblem[], bodyLine = 1): TemplateError {
  const inBody = problems.map((p) => ({
    line: p.line >= bodyLine ? p.line - bodyLine + 1 : 0,
    message: p.message,
  }));
  const first = inBody[0]!;
  return new TemplateError(
    `The email template is not valid MJML (line ${first.line}: ${first.message})`,
    inBody,
  );
}

// The text part matches what htmlToText makes of the layout's own no-break spaces.
function plainSpaces(text: string): string {
  return text.replace(/[\u00a0\u202f]/g, ' ');
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/**
 * A slot's value, with slots inside it filled too: a `{% capture %}` holds the markers of the
 * outputs captured, and printing it makes a slot of markers. Slots only point back to earlier
 * ones, so this ends.
 */
function fill(slots: string[], index: number): string {
  return slots[index]!.replace(SLOT_PATTERN, (_, i: string) =>
    Number(i) < index ? fill(slots, Number(i)) : '',
  );
}
