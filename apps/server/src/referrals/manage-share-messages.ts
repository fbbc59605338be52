import type { Db } from '../db/connect.ts';
import { findCustomerId } from '../customers/find-customer-id.ts';
import { problems } from '../shared/errors.ts';
import type { ShopRow } from '../shops/shop.ts';
import { ensureReferralCodes } from './ensure-referral-codes.ts';
import { activeCampaign } from './manage-referral-campaigns.ts';
import { referralLink } from './referral-code.ts';
import {
  discountPhrase,
  fillShareText,
  SHARE_CHANNELS,
  shareTemplate,
  shareUrl,
  toShareTemplate,
  type ShareChannel,
  type ShareFacts,
  type ShareForm,
  type ShareLocale,
} from './share-messages.ts';

interface Who {
  customerId: string;
  locale?: ShareLocale;
  form?: ShareForm;
}

/** The customer, their link and the live campaign's friend discount: what a message says. */
async function shareFacts(db: Db, shop: ShopRow, who: Who, publicUrl: string, now: Date) {
  const customerId = await findCustomerId(db, shop.id, who.customerId, { allowRedacted: false });
  const code = (await ensureReferralCodes(db, shop.id, [customerId], now)).get(customerId)!;
  const customer = await db
    .selectFrom('customers')
    .select('first_name')
    .where('shop_id', '=', shop.id)
    .where('id', '=', customerId)
    .executeTakeFirstOrThrow();
  const locale: ShareLocale = who.locale ?? (shop.locale === 'en' ? 'en' : 'pl');
  const campaign = await activeCampaign(db, shop.id, now);
  const facts: ShareFacts = {
    shop: shop.name,
    link: referralLink(publicUrl, shop.slug, code),
    code,
    discount: discountPhrase(campaign?.settings.friendDiscount, shop.currency, locale),
    firstName: customer.first_name,
  };
  return { customerId, locale, form: who.form ?? 'neutral', facts };
}

function messageView(
  channel: ShareChannel,
  template: { subject: string | null; text: string },
  edited: boolean,
  facts: ShareFacts,
  locale: ShareLocale,
) {
  // An e-mail the customer rewrote without a subject keeps the ready one.
  const wanted =
    template.subject ??
    (channel === 'email' ? shareTemplate(channel, locale, 'neutral', false).subject! : null);
  const subject = wanted === null ? null : fillShareText(wanted, facts);
  const text = fillShareText(template.text, facts);
  return {
    channel,
    subject,
    text,
    edited,
    shareUrl: shareUrl(channel, { subject, text }, facts.link),
  };
}

/**
 * The ready share messages of every channel, in one language, with the customer's link and the
 * friend's discount filled in; where the customer wrote their own, theirs.
 */
export async function listShareMessages(
  db: Db,
  shop: ShopRow,
  who: Who,
  publicUrl: string,
  now: Date,
) {
  const { customerId, locale, form, facts } = await shareFacts(db, shop, who, publicUrl, now);
  const own = await db
    .selectFrom('referral_share_messages')
    .select(['channel', 'text', 'subject'])
    .where('shop_id', '=', shop.id)
    .where('customer_id', '=', customerId)
    .where('locale', '=', locale)
    .execute();
  return {
    customerId: who.customerId,
    referralCode: facts.code,
    link: facts.link,
    locale,
    form,
    discount: facts.discount,
    messages: composeShareMessages(facts, own, locale, form),
  };
}

/**
 * Every channel's message for one customer, from what is already read: where the customer wrote
 * their own wording, theirs; elsewhere the ready one. Pure (the storefront's `me` calls it with
 * the facts it has).
 */
export function composeShareMessages(
  facts: ShareFacts,
  own: ReadonlyArray<{ channel: string; text: string; subject: string | null }>,
  locale: ShareLocale,
  form: ShareForm,
) {
  return SHARE_CHANNELS.map((channel) => {
    const mine = own.find((m) => m.channel === channel);
    if (mine) return messageView(channel, mine, true, facts, locale);
    const ready = shareTemplate(channel, locale, form, facts.discount !== null);
    return messageView(
      channel,
      { subject: ready.subject ?? null, text: ready.text },
      false,
      facts,
      locale,
    );
  });
}

/**
 * Keeps the customer's own wording of one channel's message. It must still carry the link or
 * the code, or the friend could not use it.
 */
export async function saveShareMessage(
  db: Db,
  shop: ShopRow,
  input: Who & { channel: ShareChannel; text: string; subject?: string | null },
  publicUrl: string,
  now: Date,
) {
  const { customerId, locale, facts } = await shareFacts(db, shop, input, publicUrl, now);
  const text = toShareTemplate(input.text.trim(), facts);
  if (!text.includes('{link}') && !text.includes('{code}')) {
    throw problems.validation([
      { path: 'text', message: 'must contain your referral link or code ({link} or {code})' },
    ]);
  }
  const subject =
    input.channel === 'email' && input.subject
      ? toShareTemplate(input.subject.trim(), facts)
      : null;
  await db
    .insertInto('referral_share_messages')
    .values({
      shop_id: shop.id,
      customer_id: customerId,
      channel: input.channel,
      locale,
      text,
      subject,
      updated_at: now,
    })
    .onConflict((oc) =>
      oc
        .columns(['shop_id', 'customer_id', 'channel', 'locale'])
        .doUpdateSet({ text, subject, updated_at: now }),
    )
    .execute();
  return messageView(input.channel, { subject, text }, true, facts, locale);
}

/** Forgets the customer's own wording: the channel's ready message again. */
export async function resetShareMessage(
  db: Db,
  shop: ShopRow,
  input: Who & { channel: ShareChannel },
  publicUrl: string,
  now: Date,
) {
  const { customerId, locale, form, facts } = await shareFacts(db, shop, input, publicUrl, now);
  await db
    .deleteFrom('referral_share_messages')
    .where('shop_id', '=', shop.id)
    .where('customer_id', '=', customerId)
    .where('channel', '=', input.channel)
    .where('locale', '=', locale)
    .execute();
  const ready = shareTemplate(input.channel, locale, form, facts.discount !== null);
  return messageView(
    input.channel,
    { subject: ready.subject ?? null, text: ready.text },
    false,
    facts,
    locale,
  );
}
