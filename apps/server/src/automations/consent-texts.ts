import type { Db } from '../db/connect.ts';
import type { ConsentChannel, ConsentPurpose } from '../db/schema.ts';
import type { Clock } from '../shared/clock.ts';

export const CONSENT_CHANNELS: readonly ConsentChannel[] = ['email', 'sms', 'push'];
export const CONSENT_PURPOSES: readonly ConsentPurpose[] = ['marketing', 'loyalty', 'feedback'];
export const CONSENT_LOCALES = ['pl', 'en'] as const;
type Locale = (typeof CONSENT_LOCALES)[number];

const CHANNEL_WORDS: Record<ConsentChannel, { pl: string; en: string }> = {
  email: { pl: 'e-mailem', en: 'by e-mail' },
  sms: { pl: 'SMS-em', en: 'by text message (SMS)' },
  push: { pl: 'w powiadomieniach push', en: 'as push notifications' },
};
const PURPOSE_WORDS: Record<ConsentPurpose, { pl: string; en: string }> = {
  marketing: {
    pl: 'informacje o ofertach, rabatach i nowościach',
    en: 'news about offers, discounts and new products',
  },
  loyalty: {
    pl: 'informacje o moich punktach, nagrodach i poziomie w programie lojalnościowym',
    en: 'updates about my points, rewards and tier in the loyalty programme',
  },
  feedback: {
    pl: 'prośby o opinię i krótkie ankiety po zakupie',
    en: 'requests for a review and short surveys after a purchase',
  },
};

/** The wording a shop starts with: plain, one sentence, and saying how to withdraw. */
export function defaultConsentText(
  channel: ConsentChannel,
  purpose: ConsentPurpose,
  locale: Locale,
): string {
  const how = CHANNEL_WORDS[channel][locale];
  const what = PURPOSE_WORDS[purpose][locale];
  return locale === 'pl'
    ? `Chcę otrzymywać ${how} ${what}. Zgodę mogę wycofać w każdej chwili jednym kliknięciem.`
    : `I want to receive ${what} ${how}. I can withdraw this consent at any time with one click.`;
}

export interface ConsentTextView {
  channel: ConsentChannel;
  purpose: ConsentPurpose;
  locale: Locale;
  text: string;
  /** Whether the shop wrote this text (false: the default wording). */
  own: boolean;
  updatedAt: string | null;
}

/** Every channel × purpose × language: the shop's own words, the default where it has none. */
export async function listConsentTexts(db: Db, shopId: string): Promise<ConsentTextView[]> {
  const rows = await db
    .selectFrom('consent_texts')
    .select(['channel', 'purpose', 'locale', 'text', 'updated_at'])
    .where('shop_id', '=', shopId)
    .execute();
  const own = new Map(rows.map((r) => [`${r.channel}/${r.purpose}/${r.locale}`, r]));
  return CONSENT_CHANNELS.flatMap((channel) =>
    CONSENT_PURPOSES.flatMap((purpose) =>
      CONSENT_LOCALES.map((locale) => {
        const row = own.get(`${channel}/${purpose}/${locale}`);
        return {
          channel,
          purpose,
          locale,
          text: row?.text ?? defaultConsentText(channel, purpose, locale),
          own: row !== undefined,
          updatedAt: row?.updated_at.toISOString() ?? null,
        };
      }),
    ),
  );
}

/**
 * Saves the texts given; a text equal to the default (or empty) goes back to the default, so
 * "own" means the shop changed the words. Texts not given stay as they are.
 */
export async function saveConsentTexts(
  db: Db,
  clock: Clock,
  shopId: string,
  texts: { channel: ConsentChannel; purpose: ConsentPurpose; locale: Locale; text: string }[],
): Promise<ConsentTextView[]> {
  const now = clock.now();
  await db.transaction().execute(async (tx) => {
    for (const t of texts) {
      const text = t.text.trim();
      const key = (q: ReturnType<typeof tx.deleteFrom<'consent_texts'>>) =>
        q
          .where('shop_id', '=', shopId)
          .where('channel', '=', t.channel)
          .where('purpose', '=', t.purpose)
          .where('locale', '=', t.locale);
      if (text === '' || text === defaultConsentText(t.channel, t.purpose, t.locale)) {
        await key(tx.deleteFrom('consent_texts')).execute();
        continue;
      }
      await tx
        .insertInto('consent_texts')
        .values({ shop_id: shopId, ...t, text, updated_at: now })
        .onConflict((oc) =>
          oc
            .columns(['shop_id', 'channel', 'purpose', 'locale'])
            .doUpdateSet({ text, updated_at: now })
            .where('consent_texts.text', '<>', text),
        )
        .execute();
    }
  });
  return listConsentTexts(db, shopId);
}
