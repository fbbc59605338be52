import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { ChunkContext, FetchError } from '../shared/context.ts';
import { panelText } from '../shared/messages.ts';
import type { Me, Programme, Redemption, StampCard } from './api-types.ts';
import { Env, type PanelEnv } from './state.ts';
import { GuestView } from './guest-view.tsx';
import { MemberView } from './member-view.tsx';
import { CodeView } from './code-view.tsx';
import { QrView } from './qr-view.tsx';

export type View =
  | { name: 'main' }
  | { name: 'code'; rewardName: string; redemption: Redemption }
  | { name: 'qr'; card: StampCard };

interface Props {
  ctx: ChunkContext;
  /** Changes each time the dialog opens: the customer's data is read again. */
  opened: number;
  /** Applies the shop's brand (from the programme) to the panel's host. */
  onBrand(programme: Programme): void;
  header: (title: string) => preact.ComponentChildren;
}

/** The panel's content: the programme for a guest, the customer's account with a token. */
export function PanelApp({ ctx, opened, onBrand, header }: Props) {
  const t = panelText(ctx.locale);
  const [programme, setProgramme] = useState<Programme | null>(null);
  const [me, setMe] = useState<Me | null>(null);
  const [failure, setFailure] = useState<FetchError | null>(null);
  const [view, setView] = useState<View>({ name: 'main' });
  const [said, setSaid] = useState('');

  // The latest onBrand, without making `load` (and so the fetch) change with it.
  const brand = useRef(onBrand);
  const retries = useRef(0);
  brand.current = onBrand;
  const load = useCallback(async () => {
    try {
      // The customer's part failing (an expired token) still leaves the programme to show.
      const [p, m] = await Promise.all([
        ctx.fetchJson<Programme>(`/programme?locale=${ctx.locale}`, { anonymous: true }),
        ctx.token || ctx.proxied
          ? ctx.fetchJson<Me>('/me').catch((error: FetchError) =>
              // Through the App Proxy, 401 means nobody is signed in to the shop: a guest.
              ctx.proxied && error.status === 401 ? null : error,
            )
          : Promise.resolve(null),
      ]);
      const mine = m instanceof Error ? null : m;
      setProgramme(p);
      setMe(mine);
      setFailure(m instanceof Error ? m : null);
      brand.current(p);
      // A customer the token introduced is created in a moment: asked again until then.
      if (mine?.customer.joining && retries.current++ < 10) setTimeout(() => void load(), 1500);
    } catch (error) {
      setFailure(error as FetchError);
    }
  }, [ctx]);

  useEffect(() => {
    void load();
  }, [load, opened]);

  const announce = useCallback((text: string) => {
    // Cleared first so that saying the same words twice is heard twice.
    setSaid('');
    setTimeout(() => setSaid(text), 50);
  }, []);

  const env = useMemo<PanelEnv>(
    () => ({ ctx, locale: ctx.locale, t, currency: programme?.shop.currency ?? 'PLN', announce }),
    [ctx, t, programme, announce],
  );

  const title = programme?.shop.name ?? t.title;
  let body: preact.ComponentChildren;
  const signedOut = failure !== null && (failure.status === 401 || failure.status === 403);
  if (failure && !signedOut) {
    body = (
      <div class="note">
        <p>{t.failed}</p>
        <button type="button" class="btn" onClick={() => void load()}>
          {t.retry}
        </button>
      </div>
    );
  } else if (!programme) {
    body = (
      <p class="note" aria-busy="true">
        {t.loading}
      </p>
    );
  } else if (view.name === 'code') {
    body = <CodeView view={view} onBack={() => setView({ name: 'main' })} />;
  } else if (view.name === 'qr') {
    body = <QrView card={view.card} onBack={() => setView({ name: 'main' })} />;
  } else if (me?.customer.joining) {
    body = (
      <p class="note" aria-busy="true">
        {t.joining}
      </p>
    );
  } else if (me) {
    body = <MemberView programme={programme} me={me} onView={setView} onChanged={load} />;
  } else {
    body = (
      <>
        {signedOut ? (
          <p class="note warn" role="alert">
            {t.sessionEnded}
          </p>
        ) : null}
        <GuestView programme={programme} />
      </>
    );
  }

  return (
    <Env.Provider value={env}>
      {header(title)}
      <div class="body">{body}</div>
      <p class="sr" role="status" aria-live="polite">
        {said}
      </p>
    </Env.Provider>
  );
}

/** Moves focus to the element once it is on screen (a new view's heading). */
export function useFocusOnMount<T extends HTMLElement>() {
  const ref = useRef<T>(null);
  useEffect(() => {
    ref.current?.focus();
  }, []);
  return ref;
}
