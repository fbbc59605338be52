import type { Channel, TemplateLocale } from './messages-data.ts';

/** The template the editor shows, in the address: /messages/templates?key=birthday&channel=sms&locale=pl. */
export interface TemplatesSearch {
  key?: string;
  channel?: Channel;
  locale?: TemplateLocale;
}

export function templatesSearch(search: Record<string, unknown>): TemplatesSearch {
  const out: TemplatesSearch = {};
  if (typeof search.key === 'string' && search.key) out.key = search.key;
  if (search.channel === 'email' || search.channel === 'sms' || search.channel === 'push')
    out.channel = search.channel;
  if (search.locale === 'pl' || search.locale === 'en') out.locale = search.locale;
  return out;
}
