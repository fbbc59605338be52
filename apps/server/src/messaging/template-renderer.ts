import type { Locale } from '../shared/i18n.ts';
import type { BrandKit } from './brand-kit.ts';
import type { RenderEmailInput, RenderedEmail } from './render-email.ts';
import { TemplateError, type TemplateProblem } from './template-error.ts';
import type { TemplateVariables } from './template-variables.ts';

/** Liquid texts of one message (an SMS, a push's title and body, an e-mail's fields alone). */
export interface RenderTextsInput {
  fields: Record<string, string>;
  variables: TemplateVariables;
  locale: Locale;
  tone?: BrandKit['tone'];
}

/** Each field's text, or the error (message and problems) that stops it from rendering. */
export type RenderedTexts = Record<
  string,
  { text: string } | { message: string; problems: TemplateProblem[] }
>;

export interface RenderOptions {
  /** Whose render this is (a shop id): a pool may limit how many one owner has at once. */
  owner?: string;
}

/**
 * Renders templates: in this thread (`renderInThread`), or in worker threads (`RenderPool`, which
 * also stops a render that runs past its time). Both give the same results and throw the same
 * errors: TemplateError for a template that does not render, TemplateLimitError for one past
 * `renderLimits`.
 */
export interface TemplateRenderer {
  renderEmail(input: RenderEmailInput, options?: RenderOptions): Promise<RenderedEmail>;
  renderTexts(input: RenderTextsInput, options?: RenderOptions): Promise<RenderedTexts>;
}

/** The texts when every field rendered; else the first field's TemplateError. */
export function textsOrThrow(texts: RenderedTexts): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [field, r] of Object.entries(texts)) {
    if ('problems' in r) throw new TemplateError(r.message, r.problems);
    result[field] = r.text;
  }
  return result;
}
