import { z } from 'zod';
import type { EmailTemplate } from '../messaging/render-email.ts';
import {
  readyTemplates,
  type ReadyTemplate,
  type TemplateKey,
} from '../messaging/ready-templates.ts';
import { problems } from '../shared/errors.ts';
import { isLocale, type Locale } from '../shared/i18n.ts';

export type TemplateChannel = 'email' | 'sms' | 'push';
export type TemplateContent = EmailTemplate | { text: string } | { title: string; body: string };

const liquid = (max: number) => z.string().min(1).max(max);

/** What a merchant writes for each channel; `message_templates.content` holds exactly this. */
export const templateContentSchemas = {
  email: z.strictObject({
    subject: liquid(500),
    preheader: liquid(500).optional(),
    body: liquid(100_000),
    text: liquid(100_000).optional(),
  }),
  sms: z.strictObject({ text: liquid(2_000) }),
  push: z.strictObject({ title: liquid(200), body: liquid(1_000) }),
} satisfies Record<TemplateChannel, z.ZodType>;

/** The content for a channel, or a 400 naming each field that is missing or not allowed. */
export function parseTemplateContent(channel: TemplateChannel, raw: unknown): TemplateContent {
  const parsed = templateContentSchemas[channel].safeParse(raw);
  if (parsed.success) return parsed.data;
  throw problems.validation(
    parsed.error.issues.flatMap((issue) =>
      issue.code === 'unrecognized_keys'
        ? issue.keys.map((key) => ({
            path: [...issue.path, key].join('.'),
            message: `is not part of a ${channel} template`,
          }))
        : [{ path: issue.path.join('.'), message: issue.message }],
    ),
  );
}

export interface TemplateAddress {
  key: TemplateKey;
  channel: TemplateChannel;
  locale: Locale;
  ready: ReadyTemplate;
  /** The ready-made content; absent when the key has none for this channel (the shop may add one). */
  readyContent: TemplateContent | undefined;
}

const CHANNELS: readonly string[] = ['email', 'sms', 'push'];

/** The template a URL names; 404 for a key, channel or language Lojal does not know. */
export function templateAddress(key: string, channel: string, locale: string): TemplateAddress {
  const ready = Object.hasOwn(readyTemplates, key) ? readyTemplates[key as TemplateKey] : undefined;
  if (!ready || !CHANNELS.includes(channel) || !isLocale(locale)) {
    throw problems.notFound(`The template ${key}/${channel}/${locale}`);
  }
  const c = channel as TemplateChannel;
  const version = ready[c]?.[locale];
  return {
    key: key as TemplateKey,
    channel: c,
    locale,
    ready,
    readyContent:
      version === undefined
        ? undefined
        : c === 'sms'
          ? { text: version as string }
          : (version as TemplateContent),
  };
}
