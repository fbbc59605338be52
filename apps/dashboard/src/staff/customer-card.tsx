import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { Refused, problemText, request, type CounterCustomer, type Session } from './api.ts';
import { useT } from './i18n.ts';
import { formatMoney, parseAmount } from './money.ts';
import { newReference, take, type Outcome } from './queue.ts';

type Notice = { kind: 'ok' | 'error' | 'queued'; text: string } | null;

/**
 * The customer at the counter: name, masked contact, points, stamp cards with today's stamps
 * (and "already stamped today"), then the actions: a stamp, a purchase for points, a reward.
 */
export function CustomerCard({
  session,
  customerId,
  first,
}: {
  session: Session;
  customerId: string;
  /** What brought the card up (the scan's stamp), shown on top. */
  first?: Notice;
}) {
  const { t, lang } = useT();
  const [customer, setCustomer] = useState<CounterCustomer | null>(null);
  const [missing, setMissing] = useState(false);
  const [notice, setNotice] = useState<Notice>(first ?? null);
  const [amount, setAmount] = useState('');
  const [amountError, setAmountError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [useAmounts, setUseAmounts] = useState<Record<string, string>>({});
  /** Rewards handed over on this screen: gone from the list even before the server counts them. */
  const [handedOver, setHandedOver] = useState<string[]>([]);
  const currency = session.shop.currency;
  const day = new Intl.DateTimeFormat(lang === 'pl' ? 'pl-PL' : 'en-GB', {
    dateStyle: 'long',
    timeZone: session.shop.timezone,
  });

  const load = useCallback(async () => {
    try {
      setCustomer(
        await request<CounterCustomer>(
          'GET',
          `/v1/counter/customers/${encodeURIComponent(customerId)}`,
        ),
      );
      setMissing(false);
    } catch (e) {
      if (e instanceof Refused && e.problem.status === 404) setMissing(true);
    }
  }, [customerId]);

  useEffect(() => {
    void load();
  }, [load]);
  useEffect(() => {
    // A customer signed up a moment ago appears once the server has applied the sign-up.
    if (!missing) return;
    const timer = window.setInterval(() => void load(), 1500);
    return () => window.clearInterval(timer);
  }, [missing, load]);

  const who = customer?.name ?? customerId;
  const report = (outcome: Outcome, ok: string) => {
    if (outcome.state === 'done') setNotice({ kind: 'ok', text: ok });
    else if (outcome.state === 'queued') setNotice({ kind: 'queued', text: t('queue.queued') });
    else setNotice({ kind: 'error', text: problemText(outcome.problem, lang) });
  };
  const act = async (work: () => Promise<void>) => {
    setBusy(true);
    try {
      await work();
      await load();
    } finally {
      setBusy(false);
    }
  };

  const stamp = (programmeId: string) =>
    act(async () => {
      const outcome = await take(
        'stamp',
        '/v1/counter/stamps',
        { customerId, programmeId },
        { who },
      );
      report(outcome, t('stamp.added'));
    });

  const purchase = (event: FormEvent) => {
    event.preventDefault();
    const minor = parseAmount(amount);
    if (minor === null) {
      setAmountError(t('customer.amountInvalid'));
      return;
    }
    setAmountError(null);
    const shown = formatMoney(minor, currency, lang);
    void act(async () => {
      const outcome = await take(
        'purchase',
        '/v1/counter/purchases',
        { customerId, amount: minor, reference: newReference() },
        { who, amount: shown },
      );
      report(outcome, t('customer.purchaseDone', { amount: shown }));
      if (outcome.state !== 'refused') setAmount('');
    });
  };

  const redeem = (reward: CounterCustomer['rewards'][number]) =>
    act(async () => {
      const outcome = await take(
        'redeem',
        `/v1/counter/customers/${encodeURIComponent(customerId)}/redemptions`,
        { rewardId: reward.id },
        { who },
      );
      const coupon = (outcome.state === 'done' ? outcome.result : null) as {
        coupon: { code: string } | null;
      } | null;
      report(
        outcome,
        [
          t('customer.redeemed', { name: reward.name[lang] }),
          coupon?.coupon ? t('stamp.coupon', { code: coupon.coupon.code }) : '',
        ].join(' '),
      );
    });

  const handOver = (reward: CounterCustomer['readyRewards'][number]) => {
    const typed = useAmounts[reward.couponId] ?? '';
    const minor = reward.minBasket === null && typed.trim() === '' ? 0 : parseAmount(typed);
    if (minor === null) {
      setNotice({ kind: 'error', text: t('customer.amountInvalid') });
      return;
    }
    const name = reward.name[lang];
    void act(async () => {
      const outcome = await take(
        'useReward',
        `/v1/counter/customers/${encodeURIComponent(customerId)}/reward-uses`,
        { couponId: reward.couponId, amount: minor, reference: newReference() },
        { who, reward: name },
      );
      report(outcome, t('customer.used', { name }));
      if (outcome.state !== 'refused') setHandedOver((list) => [...list, reward.couponId]);
    });
  };
  const ready = customer?.readyRewards.filter((r) => !handedOver.includes(r.couponId)) ?? [];

  return (
    <section className="stack" aria-labelledby="customer-title">
      <h2 id="customer-title">{customer ? (customer.name ?? customer.id) : t('customer.title')}</h2>
      {notice && (
        <p
          role={notice.kind === 'error' ? 'alert' : 'status'}
          className={`notice ${notice.kind}`}
          data-testid="customer-notice"
        >
          {notice.text}
        </p>
      )}
      {!customer ? (
        <p role="status">{missing ? t('customer.joining') : t('customer.loading')}</p>
      ) : (
        <>
          {customer.contact && <p className="muted">{customer.contact}</p>}
          {ready.length > 0 && (
            <div className="panel ready" data-testid="ready-rewards">
              <h3>{t('customer.ready')}</h3>
              <ul className="plain">
                {ready.map((reward) => (
                  <li key={reward.couponId} className="stack" data-testid="ready-reward">
                    <strong className="reward-name">{reward.name[lang]}</strong>
                    <span className="muted">
                      {t(
                        reward.from === 'stamps'
                          ? 'customer.readyFromStamps'
                          : 'customer.readyFromPoints',
                        { name: reward.fromName[lang] },
                      )}
                      {reward.expiresAt &&
                        ` · ${t('customer.readyUntil', { date: day.format(new Date(reward.expiresAt)) })}`}
                      {reward.minBasket !== null &&
                        ` · ${t('customer.readyMin', { amount: formatMoney(reward.minBasket, currency, lang) })}`}
                    </span>
                    {reward.minBasket !== null && (
                      <>
                        <label htmlFor={`use-amount-${reward.couponId}`}>
                          {t('customer.useAmount', { currency })}
                        </label>
                        <input
                          id={`use-amount-${reward.couponId}`}
                          inputMode="decimal"
                          autoComplete="off"
                          value={useAmounts[reward.couponId] ?? ''}
                          onChange={(e) => {
                            const value = e.currentTarget.value;
                            setUseAmounts((all) => ({ ...all, [reward.couponId]: value }));
                          }}
                        />
                      </>
                    )}
                    <button
                      type="button"
                      className="primary big"
                      disabled={busy}
                      aria-label={t('customer.useNamed', { name: reward.name[lang] })}
                      onClick={() => handOver(reward)}
                    >
                      {t('customer.use')}
                    </button>
                  </li>
                ))}
              </ul>
            </div>
          )}
          <div className="panel">
            <h3>{t('customer.points')}</h3>
            <p className="figure" data-testid="points">
              {t('customer.pointsValue', { n: customer.points.available })}
            </p>
            {customer.points.pending > 0 && (
              <p className="muted">{t('customer.pending', { n: customer.points.pending })}</p>
            )}
          </div>
          {customer.stampCards.length > 0 && (
            <div className="panel">
              <h3>{t('customer.cards')}</h3>
              <ul className="plain">
                {customer.stampCards.map((card) => (
                  <li key={card.programmeId} className="stack" data-testid="stamp-card">
                    <strong>{card.name[lang]}</strong>
                    <Dots stamps={card.stamps} required={card.stampsRequired} />
                    <span>
                      {t('stamp.progress', { stamps: card.stamps, required: card.stampsRequired })}
                    </span>
                    {card.stampedToday && (
                      <span className="badge warn" data-testid="stamped-today">
                        {t('stamp.today', { n: card.stampsToday })}
                      </span>
                    )}
                    {card.limitReached && card.dailyLimit !== null && (
                      <span className="badge error">
                        {t('stamp.limit', { limit: card.dailyLimit })}
                      </span>
                    )}
                    {card.earnBy === 'visit' && (
                      <button
                        type="button"
                        className="primary"
                        disabled={busy || card.limitReached}
                        onClick={() => void stamp(card.programmeId)}
                      >
                        {t('customer.addStamp')}
                      </button>
                    )}
                  </li>
                ))}
              </ul>
            </div>
          )}
          <form className="panel stack" onSubmit={purchase} noValidate>
            <label htmlFor="purchase-amount">{t('customer.purchase', { currency })}</label>
            <input
              id="purchase-amount"
              inputMode="decimal"
              autoComplete="off"
              value={amount}
              aria-invalid={amountError !== null}
              aria-describedby={amountError ? 'purchase-error' : undefined}
              onChange={(e) => setAmount(e.currentTarget.value)}
            />
            {amountError && (
              <p id="purchase-error" className="field-error">
                {amountError}
              </p>
            )}
            <button type="submit" className="primary" disabled={busy}>
              {t('customer.purchaseSubmit')}
            </button>
          </form>
          <div className="panel">
            <h3>{t('customer.rewards')}</h3>
            {customer.rewards.length === 0 ? (
              <p className="muted">{t('customer.noRewards')}</p>
            ) : (
              <ul className="plain">
                {customer.rewards.map((reward) => (
                  <li key={reward.id} className="row">
                    <span>
                      {reward.name[lang]} · {t('customer.cost', { points: reward.pointsCost })}
                      {!reward.affordable && (
                        <span className="muted"> ({t('customer.notEnough')})</span>
                      )}
                    </span>
                    <button
                      type="button"
                      className="secondary"
                      disabled={busy || !reward.affordable}
                      aria-label={t('customer.redeemNamed', { name: reward.name[lang] })}
                      onClick={() => void redeem(reward)}
                    >
                      {t('customer.redeem')}
                    </button>
                  </li>
                ))}
              </ul>
            )}
          </div>
        </>
      )}
    </section>
  );
}

function Dots({ stamps, required }: { stamps: number; required: number }) {
  return (
    <span className="dots" aria-hidden="true">
      {Array.from({ length: required }, (_, i) => (
        <span key={i} className={i < stamps ? 'dot on' : 'dot'} />
      ))}
    </span>
  );
}
