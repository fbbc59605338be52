import { api } from '../../api/client.ts';

/** The shapes of the messaging routes (docs/messaging.md, "Messaging API"). */
export type Channel = 'email' | 'sms' | 'push';
export type TemplateLocale = 'pl' | 'en';
export type Purpose = 'transactional' | 'marketing' | 'loyalty' | 'feedback';
export const CHANNELS: Channel[] = ['email', 'sms', 'push'];
export const LOCALES: TemplateLocale[] = ['pl', 'en'];
export const PURPOSES: Purpose[] = ['transactional', 'marketing', 'loyalty', 'feedback'];
export const CONSENT_PURPOSES = ['marketing', 'loyalty', 'feedback'] as const;
export const STATUSES = [
  'queued',
  'sending',
  'sent',
  'delivered',
  'bounced',
  'failed',
  'suppressed',
  'uncertain',
] as const;

export interface TemplateSummary {
  key: string;
  purpose: string;
  day?: number;
  readyMade: { channel: Channel; locale: TemplateLocale }[];
  overridden: { channel: Channel; locale: TemplateLocale; updatedAt: string }[];
}

export interface TemplateContent {
  subject?: string;
  preheader?: string;
  body?: string;
  text?: string;
  title?: string;
}

export interface Template {
  key: string;
  channel: Channel;
  locale: TemplateLocale;
  purpose: string;
  own: boolean;
  updatedAt: string | null;
  content: TemplateContent;
}

export type Preview =
  | { channel: 'email'; subject: string; html: string; text: string }
  | {
      channel: 'sms';
      text: string;
      segments: { encoding: 'GSM-7' | 'UCS-2'; units: number; segments: number };
    }
  | { channel: 'push'; title: string; body: string };

export interface Message {
  id: string;
  customerId: string | null;
  channel: Channel | 'webhook';
  purpose: Purpose;
  template: string;
  locale: string;
  to: string | null;
  status: string;
  statusReason: string | null;
  subject: string | null;
  text: string | null;
  segments: number | null;
  createdAt: string;
  sentAt: string | null;
  deliveredAt: string | null;
  openedAt: string | null;
  clickedAt: string | null;
  convertedAt: string | null;
}

export interface OutboxMail {
  messageId: string;
  to: string;
  subject: string;
  createdAt: string;
}

export interface MessagingSettings {
  senderName: string | null;
  fromAddress: string | null;
  replyTo: string | null;
  postalAddress: string | null;
  brand: Record<string, unknown>;
  quietHours: { start: string; end: string };
  weeklyMarketingCap: number;
  tracking: boolean;
  conversionDays: number;
  smsSender: string | null;
  smsProvider: { provider: 'smsapi' | 'twilio'; configured: true } | null;
  updatedAt: string | null;
}

export interface ConsentText {
  channel: Channel;
  purpose: (typeof CONSENT_PURPOSES)[number];
  locale: TemplateLocale;
  text: string;
  own: boolean;
  updatedAt: string | null;
}

const templatePath = (key: string, channel: Channel, locale: TemplateLocale) =>
  `/v1/messaging/templates/${encodeURIComponent(key)}/${channel}/${locale}`;

export const loadTemplates = () =>
  api<{ data: TemplateSummary[] }>('GET', '/v1/messaging/templates').then((r) => r.data);
export const loadTemplate = (key: string, channel: Channel, locale: TemplateLocale) =>
  api<Template>('GET', templatePath(key, channel, locale));
export const saveTemplate = (
  key: string,
  channel: Channel,
  locale: TemplateLocale,
  content: TemplateContent,
) => api<Template>('PUT', templatePath(key, channel, locale), { body: content });
export const resetTemplate = (key: string, channel: Channel, locale: TemplateLocale) =>
  api<void>('DELETE', templatePath(key, channel, locale));
export const previewTemplate = (
  key: string,
  channel: Channel,
  locale: TemplateLocale,
  content: TemplateContent,
  customerId?: string,
) =>
  api<Preview>('POST', `${templatePath(key, channel, locale)}/preview`, {
    body: { content, ...(customerId ? { customerId } : {}) },
  });
export const sendTest = (
  key: string,
  locale: TemplateLocale,
  content: TemplateContent,
  customerId?: string,
) =>
  api<{ to: string; subject: string; outbox: boolean; messageId: string }>(
    'POST',
    `${templatePath(key, 'email', locale)}/test-send`,
    { body: { content, ...(customerId ? { customerId } : {}) } },
  );

export interface LogFilter {
  channel?: string;
  status?: string;
  purpose?: string;
  customerId?: string;
  from?: string;
  to?: string;
}
export const loadMessages = (filter: LogFilter, cursor?: string) =>
  api<{ messages: Message[]; nextCursor: string | null }>('GET', '/v1/messages', {
    query: { ...filter, limit: 50, cursor },
  });
export const loadOutbox = (cursor?: string) =>
  api<{ mails: OutboxMail[]; nextCursor: string | null }>('GET', '/v1/outbox', {
    query: { limit: 50, cursor },
  });
export const loadOutboxMail = (id: string) =>
  api<OutboxMail & { raw: string }>('GET', `/v1/outbox/${encodeURIComponent(id)}`);

export const loadSettings = () => api<MessagingSettings>('GET', '/v1/messaging/settings');
export const saveSettings = (body: unknown) =>
  api<MessagingSettings>('PUT', '/v1/messaging/settings', { body });

export const loadConsentTexts = () =>
  api<{ data: ConsentText[] }>('GET', '/v1/messaging/consent-texts').then((r) => r.data);
export const saveConsentTexts = (
  texts: Pick<ConsentText, 'channel' | 'purpose' | 'locale' | 'text'>[],
) =>
  api<{ data: ConsentText[] }>('PUT', '/v1/messaging/consent-texts', { body: { texts } }).then(
    (r) => r.data,
  );

/**
 * The settings as PUT takes them back: every field the GET gave (a PUT resets what it leaves
 * out), without the write-only SMS credentials, which a PUT without them keeps.
 */
export function settingsBody(s: MessagingSettings, patch: Partial<MessagingSettings>) {
  const merged = { ...s, ...patch };
  return {
    senderName: merged.senderName || null,
    fromAddress: merged.fromAddress || null,
    replyTo: merged.replyTo || null,
    postalAddress: merged.postalAddress || null,
    brand: merged.brand,
    quietHours: merged.quietHours,
    weeklyMarketingCap: merged.weeklyMarketingCap,
    tracking: merged.tracking,
    conversionDays: merged.conversionDays,
    smsSender: merged.smsSender || null,
  };
}
