import { useCallback, useEffect, useMemo, useState, type FormEvent } from 'react';
import {
  Refused,
  problemText,
  request,
  storeToken,
  storedToken,
  type Session,
  type StampResult,
  whenRevoked,
} from './api.ts';
import { CustomerCard } from './customer-card.tsx';
import { GiftCard } from './gift-card.tsx';
import { LangContext, initialLang, translator, useT, type Lang } from './i18n.ts';
import { Pairing, pairingCodeOf } from './pairing.tsx';
import { flush, listActions, onQueueChange, take, type QueuedAction } from './queue.ts';
import { QueueView } from './queue-view.tsx';
import { Scanner } from './scanner.tsx';
import { SignUp } from './sign-up.tsx';

const SESSION_KEY = 'lojal-staff-session';
type Notice = { kind: 'ok' | 'error' | 'queued'; text: string };
type View =
  | { name: 'home' }
  | { name: 'scan' }
  | { name: 'customer'; id: string; notice?: Notice }
  | { name: 'signUp' }
  | { name: 'gift' }
  | { name: 'queue' };

function cachedSession(): Session | null {
  try {
    return JSON.parse(localStorage.getItem(SESSION_KEY) ?? 'null') as Session | null;
  } catch {
    return null;
  }
}

/** The staff counter app: paired or not, the screens, the queue, the language. */
export function StaffApp() {
  const [lang, setLang] = useState<Lang>(initialLang);
  const value = useMemo(() => ({ lang, t: translator(lang) }), [lang]);
  const [paired, setPaired] = useState(() => storedToken() !== null);
  const [revoked, setRevoked] = useState(false);
  const [session, setSession] = useState<Session | null>(cachedSession);

  useEffect(() => {
    document.documentElement.lang = lang;
    document.title = value.t('title');
  }, [lang, value]);

  const forget = useCallback((wasRevoked: boolean) => {
    storeToken(null);
    localStorage.removeItem(SESSION_KEY);
    setSession(null);
    setPaired(false);
    setRevoked(wasRevoked);
  }, []);

  useEffect(() => whenRevoked(() => forget(true)), [forget]);

  useEffect(() => {
    if (!paired) return;
    request<Session>('GET', '/v1/counter/me')
      .then((fresh) => {
        localStorage.setItem(SESSION_KEY, JSON.stringify(fresh));
        setSession(fresh);
      })
      .catch((e: unknown) => {
        if (e instanceof Refused && e.problem.status === 401) forget(true);
        // Offline: the session kept from the last start serves.
      });
  }, [paired, forget]);

  const switchLang = () => {
    const next = lang === 'pl' ? 'en' : 'pl';
    localStorage.setItem('lojal-staff-lang', next);
    setLang(next);
  };

  return (
    <LangContext.Provider value={value}>
      <header className="bar">
        <span className="brand">{value.t('title')}</span>
        <button
          type="button"
          className="link"
          lang={lang === 'pl' ? 'en' : 'pl'}
          aria-label={value.t('languageLabel')}
          onClick={switchLang}
        >
          {value.t('language')}
        </button>
      </header>
      {!paired ? (
        <Pairing
          revoked={revoked}
          onPaired={() => {
            setRevoked(false);
            setPaired(true);
          }}
        />
      ) : session ? (
        <Counter session={session} onUnpair={() => forget(false)} />
      ) : (
        <main className="screen">
          <p role="status">…</p>
        </main>
      )}
    </LangContext.Provider>
  );
}

function Counter({ session, onUnpair }: { session: Session; onUnpair: () => void }) {
  const { t, lang } = useT();
  const [view, setView] = useState<View>({ name: 'home' });
  const [actions, setActions] = useState<QueuedAction[]>([]);
  const [online, setOnline] = useState(navigator.onLine);
  const [notice, setNotice] = useState<Notice | null>(null);

  useEffect(() => {
    const refresh = () => void listActions().then(setActions);
    refresh();
    const stop = onQueueChange(refresh);
    const up = () => {
      setOnline(true);
      void flush();
    };
    const down = () => setOnline(false);
    window.addEventListener('online', up);
    window.addEventListener('offline', down);
    void flush();
    const timer = window.setInterval(() => void flush(), 20_000);
    return () => {
      stop();
      window.removeEventListener('online', up);
      window.removeEventListener('offline', down);
      window.clearInterval(timer);
    };
  }, []);

  const pending = actions.filter((a) => a.status === 'pending').length;
  const failed = actions.filter((a) => a.status === 'failed').length;
  const go = (next: View) => {
    setNotice(null);
    setView(next);
  };

  const scanned = async (text: string) => {
    setView({ name: 'home' });
    if (pairingCodeOf(text)) {
      setNotice({ kind: 'error', text: t('pair.notPairing') });
      return;
    }
    const outcome = await take('stamp', '/v1/counter/stamps', { payload: text });
    if (outcome.state === 'queued') setNotice({ kind: 'queued', text: t('queue.queued') });
    else if (outcome.state === 'refused') {
      setNotice({ kind: 'error', text: problemText(outcome.problem, lang) });
    } else {
      const stamp = outcome.result as StampResult;
      const rewards = stamp.rewards.map((r) =>
        [
          t('stamp.full', { reward: r.name[lang] }),
          r.coupon ? t('stamp.coupon', { code: r.coupon.code }) : '',
        ].join(' '),
      );
      setView({
        name: 'customer',
        id: stamp.customerId,
        notice: { kind: 'ok', text: [t('stamp.added'), ...rewards].join('. ') },
      });
    }
  };

  return (
    <main className="screen">
      {!online && (
        <p role="status" className="notice queued" data-testid="offline">
          {t('offline')}
        </p>
      )}
      <nav className="row wrap" aria-label={t('title')}>
        {view.name !== 'home' && (
          <button type="button" className="secondary" onClick={() => go({ name: 'home' })}>
            ← {t('back')}
          </button>
        )}
        <button
          type="button"
          className={pending + failed > 0 ? 'secondary attention' : 'secondary'}
          onClick={() => go({ name: 'queue' })}
          data-testid="queue-button"
        >
          {t('queue.title')}: {pending}
          {failed > 0 ? ` · ${t('queue.failed', { n: failed })}` : ''}
        </button>
      </nav>
      {view.name === 'home' && (
        <Home session={session} notice={notice} go={go} onUnpair={onUnpair} />
      )}
      {view.name === 'scan' && (
        <Scanner onCode={(text) => void scanned(text)} onClose={() => go({ name: 'home' })} />
      )}
      {view.name === 'customer' && (
        <CustomerCard
          key={view.id}
          session={session}
          customerId={view.id}
          {...(view.notice && { first: view.notice })}
        />
      )}
      {view.name === 'signUp' && (
        <SignUp
          session={session}
          onJoined={(id, text) => {
            if (id) setView({ name: 'customer', id, notice: { kind: 'ok', text } });
            else {
              setView({ name: 'home' });
              setNotice({ kind: 'queued', text });
            }
          }}
        />
      )}
      {view.name === 'gift' && <GiftCard session={session} />}
      {view.name === 'queue' && <QueueView actions={actions} timeZone={session.shop.timezone} />}
    </main>
  );
}

function Home({
  session,
  notice,
  go,
  onUnpair,
}: {
  session: Session;
  notice: Notice | null;
  go: (view: View) => void;
  onUnpair: () => void;
}) {
  const { t, lang } = useT();
  const [q, setQ] = useState('');
  const [found, setFound] = useState<
    { id: string; name: string | null; contact: string | null }[] | null
  >(null);
  const [error, setError] = useState<string | null>(null);

  const search = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    try {
      const list = await request<typeof found & object>(
        'GET',
        `/v1/counter/customers?q=${encodeURIComponent(q.trim())}`,
      );
      if (list.length === 1) go({ name: 'customer', id: list[0]!.id });
      else setFound(list);
    } catch (e) {
      setError(e instanceof Refused ? problemText(e.problem, lang) : t('error.network'));
    }
  };

  return (
    <section className="stack" aria-labelledby="home-title">
      <h1 id="home-title" className="visually-hidden">
        {t('title')}
      </h1>
      {notice && (
        <p
          role={notice.kind === 'error' ? 'alert' : 'status'}
          className={`notice ${notice.kind}`}
          data-testid="home-notice"
        >
          {notice.text}
        </p>
      )}
      <button type="button" className="primary big" onClick={() => go({ name: 'scan' })}>
        {t('home.scan')}
      </button>
      <form className="stack panel" onSubmit={(e) => void search(e)} role="search">
        <label htmlFor="counter-q">{t('home.search')}</label>
        <div className="row">
          <input
            id="counter-q"
            value={q}
            autoComplete="off"
            onChange={(e) => setQ(e.currentTarget.value)}
            minLength={3}
          />
          <button type="submit" className="primary">
            {t('home.find')}
          </button>
        </div>
        {error && (
          <p role="alert" className="field-error">
            {error}
          </p>
        )}
        {found && found.length === 0 && <p role="status">{t('home.noneFound')}</p>}
        {found && found.length > 1 && (
          <ul className="plain" aria-label={t('home.results')}>
            {found.map((c) => (
              <li key={c.id}>
                <button
                  type="button"
                  className="secondary wide"
                  onClick={() => go({ name: 'customer', id: c.id })}
                >
                  {c.name ?? c.id} {c.contact && <span className="muted">{c.contact}</span>}
                </button>
              </li>
            ))}
          </ul>
        )}
      </form>
      <div className="row wrap">
        <button type="button" className="secondary big" onClick={() => go({ name: 'signUp' })}>
          {t('home.signUp')}
        </button>
        <button type="button" className="secondary big" onClick={() => go({ name: 'gift' })}>
          {t('home.giftCard')}
        </button>
      </div>
      <p className="muted">
        {t('home.device', { name: session.staff.name, shop: session.shop.name })}
      </p>
      <button type="button" className="link" onClick={onUnpair}>
        {t('unpair')}
      </button>
    </section>
  );
}
