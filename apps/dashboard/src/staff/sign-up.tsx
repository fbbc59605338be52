import { useState, type FormEvent } from 'react';
import { problemText, type Session } from './api.ts';
import { useT } from './i18n.ts';
import { newReference, take } from './queue.ts';

/**
 * A new customer at the counter. The consent texts are the shop's, in the screen's language,
 * and exactly the words shown are sent with each consent ticked: the server keeps them as proof.
 */
export function SignUp({
  session,
  onJoined,
}: {
  session: Session;
  onJoined: (customerId: string | null, notice: string) => void;
}) {
  const { t, lang } = useT();
  const [form, setForm] = useState({ firstName: '', lastName: '', email: '', phone: '' });
  const [ticked, setTicked] = useState<Record<string, boolean>>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const field = (name: keyof typeof form) => ({
    id: `signup-${name}`,
    value: form[name],
    onChange: (e: { currentTarget: { value: string } }) =>
      setForm({ ...form, [name]: e.currentTarget.value }),
  });

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (form.email.trim() === '' && form.phone.trim() === '') {
      setError(t('signUp.contactHint'));
      return;
    }
    setBusy(true);
    setError(null);
    const reference = newReference();
    const body = {
      firstName: form.firstName.trim(),
      ...(form.lastName.trim() && { lastName: form.lastName.trim() }),
      ...(form.email.trim() && { email: form.email.trim() }),
      ...(form.phone.trim() && { phone: form.phone.trim() }),
      locale: lang,
      consents: session.consentTexts
        .filter((c) => ticked[`${c.channel}/${c.purpose}`])
        .map((c) => ({
          channel: c.channel,
          purpose: c.purpose,
          granted: true,
          text: c.text[lang],
        })),
      reference,
    };
    try {
      const outcome = await take('signUp', '/v1/counter/customers', body, { who: body.firstName });
      if (outcome.state === 'refused') setError(problemText(outcome.problem, lang));
      else if (outcome.state === 'queued') onJoined(null, t('queue.queued'));
      else {
        const { customerId } = outcome.result as { customerId: string };
        onJoined(customerId, t('signUp.done', { name: body.firstName }));
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="stack" onSubmit={(e) => void submit(e)} aria-labelledby="signup-title">
      <h2 id="signup-title">{t('signUp.title')}</h2>
      {error && (
        <p role="alert" className="notice error">
          {error}
        </p>
      )}
      <label htmlFor="signup-firstName">{t('signUp.firstName')}</label>
      <input {...field('firstName')} required autoComplete="off" />
      <label htmlFor="signup-lastName">{t('signUp.lastName')}</label>
      <input {...field('lastName')} autoComplete="off" />
      <label htmlFor="signup-email">{t('signUp.email')}</label>
      <input {...field('email')} type="email" inputMode="email" autoComplete="off" />
      <label htmlFor="signup-phone">{t('signUp.phone')}</label>
      <input {...field('phone')} type="tel" inputMode="tel" autoComplete="off" />
      <p className="muted">{t('signUp.contactHint')}</p>
      <fieldset className="stack">
        <legend>{t('signUp.consents')}</legend>
        <p className="muted">{t('signUp.consentsHint')}</p>
        {session.consentTexts.map((c) => {
          const key = `${c.channel}/${c.purpose}`;
          return (
            <label key={key} className="check" data-consent={key}>
              <input
                type="checkbox"
                checked={ticked[key] ?? false}
                onChange={(e) => setTicked({ ...ticked, [key]: e.currentTarget.checked })}
              />
              <span>{c.text[lang]}</span>
            </label>
          );
        })}
      </fieldset>
      <button type="submit" className="primary big" disabled={busy}>
        {t('signUp.submit')}
      </button>
    </form>
  );
}
