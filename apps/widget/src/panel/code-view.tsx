import type { View } from './app.tsx';
import { useFocusOnMount } from './app.tsx';
import { CopyButton } from './copy-button.tsx';
import { useEnv } from './state.ts';
import { day } from '../shared/messages.ts';

/** The code a redemption gave: to copy, and to apply at checkout where the shop allows. */
export function CodeView({
  view,
  onBack,
}: {
  view: Extract<View, { name: 'code' }>;
  onBack(): void;
}) {
  const { t, locale } = useEnv();
  const heading = useFocusOnMount<HTMLHeadingElement>();
  const coupon = view.redemption.coupon;
  return (
    <section class="card center" aria-labelledby="lojal-code">
      <h3 id="lojal-code" tabIndex={-1} ref={heading}>
        {t.redeemedTitle}
      </h3>
      <p>{t.redeemedText(view.rewardName)}</p>
      {coupon && coupon.ready === false ? (
        <p role="status" data-testid="coupon-preparing">
          {t.codePreparing}
        </p>
      ) : coupon ? (
        <>
          <p class="code" data-testid="coupon-code">
            {coupon.code}
          </p>
          {coupon.expiresAt ? (
            <p class="muted small">{t.validUntil(day(locale, coupon.expiresAt))}</p>
          ) : null}
          <div class="actions">
            <CopyButton text={coupon.code} label={t.copyCode} primary />
            {coupon.applyUrl ? (
              <a class="btn" href={coupon.applyUrl}>
                {t.apply}
              </a>
            ) : null}
          </div>
        </>
      ) : null}
      <button type="button" class="btn link" onClick={onBack}>
        {t.back}
      </button>
    </section>
  );
}
