import { useState, type FormEvent } from 'react';
import { problemText, type GiftCardSale, type Session } from './api.ts';
import { useT } from './i18n.ts';
import { formatMoney, parseAmount } from './money.ts';
import { take } from './queue.ts';

const MIN = 100;
const MAX = 1_000_000;

/**
 * A gift card sold at the counter (POST /v1/counter/gift-cards): the amount, and the
 * recipient's e-mail when the voucher should be mailed at once. The code and PIN are in the
 * answer only, so they are shown here once, large.
 */
export function GiftCard({ session }: { session: Session }) {
  const { t, lang } = useT();
  const currency = session.shop.currency;
  const [form, setForm] = useState({ amount: '', email: '', name: '', message: '' });
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [sold, setSold] = useState<GiftCardSale | null>(null);
  const [busy, setBusy] = useState(false);
  const field = (name: keyof typeof form) => ({
    id: `gift-${name}`,
    value: form[name],
    onChange: (e: { currentTarget: { value: string } }) => {
      setForm({ ...form, [name]: e.currentTarget.value });
      // a refusal is about what was sent: once the barista corrects it, it no longer applies
      setError(null);
    },
  });

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const amount = parseAmount(form.amount);
    if (amount === null || amount < MIN || amount > MAX) {
      setError(
        t('gift.amountRange', {
          min: formatMoney(MIN, currency, lang),
          max: formatMoney(MAX, currency, lang),
        }),
      );
      return;
    }
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      const body = {
        amount,
        ...(form.email.trim() && { recipientEmail: form.email.trim() }),
        ...(form.name.trim() && { recipientName: form.name.trim() }),
        ...(form.message.trim() && { message: form.message.trim() }),
      };
      const outcome = await take('giftCard', '/v1/counter/gift-cards', body, {
        amount: formatMoney(amount, currency, lang),
      });
      if (outcome.state === 'refused') setError(problemText(outcome.problem, lang));
      else if (outcome.state === 'queued') setNotice(t('queue.queued'));
      else {
        setSold(outcome.result as GiftCardSale);
        setForm({ amount: '', email: '', name: '', message: '' });
      }
    } finally {
      setBusy(false);
    }
  };

  if (sold) {
    return (
      <section className="stack" aria-labelledby="gift-sold">
        <h2 id="gift-sold">{t('gift.sold')}</h2>
        <p className="figure">{formatMoney(sold.balance.amount, sold.balance.currency, lang)}</p>
        <dl className="secret">
          <dt>{t('gift.code')}</dt>
          <dd data-testid="gift-code">{sold.code}</dd>
          <dt>{t('gift.pin')}</dt>
          <dd data-testid="gift-pin">{sold.pin}</dd>
        </dl>
        <p className="notice queued">{t('gift.once')}</p>
        {sold.delivery && <p role="status">{t('gift.sent', { email: sold.delivery.email })}</p>}
        <button type="button" className="primary big" onClick={() => setSold(null)}>
          {t('done')}
        </button>
      </section>
    );
  }
  return (
    <form
      className="stack"
      onSubmit={(e) => void submit(e)}
      aria-labelledby="gift-title"
      noValidate
    >
      <h2 id="gift-title">{t('gift.title')}</h2>
      {error && (
        <p role="alert" className="notice error">
          {error}
        </p>
      )}
      {notice && (
        <p role="status" className="notice queued">
          {notice}
        </p>
      )}
      <label htmlFor="gift-amount">{t('gift.amount', { currency })}</label>
      <input {...field('amount')} inputMode="decimal" autoComplete="off" required />
      <label htmlFor="gift-email">{t('gift.email')}</label>
      <input {...field('email')} type="email" inputMode="email" autoComplete="off" />
      <label htmlFor="gift-name">{t('gift.name')}</label>
      <input {...field('name')} autoComplete="off" />
      <label htmlFor="gift-message">{t('gift.message')}</label>
      <textarea {...field('message')} rows={2} maxLength={500} />
      <button type="submit" className="primary big" disabled={busy}>
        {t('gift.submit')}
      </button>
    </form>
  );
}
