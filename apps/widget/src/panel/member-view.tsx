import { useEffect, useRef, useState } from 'preact/hooks';
import type { FetchError } from '../shared/context.ts';
import { day, plural } from '../shared/messages.ts';
import type { Me, MeReward, Programme, Redemption } from './api-types.ts';
import type { View } from './app.tsx';
import { newKey } from './copy-text.ts';
import { discountText, EarnList, words } from './programme-parts.tsx';
import { makeFormatters, useEnv } from './state.ts';
import { History } from './history.tsx';
import { Referral } from './referral.tsx';

interface Props {
  programme: Programme;
  me: Me;
  onView(view: View): void;
  onChanged(): Promise<void>;
}

/** An identified customer: balance, codes, rewards, tier, stamp cards, referral, history. */
export function MemberView({ programme, me, onView, onChanged }: Props) {
  // A code still being created in the shop's platform appears as soon as it is ready.
  const preparing = me.coupons?.some((c) => c.ready === false) ?? false;
  useEffect(() => {
    if (!preparing) return;
    const timer = setTimeout(() => void onChanged(), 5000);
    return () => clearTimeout(timer);
  }, [me, preparing, onChanged]);
  const { t, locale, currency } = useEnv();
  const f = makeFormatters(locale, currency);
  const { points } = me;
  return (
    <>
      <section class="card hero" aria-labelledby="lojal-balance">
        <p class="hello">{t.hello(me.customer.firstName)}</p>
        <h3 id="lojal-balance" class="small">
          {t.balance}
        </h3>
        <p class="balance" data-testid="balance">
          {f.points(points.available)}
        </p>
        {(points.pendingLots ?? []).map((lot, i) => (
          <p key={`p${i}`} class="small">
            {t.pendingOn(f.points(lot.points), day(locale, lot.availableAt))}
          </p>
        ))}
        {!points.pendingLots?.length && points.pending > 0 ? (
          <p class="small">{t.pendingSoon(f.points(points.pending))}</p>
        ) : null}
        {(points.expiringSoon ?? []).map((lot, i) => (
          <p key={`e${i}`} class="small warn">
            {t.expiringOn(f.points(lot.points), day(locale, lot.expiresAt))}
          </p>
        ))}
      </section>
      <TierCard me={me} />
      {me.coupons?.length ? (
        <section aria-labelledby="lojal-coupons">
          <h3 id="lojal-coupons">{t.couponsTitle}</h3>
          <ul class="list">
            {me.coupons.map((coupon) => (
              <li key={coupon.code} class="row">
                <span class="col">
                  {coupon.ready === false ? (
                    <span data-testid="coupon-preparing">{t.codePreparingShort}</span>
                  ) : (
                    <code>{coupon.code}</code>
                  )}
                  <span class="muted small">
                    {[
                      discountText(coupon.discount, t, f, locale),
                      coupon.expiresAt ? t.validUntil(day(locale, coupon.expiresAt)) : null,
                    ]
                      .filter(Boolean)
                      .join(' · ')}
                  </span>
                </span>
                {coupon.applyUrl ? (
                  <a class="btn small-btn" href={coupon.applyUrl}>
                    {t.apply}
                  </a>
                ) : null}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <Rewards me={me} onView={onView} onChanged={onChanged} />
      {me.stampCards?.length ? (
        <section aria-labelledby="lojal-stamps">
          <h3 id="lojal-stamps">{t.stampsTitle}</h3>
          <ul class="list">
            {me.stampCards.map((card) => (
              <li key={card.id} class="row col">
                <strong>{words(card.name, locale)}</strong>
                <Stamps have={card.stamps} need={card.stampsRequired} />
                <span class="muted small">{t.stampsOf(card.stamps, card.stampsRequired)}</span>
                <button type="button" class="btn" onClick={() => onView({ name: 'qr', card })}>
                  {t.showQr}
                </button>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {me.referral ? <Referral referral={me.referral} /> : null}
      <EarnList programme={programme} />
      <History />
    </>
  );
}

function Stamps({ have, need }: { have: number; need: number }) {
  if (need > 24) return null;
  return (
    <span class="stamps" aria-hidden="true">
      {Array.from({ length: need }, (_, i) => (
        <span key={i} class={i < have ? 'stamp on' : 'stamp'} />
      ))}
    </span>
  );
}

function TierCard({ me }: { me: Me }) {
  const { t, locale, currency } = useEnv();
  const f = makeFormatters(locale, currency);
  const tier = me.tier;
  if (!tier || (!tier.current && !tier.next)) return null;
  const next = tier.next;
  // What is still missing, formatted here (money in the shop's currency), else the server's words.
  const what = !next
    ? null
    : tier.metric === 'spend'
      ? f.money(next.needed)
      : tier.metric === 'orders'
        ? plural(locale, t.orders, next.needed)
        : tier.metric === 'points_earned'
          ? f.points(next.needed)
          : null;
  const progress = next ? Math.max(0, Math.min(1, next.progress)) : null;
  return (
    <section aria-labelledby="lojal-tier" class="card">
      <h3 id="lojal-tier">{t.tierTitle}</h3>
      <p class="tier-name">{tier.current?.name ?? t.tierNone}</p>
      {tier.current?.benefits?.length ? (
        <p class="small">{tier.current.benefits.join(' · ')}</p>
      ) : null}
      {next ? (
        <>
          {progress != null ? (
            <span class="bar" aria-hidden="true">
              <span style={{ width: `${Math.round(progress * 100)}%` }} />
            </span>
          ) : null}
          <p data-testid="tier-next">{what ? t.toNext(what, next.name) : next.text}</p>
        </>
      ) : (
        <p class="muted small">{t.tierTop}</p>
      )}
    </section>
  );
}

function Rewards({ me, onView, onChanged }: Omit<Props, 'programme'>) {
  const { t } = useEnv();
  const rewards = me.rewards;
  return (
    <section aria-labelledby="lojal-rewards">
      <h3 id="lojal-rewards">{t.rewardsTitle}</h3>
      {rewards.length === 0 ? <p class="muted">{t.noRewards}</p> : null}
      <ul class="list">
        {rewards.map((reward) => (
          <RewardRow
            key={reward.id}
            reward={reward}
            balance={me.points.available}
            onRedeemed={(redemption) => {
              onView({ name: 'code', rewardName: reward.name, redemption });
              void onChanged();
            }}
          />
        ))}
      </ul>
    </section>
  );
}

interface RowProps {
  reward: MeReward;
  balance: number;
  onRedeemed(redemption: Redemption): void;
}

/**
 * One reward and its button. A click intent has one Idempotency-Key, kept until the server
 * answers, and the button ignores clicks while a request is out: a double click redeems once.
 */
function RewardRow({ reward, balance, onRedeemed }: RowProps) {
  const { ctx, t, locale, currency, announce } = useEnv();
  const f = makeFormatters(locale, currency);
  const busy = useRef(false);
  const key = useRef<string | null>(null);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const short = reward.missingPoints ?? Math.max(0, reward.pointsCost - balance);

  async function redeem() {
    if (busy.current) return;
    busy.current = true;
    setPending(true);
    setError(null);
    key.current ??= newKey();
    try {
      const redemption = await ctx.fetchJson<Redemption>('/me/redemptions', {
        method: 'POST',
        json: { rewardId: reward.id },
        headers: { 'idempotency-key': key.current },
      });
      key.current = null;
      onRedeemed(redemption);
    } catch (failure) {
      const { status, message } = failure as FetchError;
      // A network failure keeps the key: trying again cannot redeem twice.
      if (status !== 0) key.current = null;
      const text = `${t.redeemFailed} ${status ? message : ''}`.trim();
      setError(text);
      announce(text);
    } finally {
      busy.current = false;
      setPending(false);
    }
  }

  const id = `lojal-r-${reward.id}`;
  return (
    <li class="row">
      <span class="col">
        <span id={id}>{reward.name}</span>
        {reward.description ? <span class="muted small">{reward.description}</span> : null}
        <span class="muted small">{f.points(reward.pointsCost)}</span>
        {error ? (
          <span class="error small" role="alert">
            {error}
          </span>
        ) : null}
      </span>
      {reward.tierRequired ? (
        <span class="muted small right">{t.tierRequired}</span>
      ) : short > 0 ? (
        <span class="muted small right">{t.missing(f.points(short))}</span>
      ) : !reward.available ? null : (
        <button
          type="button"
          class="btn primary"
          disabled={pending}
          aria-label={t.redeemFor(reward.name, f.points(reward.pointsCost))}
          onClick={() => void redeem()}
        >
          {pending ? t.redeeming : t.redeem}
        </button>
      )}
    </li>
  );
}
