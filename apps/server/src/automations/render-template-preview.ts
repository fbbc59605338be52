import { brandKitSchema, defaultBrandKit, type BrandKit } from '../messaging/brand-kit.ts';
import type { EmailTemplate } from '../messaging/render-email.ts';
import { TemplateLimitError } from '../messaging/render-limits.ts';
import { RenderPoolBusy } from '../messaging/render-pool.ts';
import { countSmsSegments, type SmsSegments } from '../messaging/sms-segments.ts';
import { TemplateError, type TemplateProblem } from '../messaging/template-error.ts';
import type { TemplateRenderer } from '../messaging/template-renderer.ts';
import type { TemplateVariables } from '../messaging/template-variables.ts';
import { problems, type FieldError } from '../shared/errors.ts';
import type { Locale } from '../shared/i18n.ts';
import type { ShopRow } from '../shops/shop.ts';
import type { MessagingSettings } from './messaging-settings.ts';
import { sampleTemplateVariables } from './sample-template-variables.ts';
import type { TemplateChannel, TemplateContent } from './template-content.ts';
import { renderBusyProblem, TemplateLimitProblem } from './template-limit-problem.ts';

export type TemplatePreview =
  | { channel: 'email'; subject: string; html: string; text: string }
  | { channel: 'sms'; text: string; segments: SmsSegments }
  | { channel: 'push'; title: string; body: string };

/**
 * A template rendered for the sample customer the way delivery renders it (the shop's brand kit
 * and footer; no tracking), by `renderer` (the app's render pool, off the HTTP event loop). A
 * template that does not render is a 400 whose errors name the field and the line in it
 * (`body:line 3`), so the editor can point at it; one past a render limit is a 422 saying which
 * (TemplateLimitProblem). Nothing is half-rendered.
 */
export async function renderTemplatePreview(input: {
  shop: ShopRow;
  settings: MessagingSettings;
  channel: TemplateChannel;
  locale: Locale;
  content: TemplateContent;
  publicUrl: string;
  now: Date;
  renderer: TemplateRenderer;
  /** A real customer's variables (customer-preview-variables.ts); the sample customer's without. */
  variables?: TemplateVariables;
}): Promise<TemplatePreview> {
  const { shop, settings, channel, locale, renderer } = input;
  const owner = { owner: shop.id };
  const variables =
    input.variables ?? sampleTemplateVariables(shop, locale, input.publicUrl, input.now);
  // Every Liquid field on its own first, so a problem is reported in the field it is in.
  const fields = input.content as unknown as Record<string, string>;
  const texts = await renderer
    .renderTexts({ fields, variables, locale }, owner)
    .catch((error: unknown) => {
      throw refusal(error);
    });
  const errors = Object.entries(texts).flatMap(([field, r]) =>
    'problems' in r ? problemsIn(field, r.problems) : [],
  );
  if (errors.length > 0) throw invalid(errors);
  const text = (field: string) => (texts[field] as { text: string }).text;

  if (channel === 'sms')
    return { channel, text: text('text'), segments: countSmsSegments(text('text')) };
  if (channel === 'push') return { channel, title: text('title'), body: text('body') };
  try {
    const email = await renderer.renderEmail(
      {
        template: input.content as EmailTemplate,
        variables,
        brand: brandOf(settings),
        locale,
        footer: {
          shopName: settings.senderName ?? shop.name,
          ...(settings.postalAddress ? { shopAddress: settings.postalAddress } : {}),
          unsubscribeUrl: variables.links.unsubscribe,
          preferencesUrl: variables.links.preferences,
        },
      },
      owner,
    );
    return { channel, ...email };
  } catch (error) {
    // The other fields rendered alone above: what fails now is the body's MJML.
    if (error instanceof TemplateError && !(error instanceof TemplateLimitError)) {
      throw invalid(problemsIn('body', error.problems));
    }
    throw refusal(error);
  }
}

function refusal(error: unknown): unknown {
  if (error instanceof TemplateLimitError) return new TemplateLimitProblem(error);
  if (error instanceof RenderPoolBusy) return renderBusyProblem(error);
  return error;
}

function problemsIn(field: string, problems: TemplateProblem[]): FieldError[] {
  return problems.map((p) => ({
    path: p.line > 0 ? `${field}:line ${p.line}` : field,
    message: p.message,
  }));
}

function invalid(errors: FieldError[]) {
  const first = errors[0]!;
  return problems.validation(
    errors,
    `The template does not render (${first.path}: ${first.message}).`,
  );
}

function brandOf(settings: MessagingSettings): BrandKit {
  const parsed = brandKitSchema.safeParse({ ...defaultBrandKit, ...settings.brand });
  return parsed.success ? parsed.data : defaultBrandKit;
}
