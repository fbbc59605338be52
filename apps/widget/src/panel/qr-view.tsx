import { useEffect, useRef, useState } from 'preact/hooks';
import type { StampCard, StampQr } from './api-types.ts';
import { useFocusOnMount } from './app.tsx';
import { safeSvg } from './safe-svg.ts';
import { words } from './programme-parts.tsx';
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
    // One code for every card: the counter's scan finds the customer and stamps the card there.
    ctx.fetchJson<StampQr>('/me/stamp-qr').then(setQr, () => setFailed(true));
  }, [ctx]);

  useEffect(() => {
    const svg = qr ? safeSvg(qr.svg) : null;
    if (!box.current || !svg) return;
    svg.setAttribute('role', 'img');
    svg.setAttribute('aria-label', t.qrAlt(words(card.name, locale)));
    box.current.replaceChildren(svg);
  }, [qr, t, card.name, locale]);

  return (
    <section class="card center" aria-labelledby="lojal-qr">
      <h3 id="lojal-qr" tabIndex={-1} ref={heading}>
        {t.qrTitle}
      </h3>
      <p>
        <strong>{words(card.name, locale)}</strong>
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
