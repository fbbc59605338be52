import { formatNumber, plural, type Locale } from '../shared/i18n.ts';
import { TemplateError } from './template-error.ts';

/**
 * What one render of a merchant's template may cost. The ready-made e-mails use 4–8 MJML
 * elements, produce under 1 KB of MJML and render in milliseconds; these bounds are far above
 * that and far below what would hold a thread for long (docs/messaging.md, "Limits").
 */
export const renderLimits = {
  /** Characters one Liquid field may produce (an e-mail body's MJML, a subject, an SMS). */
  outputChars: 100_000,
  /** MJML elements in an e-mail body: MJML compiles about 1 ms per element. */
  mjmlElements: 200,
  /** Liquid time for one render, all the message's fields together. */
  liquidMs: 2_000,
  /** Liquid's own memory count: characters of strings built by filters and captures, range sizes. */
  liquidMemory: 10_000_000,
  /** Characters of Liquid source parsed at once (the API takes at most 100,000 per field). */
  parseChars: 200_000,
  /** One render in a worker of the render pool, Liquid and MJML; past it the worker is replaced. */
  jobMs: 5_000,
  /** The heap of a render worker; a render that needs more ends the worker. */
  workerHeapMb: 256,
} as const;

export type RenderLimit = 'output-size' | 'mjml-elements' | 'render-time' | 'memory';

export interface TemplateLimitDetails {
  limit: RenderLimit;
  /** The template field being rendered (`body`, `subject`, `text`…), when known. */
  field?: string | undefined;
  /** How many MJML elements the body has (mjml-elements). */
  count?: number | undefined;
  /** The time limit that was reached (render-time). */
  seconds?: number | undefined;
}

/**
 * A template that goes past one of `renderLimits`: nothing is sent, and the merchant reads which
 * limit in English and Polish. It is a TemplateError, so a send fails for good (no retry).
 */
export class TemplateLimitError extends TemplateError {
  readonly limit: RenderLimit;
  readonly field: string | undefined;
  readonly details: TemplateLimitDetails;

  constructor(details: TemplateLimitDetails, options?: { cause?: unknown }) {
    const message = limitMessage(details, 'en');
    super(message, [{ line: 0, message }], options);
    this.name = 'TemplateLimitError';
    this.limit = details.limit;
    this.field = details.field;
    this.details = details;
  }

  /** The same limit, now known to be in this field. */
  inField(field: string): TemplateLimitError {
    return this.field ? this : new TemplateLimitError({ ...this.details, field });
  }

  get messages(): { pl: string; en: string } {
    return { pl: limitMessage(this.details, 'pl'), en: this.message };
  }
}

const FIELDS: Record<string, { en: string; pl: string }> = {
  subject: { en: 'subject', pl: 'temat' },
  preheader: { en: 'preheader', pl: 'zajawka' },
  body: { en: 'body', pl: 'treść' },
  text: { en: 'text', pl: 'tekst' },
  title: { en: 'title', pl: 'tytuł' },
};

function limitMessage(d: TemplateLimitDetails, locale: Locale): string {
  const label = d.field ? (FIELDS[d.field]?.[locale] ?? d.field) : undefined;
  const pl = locale === 'pl';
  const what = label
    ? pl
      ? `Pole „${label}”`
      : `The "${label}" field`
    : pl
      ? 'Szablon'
      : 'The template';
  switch (d.limit) {
    case 'output-size':
      return pl
        ? `${what} po wypełnieniu ma ponad ${formatNumber(renderLimits.outputChars, 'pl')} znaków. ` +
            'Skróć je albo ogranicz powtórzenia w pętlach.'
        : `${what} comes out at more than ${formatNumber(renderLimits.outputChars, 'en')} characters. ` +
            'Make it shorter or repeat less in loops.';
    case 'mjml-elements':
      return pl
        ? `${what} ma ${formatNumber(d.count ?? 0, 'pl')} elementów MJML (sekcji, kolumn, tekstów, ` +
            `przycisków, obrazków…), a dozwolone jest najwyżej ${renderLimits.mjmlElements}. ` +
            'Użyj mniej bloków.'
        : `${what} has ${formatNumber(d.count ?? 0, 'en')} MJML elements (sections, columns, texts, ` +
            `buttons, images…); at most ${renderLimits.mjmlElements} are allowed. Use fewer blocks.`;
    case 'render-time': {
      const seconds = d.seconds ?? renderLimits.liquidMs / 1000;
      return pl
        ? `Wypełnianie szablonu trwa dłużej niż ${plural('pl', seconds, { one: 'sekunda', few: 'sekundy', many: 'sekund', other: 'sekundy' })} ` +
            '(pętla wykonuje się zbyt wiele razy?). Uprość go.'
        : `The template takes longer than ${plural('en', seconds, { one: 'second', other: 'seconds' })} ` +
            'to fill in (a loop that runs too many times?). Simplify it.';
    }
    case 'memory':
      return pl
        ? 'Szablon podczas wypełniania buduje zbyt dużo tekstu (capture, append albo długi zakres ' +
            'w pętli?). Uprość go.'
        : 'The template builds too much text while it is filled in (capture, append or a long ' +
            'range in a loop?). Simplify it.';
  }
}
