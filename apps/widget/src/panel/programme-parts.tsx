import type { Programme } from './api-types.ts';
import { makeFormatters, useEnv } from './state.ts';

/** Ways to earn, as the server words them. */
export function EarnList({ programme }: { programme: Programme }) {
  const { t, locale, currency } = useEnv();
  const f = makeFormatters(locale, currency);
  if (programme.earn.length === 0) return null;
  return (
    <section aria-labelledby="lojal-earn">
      <h3 id="lojal-earn">{t.earnTitle}</h3>
      <ul class="list">
        {programme.earn.map((rule) => (
          <li key={rule.id} class="row">
            <span>{rule.text}</span>
            {rule.points ? <strong class="pill">+{f.points(rule.points)}</strong> : null}
          </li>
        ))}
      </ul>
    </section>
  );
}

/** The tiers as the programme lists them (for a guest). */
export function TierList({ programme }: { programme: Programme }) {
  const { t } = useEnv();
  if (programme.tiers.length === 0) return null;
  return (
    <section aria-labelledby="lojal-tiers">
      <h3 id="lojal-tiers">{t.tiersTitle}</h3>
      <ul class="list">
        {programme.tiers.map((tier, i) => (
          <li key={tier.id ?? i} class="row col">
            <strong>{tier.name}</strong>
            {(tier.description ?? tier.text) ? (
              <span class="muted">{tier.description ?? tier.text}</span>
            ) : null}
          </li>
        ))}
      </ul>
    </section>
  );
}

export function referralOffer(programme: Programme): string | null {
  return programme.referral?.offer ?? programme.referral?.text ?? null;
}
