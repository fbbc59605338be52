import { brandKitSchema, defaultBrandKit, type BrandKit } from '../messaging/brand-kit.ts';
import { renderEmail, type EmailTemplate } from '../messaging/render-email.ts';
import { renderTemplateString } from '../messaging/render-template-string.ts';
import { countSmsSegments, type SmsSegments } from '../messaging/sms-segments.ts';
import { TemplateError } from '../messaging/template-error.ts';
import { problems, type FieldError } from '../shared/errors.ts';
import type { Locale } from '../shared/i18n.ts';
import type { ShopRow } from '../shops/shop.ts';
import type { MessagingSettings } from './messaging-settings.ts';
import { sampleTemplateVariables } from './sample-template-variables.ts';
import type { TemplateChannel, TemplateContent } from './template-content.ts';

export type TemplatePreview =
  | { channel: 'email'; subject: string; html: string; text: string }
  | { channel: 'sms'; text: string; segments: SmsSegments }
  | { channel: 'push'; title: string; body: string };

/**
 * A template rendered for the sample customer the way delivery renders it (the shop's brand kit
 * and footer; no tracking). A template that does not render is a 400 whose errors name the field
 * and the line in it (`body:line 3`), so the editor can point at it; nothing is half-rendered.
 */
export async function renderTemplatePreview(input: {
  shop: ShopRow;
  settings: MessagingSettings;
  channel: TemplateChannel;
  locale: Locale;
  content: TemplateContent;
  publicUrl: string;
  now: Date;
}): Promise<TemplatePreview> {
  const { shop, settings, channel, locale } = input;
  const variables = sampleTemplateVariables(shop, locale, input.publicUrl, input.now);
  const errors: FieldError[] = [];
  // Every Liquid field on its own first, so a problem is reported in the field it is in.
  const fields = Object.entries(input.content) as Array<[string, string]>;
  const texts = new Map<string, string>();
  for (const [field, source] of fields) {
    try {
      texts.set(field, await renderTemplateString(source, variables, locale));
    } catch (error) {
      errors.push(...problemsIn(field, error));
    }
  }
  if (errors.length > 0) throw invalid(errors);

  if (channel === 'sms') {
    const text = texts.get('text')!;
    return { channel, text, segments: countSmsSegments(text) };
  }
  if (channel === 'push') return { channel, title: texts.get('title')!, body: texts.get('body')! };
  try {
    const email = await renderEmail({
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
    });
    return { channel, ...email };
  } catch (error) {
    // The other fields rendered alone above: what fails now is the body's MJML.
    throw invalid(problemsIn('body', error));
  }
}

function problemsIn(field: string, error: unknown): FieldError[] {
  if (!(error instanceof TemplateError)) throw error;
  return error.problems.map((p) => ({
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
