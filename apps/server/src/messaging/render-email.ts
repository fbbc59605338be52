import type { Liquid } from 'liquidjs';
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
  type RenderSettings,
} from './liquid-engine.ts';
import { checkMjmlBody } from './mjml-structure.ts';
import { renderLimits, TemplateLimitError } from './render-limits.ts';
import { TemplateError, type TemplateProblem } from './template-error.ts';
import type { TemplateVariables } from './template-variables.ts';
import { withTracking } from './track-links.ts';

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
// recipients of one template share an entry, so MJML runs once per template shape. Bounded in
// entries and in characters kept (a shape is ~20,000 for the ready-made e-mails).
const compiled = new Map<string, Promise<Compiled>>();
const compiledChars = new Map<string, number>();
let keptChars = 0;
const MAX_COMPILED = 500;
const MAX_COMPILED_CHARS = 16_000_000;

export interface RenderEmailInput {
  template: EmailTemplate;
  variables: TemplateVariables;
  brand: BrandKit;
  locale: Locale;
  footer: EmailFooter;
  tracking?: EmailTracking;
}

/**
 * A ready-to-send email: the merchant's Liquid body (outputs HTML-escaped) inside our branded
 * MJML layout, a plain-text part, and optionally click tracking and an open pixel. A template
 * that does not compile throws a TemplateError listing each problem's line in the body; one
 * past `renderLimits` (output, MJML elements, Liquid time and memory) a TemplateLimitError,
 * before MJML sees it.
 */
export async function renderEmail(input: RenderEmailInput): Promise<RenderedEmail> {
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
  // The fields share one Liquid time budget.
  const deadline = performance.now() + renderLimits.liquidMs;
  const liquid = (field: keyof EmailTemplate, engine: Liquid, s: RenderSettings) =>
    renderField(field, engine, template[field]!, scope, s, deadline);
  const subject = oneLine(await liquid('subject', textLiquid, settings));
  // One after the other: the slot numbers must come out the same for every recipient.
  const body = await liquid('body', htmlLiquid, htmlSettings);
  const preheader = template.preheader ? await liquid('preheader', htmlLiquid, htmlSettings) : '';
  const structure = checkMjmlBody(body);
  if (structure.problems.length > 0) throw templateError(structure.problems);
  if (structure.elements > renderLimits.mjmlElements) {
    throw new TemplateLimitError({
      limit: 'mjml-elements',
      field: 'body',
      count: structure.elements,
    });
  }

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

  const text = template.text ? (await liquid('text', textLiquid, settings)).trim() : derivedText;
  return withTracking({ subject, html, text }, input);
}

async function renderField(
  field: string,
  engine: Liquid,
  source: string,
  scope: object,
  settings: RenderSettings,
  deadline: number,
): Promise<string> {
  try {
    return await renderLiquid(engine, source, scope, settings, deadline);
  } catch (error) {
    throw error instanceof TemplateLimitError ? error.inField(field) : error;
  }
}

function compileShape(mjml: string, unsubscribeMarker: string): Promise<Compiled> {
  let entry = compiled.get(mjml);
  if (!entry) {
    const mine = (entry = compileDocument(mjml, unsubscribeMarker));
    compiled.set(mjml, mine);
    while (compiled.size > MAX_COMPILED) forgetShape(compiled.keys().next().value!);
    mine.then(
      (page) => {
        if (compiled.get(mjml) !== mine) return;
        const chars = mjml.length + ('html' in page ? page.html.length + page.text.length : 0);
        compiledChars.set(mjml, chars);
        keptChars += chars;
        while (keptChars > MAX_COMPILED_CHARS && compiled.size > 1) {
          forgetShape(compiled.keys().next().value!);
        }
      },
      // Problems are kept (the shape stays invalid); a crash is not.
      () => {
        if (compiled.get(mjml) === mine) forgetShape(mjml);
      },
    );
  }
  return entry;
}

function forgetShape(mjml: string): void {
  compiled.delete(mjml);
  keptChars -= compiledChars.get(mjml) ?? 0;
  compiledChars.delete(mjml);
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
