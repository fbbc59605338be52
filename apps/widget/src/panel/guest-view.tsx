import type { Programme } from './api-types.ts';
import { EarnList, ReferralOffer, TierList } from './programme-parts.tsx';
import { makeFormatters, useEnv } from './state.ts';

/** A shopper without a token: how to join and what they would earn. */
export function GuestView({ programme }: { programme: Programme }) {
  const { t, locale, currency } = useEnv();
  const f = makeFormatters(locale, currency);
  return (
    <>
      <section class="card hero" aria-labelledby="lojal-join">
        <h3 id="lojal-join">{t.guestTitle}</h3>
        <p>{t.guestText}</p>
        {programme.shop.joinUrl ? (
          <a class="btn primary" href={programme.shop.joinUrl}>
            {t.join}
          </a>
        ) : null}
        <p class="muted small">{t.signInHint}</p>
      </section>
      <EarnList programme={programme} />
      {programme.rewards.length > 0 ? (
        <section aria-labelledby="lojal-rewards">
          <h3 id="lojal-rewards">{t.rewardsTitle}</h3>
          <ul class="list">
            {programme.rewards.map((reward) => (
              <li key={reward.id} class="row">
                <span class="col">
                  <span>{reward.name}</span>
                  {reward.description ? (
                    <span class="muted small">{reward.description}</span>
                  ) : null}
                </span>
                <strong class="pill">{f.points(reward.pointsCost)}</strong>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <TierList programme={programme} />
      {programme.referral?.friend || programme.referral?.referrer ? (
        <section aria-labelledby="lojal-refer">
          <h3 id="lojal-refer">{t.referTitle}</h3>
          <ReferralOffer programme={programme} />
        </section>
      ) : null}
    </>
  );
}
