import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Refused, problemText, request, storeToken } from './api.ts';
import { useT } from './i18n.ts';
import { Scanner } from './scanner.tsx';

/** The pairing code in a scanned or opened pairing link (`…/staff/#pair=<code>`), or null. */
export function pairingCodeOf(text: string): string | null {
  const match = /#pair=([\w-]+)$/.exec(text.trim()) ?? /^(lojal_pair_[\w-]+)$/.exec(text.trim());
  return match?.[1] ?? null;
}

/**
 * An unpaired device: the pairing link opened (its code read from the fragment and wiped from
 * the address at once), or its QR scanned here, or the code pasted, becomes the device's token.
 */
export function Pairing({ onPaired, revoked }: { onPaired: () => void; revoked: boolean }) {
  const { t, lang } = useT();
  const [scanning, setScanning] = useState(false);
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const fromLink = useRef<string | null>(null);

  const pair = async (pairingCode: string) => {
    setBusy(true);
    setError(null);
    try {
      const paired = await request<{ token: string }>('POST', '/v1/counter/pair', {
        body: { code: pairingCode },
        token: null,
      });
      storeToken(paired.token);
      onPaired();
    } catch (e) {
      setError(e instanceof Refused ? problemText(e.problem, lang) : t('error.network'));
    } finally {
      setBusy(false);
    }
  };

  useEffect(() => {
    const linked = pairingCodeOf(window.location.hash);
    if (!linked || fromLink.current) return;
    fromLink.current = linked;
    // The code never stays in the address bar, the history or a bookmark.
    history.replaceState(null, '', window.location.pathname);
    void pair(linked);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- once, for the link opened
  }, []);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const found = pairingCodeOf(code);
    if (found) void pair(found);
    else setError(t('pair.notPairing'));
  };

  return (
    <main className="screen" aria-labelledby="pair-title">
      <h1 id="pair-title">{t('pair.title')}</h1>
      {revoked && (
        <p role="alert" className="notice error">
          {t('revoked')}
        </p>
      )}
      <p>{t('pair.intro')}</p>
      {error && (
        <p role="alert" className="notice error">
          {error}
        </p>
      )}
      {busy && <p role="status">{t('pair.working')}</p>}
      {scanning ? (
        <Scanner
          onClose={() => setScanning(false)}
          onCode={(text) => {
            setScanning(false);
            const found = pairingCodeOf(text);
            if (found) void pair(found);
            else setError(t('pair.notPairing'));
          }}
        />
      ) : (
        <button type="button" className="primary big" onClick={() => setScanning(true)}>
          {t('pair.scan')}
        </button>
      )}
      <form onSubmit={submit} className="stack">
        <label htmlFor="pair-code">{t('pair.code')}</label>
        <input
          id="pair-code"
          value={code}
          autoComplete="off"
          onChange={(e) => setCode(e.currentTarget.value)}
        />
        <button type="submit" className="secondary" disabled={busy}>
          {t('pair.submit')}
        </button>
      </form>
    </main>
  );
}
