import { useEffect, useRef, useState } from 'preact/hooks';
import type { StampCard, StampQr } from './api-types.ts';
import { useFocusOnMount } from './app.tsx';
import { safeSvg } from './safe-svg.ts';
import { useEnv } from './state.ts';
import { time } from '../shared/messages.ts';

/** The QR code to show at the counter for a stamp (made by the server, short-lived). */
export function QrView({ card, onBack }: { card: StampCard; onBack(): void }) {
  const { ctx, t, locale } = useEnv();
  const heading = useFocusOnMount<HTMLHeadingElement>();
  const box = useRef<HTMLDivElement>(null);
  const [qr, setQr] = useState<StampQr | null>(null);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    ctx
      .fetchJson<StampQr>(`/me/stamp-qr?card=${encodeURIComponent(card.id)}`)
      .then(setQr, () => setFailed(true));
  }, [ctx, card.id]);

  useEffect(() => {
    const svg = qr ? safeSvg(qr.svg) : null;
    if (!box.current || !svg) return;
    svg.setAttribute('role', 'img');
    svg.setAttribute('aria-label', t.qrAlt(card.name));
    box.current.replaceChildren(svg);
  }, [qr, t, card.name]);

  return (
    <section class="card center" aria-labelledby="lojal-qr">
      <h3 id="lojal-qr" tabIndex={-1} ref={heading}>
        {t.qrTitle}
      </h3>
      <p>
        <strong>{card.name}</strong>
      </p>
      <p>{t.qrText}</p>
      {failed ? <p class="error">{t.failed}</p> : null}
      <div class="qr" ref={box} data-testid="stamp-qr" />
      {qr ? (
        <p class="muted small">{t.qrValid(time(locale, qr.expiresAt))}</p>
      ) : (
        <p class="muted">{t.loading}</p>
      )}
      <button type="button" class="btn link" onClick={onBack}>
        {t.back}
      </button>
    </section>
  );
}
