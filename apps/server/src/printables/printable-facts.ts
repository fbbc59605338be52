import type { Db } from '../db/connect.ts';
import type { LocalizedText } from '../db/schema.ts';
import type { FetchLike } from '../messaging/sms-provider.ts';
import type { SecretBox } from '../shared/secrets.ts';
import type { Locale } from '../shared/i18n.ts';
import type { ShopRow } from '../shops/shop.ts';
import { findCustomerId } from '../customers/find-customer-id.ts';
import { ensureReferralCodes } from '../referrals/ensure-referral-codes.ts';
import { friendOffer } from '../referrals/friend-offer.ts';
import { activeCampaign } from '../referrals/manage-referral-campaigns.ts';
import { referralLink } from '../referrals/referral-code.ts';
import { signCardPayload } from '../stamps/card-qr.ts';
import { shopQrKey } from '../stamps/qr-key.ts';
import { loadLogo, printBrand, type PrintBrand } from './print-brand.ts';

/** What the shop's own printables say: its brand, where the QR code leads, what it offers. */
export interface ShopPrintFacts {
  brand: PrintBrand;
  joinUrl: string;
  /** The shop's visit stamp card (or another active one): N stamps and what they give. */
  stampCard: { stamps: number; reward: LocalizedText } | null;
  /** Whether points buy something: an active catalogue reward with a points cost. */
  pointsRewards: boolean;
}

/** What a customer's printables add: their card's QR payload, their referral code and link. */
export interface CustomerPrintFacts {
  firstName: string | null;
  fullName: string | null;
  /** Lojal's customer id, which the card's QR names; printed for staff to type when needed. */
  cardNumber: string;
  cardPayload: string;
  referralCode: string;
  referralLink: string;
  friendOffer: Record<Locale, { headline: string; condition: string | null } | null>;
}

/**
 * Where a poster's QR code leads: the shop's own join page when it set one (`storefrontJoinUrl`),
 * else Lojal's customer portal for the shop, which shows the programme and signs customers in.
 */
export function joinUrl(shop: ShopRow, publicUrl: string): string {
  return (
    shop.storefront_join_url ?? `${publicUrl.replace(/\/$/, '')}/p/${encodeURIComponent(shop.slug)}`
  );
}

export async function shopPrintFacts(
  db: Db,
  shop: ShopRow,
  deps: { publicUrl: string; fetch: FetchLike },
): Promise<ShopPrintFacts> {
  const [settings, programme, reward] = await Promise.all([
    db
      .selectFrom('messaging_settings')
      .select('brand')
      .where('shop_id', '=', shop.id)
      .executeTakeFirst(),
    db
      .selectFrom('stamp_programmes')
      .select(['name', 'stamps_required', 'reward'])
      .where('shop_id', '=', shop.id)
      .where('active', '=', true)
      // A visit card first: that is the one a poster in a café is about.
      .orderBy((eb) => eb.case().when('earn_by', '=', 'visit').then(0).else(1).end())
      .orderBy('created_at')
      .executeTakeFirst(),
    db
      .selectFrom('rewards')
      .select('id')
      .where('shop_id', '=', shop.id)
      .where('archived_at', 'is', null)
      .where('points_cost', '>', 0)
      .executeTakeFirst(),
  ]);
  // The shop's brand kit (Settings → Brand kit) first; the e-mails' brand kit fills its gaps.
  const mail = (settings?.brand ?? {}) as { logoUrl?: unknown; primaryColor?: unknown };
  const logoUrl = shop.brand_logo_url ?? (typeof mail.logoUrl === 'string' ? mail.logoUrl : null);
  const primary =
    shop.brand_primary_color ?? (typeof mail.primaryColor === 'string' ? mail.primaryColor : null);
  return {
    brand: printBrand({
      shopName: shop.name,
      primary,
      accent: shop.brand_accent_color,
      logo: await loadLogo(logoUrl, deps.fetch),
    }),
    joinUrl: joinUrl(shop, deps.publicUrl),
    stampCard: programme
      ? {
          stamps: programme.stamps_required,
          reward: await stampRewardName(db, shop.id, programme.name, programme.reward),
        }
      : null,
    pointsRewards: Boolean(reward),
  };
}

/** What the card gives, as staff and customers are told: the reward's name, else the card's. */
async function stampRewardName(
  db: Db,
  shopId: string,
  cardName: LocalizedText,
  reward: Record<string, unknown>,
): Promise<LocalizedText> {
  const named = reward.name as Partial<LocalizedText> | undefined;
  if (named?.pl && named.en) return { pl: named.pl, en: named.en };
  if (reward.type === 'reward' && typeof reward.rewardId === 'string') {
    const row = await db
      .selectFrom('rewards')
      .select('name')
      .where('shop_id', '=', shopId)
      .where('id', '=', reward.rewardId)
      .executeTakeFirst();
    if (row) return row.name;
  }
  return cardName;
}

/**
 * A customer of this shop (404 for anyone else's, or an erased one): the signed card payload a
 * staff scanner reads, the referral code (made now if the customer has none) and its link.
 */
export async function customerPrintFacts(
  db: Db,
  box: SecretBox,
  shop: ShopRow,
  externalId: string,
  deps: { publicUrl: string; now: Date },
): Promise<CustomerPrintFacts> {
  const id = await findCustomerId(db, shop.id, externalId, { allowRedacted: false });
  const [customer, codes, key, campaign] = await Promise.all([
    db
      .selectFrom('customers')
      .select(['first_name', 'last_name'])
      .where('shop_id', '=', shop.id)
      .where('id', '=', id)
      .executeTakeFirstOrThrow(),
    ensureReferralCodes(db, shop.id, [id], deps.now),
    shopQrKey(db, box, shop.id),
    activeCampaign(db, shop.id, deps.now),
  ]);
  const code = codes.get(id)!;
  const first = customer.first_name?.trim() || null;
  const full = [first, customer.last_name?.trim()].filter(Boolean).join(' ') || null;
  const offer = (locale: Locale) =>
    campaign ? friendOffer(campaign.settings, shop.currency, locale) : null;
  return {
    firstName: first,
    fullName: full,
    cardNumber: id,
    cardPayload: signCardPayload(key, shop.id, id),
    referralCode: code,
    referralLink: referralLink(deps.publicUrl, shop.slug, code),
    friendOffer: { pl: offer('pl'), en: offer('en') },
  };
}
