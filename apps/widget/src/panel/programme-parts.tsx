import type { Discount, Programme, Words } from './api-types.ts';
import { makeFormatters, useEnv } from './state.ts';
import type { Locale } from '../shared/context.ts';
import type { PanelText } from '../shared/messages.ts';

/** Ways to earn, as the server words them (a running campaign's multiplier beside). */
export function EarnList({ programme }: { programme: Programme }) {
  const { t, locale } = useEnv();
  if (programme.earn.length === 0) return null;
  return (
    <section aria-labelledby="lojal-earn">
      <h3 id="lojal-earn">{t.earnTitle}</h3>
      <ul class="list">
        {programme.earn.map((rule) => (
          <li key={rule.id} class="row">
            <span>{rule.text}</span>
            {rule.multiplier && rule.multiplier > 1 ? (
              <strong class="pill">
                {t.times(new Intl.NumberFormat(locale).format(rule.multiplier))}
              </strong>
            ) : null}
          </li>
        ))}
      </ul>
    </section>
  );
}

/** The tiers as the programme lists them (for a guest): what each takes and gives. */
export function TierList({ programme }: { programme: Programme }) {
  const { t } = useEnv();
  if (programme.tiers.length === 0) return null;
  return (
    <section aria-labelledby="lojal-tiers">
      <h3 id="lojal-tiers">{t.tiersTitle}</h3>
      <ul class="list">
        {programme.tiers.map((tier) => (
          <li key={tier.id} class="row col">
            <strong>{tier.name}</strong>
            {tier.threshold ? <span class="muted small">{tier.threshold}</span> : null}
            {tier.benefits?.length ? <span class="small">{tier.benefits.join(' · ')}</span> : null}
          </li>
        ))}
      </ul>
    </section>
  );
}

/** The referral offer: what the friend and the referrer get. */
export function ReferralOffer({ programme }: { programme: Programme }) {
  const { t } = useEnv();
  const offer = programme.referral;
  if (!offer || (!offer.friend && !offer.referrer)) return null;
  return (
    <dl class="offer">
      {offer.friend ? (
        <div>
          <dt>{t.friendGets}</dt>
          <dd>{offer.friend}</dd>
        </div>
      ) : null}
      {offer.referrer ? (
        <div>
          <dt>{t.youGet}</dt>
          <dd>{offer.referrer}</dd>
        </div>
      ) : null}
    </dl>
  );
}

/** A name given in both languages (or one). */
export function words(value: Words, locale: Locale): string {
  return typeof value === 'string' ? value : (value[locale] ?? value.pl ?? value.en ?? '');
}

/** "Rabat 20 zł", "Rabat 10%", "Darmowa dostawa". */
export function discountText(
  discount: Discount | null | undefined,
  t: PanelText,
  f: ReturnType<typeof makeFormatters>,
  locale: Locale,
): string | null {
  if (!discount) return null;
  if (discount.kind === 'fixed' && 'amount' in discount)
    return t.fixedOff(f.money(discount.amount));
  if (discount.kind === 'percentage' && 'percent' in discount) {
    return t.percentOff(
      new Intl.NumberFormat(locale, { style: 'percent' }).format(discount.percent / 100),
    );
  }
  if (discount.kind === 'free_shipping') return t.freeShipping;
  return null;
}
